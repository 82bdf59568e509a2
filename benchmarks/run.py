"""Benchmarks of ``targets`` (issue 6), written to ``docs/benchmarks.md``.

Run everything with ``make bench`` (or ``.venv/bin/python benchmarks/run.py``); every number in
the page comes from that run. ``--quick`` runs a small version (100 documents, sizes up to
100 KB, no reconcile) into another file, to check that the benchmark itself works.

Measured:

1. ``import targets`` and ``targets --help`` (fresh processes, best of 5);
2. extraction throughput on a synthetic corpus of report-like documents (``corpus.py``), in MB
   of UTF-8 per second on one core, next to one pass of the compiled number+unit regex
   (``targets.extract.patterns.mention_regex()``) over the same text;
3. ``targets extract --jobs N`` for N = 1, 2 (wall time of the command), and the same corpus
   through ``targets.dask`` on the processes scheduler with 1 and 2 workers;
4. pathological inputs (``pathological.py``) at 10 KB, 100 KB and 1 MB, each in its own
   process under a time limit, with the growth exponent of time against size;
5. reconcile + check of 1,000,000 targets x 3,000,000 actuals (``bench_reconcile.py``, kept by
   the reconcile module's author), when ``targets.reconcile`` exists.
"""

from __future__ import annotations

import argparse
import importlib.metadata
import importlib.util
import json
import math
import os
import platform
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

import corpus as corpus_module  # noqa: E402 - a sibling module of this script
import pathological  # noqa: E402 - a sibling module of this script
import scale  # noqa: E402 - a sibling module of this script

PYTHON = sys.executable
TARGETS = str(Path(sys.executable).with_name("targets"))

GOAL_MB_S = 2.0
GOAL_HELP_S = 0.5
GOAL_REPORT_S = 40.0  # issue 17: "well under a minute"
GOAL_REPORT_BYTES = 1e9
GOAL_RECONCILE_S = 20.0
GOAL_RECONCILE_BYTES = 2.5e9
# issue 17: ratios to floors measured in the same run
GOAL_EXTRACT_RATIO = 60.0
GOAL_CHECK_RATIO = 10.0
GOAL_CHECK_BYTES = 1.5e9
NATIONAL_DOCUMENTS = 3000 * 10 * 4  # county bodies x years x reports (docs/scaling.md)
NATIONAL_KB = 30  # KB per document (docs/scaling.md)


def log(message: str) -> None:
    print(message, flush=True)


# --- the machine ------------------------------------------------------------------------------


def machine() -> dict[str, str]:
    """nproc, CPU model, memory, OS, Python, package versions and the git commit."""
    info: dict[str, str] = {}
    nproc = subprocess.run(["nproc"], capture_output=True, text=True, check=False)
    info["nproc"] = nproc.stdout.strip() or str(os.cpu_count())
    info["cpu"] = _cpuinfo("model name") or platform.processor() or "unknown"
    mhz = _cpuinfo("cpu MHz")
    if mhz:
        info["cpu"] += f" ({float(mhz):.0f} MHz)"
    meminfo = Path("/proc/meminfo")
    if meminfo.exists():
        kb = int(meminfo.read_text().split("MemTotal:")[1].split()[0])
        info["memory"] = f"{kb / 1024 / 1024:.1f} GiB"
    info["os"] = platform.platform()
    info["python"] = sys.version.split()[0] + f" ({platform.python_implementation()})"
    versions = []
    for name in ("targets", "pandas", "numpy", "pandera", "pint", "pyarrow", "PyYAML", "dask"):
        try:
            versions.append(f"{name} {importlib.metadata.version(name)}")
        except importlib.metadata.PackageNotFoundError:
            versions.append(f"{name} (not installed)")
    info["packages"] = ", ".join(versions)
    if hasattr(os, "getloadavg"):
        info["load"] = "{:.2f} {:.2f} {:.2f}".format(*os.getloadavg())
    head = _git("rev-parse", "--short", "HEAD")
    dirty = _git("status", "--porcelain", "--untracked-files=no")
    info["commit"] = head + (" (working tree has uncommitted changes)" if dirty else "")
    return info


def _cpuinfo(key: str) -> str:
    path = Path("/proc/cpuinfo")
    if not path.exists():
        return ""
    for line in path.read_text().splitlines():
        if line.startswith(key):
            return line.split(":", 1)[1].strip()
    return ""


