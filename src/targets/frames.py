"""The bridge between records and pandas frames, and frame files on disk.

A frame is tidy: one row per record, ASCII snake_case columns, a float ``value`` and a ``unit``
string, and ``base_value`` in the base unit of the unit's dimension (元, 家, %, ...). No pint
objects live in frames; :func:`unit_factors` gives one conversion factor per unit so that a
million rows convert with one multiplication.
"""

from __future__ import annotations

import json
import math
import os
import tempfile
from collections.abc import Iterable, Sequence
from datetime import date
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd

from targets.errors import FileError, SchemaError, UnitError
from targets.models import Actual, Comparator, Evidence, Measure, Record, Target
from targets.schemas import RecordFrame, sorted_categories, validate
from targets.units import quantity, registry, to_base_value, unit_info

__all__ = [
    "COLUMNS",
    "CONTRACT_COLUMNS",
    "Format",
    "as_text",
    "filter_kinds",
    "from_frame",
    "read_frame",
    "to_frame",
    "unit_factors",
    "write_frame",
]

Format = Literal["csv", "jsonl", "parquet"]

COLUMNS = list(RecordFrame.to_schema().columns)
"""The columns of a records frame, in order (the ``RecordFrame`` schema's)."""
_NOT_IN_CONTRACT = frozenset(
    {
        "record_id",
        "base_value_high",
        "period_start",
        "period_end",
        "growth_pp",
        "rank",
        "approx",
        "qualifiers",
        "part_of",
    }
)
CONTRACT_COLUMNS = [c for c in COLUMNS if c not in _NOT_IN_CONTRACT]
"""The columns of the regression contract (``data/curated/seeds.csv``)."""
_POINTS = {"个百分点", "百分点"}


def _unit_text(q: Any) -> str:
    return "" if q.dimensionless and str(q.units) == "dimensionless" else f"{q.units:~}"


def _months(r: Record) -> str:
    if (
        r.period_start.month == 1
        and r.period_start.day == 1
        and r.period_end.month == 12
        and r.period_end.day == 31
        and r.period_start.year == r.period_end.year
    ):
        return ""
    return f"{r.period_start.month}-{r.period_end.month}"


def _base(value: float, unit: str) -> tuple[float, str]:
    if not unit:
        return value, ""
    info = unit_info(unit)
    return to_base_value(value, unit), info.base


def _row(r: Record) -> dict[str, Any]:
    unit = _unit_text(r.value)
    value = float(r.value.magnitude)
    base_value, base_unit = _base(value, unit)
    high = base_high = math.nan
    if isinstance(r, Target) and r.value_high is not None:
        high = float(r.value_high.to(r.value.units).magnitude)
        base_high = _base(high, unit)[0]
    growth_pct = growth_pp = math.nan
    if isinstance(r, Actual) and r.growth is not None:
        if r.growth_unit in _POINTS:
            growth_pp = r.growth
        else:
            growth_pct = r.growth
    return {
        "record_id": r.record_id,
        "doc": r.evidence.doc,
        "region": r.region,
        "issuer": r.issuer,
        "kind": r.kind,
        "indicator": r.indicator,
        "indicator_text": r.indicator_text,
        "measure": r.measure.value,
        "comparator": r.comparator.value,
        "value": value,
        "value_high": high,
        "unit": unit,
        "base_value": base_value,
        "base_value_high": base_high,
        "base_unit": base_unit,
        "year": r.period_end.year,
        "months": _months(r),
        "period_start": pd.Timestamp(r.period_start),
        "period_end": pd.Timestamp(r.period_end),
        "growth_pct": growth_pct,
        "growth_pp": growth_pp,
        "rank": r.rank if isinstance(r, Actual) else "",
        "approx": r.approx if isinstance(r, Actual) else "",
        "qualifiers": "|".join(r.qualifiers),
        "part_of": r.part_of,
        "quote": r.evidence.quote,
        "start": r.evidence.start,
        "end": r.evidence.end,
    }


def to_frame(records: Iterable[Record], *, validate_frame: bool = True) -> pd.DataFrame:
    """A validated :class:`~targets.schemas.RecordFrame` of ``records`` (targets and actuals).

    Base values are converted exactly (16.06亿元 → 1606000000.0 元). ``validate_frame=False``
    skips the schema check, for callers that validate a concatenation of many frames once.
    """
    rows = [_row(r) for r in records]
    frame = pd.DataFrame(rows, columns=COLUMNS)
    if not validate_frame:
        return frame
    return validate(frame, RecordFrame, what="records frame", compact=True)


