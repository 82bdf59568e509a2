"""Benchmark: reconcile + check of 1,000,000 synthetic targets against 3,000,000 actuals.

Frames are built directly (no text extraction): one actual per (region, indicator, year) for
2015-2024 (10,000 regions × 30 indicators for 3M actuals), targets for 2020-2026, values in a
mix of 亿元/万元/家/%. The frame is saved as
Parquet and reconcile + check run in a fresh process that loads it (as ``targets check
records.parquet`` would), so the peak memory (VmHWM) is the work's own, frame included.
Reports wall time, peak memory and the ratio to a bare ``pandas.merge_asof`` of the same
frames: in the measuring process, one validation of the frame and the series step built
once, read by reconcile and check (as ``targets report`` does); then ``targets check`` of
the saved file as a whole process (read, validate, reconcile, check, write), with its peak.
Run: ``.venv/bin/python benchmarks/bench_reconcile.py [n_targets] [n_actuals]``.
"""

from __future__ import annotations

import math
import resource
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

from targets.checks import check
from targets.reconcile import reconcile
from targets.schemas import RecordFrame, validate
from targets.series import series

sys.path.insert(0, str(Path(__file__).resolve().parent))
import scale  # a sibling module of this script

INDICATORS = [
    ("tech_transaction_volume", "flow", "亿元", 1e8),
    ("hitech_investment", "flow", "万元", 1e4),
    ("hitech_enterprises", "stock", "家", 1.0),
    ("tech_smes", "stock", "家", 1.0),
    ("rd_intensity", "ratio", "%", 1.0),
    ("gdp_growth", "growth", "%", 1.0),
]