def _git(*args: str) -> str:
    result = subprocess.run(["git", *args], capture_output=True, text=True, cwd=ROOT, check=False)
    return result.stdout.strip()


# --- 1. start-up ------------------------------------------------------------------------------


def best_of(command: list[str], runs: int = 5) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, capture_output=True, check=True)
        times.append(time.perf_counter() - start)
    return min(times)


def bench_startup() -> dict[str, float]:
    log("start-up: python, import targets, targets --help (best of 5)")
    out = {
        "python": best_of([PYTHON, "-c", "pass"]),
        "import": best_of([PYTHON, "-c", "import targets"]),
        "help": best_of([TARGETS, "--help"]),
    }
    log(f"  {out}")
    return out


# --- 2. throughput ----------------------------------------------------------------------------


@dataclass
class Throughput:
    documents: int
    nbytes: int
    chars: int
    records: int
    seconds: float
    cpu_seconds: float
    floor_seconds: float
    floor_cpu_seconds: float
    floor_matches: int
    real_files: int = 0
    real_bytes: int = 0
    real_seconds: float = 0.0
    real_records: int = 0
    frame_seconds: float = 0.0
    frame_bytes: int = 0
    parquet_bytes: int = 0
    sizes: list[int] = field(default_factory=list)

    @property
    def mb_s(self) -> float:
        """Wall-clock throughput of the one process."""
        return self.nbytes / 1e6 / self.seconds

    @property
    def mb_cpu_s(self) -> float:
        """Throughput per second of CPU time: MB/s per core, whatever else the machine runs."""
        return self.nbytes / 1e6 / self.cpu_seconds

    @property
    def floor_mb_s(self) -> float:
        return self.nbytes / 1e6 / self.floor_seconds


def bench_throughput(corpus: corpus_module.Corpus, paths: list[Path], work: Path) -> Throughput:
    import targets
    from targets.extract.patterns import mention_regex
    from targets.frames import to_frame

    log(f"throughput: {len(paths)} documents, {corpus.nbytes / 1e6:.1f} MB, one core")
    targets.extract(paths[0])  # warm-up: catalogue, unit registry, compiled patterns
    records: list[Any] = []
    start, cpu = time.perf_counter(), time.process_time()
    for path in paths:
        records.extend(targets.extract(path))
    seconds, cpu_seconds = time.perf_counter() - start, time.process_time() - cpu
    start = time.perf_counter()
    to_frame(records)
    frame_seconds = time.perf_counter() - start

    regex = mention_regex()
    texts = [text for _, text in corpus.documents]
    matches = 0
    start, cpu = time.perf_counter(), time.process_time()
    for text in texts:
        for _ in regex.finditer(text):
            matches += 1
    floor_seconds, floor_cpu_seconds = time.perf_counter() - start, time.process_time() - cpu

    real = [p for folder in corpus_module.SOURCES for p in sorted(folder.glob("*.txt"))]
    real_records: list[Any] = []
    start = time.perf_counter()
    for path in real:
        real_records.extend(targets.extract(path))
    real_seconds = time.perf_counter() - start
    # storage per record, from real reports (the synthetic corpus repeats its sentences)
    frame = to_frame(real_records)
    frame.to_parquet(work / "records.parquet", index=False)
    result = Throughput(
        documents=len(paths),
        nbytes=corpus.nbytes,
        chars=sum(len(t) for t in texts),
        records=len(records),
        seconds=seconds,
        cpu_seconds=cpu_seconds,
        floor_seconds=floor_seconds,
        floor_cpu_seconds=floor_cpu_seconds,
        floor_matches=matches,
        real_files=len(real),
        real_bytes=sum(p.stat().st_size for p in real),
        real_seconds=real_seconds,
        frame_seconds=frame_seconds,
        real_records=len(real_records),
        frame_bytes=int(frame.memory_usage(deep=True).sum()),
        parquet_bytes=(work / "records.parquet").stat().st_size,
        sizes=sorted(len(t.encode("utf-8")) for t in texts),
    )
    log(
        f"  extraction {result.mb_cpu_s:.2f} MB/s per core ({result.mb_s:.2f} wall), "
        f"regex floor {result.nbytes / 1e6 / result.floor_cpu_seconds:.1f} MB/s, "
        f"{result.records} records"
    )
    return result


# --- 3. processes -----------------------------------------------------------------------------


