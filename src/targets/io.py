"""Frames on disk: CSV, JSON lines and Parquet files, written atomically and read back.

:func:`write_frame` writes any frame ``targets`` produces; :func:`read_frame` reads it back and
validates it against its pandera model.
"""

from __future__ import annotations

import codecs
import csv
import json
import math
import os
import re
import stat
import sys
import tempfile
import zipfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from io import BytesIO
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, TextIO, TypeVar, overload

import numpy as np
import pandas as pd

from targets.catalogue import catalogue
from targets.errors import DependencyError, FileError, SchemaError, UnitError
from targets.frames import fill_strings, string_columns
from targets.models import Indicator, Measure
from targets.normalize import to_halfwidth
from targets.schemas import RecordFrame, describe_failure, validate
from targets.units import REL_TOL, to_base_value, unit_info

if TYPE_CHECKING:
    import pandera.pandas as pa
    from pandera.typing.pandas import DataFrame

    Model = TypeVar("Model", bound=pa.DataFrameModel)

__all__ = [
    "OBSERVATION_COLUMNS",
    "STDOUT",
    "Format",
    "atomic_write",
    "check_output",
    "decode_text",
    "format_of",
    "looks_like_frame",
    "parse_number",
    "read_frame",
    "read_observations",
    "write_files",
    "write_frame",
]

Format = Literal["csv", "jsonl", "parquet"]


STDOUT = "-"
"""The output path that means standard output (CSV and JSON lines as text, Parquet as bytes)."""
_TMP_MARK = ".targets-tmp-"


def _destination(path: Path) -> tuple[Path, bool]:
    """Where writing ``path`` lands, and whether it is written in place.

    A symlink is followed (the link stays, its target is replaced); a character device or a FIFO
    (``/dev/null``, a named pipe) is written into, never replaced by a plain file.
    """
    real = Path(os.path.realpath(path)) if path.is_symlink() else path
    try:
        mode = real.stat().st_mode
    except OSError:
        return real, False
    return real, stat.S_ISCHR(mode) or stat.S_ISFIFO(mode) or stat.S_ISBLK(mode)


def _temporary(real: Path) -> Path:
    """A new empty temporary file beside ``real``: ``.NAME.targets-tmp-XXXXXXXX``."""
    real.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{real.name}{_TMP_MARK}", dir=real.parent)
    os.close(fd)
    return Path(tmp)


def _mode_for(real: Path) -> int:
    """The permissions a replaced file keeps (a new file: 0666 less the umask)."""
    try:
        return stat.S_IMODE(real.stat().st_mode)
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask  # mkstemp makes 0600; a written file is like any other


def _write_error(path: Path, exc: OSError) -> FileError:
    return FileError(f"cannot write: {exc.strerror or exc}", path=str(path))


def atomic_write(path: Path, write: Callable[[Path], object]) -> Path:
    """Write a file through a temporary file beside it, then rename: never half a file.

    ``write`` is called with the path to write to. The temporary file sits beside the final
    target (a symlink's target, so the link stays) and is removed on any failure, an
    interrupt included. A character device or FIFO (``/dev/null``) is written directly.

    Returns:
        The path written (``path`` itself, not a link's target).

    Raises:
        FileError: the file or its folder cannot be written (the message names it).
    """
    real, in_place = _destination(path)
    if in_place:
        try:
            write(real)
        except OSError as exc:
            raise _write_error(path, exc) from exc
        return path
    try:
        tmp = _temporary(real)
    except OSError as exc:
        raise _write_error(path, exc) from exc
    try:
        write(tmp)
        os.chmod(tmp, _mode_for(real))
        os.replace(tmp, real)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return path


def write_files(writes: Mapping[Path, Callable[[Path], object]]) -> list[Path]:
    """Replace a whole set of files at once (a report's pages and frames): all or none.

    Every file is first written to a temporary file beside its final target; only when all
    writes succeeded are the temporaries renamed into place, one after another. When a write
    fails (or is interrupted) no old file is touched and every temporary is removed. Devices
    and FIFOs are written in place, after all temporaries succeeded and before the renames.
    The renames themselves are not one transaction: a rename that fails after others
    (a target replaced by a folder meanwhile) leaves the earlier ones done.

    Args:
        writes: for each output path, a function that writes that file at the path given.

    Returns:
        The paths written, in the order given.

    Raises:
        FileError: an output is a folder, has a file for a parent, or is named twice (two
            paths that resolve to one file).
    """
    plan: list[tuple[Path, Path, bool, Callable[[Path], object]]] = []
    seen: dict[Path, Path] = {}
    for path, write in writes.items():
        check_output(path)
        real, in_place = _destination(path)
        key = Path(os.path.realpath(real))
        if key in seen:
            raise FileError(f"is written twice (also as {seen[key]})", path=str(path))
        seen[key] = path
        plan.append((path, real, in_place, write))
    staged: list[tuple[Path, Path]] = []
    try:
        for path, real, in_place, write in plan:
            if in_place:
                continue
            try:
                tmp = _temporary(real)
            except OSError as exc:
                raise _write_error(path, exc) from exc
            staged.append((tmp, real))
            write(tmp)
            os.chmod(tmp, _mode_for(real))
        for _, real, in_place, write in plan:
            if in_place:
                write(real)
        while staged:
            tmp, real = staged[0]
            os.replace(tmp, real)
            staged.pop(0)
    except BaseException:
        for tmp, _ in staged:
            tmp.unlink(missing_ok=True)
        raise
    return [path for path, *_ in plan]


