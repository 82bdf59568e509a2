"""The ``targets`` command line.

Exit codes: 0 success; 1 findings at or above ``--fail-on`` (``check``); 2 usage or input error
(a bad file in a multi-file run is reported, skipped, and makes the exit code 2 while the other
files are still processed). Errors print as one line; ``--debug`` shows the traceback.
Heavy modules are imported inside the commands so that ``targets --help`` stays fast.
"""

from __future__ import annotations

import argparse
import sys
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = ["main"]

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_INPUT = 2
EXIT_BROKEN_PIPE = 141  # as a shell reports a writer stopped by SIGPIPE (`targets ... -o - | head`)

_EPILOG = """examples:
  targets extract data/reports --output out/records.csv
  targets reconcile data/reports --output out/reconciled.csv
  targets check data/reports --output out/findings.csv --fail-on error
  targets report data/reports --output out/
"""


class _Problems:
    """Collects per-file errors of a multi-file run.

    With ``--partial`` each is printed as it happens (``skipped …``) and the run goes on to
    write what was read; without it they are printed at the end, before the run stops
    without writing (one line when there is one)."""

    def __init__(self, args: argparse.Namespace) -> None:
        self.messages: list[str] = []
        self.partial = bool(getattr(args, "partial", False))

    @property
    def count(self) -> int:
        return len(self.messages)

    def report(self, path: Path | str, error: BaseException) -> None:
        message = str(error)
        if str(path) not in message:
            message = f"{path}: {message}"
        self.messages.append(message)
        if self.partial:
            print(f"targets: skipped {message}", file=sys.stderr)


@dataclass(frozen=True, slots=True)
class _Input:
    """A report file to read and the document id its records carry."""

    path: Path
    doc: str


def _note(message: str, quiet: bool) -> None:
    if not quiet:
        print(f"targets: note: {message}", file=sys.stderr)


def _expand(paths: Sequence[str], problems: _Problems, quiet: bool = False) -> list[_Input]:
    """The report files of ``paths`` (folders listed, not recursed), each once.

    A folder's files that are not reports are listed in one note with the reason; a missing
    path is a problem. Identical content is read once (a note names both paths). Documents
    are named by their path relative to the folder common to all of them, so that two
    ``report.txt`` in different folders stay two documents.
    """
    import hashlib

    from targets.extract.document import MANIFEST_NAMES, read_manifest
    from targets.readers import refusal, report_format

    files: list[Path] = []
    for raw in paths:
        path = Path(raw)
        folder = path if path.is_dir() else path.parent
        for name in MANIFEST_NAMES:  # a bad manifest stops the run with its row
            if (folder / name).is_file():
                read_manifest(folder / name)
                break
        if path.is_dir():
            entries = sorted(p for p in path.iterdir() if p.is_file())
            found = [p for p in entries if report_format(p)]
            skipped = [p for p in entries if not report_format(p) and p.name not in MANIFEST_NAMES]
            skipped = [p for p in skipped if not p.name.startswith(".")]
            if skipped:
                reasons = "; ".join(f"{p.name} ({refusal(p)})" for p in skipped[:5])
                more = f"; and {len(skipped) - 5} more" if len(skipped) > 5 else ""
                _note(f"{path}: skipped {len(skipped)} files: {reasons}{more}", quiet)
            if not found:
                problems.report(path, ValueError("folder holds no reports (.txt .html .docx .pdf)"))
            files.extend(found)
        else:
            files.append(path)
    unique: list[Path] = []
    seen_paths: set[Path] = set()
    seen_content: dict[str, Path] = {}
    for path in files:
        resolved = path.resolve()
        if resolved in seen_paths:  # the same file twice (a folder and a file in it)
            _note(f"{path} is given twice: read once", quiet)
            continue
        seen_paths.add(resolved)
        if path.is_file():
            try:
                digest = hashlib.sha256(path.read_bytes()).hexdigest()
            except OSError:
                digest = ""
            if digest and digest in seen_content:
                _note(f"{path} has the same content as {seen_content[digest]}: read once", quiet)
                continue
            if digest:
                seen_content[digest] = path
        unique.append(path)
    return [_Input(path, doc) for path, doc in zip(unique, _doc_ids(unique), strict=True)]