@dataclass
class Run:
    label: str
    group: str
    workers: int
    seconds: float
    ok: bool
    note: str = ""


def bench_jobs(folder: Path, work: Path) -> list[Run]:
    runs = []
    for jobs in (1, 2):
        log(f"targets extract --jobs {jobs}")
        out = work / f"jobs{jobs}.csv"
        command = [TARGETS, "extract", str(folder), "-o", str(out), "-q", "--jobs", str(jobs)]
        start = time.perf_counter()
        result = subprocess.run(command, capture_output=True, text=True, check=False)
        seconds = time.perf_counter() - start
        ok = result.returncode == 0 and out.exists()
        note = "" if ok else f"exit {result.returncode}: {result.stderr.strip()[:300]}"
        runs.append(Run(f"`targets extract --jobs {jobs}`", "cli", jobs, seconds, ok, note))
        log(f"  {seconds:.1f} s {'ok' if ok else note}")
    if importlib.util.find_spec("dask") is None:
        log("  dask is not installed: skipping targets.dask")
        return runs
    for workers in (1, 2):
        log(f"targets.dask.extract_frames, processes scheduler, {workers} worker(s)")
        command = [
            PYTHON,
            "-c",
            "import sys, time, dask; from pathlib import Path; "
            "from targets.dask import extract_frames; "
            f"paths = sorted(Path({str(folder)!r}).glob('*.txt')); "
            f"dask.config.set(num_workers={workers}); t = time.perf_counter(); "
            f"r = extract_frames(paths, npartitions={8 * workers}, scheduler='processes'); "
            "print(time.perf_counter() - t, len(r.records), len(r.errors))",
        ]
        result = subprocess.run(command, capture_output=True, text=True, check=False)
        if result.returncode != 0:
            runs.append(
                Run("`targets.dask`", "dask", workers, math.nan, False, result.stderr[-300:])
            )
            continue
        seconds_text, n_records, n_errors = result.stdout.split()
        runs.append(
            Run(
                "`targets.dask` (processes)",
                "dask",
                workers,
                float(seconds_text),
                True,
                f"{n_records} records, {n_errors} errors",
            )
        )
        log(f"  {float(seconds_text):.1f} s")
    return runs


# --- 4. pathological inputs -------------------------------------------------------------------


@dataclass
class Point:
    size: int
    seconds: float | None  # None: stopped at the limit or not run
    nbytes: int = 0
    records: int = 0
    note: str = ""


def bench_pathological(sizes: tuple[int, ...], limit: float) -> dict[str, list[Point]]:
    out: dict[str, list[Point]] = {}
    for name in pathological.INPUTS:
        points: list[Point] = []
        for size in sizes:
            measured = [p for p in points if p.seconds is not None]
            if len(points) > len(measured):
                points.append(Point(size, None, note="not run (the smaller size hit the limit)"))
                continue
            projected = _projection(measured, size)
            if projected is not None and projected > limit:
                points.append(
                    Point(
                        size,
                        None,
                        note=f"not run: ~{projected:,.0f} s projected at the "
                        "growth measured so far",
                    )
                )
                continue
            log(f"pathological {name} {size // 1000} KB")
            command = [PYTHON, str(HERE / "pathological.py"), name, str(size)]
            try:
                result = subprocess.run(
                    command, capture_output=True, text=True, timeout=limit, check=True
                )
            except subprocess.TimeoutExpired:
                points.append(Point(size, None, note=f"stopped after {limit:.0f} s"))
                log(f"  stopped after {limit:.0f} s")
                continue
            data = json.loads(result.stdout)
            points.append(Point(size, data["seconds"], int(data["bytes"]), int(data["records"])))
            log(f"  {data['seconds']:.3f} s")
        out[name] = points
    return out


def _projection(points: list[Point], size: int) -> float | None:
    if len(points) < 2:
        return None
    a, b = points[-2], points[-1]
    if b.seconds is None:
        return None
    return b.seconds * (size / b.size) ** max(1.0, _exponent(a, b))


def _exponent(a: Point, b: Point) -> float:
    """Growth exponent of time against size between two points (1 linear, 2 quadratic)."""
    ta, tb = max(a.seconds or 0.0, 1e-6), max(b.seconds or 0.0, 1e-6)
    return math.log(tb / ta) / math.log(b.nbytes / a.nbytes)


# --- 5. reconcile -----------------------------------------------------------------------------