def synthetic(n_targets: int, n_actuals: int, seed: int = 0) -> pd.DataFrame:
    """A records frame with ``n_targets`` targets and ``n_actuals`` actuals.

    Actuals are one per (region, indicator, year) cell, 2015 onwards, as in real reports
    (a region reports an indicator once a year); 6 catalogue indicators and 24 outside the
    catalogue (keyed by their words); 30 % of actuals state a yoy growth. Targets pick a
    random (region, indicator) and a year in 2020-2026.
    """
    rng = np.random.default_rng(seed)
    n_ind = 30
    n_years = 10
    n_regions = max(1, -(-n_actuals // (n_ind * n_years)))
    cell = rng.permutation(n_regions * n_ind * n_years)[:n_actuals]
    a_region, rest = np.divmod(cell, n_ind * n_years)
    a_ind, a_year = np.divmod(rest, n_years)
    t_region = rng.integers(0, n_regions, n_targets)
    t_ind = rng.integers(0, n_ind, n_targets)
    t_year = rng.integers(2020, 2027, n_targets)
    region = np.concatenate([t_region, a_region])
    which = np.concatenate([t_ind, a_ind])
    year = np.concatenate([t_year, a_year + 2015])
    n = n_targets + n_actuals
    kind = np.where(np.arange(n) < n_targets, "target", "actual")
    spec = which % len(INDICATORS)
    codes = np.where(which < len(INDICATORS), np.array([i[0] for i in INDICATORS])[spec], "")
    texts = np.char.add("指标", which.astype(str))
    measures = np.array([i[1] for i in INDICATORS])[spec]
    units = np.array([i[2] for i in INDICATORS])[spec]
    factors = np.array([i[3] for i in INDICATORS])[spec]
    base_units = np.where(units == "%", "%", np.where(units == "家", "家", "元"))
    value = np.round(rng.uniform(1, 1000, n), 2)
    growth = np.where(
        (kind == "actual") & (rng.random(n) < 0.3), np.round(rng.normal(8, 5, n), 2), np.nan
    )
    frame = pd.DataFrame(
        {
            "record_id": np.char.add("d:", np.arange(n).astype(str)),
            "doc": np.char.add(
                np.char.add("r", region.astype(str)), np.char.add("-", year.astype(str))
            ),
            "region": np.char.add("区", region.astype(str)),
            "issuer": "",
            "kind": kind,
            "indicator": codes,
            "indicator_text": texts,
            "measure": measures,
            "comparator": np.where(kind == "target", ">=", "="),
            "value": value,
            "value_high": np.nan,
            "unit": units,
            "base_value": value * factors,
            "base_value_high": np.nan,
            "base_unit": base_units,
            "year": year,
            "months": "",
            "period_start": pd.to_datetime(pd.Series(year).astype(str) + "-01-01").astype(
                "datetime64[ns]"
            ),
            "period_end": pd.to_datetime(pd.Series(year).astype(str) + "-12-31").astype(
                "datetime64[ns]"
            ),
            "growth_pct": growth,
            "growth_pp": np.nan,
            "rank": "",
            "approx": "",
            "qualifiers": "",
            "part_of": "",
            "quote": "q",
            "start": 0,
            "end": 1,
        }
    )
    # the contract's types, as ``targets extract`` writes them (few-valued text columns are
    # categoricals), so that loading the saved frame costs no conversion
    return validate(frame, RecordFrame, what="synthetic frame", compact=True)


def peak_mb() -> float:
    """This process's peak resident memory in MB.

    VmHWM from /proc (Linux) is the high-water mark of this process image. ``ru_maxrss`` is
    not used on Linux: it survives ``exec``, so a child started by a large parent would
    report the parent's size at the fork.
    """
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure(path: str) -> dict[str, float]:
    """Load a saved records frame and time reconcile + check on it (run in a fresh process, so
    that the peak memory is the work's own, not the synthetic data generator's)."""
    t0 = time.perf_counter()
    frame = pd.read_parquet(path)
    load = time.perf_counter() - t0
    mem_frame = peak_mb()
    # one validation of the frame, then the series step once, read by reconcile and check
    t0 = time.perf_counter()
    frame = validate(frame, RecordFrame, what="records frame", compact=True)
    t_validate = time.perf_counter() - t0
    t0 = time.perf_counter()
    points = series(frame, validate=False)
    t_series = time.perf_counter() - t0
    t0 = time.perf_counter()
    reconciled = reconcile(frame, series=points, validate=False)
    t_reconcile = time.perf_counter() - t0
    t0 = time.perf_counter()
    findings = check(frame, reconciled, series=points, validate=False)
    t_check = time.perf_counter() - t0
    del points
    mem_peak = peak_mb()
    sizes = {  # what stays alive at the end: the input and the two outputs (pandas, deep)
        "records_frame_mb": frame.memory_usage(deep=True).sum() / 2**20,
        "reconciled_frame_mb": reconciled.memory_usage(deep=True).sum() / 2**20,
        "findings_frame_mb": findings.memory_usage(deep=True).sum() / 2**20,
    }

    # the floor: one bare merge_asof of the same targets and actuals on (region, indicator),
    # best of three
    cols = ["region", "indicator_text", "year", "base_value"]
    targets = frame[frame["kind"] == "target"][cols]
    actuals = frame[frame["kind"] == "actual"][cols]
    t_floor = math.inf
    for _ in range(3):
        t0 = time.perf_counter()
        pd.merge_asof(
            targets.assign(before=targets["year"] - 1).sort_values("before"),
            actuals.sort_values("year"),
            left_on="before",
            right_on="year",
            by=["region", "indicator_text"],
            direction="backward",
        )
        t_floor = min(t_floor, time.perf_counter() - t0)
    total = t_validate + t_series + t_reconcile + t_check
    return {
        "load_s": load,
        "validate_s": t_validate,
        "series_s": t_series,
        "reconcile_s": t_reconcile,
        "check_s": t_check,
        "total_s": total,
        "merge_asof_s": t_floor,
        "ratio_to_merge_asof": total / t_floor,
        "peak_mb": mem_peak,
        "frame_mb": mem_frame,
        "findings": float(len(findings)),
        "reconciled": float(len(reconciled)),
        **sizes,
    }


def main(n_targets: int = 1_000_000, n_actuals: int = 3_000_000) -> dict[str, float]:
    """Build the synthetic frame, save it as Parquet, measure in a fresh process."""
    import json
    import subprocess
    import tempfile

    t0 = time.perf_counter()
    frame = synthetic(n_targets, n_actuals)
    build = time.perf_counter() - t0
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "records.parquet"
        frame.to_parquet(path, index=False)
        del frame
        child = subprocess.run(
            [sys.executable, __file__, "--measure", str(path)],
            capture_output=True,
            text=True,
            check=True,
        )
        # the whole command on the saved frame: read, validate, series, reconcile, check,
        # write the findings
        cli = scale.run_child(["check", str(path), "-o", str(Path(tmp) / "f.parquet"), "-q"])
    result = {"targets": float(n_targets), "actuals": float(n_actuals), "build_s": build}
    result.update(json.loads(child.stdout.strip().splitlines()[-1]))
    result["cli_check_s"] = cli.seconds if cli.ok else math.nan
    result["cli_check_ratio_to_merge_asof"] = result["cli_check_s"] / result["merge_asof_s"]
    result["cli_check_peak_mb"] = cli.peak_mb if cli.ok else math.nan
    for key, value in result.items():
        print(f"{key:>22}: {value:,.2f}")
    return result


if __name__ == "__main__":
    if len(sys.argv) > 2 and sys.argv[1] == "--measure":
        import json

        print(json.dumps(measure(sys.argv[2])))
    else:
        args = [int(a) for a in sys.argv[1:3]]
        main(*args)