def _doc_ids(paths: list[Path]) -> list[str]:
    """Each path relative to the folder all of them share (the bare name for one folder)."""
    import os

    folders = [str(p.resolve().parent) for p in paths if p.is_file()]
    if not folders:
        return [p.name for p in paths]
    try:
        root = Path(os.path.commonpath(folders))
    except ValueError:  # different drives
        return [str(p) for p in paths]
    # a path that is not a file fails when read; its id is never used
    return [p.resolve().relative_to(root).as_posix() if p.is_file() else p.name for p in paths]


def _extract_one(item: _Input, region: str | None = None, year: int | None = None) -> Any:
    """The rows of the records frame of one report (plain tuples, not records: they pickle
    without pint). The frame of all reports is built and validated once, from all rows."""
    from targets.extract import extract
    from targets.frames import record_rows

    return record_rows(extract(item.path, region=region, year=year, doc=item.doc))


def _preload() -> None:
    """Load the data tables and the libraries extraction uses before worker processes are
    forked, so that each worker starts with them (paid once, not once per worker)."""
    from targets.catalogue import catalogue
    from targets.extract.cues import cue_words
    from targets.extract.patterns import mention_regex
    from targets.frames import record_rows  # noqa: F401 - pandas, pandera and pint with it
    from targets.regions import gazetteer

    catalogue()
    cue_words()
    mention_regex()
    gazetteer()


def _progress(items: list[_Input], quiet: bool) -> Any:
    if quiet or not sys.stderr.isatty() or len(items) < 2:
        return items
    return _Bar(items)


class _Bar:
    """A minimal progress line on stderr (only on a terminal)."""

    def __init__(self, items: list[_Input]) -> None:
        self.items = items

    def __iter__(self) -> Any:
        total = len(self.items)
        for i, item in enumerate(self.items, start=1):
            sys.stderr.write(f"\r[{i}/{total}] {item.doc[-50:]:<50}")
            sys.stderr.flush()
            yield item
        sys.stderr.write("\r" + " " * 60 + "\r")


_FRAME_SUFFIXES = {".csv", ".parquet", ".jsonl", ".json", ".xlsx"}
"""Tables, not reports: saved frames, or observations from outside the reports."""


def _table(raw: str) -> Any:
    """A saved records frame, or a table of observations (a yearbook's figures) as records."""
    from targets.io import looks_like_frame, read_frame, read_observations

    suffix = Path(raw).suffix.lower()
    if suffix == ".xlsx" or (suffix == ".csv" and not looks_like_frame(raw)):
        return read_observations(raw)
    return read_frame(raw)


def _records_frame(args: argparse.Namespace, problems: _Problems) -> Any:
    """The records frame of the inputs: reports are extracted, saved frames are read, tables
    of observations become actuals. A malformed table stops the run with its message."""
    from targets.frames import to_frame

    frame_paths = [p for p in args.paths if Path(p).suffix.lower() in _FRAME_SUFFIXES]
    report_args = argparse.Namespace(**vars(args))
    report_args.paths = [p for p in args.paths if p not in frame_paths]
    frames = [_table(raw) for raw in frame_paths]
    if report_args.paths:
        frames.append(_records(report_args, problems))
    if not frames:
        return to_frame([])
    if len(frames) == 1:
        return frames[0]
    from targets.schemas import RecordFrame, concat, validate

    joined = _once(concat(frames), args.quiet)
    return validate(joined, RecordFrame, what="records frame", compact=True)