def bench_reconcile(timeout: float) -> dict[str, float] | str:
    """Reconcile + check of 1M targets x 3M actuals, or a note why it was not run.

    The frames and the measurement are ``bench_reconcile.py``'s (the reconcile author's);
    here it runs in its own process so that its peak memory is its own.
    """
    if importlib.util.find_spec("targets.reconcile") is None:
        note = "not run: targets.reconcile does not exist yet"
        log(f"reconcile: {note}")
        return note
    script = HERE / "bench_reconcile.py"
    if not script.exists():
        note = "not run: benchmarks/bench_reconcile.py does not exist yet"
        log(f"reconcile: {note}")
        return note
    log("reconcile + check, 1,000,000 targets x 3,000,000 actuals")
    try:
        result = subprocess.run(
            [PYTHON, str(script)], capture_output=True, text=True, timeout=timeout, check=False
        )
    except subprocess.TimeoutExpired:
        return f"stopped after {timeout:.0f} s"
    if result.returncode != 0:
        return f"failed (exit {result.returncode}): {result.stderr.strip()[-500:]}"
    values: dict[str, float] = {}
    for line in result.stdout.splitlines():
        key, _, value = line.partition(":")
        try:
            values[key.strip()] = float(value.replace(",", ""))
        except ValueError:
            continue
    log(f"  {values}")
    return values


# --- the page ---------------------------------------------------------------------------------


def _met(ok: bool) -> str:
    return "**met**" if ok else "**not met**"


def _s(seconds: float | None) -> str:
    if seconds is None or math.isnan(seconds):
        return "—"
    return f"{seconds:.3f}" if seconds < 10 else f"{seconds:.1f}"