def format_of(path: Path, fmt: str | None = None) -> Format:
    """The file format named by ``fmt`` or implied by the file's suffix."""
    name = (fmt or path.suffix.lstrip(".") or "csv").lower()
    name = {"json": "jsonl", "ndjson": "jsonl", "pq": "parquet"}.get(name, name)
    if name not in ("csv", "jsonl", "parquet"):
        raise FileError(f"unknown format {name!r} (use csv, jsonl or parquet)", path=str(path))
    return name  # type: ignore[return-value]


def _jsonable(value: Any) -> Any:
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, pd.Timestamp):
        return value.date().isoformat()
    if isinstance(value, (np.integer,)):
        return int(value)
    if isinstance(value, (np.floating,)):
        return None if math.isnan(value) else float(value)
    if isinstance(value, (np.bool_,)):
        return bool(value)
    if isinstance(value, date):
        return value.isoformat()
    return value


def check_output(path: Path) -> None:
    """Fail early, naming ``path``, when a file cannot be written there.

    Raises:
        FileError: the path is a directory, or a parent is a file.
    """
    if path.is_dir():
        raise FileError("is a directory; give a file name for the output", path=str(path))
    for parent in path.parents:
        if parent.exists():
            if not parent.is_dir():
                raise FileError(f"{parent} is a file, not a folder", path=str(path))
            break