def _once(frame: Any, quiet: bool) -> Any:
    """``frame`` with each record once: the same report given as a saved frame and as a file
    (or two saved frames of it) is counted once, with a note; two different versions of one
    record (an edited copy beside its source) are an input error naming it."""
    from targets.errors import SchemaError

    text = frame.astype(str)
    repeated = text.duplicated(keep=False)
    kept = text[~text.duplicated()]
    one_record = ["record_id", "kind", "indicator", "indicator_text"]
    clash = kept[kept.duplicated(subset=one_record)]
    if len(clash):
        raise SchemaError(
            f"record {clash['record_id'].iloc[0]} is given twice with different content (two "
            "inputs hold different versions of one report: give one of them)"
        )
    if not repeated.any():
        return frame
    docs = sorted(set(text.loc[repeated, "doc"]))
    shown = ", ".join(docs[:3]) + (f" and {len(docs) - 3} more" if len(docs) > 3 else "")
    _note(f"the records of {shown} are given twice: counted once", quiet)
    return frame[~text.duplicated()].reset_index(drop=True)


def _records(args: argparse.Namespace, problems: _Problems) -> Any:
    """The records frame of the report files in ``args.paths`` (bad files reported, skipped)."""
    from targets.errors import TargetsError
    from targets.frames import rows_frame

    files = _expand(args.paths, problems, args.quiet)
    frames: list[Any] = []  # the rows of each report

    def failed(path: Path, exc: Exception) -> None:
        if isinstance(exc, TargetsError | OSError | ValueError):
            problems.report(path, exc)
            return
        if args.debug:
            raise exc
        # one file's bug must not sink the batch: report it and go on
        problems.report(
            path,
            RuntimeError(
                f"internal error {type(exc).__name__}: {exc} (a bug: rerun with --debug and "
                "report it)"
            ),
        )

    jobs = getattr(args, "jobs", 1) or 1
    if jobs > 1 and len(files) > 1:
        from concurrent.futures import ProcessPoolExecutor

        _preload()
        with ProcessPoolExecutor(max_workers=jobs) as pool:
            futures = [
                (item, pool.submit(_extract_one, item, args.region, args.year)) for item in files
            ]
            for item, future in futures:
                try:
                    frames.append(future.result())
                except Exception as exc:  # reported per file by failed()
                    failed(item.path, exc)
    else:
        for item in _progress(files, args.quiet):
            try:
                frames.append(_extract_one(item, args.region, args.year))
            except Exception as exc:  # reported per file by failed()
                failed(item.path, exc)
    reports = _one_per_report([rows for rows in frames if rows], args.quiet)
    # one frame of all reports, validated once
    return rows_frame([row for rows in reports for row in rows])


_SAME_REPORT = ["region", "issuer", "kind", "indicator_text", "value", "unit", "year", "quote"]
"""What two files of one report (its .txt and its .docx, say) have in common: its place and
issuer, and every figure with its sentence, whatever the file's name and the offsets of its
text (two places' reports in the same words are two reports)."""


def _one_per_report(reports: list[Any], quiet: bool) -> list[Any]:
    """``reports`` (the rows of each file) less the files that read as a report already
    read: the same report in another format or under another name is counted once, with a
    note."""
    from targets.frames import COLUMNS

    at = [COLUMNS.index(name) for name in _SAME_REPORT]
    value = COLUMNS.index("value")
    doc_at = COLUMNS.index("doc")
    seen: dict[tuple[Any, ...], str] = {}
    kept = []
    for rows in reports:
        # the multiset of (region, issuer, kind, words, value, unit, year, quote); repr keeps
        # -0.0 apart
        key = tuple(
            sorted(tuple(repr(row[i]) if i == value else row[i] for i in at) for row in rows)
        )
        doc = str(rows[0][doc_at])
        if key in seen:
            _note(f"{doc} reads as the same report as {seen[key]}: counted once", quiet)
            continue
        seen[key] = doc
        kept.append(rows)
    return kept


def _check_output(args: argparse.Namespace) -> None:
    """Refuse a bad output path or format before any work is done."""
    from targets.io import check_output, format_of

    path = Path(args.output)
    format_of(path, args.format)
    check_output(path)