def render(
    info: dict[str, str],
    startup: dict[str, float],
    tp: Throughput,
    runs: list[Run],
    patho: dict[str, list[Point]],
    reconcile: dict[str, float] | str,
    elapsed: float,
    command: str,
    *,
    real: scale.Extract,
    dist: dict[str, float] | str,
    report: scale.Report,
) -> str:
    lines: list[str] = []
    add = lines.append
    now = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")  # noqa: UP017 - 3.11 too
    add("# Benchmarks")
    add("")
    add(f"Generated by `{command}` (`make bench`) on {now} in {elapsed / 60:.1f} minutes;")
    add("every number below comes from that run. Do not edit by hand: rerun `make bench`.")
    add("")
    add("## Machine")
    add("")
    add("| | |")
    add("|---|---|")
    for key in ("nproc", "cpu", "memory", "os", "python", "packages", "commit", "load"):
        if key in info:
            add(f"| {key} | {info[key]} |")
    add("")

    # goals
    add("## Goals (issue 6)")
    add("")
    add("| goal | measured | |")
    add("|---|---|---|")
    add(
        f"| extraction ≥ {GOAL_MB_S:g} MB/s per core | {tp.mb_cpu_s:.2f} MB/s per CPU "
        f"second ({tp.mb_s:.2f} MB/s wall) | {_met(tp.mb_cpu_s >= GOAL_MB_S)} |"
    )
    add(
        f"| `targets --help` ≤ {GOAL_HELP_S:g} s | {startup['help']:.3f} s "
        f"| {_met(startup['help'] <= GOAL_HELP_S)} |"
    )
    if isinstance(reconcile, dict) and "total_s" in reconcile:
        total, peak = reconcile["total_s"], reconcile.get("peak_mb", math.nan)
        peak_bytes = peak * 1024 * 1024
        add(
            f"| reconcile + check of 1M × 3M ≤ {GOAL_RECONCILE_S:g} s | {total:.1f} s "
            f"| {_met(total <= GOAL_RECONCILE_S)} |"
        )
        add(
            f"| … peak memory ≤ 2.5 GB | {peak_bytes / 1e9:.2f} GB "
            f"| {_met(peak_bytes <= GOAL_RECONCILE_BYTES)} |"
        )
    else:
        add(f"| reconcile + check of 1M × 3M ≤ 20 s, ≤ 2.5 GB | {reconcile} | — |")
    linear = {name: _verdict(points) for name, points in patho.items()}
    bad = [name for name, (ok, _) in linear.items() if not ok]
    add(
        "| extraction time linear in input size (pathological inputs) | "
        + (f"super-linear: {', '.join(bad)}" if bad else "linear on all inputs")
        + f" | {_met(not bad)} |"
    )
    add("")

    _render_scale(add, real, dist, reconcile, report)

    # start-up
    add("## Start-up")
    add("")
    add("Fresh processes, wall time, best of 5.")
    add("")
    add("| command | seconds |")
    add("|---|---|")
    add(f"| `python -c pass` (the interpreter alone) | {startup['python']:.3f} |")
    add(f"| `python -c 'import targets'` | {startup['import']:.3f} |")
    add(f"| `targets --help` | {startup['help']:.3f} |")
    add("")

    # throughput
    sizes = tp.sizes
    add("## Extraction throughput")
    add("")
    add(
        f"{tp.documents:,} synthetic documents, {tp.nbytes / 1e6:.1f} MB of UTF-8 "
        f"({tp.chars / 1e6:.1f} M characters; sizes {sizes[0] / 1e3:.0f}–"
        f"{sizes[-1] / 1e3:.0f} KB, median {sizes[len(sizes) // 2] / 1e3:.0f} KB), assembled "
        "with a fixed seed from the sentences of the 5 seed reports and the 31 provincial "
        "reports (`benchmarks/corpus.py`): a title, a date, a summary section and a plan "
        "section per document. One process, files read from the page cache; MB = 10⁶ bytes "
        "of UTF-8 input. *Per core* divides by the CPU time of the process, so that other "
        "work on the machine (see the load average above) counts less; wall time is shown "
        "next to it."
    )
    add("")
    add("| | wall s | CPU s | MB/s per core (CPU) | MB/s (wall) | per document |")
    add("|---|---|---|---|---|---|")
    add(
        f"| `targets.extract` on every document ({tp.records:,} records) | {tp.seconds:.1f} "
        f"| {tp.cpu_seconds:.1f} | **{tp.mb_cpu_s:.2f}** | {tp.mb_s:.2f} "
        f"| {tp.cpu_seconds / tp.documents * 1e3:.1f} ms |"
    )
    add(
        f"| floor: one pass of `mention_regex()` over the same text ({tp.floor_matches:,} "
        f"number+unit spans) | {tp.floor_seconds:.2f} | {tp.floor_cpu_seconds:.2f} "
        f"| **{tp.nbytes / 1e6 / tp.floor_cpu_seconds:.1f}** | {tp.floor_mb_s:.1f} "
        f"| {tp.floor_cpu_seconds / tp.documents * 1e3:.2f} ms |"
    )
    add(
        f"| `to_frame` of all records (validated frame) | {tp.frame_seconds:.1f} | "
        f"| | {tp.nbytes / 1e6 / tp.frame_seconds:.1f} | |"
    )
    add(
        f"| for comparison: the {tp.real_files} real reports in `data/` "
        f"({tp.real_bytes / 1e6:.2f} MB) | {tp.real_seconds:.2f} | "
        f"| | {tp.real_bytes / 1e6 / tp.real_seconds:.2f} | |"
    )
    add("")
    add(
        f"Records: {tp.records / tp.documents:.0f} per synthetic document, "
        f"{tp.real_records / tp.real_files:.0f} per real report. The records frame of the "
        f"real reports takes {tp.frame_bytes / tp.real_records:,.0f} bytes per record in "
        f"memory (pandas, deep) and {tp.parquet_bytes / tp.real_records:,.0f} bytes per "
        "record as Parquet (snappy)."
    )
    add("")
    add(
        f"Extraction takes **{tp.cpu_seconds / tp.floor_cpu_seconds:.0f}×** the CPU time of "
        "the bare regex "
        "pass: the regex only finds spans, extraction also normalises the text (NFKC with an "
        "offset map), finds sections, resolves indicator words against the catalogue, reads "
        "cue words, periods and comparators, and builds frozen records with pint quantities."
    )
    add("")

    # processes
    add("## Processes")
    add("")
    add(
        "The same corpus. `targets extract` is the whole command (start-up, extraction, the "
        "records frame and the CSV file); `targets.dask` is `extract_frames` on dask's "
        "processes scheduler (worker start-up included, 8 partitions per worker)."
    )
    add("")
    add("| run | processes | seconds | MB/s | MB/s per process | speed-up | |")
    add("|---|---|---|---|---|---|---|")
    base: dict[str, float] = {}
    for run in runs:
        if not run.ok:
            add(
                f"| {run.label} | {run.workers} | {_s(run.seconds)} | — | — | — | failed: "
                f"{_md(run.note)} |"
            )
            continue
        mb_s = tp.nbytes / 1e6 / run.seconds
        base.setdefault(run.group, run.seconds)
        speedup = base[run.group] / run.seconds
        add(
            f"| {run.label} | {run.workers} | {_s(run.seconds)} | {mb_s:.2f} "
            f"| {mb_s / run.workers:.2f} | {speedup:.2f}× | {_md(run.note)} |"
        )
    add("")

    # pathological
    add("## Pathological inputs: time against size")
    add("")
    add(
        "`benchmarks/pathological.py`; each measurement in a fresh process (best of 3 when "
        "under 1 s) under a time limit. *µs/KB* is time per 1,000 bytes: flat means linear. "
        "*k* is the growth exponent of time against size over the last two measured sizes "
        "(1 linear, 2 quadratic); a size is not run when the growth measured so far projects "
        "it past the limit."
    )
    add("")
    add("| input | size | seconds | µs/KB | records | |")
    add("|---|---|---|---|---|---|")
    for name, points in patho.items():
        doc = (pathological.INPUTS[name].__doc__ or "").strip().rstrip(".")
        for i, point in enumerate(points):
            label = f"`{name}`: {doc}" if i == 0 else ""
            if point.seconds is None:
                add(f"| {label} | {point.size / 1e3:,.0f} KB | — | — | — | {point.note} |")
                continue
            per_kb = point.seconds / (point.nbytes / 1e3) * 1e6
            add(
                f"| {label} | {point.nbytes / 1e3:,.0f} KB | {_s(point.seconds)} "
                f"| {per_kb:,.0f} | {point.records:,} | |"
            )
        ok, text = linear[name]
        add(f"| | | | | | {'linear' if ok else '**super-linear**'}: {text} |")
    add("")
    if bad:
        add(
            "A super-linear input is a bug to fix in the extractor; the benchmark keeps it. "
            "`tests/test_robustness.py` checks linear time only at sizes where the test stays "
            "fast (100 KB → 1 MB for the simple inputs, 20 → 200 KB for long sentences), "
            "which is not enough to catch a slow quadratic term (the section look-up has a "
            "test that counts visits instead of timing them)."
        )
        add("")

    # reconcile
    add("## Reconcile + check, 1,000,000 targets × 3,000,000 actuals")
    add("")
    if isinstance(reconcile, str):
        add(reconcile)
    else:
        add(
            "`benchmarks/bench_reconcile.py` (synthetic frames, no text), in its own process; "
            "peak memory is that process's maximum resident set."
        )
        add("")
        add("| | |")
        add("|---|---|")
        for key, value in reconcile.items():
            add(f"| {key} | {value:,.2f} |")
        live = sum(
            reconcile.get(k, math.nan)
            for k in ("records_frame_mb", "reconciled_frame_mb", "findings_frame_mb")
        )
        add("")
        add(
            f"Where the peak goes: at the end the input frame, the reconciled frame and the "
            f"findings are alive, {live:,.0f} MB together (pandas deep sizes above) before any "
            f"working memory; loading the Parquet file alone peaks at "
            f"{reconcile.get('frame_mb', math.nan):,.0f} MB. The rest of the "
            f"{reconcile.get('peak_mb', math.nan):,.0f} MB peak is working arrays (integer "
            "codes and positions, no text) and memory that the two allocators (glibc for "
            "numpy, mimalloc for Arrow) keep for reuse after it is freed."
        )
    add("")
    return "\n".join(lines)


