"""Issue 17: whole commands at scale, each against a floor measured in the same run.

1. ``targets extract`` as a whole process (start-up, extraction, the records frame, the CSV
   file) on the 63 real reports of ``data/`` (``reports/``, ``provincial-2026/``, ``found/``)
   copied five times into a temporary folder (16 MB); the floor is the best of five passes of
   the compiled number+unit regex (``mention_regex()``) over the same text, in this process.
   Copy *k* (k ≥ 1) ends in *k* extra line breaks and its files are named ``NAME.copyK.txt``
   (its manifests say so): ``targets extract`` does not read again a file whose bytes it has
   read, and ``targets.dask`` names documents by file name. The copies still read as the same
   reports (same figures and sentences), so the CSV holds the 63 reports once and a note
   names the copies; every byte is read and extracted.
2. ``targets check`` as a whole process on the saved 1M x 3M frame of ``bench_reconcile.py``,
   with its peak memory (VmHWM); that script measures the floor (a bare ``merge_asof``).
3. ``targets.dask`` on a ``dask.distributed`` ``LocalCluster`` (processes, two workers, one
   thread each) over the same 16 MB corpus, against one process.

Each runs in its own process; :func:`run_child` reports wall time, CPU time and peak memory.
"""

from __future__ import annotations

import csv
import json
import os
import re
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
REAL = tuple(ROOT / "data" / name for name in ("reports", "provincial-2026", "found"))
COPIES = 5

# the child prints its own CPU time and VmHWM after the command (ru_maxrss would be the
# parent's size at the fork; VmHWM belongs to the child's own image)
_RUNNER = """
import json, os, sys, time
from targets.cli import main
code = main(sys.argv[1:])
status = open("/proc/self/status", encoding="ascii").read()
hwm = int(status.split("VmHWM:")[1].split()[0]) / 1024
t = os.times()
print(json.dumps({"code": code, "peak_mb": hwm, "cpu_s": t.user + t.system}), file=sys.stderr)
"""


@dataclass
class Child:
    seconds: float
    cpu_seconds: float
    peak_mb: float
    ok: bool
    note: str = ""


def run_child(argv: list[str], timeout: float = 1800) -> Child:
    """``targets ARGV`` in a fresh interpreter: wall time, CPU time and peak memory."""
    start = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-c", _RUNNER, *argv],
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    seconds = time.perf_counter() - start
    lines = result.stderr.strip().splitlines()
    try:
        facts = json.loads(lines[-1])
    except (IndexError, json.JSONDecodeError):
        return Child(seconds, float("nan"), float("nan"), False, result.stderr[-300:])
    ok = result.returncode == 0 and facts["code"] == 0
    note = "" if ok else result.stderr[-300:]
    return Child(seconds, facts["cpu_s"], facts["peak_mb"], ok, note)


def real_corpus(folder: Path, copies: int = COPIES) -> tuple[list[Path], int]:
    """The real reports ``copies`` times under ``folder`` (one sub-folder per copy and source
    folder, manifests included); returns the report folders and the bytes of the reports."""
    folders = []
    nbytes = 0
    for k in range(copies):

        def name(file: str, k: int = k) -> str:
            return file if k == 0 else file.removesuffix(".txt") + f".copy{k}.txt"

        for source in REAL:
            target = folder / f"copy{k}" / source.name
            target.mkdir(parents=True)
            for path in sorted(source.iterdir()):
                if path.name == "MANIFEST.csv":
                    with path.open(encoding="utf-8-sig", newline="") as src:
                        rows = list(csv.DictReader(src))
                    with (target / path.name).open("w", encoding="utf-8", newline="") as dst:
                        writer = csv.DictWriter(dst, fieldnames=list(rows[0]))
                        writer.writeheader()
                        writer.writerows({**row, "file": name(row["file"])} for row in rows)
                elif path.suffix == ".txt":
                    data = path.read_bytes() + b"\n" * k
                    (target / name(path.name)).write_bytes(data)
                    nbytes += len(data)
            folders.append(target)
    return folders, nbytes