def _csv_ready(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.copy()
    for column in out.columns:
        if pd.api.types.is_datetime64_any_dtype(out[column]):
            out[column] = out[column].dt.strftime("%Y-%m-%d")
    return out


def _write_jsonl(frame: pd.DataFrame, fh: TextIO) -> None:
    for row in frame.to_dict(orient="records"):
        fh.write(json.dumps({k: _jsonable(v) for k, v in row.items()}, ensure_ascii=False))
        fh.write("\n")


def write_frame(frame: pd.DataFrame, path: str | Path, fmt: str | None = None) -> Path:
    """Write a frame as CSV (UTF-8 with BOM, opens in Excel), JSON lines or Parquet, atomically
    (see :func:`atomic_write`). ``-`` writes to standard output (CSV without the BOM).

    Returns:
        The path written.

    Raises:
        FileError: a bad format, or the file cannot be written there.
    """
    target = Path(path)
    kind = format_of(target, fmt)
    if str(path) == STDOUT:
        if kind == "csv":
            _csv_ready(frame).to_csv(sys.stdout, index=False)
        elif kind == "jsonl":
            _write_jsonl(frame, sys.stdout)
        else:
            sys.stdout.flush()
            frame.to_parquet(sys.stdout.buffer, index=False)
        sys.stdout.flush()
        return target
    check_output(target)

    def write(tmp: Path) -> None:
        if kind == "csv":
            _csv_ready(frame).to_csv(tmp, index=False, encoding="utf-8-sig")
        elif kind == "jsonl":
            with tmp.open("w", encoding="utf-8") as fh:
                _write_jsonl(frame, fh)
        else:
            frame.to_parquet(tmp, index=False)

    return atomic_write(target, write)


# --- reading -------------------------------------------------------------------------------

_NOUNS = {
    "RecordFrame": "records frame",
    "TargetFrame": "records frame",
    "ActualFrame": "records frame",
    "ReconciledFrame": "reconciled frame",
    "FindingFrame": "findings frame",
    "SeriesFrame": "series frame",
    "TrackRecordFrame": "track record frame",
}
_SEPARATORS = (",", ";", "\t")
_SNIFF_BYTES = 1 << 16
_BOOLS = {"true": True, "false": False, "1": True, "0": False, "yes": True, "no": False}
_SPACES = str.maketrans("", "", " \u00a0\u2009\u202f\u3000")
_PLAIN_NUMBER = re.compile(r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")
_GROUPED_NUMBER = re.compile(r"[-+]?\d{1,3}(?:,\d{3})+(?:\.\d+)?(?:[eE][-+]?\d+)?")
_AMBIGUOUS_GROUP = re.compile(r"[-+]?\d{1,3},\d{3}")
_NOT_A_NUMBER = frozenset({"nan", "-nan", "+nan"})
_INFINITE = {"inf": math.inf, "+inf": math.inf, "-inf": -math.inf, "infinity": math.inf}
_DATE = re.compile(
    r"(?P<y>\d{4})[-/.年](?P<m>\d{1,2})[-/.月](?P<d>\d{1,2})日?"
    r"(?:[ T]0{1,2}:00(?::00(?:\.0+)?)?)?"
)
_TEXT = pd.Series([""]).dtype
"""pandas' default text type (``str``)."""
_MAX_LISTED = 1000
"""Problems kept per column in ``failure_cases`` (a whole wrong column is not a million)."""


def _noun(model: Any) -> str:
    return _NOUNS.get(getattr(model, "__name__", ""), "frame")


def _schema_columns(model: Any) -> dict[str, Any]:
    return dict(model.to_schema().columns)


def decode_text(data: bytes) -> str | None:
    """Text of a file saved by Excel, WPS or ``targets``: UTF-8 with or without BOM, UTF-16
    with a BOM (Excel's "Unicode text"), else GB18030 (a superset of GBK). ``None`` when it is
    none of them or holds NUL characters (a binary file)."""
    for bom, codec in (
        (codecs.BOM_UTF8, "utf-8"),
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
    ):
        if data.startswith(bom):
            try:
                text = data[len(bom) :].decode(codec)
            except UnicodeDecodeError:
                return None
            return None if "\x00" in text else text
    for codec in ("utf-8", "gb18030"):
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        return None if "\x00" in text else text
    return None


def _header_cells(line: str, sep: str) -> list[str]:
    try:
        return next(csv.reader([line], delimiter=sep), [])
    except csv.Error:
        return []


def _sniff(text: str, names: Sequence[str]) -> tuple[str, list[str]]:
    """The separator of a CSV text and its header cells: the one of ``,`` ``;`` tab whose
    header names the most of ``names`` (then the one that splits the line most)."""
    line = text.split("\n", 1)[0].rstrip("\r")
    known = set(names)
    best = (-1, -1, ",", [line])
    for sep in _SEPARATORS:
        cells = _header_cells(line, sep)
        score = (sum(c.strip() in known for c in cells), len(cells), sep, cells)
        if score[:2] > best[:2]:
            best = score
    return best[2], best[3]


def looks_like_frame(path: str | Path, model: Any = RecordFrame) -> bool:
    """Whether ``path`` looks like a saved frame rather than a report: a cheap sniff of the
    first line (CSV, JSON lines) or of the Parquet schema for the columns of ``model`` (at
    least half of them). Never raises: an unreadable file is not a frame."""
    source = Path(path)
    names = list(_schema_columns(model))
    try:
        with source.open("rb") as fh:
            head = fh.read(_SNIFF_BYTES)
    except OSError:
        return False
    if head.startswith(b"PAR1"):
        try:
            import pyarrow.parquet as pq

            found = list(pq.read_schema(source).names)
        except (OSError, ValueError, ImportError):
            return False
    else:
        text = decode_text(head) or decode_text(head[: head.rfind(b"\n") + 1]) or ""
        line = text.split("\n", 1)[0].strip()
        if line.startswith("{"):
            try:
                row = json.loads(line)
            except ValueError:
                return False
            found = list(row) if isinstance(row, dict) else []
        else:
            found = [c.strip() for c in _sniff(text, names)[1]]
    return 2 * len(set(found) & set(names)) >= len(names)


@dataclass(frozen=True, slots=True)
class _Problem:
    row: int | None
    columns: tuple[str, ...]
    value: str
    text: str


class _Problems:
    """Problems of a frame read from a file, said as one line: ``FILE, row R, column C: ...``
    (rows as the file numbers them: Excel's rows for CSV, lines for JSON lines)."""

    def __init__(self, name: str, label: str) -> None:
        self.name = name
        self.label = label
        self.found: list[_Problem] = []
        self.total = 0

    def add(self, row: int | None, columns: tuple[str, ...], value: object, text: str) -> None:
        self.total += 1
        if len(self.found) < _MAX_LISTED * 10:
            self.found.append(_Problem(row, columns, str(value), text))

    def line(self, problem: _Problem) -> str:
        where = [self.name]
        if problem.row is not None:
            where.append(f"{self.label} {problem.row}")
        if problem.columns:
            word = "column" if len(problem.columns) == 1 else "columns"
            where.append(f"{word} {' and '.join(problem.columns)}")
        return f"{', '.join(where)}: {problem.text}"

    def raise_any(self) -> None:
        if not self.found:
            return
        self.found.sort(key=lambda p: (p.row is not None, p.row or 0))
        first = self.line(self.found[0])
        more = self.total - 1
        if more:
            first += f" (and {more} more problem{'s' if more > 1 else ''})"
        cases = pd.DataFrame(
            [(p.row, " ".join(p.columns), p.value, p.text) for p in self.found],
            columns=["row", "column", "value", "problem"],
        )
        raise SchemaError(first, failure_cases=cases)


def _csv_cells(source: Path, model: Any) -> tuple[pd.DataFrame, str]:
    """The cells of a CSV file as text, indexed by Excel's row numbers (header: row 1), and
    the file's separator."""
    text = decode_text(source.read_bytes())
    names = list(_schema_columns(model))
    if text is None:
        raise FileError(
            "is not text in UTF-8, UTF-16 or GB18030/GBK (and so not a saved frame)",
            path=str(source),
        )
    sep, header = _sniff(text, names)
    header = [c.strip() for c in header]
    if 2 * len(set(header) & set(names)) < len(names):
        raise FileError(
            f"is not a saved frame (no header with the columns of a {_noun(model)})",
            path=str(source),
        )
    try:
        raw = pd.read_csv(
            BytesIO(text.encode("utf-8")),  # the C parser reads bytes 4x faster than a str
            encoding="utf-8",
            sep=sep,
            dtype=str,
            header=None,
            skiprows=1,
            names=range(len(header)),
            keep_default_na=False,
            na_filter=False,
            skip_blank_lines=False,
            engine="c",
        )
    except pd.errors.ParserError as exc:
        found = re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", str(exc))
        detail = (
            f"row {found[2]} has {found[3]} cells, the header {len(header)}"
            if found
            else str(exc).splitlines()[0]
        )
        raise FileError(f"cannot read as CSV: {detail}", path=str(source)) from exc
    except (ValueError, csv.Error) as exc:
        raise FileError(f"cannot read as CSV: {exc}", path=str(source)) from exc
    if raw.isna().any().any():  # a short row: its missing cells are empty
        raw = raw.fillna("")
    raw.index = pd.RangeIndex(2, 2 + len(raw))
    return _named(raw, header, source, model), sep


def _named(raw: pd.DataFrame, header: list[str], source: Path, model: Any) -> pd.DataFrame:
    """Cells under their header names: unnamed empty columns (Excel adds them) and blank rows
    dropped; a repeated, unknown or missing column refused in one line."""
    names = list(_schema_columns(model))
    keep: list[int] = []
    for i, name in enumerate(header):
        column = raw[i] if i in raw.columns else pd.Series(dtype=str)
        if not name:
            filled = column[column.str.strip() != ""]
            if len(filled):
                raise SchemaError(
                    f"{source}, row {filled.index[0]}, column {i + 1}: {filled.iloc[0]!r} is in "
                    "a column without a name",
                )
            continue
        if header.index(name) != i:
            raise SchemaError(f"{source}: column {name!r} appears twice")
        keep.append(i)
    _check_columns([header[i] for i in keep], source, model)
    cells = raw[keep]
    cells.columns = [header[i] for i in keep]
    blank = (cells == "").all(axis=1).to_numpy()
    out: pd.DataFrame = cells.loc[~blank, names]
    return out


def _check_columns(found: list[str], source: Path, model: Any) -> None:
    """Refuse, in one line, a column the model does not have or one it needs and lacks."""
    names = _schema_columns(model)
    for name in found:
        if name not in names:
            raise SchemaError(f"{source}: unknown column {name!r} (not a {_noun(model)} column)")
    missing = [n for n in names if n not in found]
    if missing:
        listed = ", ".join(repr(n) for n in missing)
        raise SchemaError(f"{source}: missing column{'s' if len(missing) > 1 else ''} {listed}")


def _jsonl_cells(source: Path, model: Any) -> pd.DataFrame:
    """The rows of a JSON lines file, indexed by line number; blank lines dropped."""
    text = decode_text(source.read_bytes())
    if text is None:
        raise FileError("is not UTF-8 text (and so not a saved frame)", path=str(source))
    rows: list[dict[str, Any]] = []
    lines: list[int] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except ValueError as exc:
            if not rows:
                raise FileError(
                    f"is not a saved frame (no header with the columns of a {_noun(model)})",
                    path=str(source),
                ) from exc
            raise SchemaError(f"{source}, line {number}: not a JSON object") from exc
        if not isinstance(row, dict):
            raise SchemaError(f"{source}, line {number}: not a JSON object")
        rows.append(row)
        lines.append(number)
    names = list(_schema_columns(model))
    if not rows:
        return pd.DataFrame({n: pd.Series(dtype=str) for n in names})
    header = list(dict.fromkeys(k for row in rows[:1] for k in row))
    if 2 * len(set(header) & set(names)) < len(names):
        raise FileError(
            f"is not a saved frame (no header with the columns of a {_noun(model)})",
            path=str(source),
        )
    frame = pd.DataFrame(rows, index=pd.Index(lines, dtype=np.int64))
    _check_columns([str(c) for c in frame.columns], source, model)
    out: pd.DataFrame = frame[names]
    return out


def parse_number(text: str, *, sep: str = ",") -> float | None:
    """A number as Excel or WPS may have saved it, or ``None`` when it is not one.

    ``1.61E+09`` is ``float("1.61E+09")``; thousands separators are read where unambiguous
    (``1,606,000,000``, ``1,234.5``; a bare ``1,234`` in a ``;``-separated file could be a
    decimal comma and is refused); ``nan`` is missing; spaces around are ignored.
    """
    cell = to_halfwidth(text).strip()
    if _PLAIN_NUMBER.fullmatch(cell):
        return float(cell)
    lower = cell.lower()
    if lower in _NOT_A_NUMBER:
        return math.nan
    if lower in _INFINITE:
        return _INFINITE[lower]
    squeezed = cell.translate(_SPACES)
    if _GROUPED_NUMBER.fullmatch(squeezed) and not (
        sep == ";" and _AMBIGUOUS_GROUP.fullmatch(squeezed)
    ):
        return float(squeezed.replace(",", ""))
    return None


def _numbers(
    cells: pd.Series, *, nullable: bool, sep: str, problems: _Problems, noun: str
) -> pd.Series:
    """A float column from text cells; problems for cells that are not numbers."""
    if cells.dtype.kind in "fi":
        values = cells.astype("float64")
        empty = values.isna()
    else:
        text = cells.astype(object).where(cells.notna(), "").astype(str)
        values = pd.to_numeric(text, errors="coerce").astype("float64")
        empty = text.str.strip() == ""
        odd = values.isna() & ~empty
        for row in odd[odd].index:
            parsed = parse_number(text[row], sep=sep)
            if parsed is None:
                problems.add(
                    int(row), (str(cells.name),), text[row], f"{text[row]!r} is not {noun}"
                )
            else:
                values[row] = parsed
    if not nullable:
        for row in empty[empty].index[:_MAX_LISTED]:
            problems.add(int(row), (str(cells.name),), "", "empty (required)")
    return values


def _integers(cells: pd.Series, *, sep: str, problems: _Problems) -> pd.Series:
    name = str(cells.name)
    noun = "a year" if name == "year" else "a whole number"
    before = problems.total
    values = _numbers(cells, nullable=False, sep=sep, problems=problems, noun=noun)
    bad = values.notna() & ((values % 1 != 0) | ~np.isfinite(values))
    for row in bad[bad].index[:_MAX_LISTED]:
        problems.add(int(row), (name,), cells[row], f"{str(cells[row])!r} is not {noun}")
    if problems.total > before:
        return values
    return values.astype("int64")


def _dates(cells: pd.Series, problems: _Problems) -> pd.Series:
    name = str(cells.name)
    if pd.api.types.is_datetime64_any_dtype(cells):
        return cells
    text = cells.astype(object).where(cells.notna(), "").astype(str).str.strip()
    values = pd.to_datetime(text, format="%Y-%m-%d", errors="coerce")
    for row in values[values.isna()].index:
        cell = text[row]
        found = _DATE.fullmatch(to_halfwidth(cell))
        try:
            if found is None:
                raise ValueError(cell)
            values[row] = pd.Timestamp(int(found["y"]), int(found["m"]), int(found["d"]))
        except ValueError:
            problems.add(
                int(row),
                (name,),
                cell,
                "empty (required)" if not cell else f"{cell!r} is not a date such as 2024-12-31",
            )
    return values


def _bools(cells: pd.Series, problems: _Problems) -> pd.Series:
    if cells.dtype == bool:
        return cells
    words = cells.astype(str).str.strip().str.lower()
    parsed = words.map(_BOOLS)
    for row in parsed[parsed.isna()].index[:_MAX_LISTED]:
        cell = str(cells[row])
        problems.add(
            int(row),
            (str(cells.name),),
            cell,
            "empty (required)" if not cell.strip() else f"{cell!r} is not true or false",
        )
    return parsed


def _typed(cells: pd.DataFrame, model: Any, problems: _Problems, sep: str) -> pd.DataFrame:
    """Columns converted to the model's types, cell by cell where pandas' fast paths fail."""
    out = cells.copy(deep=False)  # columns are replaced, never written into
    for name, column in _schema_columns(model).items():
        dtype = str(column.dtype)
        if dtype.startswith("float"):
            out[name] = _numbers(
                cells[name], nullable=column.nullable, sep=sep, problems=problems, noun="a number"
            )
        elif dtype.startswith("int"):
            out[name] = _integers(cells[name], sep=sep, problems=problems)
        elif dtype.startswith("datetime"):
            out[name] = _dates(cells[name], problems)
        elif dtype == "bool":
            out[name] = _bools(cells[name], problems)
        elif not isinstance(cells[name].dtype, pd.CategoricalDtype):
            series = cells[name]
            if series.dtype != _TEXT or series.isna().any():
                out[name] = series.astype(object).where(series.notna(), "").astype(str)
    return out


def _check_units(frame: pd.DataFrame, problems: _Problems) -> None:
    """``unit``, ``base_unit`` and ``base_value`` (and the ``_high`` pair) agree: the base of
    the unit is ``base_unit`` and ``base_value`` is ``value`` × the unit's factor.

    Worked out once per distinct unit and base unit, then applied to the rows by their codes
    (a categorical column is not turned into a string per row)."""
    if not {"unit", "base_unit", "value", "base_value"} <= set(frame.columns):
        return
    codes, uniques = pd.factorize(frame["unit"], sort=False)
    base_codes, base_uniques = pd.factorize(frame["base_unit"], sort=False)
    if (codes < 0).any() or (base_codes < 0).any():  # a missing cell: as its text, "nan"
        codes, uniques = pd.factorize(frame["unit"].astype(str), sort=False)
        base_codes, base_uniques = pd.factorize(frame["base_unit"].astype(str), sort=False)
    spellings = [str(u) for u in uniques]
    base_names = [str(b) for b in base_uniques]
    factor_of = np.ones(len(spellings))
    base_of: list[str | None] = []  # None: an unknown unit
    for i, spelling in enumerate(spellings):
        if spelling == "":
            base_of.append("")
            continue
        try:
            info = unit_info(spelling)
        except UnitError:
            for row in frame.index[np.flatnonzero(codes == i)[:_MAX_LISTED]]:
                problems.add(int(row), ("unit",), spelling, f"unknown unit {spelling!r}")
            base_of.append(None)
            continue
        factor_of[i] = float(info.factor)
        base_of.append(info.base)
    factors = factor_of[codes]
    position = {name: j for j, name in enumerate(base_names)}
    # each unit's base unit as a code of the base_unit column (-1: none of its values)
    expected_code = np.array([position.get(b, -1) if b is not None else -1 for b in base_of])
    known_of = np.array([b is not None for b in base_of], dtype=bool)
    known = known_of[codes]
    wrong = known & (expected_code[codes] != base_codes)
    for pos in np.flatnonzero(wrong)[:_MAX_LISTED]:
        row = frame.index[pos]
        want = base_of[codes[pos]]
        unit = spellings[codes[pos]]
        base = base_names[base_codes[pos]]
        if unit == "":
            problems.add(int(row), ("unit",), "", "empty (required)")
        else:
            problems.add(
                int(row),
                ("unit", "base_unit"),
                f"{unit} {base}",
                f"{unit!r} and {base!r} disagree (the base unit of {unit} is {want or 'none'})",
            )
    judged = known & ~wrong  # a wrong unit: its base value cannot be judged as well
    pairs = [("value", "base_value")]
    if {"value_high", "base_value_high"} <= set(frame.columns):
        pairs.append(("value_high", "base_value_high"))
    for value_name, base_name in pairs:
        value = pd.to_numeric(frame[value_name], errors="coerce").to_numpy(dtype=float)
        base = pd.to_numeric(frame[base_name], errors="coerce").to_numpy(dtype=float)
        scaled = value * factors
        with np.errstate(invalid="ignore"):
            agree = np.isclose(base, scaled, rtol=REL_TOL, atol=0.0, equal_nan=True)
        for pos in np.flatnonzero(~agree)[:_MAX_LISTED]:
            if not judged[pos]:
                continue
            problems.add(
                int(frame.index[pos]),
                (value_name, base_name),
                f"{value[pos]!r} {base[pos]!r}",
                f"{_show(value[pos])} {spellings[codes[pos]]} is {_show(scaled[pos])} "
                f"{base_names[base_codes[pos]]}, not {_show(base[pos])}",
            )


def _show(number: float) -> str:
    return "empty" if math.isnan(number) else f"{number:.15g}"


def _translated(exc: SchemaError, problems: _Problems) -> None:
    """pandera's failure cases said as plain problems, on the file's own row numbers."""
    cases = exc.failure_cases
    if not isinstance(cases, pd.DataFrame):
        problems.add(None, (), "", str(exc).splitlines()[0])
        return
    seen: set[tuple[object, ...]] = set()
    for case in cases.itertuples(index=False):
        check = str(getattr(case, "check", ""))
        column = getattr(case, "column", None)
        value = getattr(case, "failure_case", None)
        index = getattr(case, "index", None)
        row = None if index is None or pd.isna(index) else int(index)
        columns, sentence = describe_failure(check, None if pd.isna(column) else str(column), value)
        key = (row, columns, sentence)
        if key in seen:
            continue
        seen.add(key)
        problems.add(row, columns, "" if value is None else value, sentence)


@overload
def read_frame(
    path: str | Path, fmt: str | None = None, *, what: str | None = None
) -> DataFrame[RecordFrame]: ...
@overload
def read_frame(
    path: str | Path, fmt: str | None = None, *, model: type[Model], what: str | None = None
) -> DataFrame[Model]: ...
def read_frame(
    path: str | Path, fmt: str | None = None, *, model: Any = RecordFrame, what: str | None = None
) -> Any:
    """Read a frame written by :func:`write_frame`, or re-saved by Excel or WPS, and validate
    it against ``model`` (a records frame by default).

    A CSV may be UTF-8 with or without BOM, GB18030/GBK or UTF-16 (Excel's "Unicode text"),
    separated by ``,`` ``;`` or tab (read from the header line); numbers may be in scientific
    notation (``1.61E+09`` is 1610000000.0) or carry thousands separators where unambiguous;
    dates may be ``2024/12/31``; blank rows and the empty unnamed columns Excel adds are
    dropped. A records frame's ``unit``, ``base_unit`` and ``base_value`` must agree.

    Raises:
        FileError: the file is missing, unreadable, or not a saved frame at all.
        SchemaError: the content does not match the schema; the message is one line naming
            the file, the row as the file numbers it (Excel's row for CSV: the header is row
            1), the column and the value; ``failure_cases`` lists every problem.
    """
    source = Path(path)
    if not source.is_file():
        raise FileError("no such file", path=str(source))
    kind = format_of(source, fmt)
    name = what or str(source)
    sep = ","
    try:
        if kind == "csv":
            cells, sep = _csv_cells(source, model)
            label = "row"
        elif kind == "jsonl":
            cells = _jsonl_cells(source, model)
            label = "line"
        else:
            cells = _parquet_cells(source, model)
            label = "record"
    except OSError as exc:
        if isinstance(exc, FileError):
            raise
        raise FileError(f"cannot read as {kind}: {exc.strerror or exc}", path=name) from exc
    problems = _Problems(name, label)
    frame = _typed(cells, model, problems, sep)
    problems.raise_any()
    frame = fill_strings(frame, string_columns(model))
    _check_units(frame, problems)
    problems.raise_any()
    try:
        checked = validate(frame, model, what=name, compact=True)
    except SchemaError as exc:
        _translated(exc, problems)
        problems.raise_any()
        raise
    return checked.reset_index(drop=True)


def _parquet_cells(source: Path, model: Any) -> pd.DataFrame:
    """The columns of a Parquet file, indexed from 1 (``record 1`` is the first row)."""
    try:
        frame = pd.read_parquet(source)
    except (ValueError, OSError, TypeError, NotImplementedError, ImportError) as exc:
        # pyarrow's ArrowInvalid is a ValueError, ArrowTypeError a TypeError, ArrowIOError an
        # OSError, ArrowNotImplementedError a NotImplementedError
        first = str(exc).splitlines()[0] if str(exc) else repr(exc)
        raise FileError(f"cannot read as parquet: {first}", path=str(source)) from exc
    _check_columns([str(c) for c in frame.columns], source, model)
    frame.index = pd.RangeIndex(1, 1 + len(frame))
    out: pd.DataFrame = frame[list(_schema_columns(model))]
    return out


# --- observations from outside the reports -----------------------------------------------------

OBSERVATION_COLUMNS = ("region", "indicator", "indicator_text", "year", "value", "unit", "source")
"""The columns of an observations table (``indicator`` or ``indicator_text`` may be left out;
``period`` and ``measure`` are optional)."""
_OBSERVATION_OPTIONAL = ("period", "measure")
_PERIOD = re.compile(r"(?P<y1>\d{4})(?:-(?P<m1>\d{1,2})/(?P<y2>\d{4})-(?P<m2>\d{1,2}))?")


def _observation_cells(source: Path) -> pd.DataFrame:
    """The cells of an observations table (CSV or .xlsx) as text, indexed by Excel's rows."""
    if source.suffix.lower() in (".xlsx", ".xlsm"):
        try:
            import openpyxl
        except ImportError as exc:
            raise DependencyError(
                "reading .xlsx needs openpyxl: pip install 'targets[excel]'"
            ) from exc
        try:
            book = openpyxl.load_workbook(source, read_only=True, data_only=True)
            sheet = book.worksheets[0]
            rows = [
                ["" if v is None else str(v) for v in row]
                for row in sheet.iter_rows(values_only=True)
            ]
            book.close()
        except (OSError, ValueError, KeyError, TypeError, IndexError, zipfile.BadZipFile) as exc:
            raise FileError(f"cannot read as .xlsx: {exc}", path=str(source)) from exc
        if not rows:
            raise FileError("is empty (no header row)", path=str(source))
        width = max(len(r) for r in rows)
        header = [c.strip() for c in rows[0]] + [""] * (width - len(rows[0]))
        body = [r + [""] * (width - len(r)) for r in rows[1:]]
        raw = pd.DataFrame(body, columns=range(width), dtype=object).astype(str)
        raw.index = pd.RangeIndex(2, 2 + len(raw))
    else:
        text = decode_text(source.read_bytes())
        if text is None:
            raise FileError("is not text in UTF-8, UTF-16 or GB18030/GBK", path=str(source))
        names = [*OBSERVATION_COLUMNS, *_OBSERVATION_OPTIONAL]
        sep, header = _sniff(text, names)
        header = [c.strip() for c in header]
        try:
            raw = pd.read_csv(
                BytesIO(text.encode("utf-8")),
                encoding="utf-8",
                sep=sep,
                dtype=str,
                header=None,
                skiprows=1,
                names=range(len(header)),
                keep_default_na=False,
                na_filter=False,
                skip_blank_lines=False,
            )
        except (ValueError, csv.Error) as exc:
            raise FileError(
                f"cannot read as CSV: {str(exc).splitlines()[0] if str(exc) else exc!r}",
                path=str(source),
            ) from exc
        raw = raw.fillna("").astype(str)
        raw.index = pd.RangeIndex(2, 2 + len(raw))
    known = {*OBSERVATION_COLUMNS, *_OBSERVATION_OPTIONAL}
    keep: dict[str, int] = {}
    for i, name in enumerate(header):
        if not name:
            continue
        if name not in known:
            raise SchemaError(f"{source}: unknown column {name!r} (not an observations column)")
        if name in keep:
            raise SchemaError(f"{source}: column {name!r} appears twice")
        keep[name] = i
    missing = [n for n in OBSERVATION_COLUMNS if n not in keep and not n.startswith("indicator")]
    if "indicator" not in keep and "indicator_text" not in keep:
        missing.insert(1, "indicator")
    if missing:
        listed = ", ".join(repr(n) for n in missing)
        raise SchemaError(f"{source}: missing column{'s' if len(missing) > 1 else ''} {listed}")
    cells = pd.DataFrame(
        {name: raw[keep[name]] if name in keep else "" for name in sorted(known)},
        index=raw.index,
    )
    blank = (cells.apply(lambda c: c.str.strip()) == "").all(axis=1).to_numpy()
    out: pd.DataFrame = cells[~blank]
    return out


def _indicator_of(code: str, text: str, unit: str) -> Indicator | None:
    """The catalogue indicator a row names: its code, or the name whose unit fits."""
    cat = catalogue()
    if code:
        return cat.get(code)
    wanted = to_halfwidth(text).strip()
    matches = [m for m in cat.find(wanted) if m.start == 0 and m.end == len(wanted)]
    if not matches:
        return cat.lookup(wanted)
    candidates = matches[0].candidates or (matches[0].indicator,)
    try:
        dimension = unit_info(unit).dimension if unit else ""
    except UnitError:
        return candidates[0]
    for ind in candidates:
        if ind.unit and unit_info(ind.unit).dimension == dimension:
            return ind
    return candidates[0]


def read_observations(path: str | Path) -> DataFrame[RecordFrame]:
    """Figures from outside the reports (a statistical yearbook's table) as a records frame.

    The table (CSV in any encoding :func:`read_frame` reads, or the first sheet of an .xlsx)
    has a header row and one observation per row:

    ``region``
        the place (杭州市临安区, 临安区, 全国), matched like a report's region.
    ``indicator`` or ``indicator_text``
        a catalogue code (``tech_transaction_volume``) or a name the catalogue resolves
        (技术交易额, 地区生产总值); either column may be left out, one must be filled.
    ``year``
        the year of the figure (1900–2200).
    ``value``, ``unit``
        the number (``16.06``, ``1.61E+09``, ``1,606``) and a known unit (亿元, 家, %).
    ``source``
        where the figure comes from (《杭州统计年鉴2025》表3-1); required.
    ``period`` (optional)
        empty or ``2024`` for the whole year; ``2024-01/2024-06`` for months of one year.
    ``measure`` (optional)
        ``stock``, ``flow``, ``ratio``, ``growth``, ``rank`` or ``index``; default: the
        catalogue's measure of the indicator.

    Each row becomes an ``actual`` record that ``reconcile``, ``check`` and ``report`` accept
    unchanged: ``doc`` is the table's file name, ``record_id`` ``FILE:rowN``, ``issuer`` the
    source, and ``quote`` a line such as ``统计年鉴: 临安区 2024 技术交易额 16.06亿元
    (《杭州统计年鉴2025》)`` with ``start``/``end`` spanning it.

    Raises:
        FileError: the file is missing or unreadable.
        SchemaError: a row that cannot be read faithfully; one line naming the file, the Excel
            row, the column and the value (unknown unit, an indicator the catalogue does not
            know, a year that is not a year, a value that is not a number).
    """
    source = Path(path)
    if not source.is_file():
        raise FileError("no such file", path=str(source))
    try:
        cells = _observation_cells(source)
    except OSError as exc:
        if isinstance(exc, FileError):
            raise
        raise FileError(f"cannot read: {exc.strerror or exc}", path=str(source)) from exc
    problems = _Problems(str(source), "row")
    rows: list[dict[str, Any]] = []
    for excel_row, cell in zip(cells.index, cells.to_dict(orient="records"), strict=True):
        row = _observation(
            int(excel_row), {str(k): str(v).strip() for k, v in cell.items()}, source
        )
        if isinstance(row, _Problem):
            problems.add(row.row, row.columns, row.value, row.text)
        else:
            rows.append(row)
    problems.raise_any()
    frame = pd.DataFrame(rows, columns=list(_schema_columns(RecordFrame)))
    return validate(frame, RecordFrame, what=str(source), compact=True)


def _observation(row: int, cell: dict[str, str], source: Path) -> dict[str, Any] | _Problem:
    """One row of an observations table as a records-frame row, or its first problem."""

    def problem(column: str, text: str) -> _Problem:
        return _Problem(row, (column,), cell.get(column, ""), text)

    for column in ("region", "year", "value", "unit", "source"):
        if not cell[column] and column != "unit":
            return problem(column, "empty (required)")
    if not cell["indicator"] and not cell["indicator_text"]:
        return problem("indicator", "empty (required: a code here or a name in indicator_text)")
    value = parse_number(cell["value"])
    if value is None or not math.isfinite(value):
        return problem("value", f"{cell['value']!r} is not a number")
    year_number = parse_number(cell["year"])
    if year_number is None or year_number % 1 or not 1900 <= year_number <= 2200:
        return problem("year", f"{cell['year']!r} is not a year")
    year = int(year_number)
    unit = cell["unit"]
    try:
        info = unit_info(unit) if unit else None
    except UnitError:
        return problem("unit", f"unknown unit {unit!r}")
    ind = _indicator_of(cell["indicator"], cell["indicator_text"], unit)
    if ind is None:
        if cell["indicator"]:
            return problem("indicator", f"{cell['indicator']!r} is not a catalogue code")
        return problem("indicator_text", f"{cell['indicator_text']!r} is not in the catalogue")
    if info is None and ind.unit:
        return problem("unit", f"empty (required: {ind.name_zh} is counted in {ind.unit})")
    if info is not None and ind.unit:
        fits = {unit_info(u).dimension for u in (ind.unit, *ind.also_units)}
        if info.dimension not in fits:
            return problem("unit", f"{unit!r} does not fit {ind.name_zh} (counted in {ind.unit})")
    measure = cell["measure"] or ind.measure.value
    if measure not in {m.value for m in Measure}:
        return problem(
            "measure", f"{measure!r} is not one of {', '.join(m.value for m in Measure)}"
        )
    period = cell["period"] or str(year)
    found = _PERIOD.fullmatch(period)
    if found is None:
        return problem("period", f"{period!r} is not a period such as 2024 or 2024-01/2024-06")
    first, months = int(found["y1"]), ""
    start, end = date(first, 1, 1), date(first, 12, 31)
    if found["m1"]:
        last, m1, m2 = int(found["y2"]), int(found["m1"]), int(found["m2"])
        if last != first or not 1 <= m1 <= m2 <= 12:
            return problem("period", f"{period!r} is not months of one year (2024-01/2024-06)")
        start = date(first, m1, 1)
        end = (pd.Timestamp(first, m2, 1) + pd.offsets.MonthEnd(0)).date()
        months = "" if (m1, m2) == (1, 12) else f"{m1}-{m2}"
    if end.year != year:
        return problem("period", f"{period!r} is not in year {year}")
    name = cell["indicator_text"] or ind.name_zh
    when = str(year) if not months else f"{year}年{months}月"
    quote = f"统计年鉴: {cell['region']} {when} {name} {cell['value']}{unit} ({cell['source']})"
    base_value = to_base_value(value, unit) if unit else value
    return {
        "record_id": f"{source.name}:row{row}",
        "doc": source.name,
        "region": cell["region"],
        "issuer": cell["source"],
        "kind": "actual",
        "indicator": ind.code,
        "indicator_text": name,
        "measure": measure,
        "comparator": "=",
        "value": value,
        "value_high": math.nan,
        "unit": unit,
        "base_value": base_value,
        "base_value_high": math.nan,
        "base_unit": info.base if info else "",
        "year": year,
        "months": months,
        "period_start": pd.Timestamp(start),
        "period_end": pd.Timestamp(end),
        "growth_pct": math.nan,
        "growth_pp": math.nan,
        "rank": "",
        "approx": "",
        "qualifiers": "",
        "part_of": "",
        "quote": quote,
        "start": 0,
        "end": len(quote),
    }