def _render_scale(
    add: Any,
    real: scale.Extract,
    dist: dict[str, float] | str,
    rec: dict[str, float] | str,
    report: scale.Report,
) -> None:
    """Issue 17: each whole command against its floor, measured in this run."""
    add("## Goals (issue 17): whole commands against floors measured in the same run")
    add("")
    add(
        f"`benchmarks/scale.py`. The corpus is the {real.documents // scale.COPIES} real reports "
        f"of `data/` (`reports/`, `provincial-2026/`, `found/`) copied {scale.COPIES} times "
        f"into a temporary folder: {real.documents} files, {real.nbytes / 1e6:.1f} MB. Every "
        "copy is read and extracted (copies differ by trailing line breaks and a `.copyK` in "
        "their names, so that no file is skipped as one already read); they read as the same "
        f"reports, so the CSV holds {real.records:,} records, the 63 reports once. Processes "
        "are timed whole, from the interpreter's start; peak memory is the process's VmHWM."
    )
    add("")
    add("| measurement | floor (same run) | measured | ratio | goal | |")
    add("|---|---|---|---|---|---|")
    mb = real.nbytes / 1e6
    run = real.run
    if run.ok:
        ratio = run.seconds / real.floor_seconds
        add(
            f"| `targets extract` of the {mb:.1f} MB corpus | one pass of `mention_regex()` "
            f"(best of 5): {real.floor_seconds:.3f} s, {mb / real.floor_seconds:.0f} MB/s, "
            f"{real.floor_matches:,} spans | {run.seconds:.2f} s wall ({run.cpu_seconds:.2f} s "
            f"CPU), {mb / run.seconds:.2f} MB/s, {run.peak_mb:,.0f} MB peak | **{ratio:.0f}×** "
            f"| ≤ {GOAL_EXTRACT_RATIO:g}× | {_met(ratio <= GOAL_EXTRACT_RATIO)} |"
        )
    else:
        add(f"| `targets extract` of the {mb:.1f} MB corpus | | failed: {_md(run.note)} | | | |")
    if isinstance(rec, dict) and "total_s" in rec:
        floor = rec["merge_asof_s"]
        ratio = rec["total_s"] / floor
        add(
            f"| 1M × 3M: one validation, the series step, reconcile and check "
            f"(`bench_reconcile.py`) | bare `merge_asof` (best of 3): {floor:.2f} s "
            f"| {rec['total_s']:.2f} s (validate {rec.get('validate_s', math.nan):.2f}, series "
            f"{rec.get('series_s', math.nan):.2f}, reconcile {rec['reconcile_s']:.2f}, check "
            f"{rec['check_s']:.2f}) | **{ratio:.0f}×** | ≤ {GOAL_CHECK_RATIO:g}× "
            f"| {_met(ratio <= GOAL_CHECK_RATIO)} |"
        )
        peak = rec.get("peak_mb", math.nan) * 2**20
        add(
            f"| … peak memory of that process (frame loaded) | | {peak / 1e9:.2f} GB | "
            f"| ≤ {GOAL_CHECK_BYTES / 1e9:g} GB | {_met(peak <= GOAL_CHECK_BYTES)} |"
        )
        cli = rec.get("cli_check_s", math.nan)
        cli_peak = rec.get("cli_check_peak_mb", math.nan) * 2**20
        add(
            f"| `targets check` of the saved 1M × 3M frame, the whole process (read, "
            f"validate, series, reconcile, check, write) | the same `merge_asof` | "
            f"{cli:.1f} s, {cli_peak / 1e9:.2f} GB peak | **{cli / floor:.0f}×** "
            f"| ≤ {GOAL_CHECK_RATIO:g}×, ≤ {GOAL_CHECK_BYTES / 1e9:g} GB "
            f"| {_met(cli / floor <= GOAL_CHECK_RATIO and cli_peak <= GOAL_CHECK_BYTES)} |"
        )
    else:
        add(f"| reconcile + check, 1M × 3M | | {_md(str(rec))} | | | |")
    if isinstance(dist, dict):
        speedup = dist["one_s"] / dist["seconds"]
        add(
            f"| `targets.dask` on a `dask.distributed` `LocalCluster` (2 worker processes, 1 "
            f"thread each, 32 partitions) over the {mb:.1f} MB corpus | one process "
            f"(`extract` + one frame): {dist['one_s']:.2f} s, {int(dist['one_records']):,} "
            f"records | {dist['seconds']:.2f} s (+ {dist['startup_s']:.1f} s to start the "
            f"cluster), {int(dist['records']):,} records, {int(dist['errors'])} errors "
            f"| {speedup:.2f}× speed-up | the same records "
            f"| {_met(bool(dist['same']))} |"
        )
    else:
        add(f"| `targets.dask` on a `LocalCluster` | | {_md(dist)} | | | |")
    rep = report.run
    if rep.ok:
        fits = rep.seconds <= GOAL_REPORT_S and rep.peak_mb * 2**20 <= GOAL_REPORT_BYTES
        add(
            f"| `targets report` of {report.records:,} records (the synthetic corpus, from "
            f"Parquet): page, Markdown, workbook and frames | — | {rep.seconds:.1f} s, "
            f"{rep.peak_mb * 2**20 / 1e9:.2f} GB peak; page {report.page_bytes / 1e6:.1f} MB, "
            f"workbook {report.workbook_bytes / 1e6:.1f} MB | | ≤ {GOAL_REPORT_S:g} s, "
            f"≤ {GOAL_REPORT_BYTES / 1e9:g} GB | {_met(fits)} |"
        )
    else:
        add(f"| `targets report` of the synthetic records | | failed: {_md(rep.note)} | | | |")
    add("")
    if run.ok:
        per_doc = run.cpu_seconds / real.documents
        mb_cpu = mb / run.cpu_seconds
        national_mb = NATIONAL_DOCUMENTS * NATIONAL_KB / 1e3
        add(
            f"Per document, the whole command took {per_doc * 1e3:.0f} ms of CPU "
            f"({mb_cpu:.2f} MB per CPU second, start-up included). A national corpus of "
            f"{NATIONAL_DOCUMENTS:,} documents (3,000 county bodies × 10 years × 4 reports, "
            f"≈ {NATIONAL_KB} KB each, {national_mb / 1e3:.1f} GB) is ≈ "
            f"{national_mb / mb_cpu / 3600:.1f} core-hours at that rate: "
            f"about {national_mb / mb_cpu / 3600 / 32 * 60:.0f} min on 32 cores "
            "(see `docs/scaling.md`)."
        )
        add("")


