"""Benchmark: reconcile + check of 1,000,000 synthetic targets against 3,000,000 actuals.

Frames are built directly (no text extraction): 3,000 regions × 30 indicators, actuals for
2015-2024, targets for 2020-2026, values in a mix of 亿元/万元 and 家. Reports wall time, peak
memory (ru_maxrss of this process) and the ratio to a bare ``pandas.merge_asof`` of the same
frames. Run: ``.venv/bin/python benchmarks/bench_reconcile.py [n_targets] [n_actuals]``.
"""

from __future__ import annotations

import resource
import sys
import time

import numpy as np
import pandas as pd

from targets.checks import check
from targets.reconcile import reconcile

INDICATORS = [
    ("tech_transaction_volume", "flow", "亿元", 1e8), ("hitech_investment", "flow", "万元", 1e4),
    ("hitech_enterprises", "stock", "家", 1.0), ("tech_smes", "stock", "家", 1.0),
    ("rd_intensity", "ratio", "%", 1.0), ("gdp_growth", "growth", "%", 1.0),
]


def synthetic(n_targets: int, n_actuals: int, seed: int = 0) -> pd.DataFrame:
    """A records frame with ``n_targets`` targets and ``n_actuals`` actuals."""
    rng = np.random.default_rng(seed)
    n = n_targets + n_actuals
    kind = np.where(np.arange(n) < n_targets, "target", "actual")
    region = rng.integers(0, 3000, n)
    which = rng.integers(0, len(INDICATORS), n)
    codes = np.array([i[0] for i in INDICATORS])[which]
    measures = np.array([i[1] for i in INDICATORS])[which]
    units = np.array([i[2] for i in INDICATORS])[which]
    factors = np.array([i[3] for i in INDICATORS])[which]
    base_units = np.where(units == "%", "%", np.where(units == "家", "家", "元"))
    year = np.where(kind == "target", rng.integers(2020, 2027, n), rng.integers(2015, 2025, n))
    value = np.round(rng.uniform(1, 1000, n), 2)
    growth = np.where((kind == "actual") & (rng.random(n) < 0.3), np.round(rng.normal(8, 5, n), 2),
                      np.nan)
    ids = np.char.add("d:", np.arange(n).astype(str))
    frame = pd.DataFrame({
        "record_id": ids, "doc": np.char.add("doc", (region % 97).astype(str)),
        "region": np.char.add("区", region.astype(str)), "issuer": "",
        "kind": kind, "indicator": codes, "indicator_text": codes, "measure": measures,
        "comparator": np.where(kind == "target", ">=", "="), "value": value,
        "value_high": np.nan, "unit": units, "base_value": value * factors,
        "base_value_high": np.nan, "base_unit": base_units, "year": year, "months": "",
        "period_start": pd.to_datetime(year.astype(str) + "-01-01"),
        "period_end": pd.to_datetime(year.astype(str) + "-12-31"),
        "growth_pct": growth, "growth_pp": np.nan, "rank": "", "approx": "", "qualifiers": "",
        "part_of": "", "quote": "q", "start": 0, "end": 1,
    })
    return frame


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main(n_targets: int = 1_000_000, n_actuals: int = 3_000_000) -> dict[str, float]:
    t0 = time.perf_counter()
    frame = synthetic(n_targets, n_actuals)
    build = time.perf_counter() - t0
    mem_frame = peak_mb()

    t0 = time.perf_counter()
    reconciled = reconcile(frame)
    t_reconcile = time.perf_counter() - t0
    t0 = time.perf_counter()
    findings = check(frame, reconciled)
    t_check = time.perf_counter() - t0

    # the floor: one bare merge_asof of the same targets and actuals on (region, indicator)
    targets = frame[frame["kind"] == "target"][["region", "indicator", "year", "base_value"]]
    actuals = frame[frame["kind"] == "actual"][["region", "indicator", "year", "base_value"]]
    t0 = time.perf_counter()
    pd.merge_asof(targets.assign(before=targets["year"] - 1).sort_values("before"),
                  actuals.sort_values("year"), left_on="before", right_on="year",
                  by=["region", "indicator"], direction="backward")
    t_floor = time.perf_counter() - t0
    result = {
        "targets": n_targets, "actuals": n_actuals, "build_s": build,
        "reconcile_s": t_reconcile, "check_s": t_check, "total_s": t_reconcile + t_check,
        "merge_asof_s": t_floor, "ratio_to_merge_asof": (t_reconcile + t_check) / t_floor,
        "peak_mb": peak_mb(), "frame_mb": mem_frame, "findings": float(len(findings)),
        "reconciled": float(len(reconciled)),
    }
    for key, value in result.items():
        print(f"{key:>22}: {value:,.2f}")
    return result


if __name__ == "__main__":
    args = [int(a) for a in sys.argv[1:3]]
    main(*args)