def regex_floor(folders: list[Path], passes: int = 5) -> tuple[float, int]:
    """Best of ``passes`` passes of ``mention_regex()`` over the text of every report."""
    from targets.extract.patterns import mention_regex
    from targets.readers import read_text

    regex: re.Pattern[str] = mention_regex()
    texts = [read_text(p) for folder in folders for p in sorted(folder.glob("*.txt"))]
    best = float("inf")
    matches = 0
    for _ in range(passes):
        start = time.perf_counter()
        matches = sum(1 for text in texts for _ in regex.finditer(text))
        best = min(best, time.perf_counter() - start)
    return best, matches


@dataclass
class Extract:
    documents: int
    nbytes: int
    floor_seconds: float
    floor_matches: int
    run: Child
    records: int


def bench_extract(work: Path) -> Extract:
    folders, nbytes = real_corpus(work / "real")
    documents = sum(1 for folder in folders for _ in folder.glob("*.txt"))
    floor, matches = regex_floor(folders)
    out = work / "real.csv"
    run = run_child(["extract", *map(str, folders), "-o", str(out), "-q"])
    records = 0
    if out.exists():
        with out.open(encoding="utf-8", newline="") as lines:
            records = sum(1 for _ in csv.reader(lines)) - 1
    return Extract(documents, nbytes, floor, matches, run, records)


@dataclass
class Report:
    records: int
    run: Child
    page_bytes: int
    workbook_bytes: int


def bench_report(corpus: Path, work: Path) -> Report:
    """``targets report`` of the records frame of ``corpus`` (the synthetic documents, about
    100,000 records), read from Parquet: the whole process, its peak and the page's size."""
    frame = work / "report-records.parquet"
    extracted = run_child(["extract", str(corpus), "-o", str(frame), "-q"])
    if not extracted.ok:
        return Report(0, extracted, 0, 0)
    import pyarrow.parquet as pq

    records = pq.read_metadata(frame).num_rows
    out = work / "report-out"
    run = run_child(["report", str(frame), "-o", str(out), "-q"])
    page = out / "report.html"
    book = out / "targets.xlsx"
    return Report(
        records,
        run,
        page.stat().st_size if page.exists() else 0,
        book.stat().st_size if book.exists() else 0,
    )


_DISTRIBUTED = """
import json, sys, time
from pathlib import Path
import distributed
import targets
from targets.dask import extract_frames
from targets.frames import record_rows, rows_frame
paths = [Path(p) for p in json.loads(sys.argv[1])]
t = time.perf_counter()
one = rows_frame([row for p in paths for row in record_rows(targets.extract(p))])
one_s = time.perf_counter() - t
t = time.perf_counter()
with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                              dashboard_address=None, silence_logs=True) as cluster, \\
        distributed.Client(cluster) as client:
    up_s = time.perf_counter() - t
    # each worker loads the library and its tables before the clock starts
    client.run(lambda: len(__import__("targets").extract_text("2025年工作计划\\n研发投入达到3%。")))
    t = time.perf_counter()
    result = extract_frames(paths, npartitions=32)
    run_s = time.perf_counter() - t
try:
    import pandas as pd
    pd.testing.assert_frame_equal(one, result.records)
    same = True
except AssertionError:
    same = False
print(json.dumps({"one_s": one_s, "startup_s": up_s, "seconds": run_s,
                  "records": len(result.records), "errors": len(result.errors),
                  "one_records": len(one), "same": same}))
"""


def bench_distributed(work: Path) -> dict[str, float] | str:
    """The 16 MB corpus through ``targets.dask`` on a two-worker LocalCluster, and through one
    process (``extract`` of every path, one frame), or why it was not run."""
    try:
        import distributed  # noqa: F401 - only whether it is installed
    except ImportError:
        return "not run: dask.distributed is not installed (`pip install targets[dask]`)"
    folders = sorted((work / "real").glob("copy*/*"))
    paths = [str(p) for folder in folders for p in sorted(folder.glob("*.txt"))]
    result = subprocess.run(
        [sys.executable, "-c", _DISTRIBUTED, json.dumps(paths)],
        capture_output=True,
        text=True,
        timeout=1800,
        check=False,
        env={**os.environ, "PYTHONWARNINGS": "ignore"},
    )
    if result.returncode != 0:
        return f"failed (exit {result.returncode}): {result.stderr.strip()[-300:]}"
    facts: dict[str, float] = json.loads(result.stdout.strip().splitlines()[-1])
    return facts