def _written_only_if_complete(args: argparse.Namespace, problems: _Problems) -> None:
    """Nothing is written when an input could not be read, unless ``--partial`` asks for it:
    a mistyped path must not replace yesterday's output with an empty or partial one."""
    from targets.errors import TargetsError

    if not problems.count or problems.partial:
        return
    if problems.count == 1:
        raise TargetsError(f"{problems.messages[0]} (nothing written)")
    for message in problems.messages:
        print(f"targets: {message}", file=sys.stderr)
    raise TargetsError(
        f"nothing written: {problems.count} inputs could not be read (above); fix them, or "
        "pass --partial to write what was read"
    )


def _cmd_extract(args: argparse.Namespace) -> int:
    from targets.errors import FileError
    from targets.io import write_frame

    _check_output(args)
    for raw in args.paths:
        if Path(raw).suffix.lower() in _FRAME_SUFFIXES:
            raise FileError(
                "is a table (a saved frame or observations), not a report: extract reads "
                "reports (.txt .html .docx .pdf); give tables to reconcile, check or report",
                path=raw,
            )
    problems = _Problems(args)
    frame = _records(args, problems)
    _written_only_if_complete(args, problems)
    out = write_frame(frame, args.output, args.format)
    if not args.quiet:
        print(
            f"wrote {len(frame)} records ({_tally(frame['kind'])}) to {out}",
            file=_summary_stream(args),
        )
    return EXIT_INPUT if problems.count else EXIT_OK


def _summary_stream(args: argparse.Namespace) -> Any:
    """Where the closing summary goes: stderr when the output itself goes to stdout (``-o -``)."""
    return sys.stderr if str(getattr(args, "output", "")) == "-" else sys.stdout


def _tally(column: Any) -> str:
    """``actual 44, target 10``: how often each value occurs (``none`` for no rows)."""
    counts = column.value_counts().to_dict()
    return ", ".join(f"{k} {v}" for k, v in sorted(counts.items())) or "none"


def _cmd_reconcile(args: argparse.Namespace) -> int:
    from targets.io import write_frame
    from targets.reconcile import reconcile

    _check_output(args)
    problems = _Problems(args)
    records = _records_frame(args, problems)
    _written_only_if_complete(args, problems)
    result = reconcile(records, validate=False)  # validated when read: once per command
    out = write_frame(result, args.output, args.format)
    if not args.quiet:
        print(
            f"reconciled {len(result)} targets ({_tally(result['outcome'])}) to {out}",
            file=_summary_stream(args),
        )
    return EXIT_INPUT if problems.count else EXIT_OK


_SEVERITY_RANK = {"info": 0, "warning": 1, "error": 2}


def _cmd_check(args: argparse.Namespace) -> int:
    from targets.checks import check
    from targets.io import write_frame

    _check_output(args)
    problems = _Problems(args)
    records = _records_frame(args, problems)
    _written_only_if_complete(args, problems)
    findings = check(records, validate=False)  # validated when read: once per command
    if args.lang != "both":
        findings = findings.assign(message=findings[f"message_{args.lang}"])
    out = write_frame(findings, args.output, args.format)
    if not args.quiet:
        print(
            f"wrote {len(findings)} findings ({_tally(findings['severity'])}) to {out}",
            file=_summary_stream(args),
        )
    if problems.count:
        return EXIT_INPUT
    if args.fail_on:
        worst = findings["severity"].astype(str).map(_SEVERITY_RANK).max() if len(findings) else -1
        if worst >= _SEVERITY_RANK[args.fail_on]:
            return EXIT_FINDINGS
    return EXIT_OK