def _md(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _verdict(points: list[Point]) -> tuple[bool, str]:
    measured = [p for p in points if p.seconds is not None]
    if len(measured) < len(points):
        if len(measured) >= 2:
            k = _exponent(measured[-2], measured[-1])
            return False, f"k = {k:.2f}; larger sizes not finished"
        return False, "larger sizes not finished"
    if len(measured) < 2:
        return True, "one size only"
    k = _exponent(measured[-2], measured[-1])
    return k <= 1.25, f"k = {k:.2f}"


# --- main -------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a small run, to check the script")
    parser.add_argument("--documents", type=int, default=None, help="synthetic documents")
    parser.add_argument("--limit", type=float, default=120.0, help="seconds per pathological run")
    parser.add_argument("--output", default=None, help="markdown file to write")
    args = parser.parse_args(argv)
    documents = args.documents or (100 if args.quick else 2000)
    sizes = (10_000, 100_000) if args.quick else (10_000, 100_000, 1_000_000)
    output = Path(
        args.output or (ROOT / ("out/benchmarks-quick.md" if args.quick else "docs/benchmarks.md"))
    )
    given = argv if argv is not None else sys.argv[1:]
    command = " ".join(["python benchmarks/run.py", *given])
    started = time.perf_counter()
    info = machine()
    log(f"machine: {info}")
    startup = bench_startup()
    corpus = corpus_module.build(documents)
    with tempfile.TemporaryDirectory(prefix="targets-bench-") as tmp:
        work = Path(tmp)
        paths = corpus.write(work / "corpus")
        tp = bench_throughput(corpus, paths, work)
        runs = bench_jobs(work / "corpus", work)
        log("issue 17: targets report of the synthetic corpus's records (about 100,000)")
        report = scale.bench_report(work / "corpus", work)
        log(f"  {report}")
    with tempfile.TemporaryDirectory(prefix="targets-scale-") as tmp:
        log("issue 17: targets extract on the real reports x5, against the regex floor")
        real = scale.bench_extract(Path(tmp))
        log(f"  {real}")
        log("issue 17: targets.dask on a LocalCluster of two worker processes")
        dist = scale.bench_distributed(Path(tmp))
        log(f"  {dist}")
    patho = bench_pathological(sizes, args.limit)
    reconcile: dict[str, float] | str = (
        "not run (`--quick`)" if args.quick else bench_reconcile(timeout=900)
    )
    end = machine()
    info["load"] = f"{info.get('load', '?')} at the start, {end.get('load', '?')} at the end"
    if end["commit"] != info["commit"]:
        info["commit"] += f"; **changed during the run, to {end['commit']}: rerun `make bench`**"
    page = render(
        info,
        startup,
        tp,
        runs,
        patho,
        reconcile,
        time.perf_counter() - started,
        command,
        real=real,
        dist=dist,
        report=report,
    )
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(page, encoding="utf-8")
    log(f"wrote {output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