def unit_factors(units: pd.Series) -> tuple[np.ndarray, pd.Series, pd.Series]:
    """Per-row factor to the base unit, the base unit and the dimension, for a unit column.

    One pint look-up per distinct unit, not per row.

    Raises:
        UnitError: a unit in the column is not known (the message names it).
    """
    codes, uniques = pd.factorize(units.fillna(""), sort=False)
    factors = np.ones(len(uniques))
    bases = []
    dims = []
    for i, spelling in enumerate(uniques):
        if spelling == "":
            bases.append("")
            dims.append("[index]")
            continue
        info = unit_info(str(spelling))
        factors[i] = float(info.factor)
        bases.append(info.base)
        dims.append(info.dimension)
    idx = np.asarray(codes)
    return (
        factors[idx],
        pd.Series(np.asarray(bases, dtype=object)[idx], index=units.index, dtype=object),
        pd.Series(np.asarray(dims, dtype=object)[idx], index=units.index, dtype=object),
    )


def _quantity(value: float, unit: str) -> Any:
    return quantity(value, unit) if unit else registry().Quantity(value, "")


def from_frame(frame: pd.DataFrame) -> list[Record]:
    """Records from a :class:`~targets.schemas.RecordFrame` (the inverse of :func:`to_frame`).

    Raises:
        SchemaError: the frame does not match the schema.
        UnitError: a unit is unknown.
    """
    frame = validate(fill_strings(frame), RecordFrame, what="records frame")
    out: list[Record] = []
    for row in frame.to_dict(orient="records"):
        out.append(_record(row))
    return out


def _record(row: dict[Any, Any]) -> Record:
    evidence = Evidence(
        doc=row["doc"], quote=row["quote"], start=int(row["start"]), end=int(row["end"])
    )
    start: date = row["period_start"].date()
    end: date = row["period_end"].date()
    unit: str = row["unit"]
    common: dict[str, Any] = {
        "indicator": row["indicator"],
        "indicator_text": row["indicator_text"],
        "measure": Measure(row["measure"]),
        "comparator": Comparator(row["comparator"]),
        "value": _quantity(float(row["value"]), unit),
        "period_start": start,
        "period_end": end,
        "region": row["region"],
        "issuer": row["issuer"],
        "evidence": evidence,
        "qualifiers": tuple(q for q in str(row["qualifiers"]).split("|") if q),
        "part_of": row["part_of"],
        "record_id": row["record_id"],
    }
    if row["kind"] == "target":
        high_raw = row["value_high"]
        high = None if pd.isna(high_raw) else _quantity(float(high_raw), unit)
        return Target(value_high=high, deadline=end, **common)
    growth: float | None = None
    growth_unit = ""
    if not pd.isna(row["growth_pct"]):
        growth, growth_unit = float(row["growth_pct"]), "%"
    elif not pd.isna(row["growth_pp"]):
        growth, growth_unit = float(row["growth_pp"]), "个百分点"
    return Actual(
        growth=growth,
        growth_unit=growth_unit,
        rank=row["rank"],
        approx=row["approx"],
        is_forecast=row["kind"] == "forecast",
        **common,
    )


def _string_columns(model: Any) -> list[str]:
    """The columns a pandera model declares as strings (empty, not missing, when blank)."""
    schema = model.to_schema()
    return [
        name
        for name, column in schema.columns.items()
        if str(column.dtype).startswith(("str", "string", "category"))
    ]


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


def fill_strings(frame: pd.DataFrame, columns: Sequence[str] | None = None) -> pd.DataFrame:
    """Missing values of string columns (default: RecordFrame's) become empty strings.

    Text and categorical columns of text are filled in their own storage (a categorical of a
    million rows is not turned into a million Python strings); anything else becomes text.
    """
    frame = frame.copy(deep=False)
    for column in columns if columns is not None else _string_columns(RecordFrame):
        if column not in frame.columns:
            continue
        series = frame[column]
        if isinstance(series.dtype, pd.CategoricalDtype) and isinstance(
            series.cat.categories.dtype, pd.StringDtype
        ):
            if series.isna().any():
                if "" not in series.cat.categories:
                    series = series.cat.add_categories([""])
                frame[column] = series.fillna("")
        elif isinstance(series.dtype, pd.StringDtype):
            if series.isna().any():
                frame[column] = series.fillna("")
        else:
            frame[column] = series.astype(object).where(series.notna(), "").astype(str)
    return frame


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
    frame = fill_strings(frame, _string_columns(model))
    frame = _parse_bools(frame, model)
    try:
        return validate(frame, model, what=what or str(source), compact=True)
    except SchemaError:
        raise
    except UnitError:
        raise


def filter_kinds(frame: pd.DataFrame, kinds: Sequence[str]) -> pd.DataFrame:
    """Rows of ``frame`` whose ``kind`` is one of ``kinds`` (categoricals keep only the
    categories these rows use)."""
    rows = frame[frame["kind"].isin(list(kinds))].reset_index(drop=True)
    return sorted_categories(rows, compact=True)


def as_text(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with its categorical columns as plain text (``str``), for operations that
    treat them as text values: comparing two columns, ``max``/``min`` or ``<``, joining with
    ``+``, writing a value that is not yet a category. Costs one string per row and column."""
    categorical = [c for c in frame.columns if isinstance(frame[c].dtype, pd.CategoricalDtype)]
    return frame.astype(dict.fromkeys(categorical, str))
