"""Frames on disk: CSV, JSON lines and Parquet files, written atomically and read back.

:func:`write_frame` writes any frame ``targets`` produces; :func:`read_frame` reads it back and
validates it against its pandera model.
"""

from __future__ import annotations

import json
import math
import os
import tempfile
from datetime import date
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd

from targets.errors import FileError, SchemaError, UnitError
from targets.frames import fill_strings, string_columns
from targets.schemas import RecordFrame, validate

__all__ = ["Format", "atomic_write", "check_output", "format_of", "read_frame", "write_frame"]

Format = Literal["csv", "jsonl", "parquet"]


def atomic_write(path: Path, write: Any) -> None:
    """Write through a temporary file in the same folder, then rename: never half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    os.close(fd)
    try:
        write(Path(tmp))
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes 0600; a written file is like any other
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


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


def write_frame(frame: pd.DataFrame, path: str | Path, fmt: str | None = None) -> Path:
    """Write a frame as CSV (UTF-8 with BOM, opens in Excel), JSON lines or Parquet, atomically.

    Returns:
        The path written.
    """
    target = Path(path)
    kind = format_of(target, fmt)
    check_output(target)

    def write(tmp: Path) -> None:
        if kind == "csv":
            out = frame.copy()
            for column in out.columns:
                if pd.api.types.is_datetime64_any_dtype(out[column]):
                    out[column] = out[column].dt.strftime("%Y-%m-%d")
            out.to_csv(tmp, index=False, encoding="utf-8-sig")
        elif kind == "jsonl":
            with tmp.open("w", encoding="utf-8") as fh:
                for row in frame.to_dict(orient="records"):
                    fh.write(
                        json.dumps({k: _jsonable(v) for k, v in row.items()}, ensure_ascii=False)
                    )
                    fh.write("\n")
        else:
            frame.to_parquet(tmp, index=False)

    atomic_write(target, write)
    return target


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
