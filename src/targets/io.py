"""Frames on disk: CSV, JSON lines and Parquet files, written atomically and read back.

:func:`write_frame` writes any frame ``targets`` produces; :func:`read_frame` reads it back and
validates it against its pandera model.
"""

from __future__ import annotations

import json
import math
import os
import stat
import sys
import tempfile
from collections.abc import Callable, Mapping
from datetime import date
from pathlib import Path
from typing import Any, Literal, TextIO

import numpy as np
import pandas as pd

from targets.errors import FileError, SchemaError, UnitError
from targets.frames import fill_strings, string_columns
from targets.schemas import RecordFrame, validate

__all__ = [
    "STDOUT",
    "Format",
    "atomic_write",
    "check_output",
    "format_of",
    "read_frame",
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


_BOOLS = {"true": True, "false": False, "1": True, "0": False, "yes": True, "no": False}


def _parse_bools(frame: pd.DataFrame, model: Any) -> pd.DataFrame:
    """Boolean columns read from text: "False" is false (a plain cast would make it true).

    A value that is not a boolean word is left as it is, for the schema to report.
    """
    schema = model.to_schema()
    for name, column in schema.columns.items():
        if name in frame.columns and str(column.dtype) == "bool" and frame[name].dtype != bool:
            words = frame[name].astype(str).str.strip().str.lower()
            parsed = words.map(_BOOLS)
            frame[name] = parsed.where(parsed.notna(), frame[name])
    return frame


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


def read_frame(
    path: str | Path, fmt: str | None = None, *, model: Any = RecordFrame, what: str | None = None
) -> pd.DataFrame:
    """Read a frame written by :func:`write_frame` and validate it against ``model``.

    Raises:
        FileError: the file is missing or unreadable.
        SchemaError: the content does not match the schema.
    """
    source = Path(path)
    if not source.is_file():
        raise FileError("no such file", path=str(source))
    kind = format_of(source, fmt)
    try:
        if kind == "csv":
            frame = pd.read_csv(
                source, encoding="utf-8-sig", keep_default_na=False, na_values=[""], dtype=str
            )
            frame = fill_strings(frame)
        elif kind == "jsonl":
            frame = pd.read_json(source, lines=True, dtype=False, precise_float=True)
            frame = fill_strings(frame)
        else:
            frame = fill_strings(pd.read_parquet(source))
    except (ValueError, OSError, UnicodeDecodeError) as exc:
        raise FileError(f"cannot read as {kind}: {exc}", path=str(source)) from exc
    frame = fill_strings(frame, string_columns(model))
    frame = _parse_bools(frame, model)
    try:
        return validate(frame, model, what=what or str(source), compact=True)
    except SchemaError:
        raise
    except UnitError:
        raise