def _cmd_report(args: argparse.Namespace) -> int:
    from targets.checks import check
    from targets.errors import FileError
    from targets.io import write_files
    from targets.reconcile import reconcile
    from targets.report import report_files
    from targets.series import series

    if str(args.output) == "-":
        raise FileError("report writes a folder of files; give a folder, not - (stdout)", path="-")
    if Path(args.output).exists() and not Path(args.output).is_dir():
        raise FileError("is a file; report writes a folder of files", path=args.output)
    problems = _Problems(args)
    records = _records_frame(args, problems)
    _written_only_if_complete(args, problems)
    points = series(records)  # built once, read by reconcile, check and the report
    reconciled = reconcile(records, series=points, validate=False)
    findings = check(records, reconciled, series=points, validate=False)
    out_dir = Path(args.output)
    fmt = args.format or "csv"
    files = report_files(
        records,
        reconciled,
        findings,
        out_dir,
        lang="en" if args.lang == "en" else "zh",
        series=points,
        validate=False,  # validated as they were made
    )
    writes = dict(files.values())
    for name, frame in (("records", records), ("reconciled", reconciled), ("findings", findings)):
        writes[out_dir / f"{name}.{fmt}"] = _frame_writer(frame, fmt)
    # the pages, the workbook and the frames replace the previous set together, or not at all
    written = write_files(writes)
    if not args.quiet:
        flagged = findings["record_id"].nunique() if len(findings) else 0
        print(
            f"{len(records)} records ({_tally(records['kind'])}),"
            f" {len(reconciled)} targets reconciled, {len(findings)} findings on {flagged} "
            f"records"
        )
        for path in written:
            print(f"  wrote {path}")
    return EXIT_INPUT if problems.count else EXIT_OK


def _frame_writer(frame: Any, fmt: str) -> Callable[[Path], object]:
    from targets.io import write_frame

    return lambda path: write_frame(frame, path, fmt)


def _cmd_indicators(args: argparse.Namespace) -> int:
    from targets.io import write_frame
    from targets.series import unresolved

    if args.output:
        _check_output(args)
    else:
        args.partial = True  # a table on the screen replaces nothing: show what was read
    problems = _Problems(args)
    records = _records_frame(args, problems)
    table = unresolved(records)
    if args.output:
        _written_only_if_complete(args, problems)
        out = write_frame(table, args.output, args.format)
        if not args.quiet:
            print(
                f"wrote {len(table)} indicator wordings outside the catalogue to {out}",
                file=_summary_stream(args),
            )
    else:
        shown = table.head(args.top)
        print(f"{len(table)} indicator wordings outside the catalogue, most frequent first")
        print("records  targets  documents  key  |  example (document)")
        for row in shown.itertuples(index=False):
            print(
                f"{row.records:7d}  {row.targets:7d}  {row.documents:9d}  {row.key}  |  "
                f"{row.quote} ({row.doc})"
            )
        if len(table) > len(shown):
            print(f"... {len(table) - len(shown)} more (--top N, or --output FILE for all)")
    return EXIT_INPUT if problems.count else EXIT_OK


def _indicators_args(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--top", type=int, default=50, help="rows to print without --output (default: 50)"
    )


def _report_args(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--lang",
        choices=("zh", "en", "both"),
        default="zh",
        help="language of the report's labels (default: zh)",
    )


def _check_args(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--fail-on",
        choices=("error", "warning", "info"),
        help="exit 1 when a finding of this severity or worse exists",
    )
    p.add_argument(
        "--lang",
        choices=("zh", "en", "both"),
        default="both",
        help="language of the message column (default: both)",
    )


def _plan_year(text: str) -> int:
    """A plan year from the command line (argparse prints the message on one line)."""
    if not text.isdigit() or not 1949 <= int(text) <= 2100:
        raise argparse.ArgumentTypeError(f"{text!r} is not a year between 1949 and 2100")
    return int(text)


def _parser() -> argparse.ArgumentParser:
    from targets import __version__

    parser = argparse.ArgumentParser(
        prog="targets",
        description="Plan targets and reported results of Chinese work reports as typed data.",
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"targets {__version__}")
    parser.add_argument("--debug", action="store_true", help="show tracebacks on errors")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    def common(p: argparse.ArgumentParser, output_required: bool = True) -> None:
        p.add_argument(
            "paths",
            nargs="+",
            metavar="PATH",
            help="report files (.txt .html .docx .pdf), folders of them, saved records "
            "frames (.csv/.parquet/.jsonl from `targets extract`), or tables of observations "
            "(.csv/.xlsx: region, indicator, year, value, unit, source; see the README)",
        )
        p.add_argument(
            "--output",
            "-o",
            required=output_required,
            help="output file" if output_required else "output file (default: print a table)",
        )
        p.add_argument(
            "--format",
            choices=("csv", "jsonl", "parquet"),
            help="output format (default: from the file suffix, else csv)",
        )
        p.add_argument("--quiet", "-q", action="store_true", help="no progress or summary")
        p.add_argument(
            "--partial",
            action="store_true",
            help="write what could be read when some inputs cannot be (default: write nothing)",
        )
        p.add_argument("--jobs", "-j", type=int, default=1, help="worker processes")
        p.add_argument(
            "--region",
            help="the place every given report belongs to (呼伦贝尔市海拉尔区, 全国), over what "
            "a MANIFEST.csv or the text says",
        )
        p.add_argument(
            "--year",
            type=_plan_year,
            help="the year the given reports plan for (2019 for the 2019 report), over what "
            "a MANIFEST.csv or the headings say",
        )
        p.add_argument("--debug", action="store_true", help="show tracebacks on errors")

    p = sub.add_parser(
        "extract",
        help="extract targets and actuals, one row per record",
        description="Extract every target, actual and forecast with its evidence.\n"
        "example: targets extract data/reports --output out/records.csv",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    common(p)
    p.set_defaults(func=_cmd_extract)
    for name, (help_text, func) in _COMMANDS.items():
        q = sub.add_parser(
            name,
            help=help_text,
            description=help_text,
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        common(q, output_required=name not in _OPTIONAL_OUTPUT)
        extra = _EXTRA_ARGS.get(name)
        if extra is not None:
            extra(q)
        q.set_defaults(func=func)
    return parser


_COMMANDS: dict[str, tuple[str, Callable[[argparse.Namespace], int]]] = {
    "reconcile": (
        "one row per target: baseline, outcome, ambition, trajectory\n"
        "example: targets reconcile data/reports --output out/reconciled.csv",
        _cmd_reconcile,
    ),
    "check": (
        "findings: targets and figures that do not add up (exit 0 unless --fail-on)\n"
        "example: targets check data/reports --output out/findings.csv --fail-on error",
        _cmd_check,
    ),
    "report": (
        "report.html, report.md and targets.xlsx (plus the frames) in the output folder\n"
        "example: targets report data/reports --output out/",
        _cmd_report,
    ),
    "indicators": (
        "indicator wordings outside the catalogue, by frequency, with an example quote each\n"
        "(where the catalogue grows from; see the README)\n"
        "example: targets indicators data/provincial-2026 --top 30",
        _cmd_indicators,
    ),
}
_EXTRA_ARGS: dict[str, Callable[[argparse.ArgumentParser], None]] = {
    "check": _check_args,
    "report": _report_args,
    "indicators": _indicators_args,
}
_OPTIONAL_OUTPUT = frozenset({"indicators"})


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return int(exc.code or 0)
    if not getattr(args, "func", None):
        parser.print_help()
        return EXIT_INPUT
    try:
        return int(args.func(args))
    except KeyboardInterrupt:
        print("targets: interrupted", file=sys.stderr)
        return EXIT_INPUT
    except BrokenPipeError:  # `-o - | head`: the reader has what it wanted, as with any tool
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_BROKEN_PIPE
    except Exception as exc:
        from targets.errors import TargetsError

        if args.debug:
            traceback.print_exc()
        elif not isinstance(exc, TargetsError | OSError | ValueError):
            print(
                f"targets: internal error: {type(exc).__name__}: {exc} (rerun with --debug)",
                file=sys.stderr,
            )
            return EXIT_INPUT
        print(f"targets: {exc}", file=sys.stderr)
        return EXIT_INPUT


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
