"""The bridge between records and pandas frames (files on disk: :mod:`targets.io`).

A frame is tidy: one row per record, ASCII snake_case columns, a float ``value`` and a ``unit``
string, and ``base_value`` in the base unit of the unit's dimension (元, 家, %, ...). No pint
objects live in frames; :func:`unit_factors` gives one conversion factor per unit so that a
million rows convert with one multiplication.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any, cast

import numpy as np
import pandas as pd

from targets.models import Actual, Comparator, Evidence, Measure, Record, Target
from targets.schemas import RecordFrame, sorted_categories
from targets.schemas import validate as check_schema
from targets.units import quantity, registry, scaled, unit_info

if TYPE_CHECKING:
    from pandera.typing.pandas import DataFrame

__all__ = [
    "COLUMNS",
    "CONTRACT_COLUMNS",
    "as_text",
    "fill_strings",
    "filter_kinds",
    "from_frame",
    "record_rows",
    "rows_frame",
    "string_columns",
    "to_frame",
    "unit_factors",
]

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


def _unit_text(unit: Any) -> str:
    """The spelling of a pint unit in a frame (``亿元``; ``""`` for a bare number)."""
    if str(unit) == "dimensionless":
        return ""
    return f"{unit:~}"


def _months(start: date, end: date) -> str:
    if (
        start.month == 1
        and start.day == 1
        and end.month == 12
        and end.day == 31
        and start.year == end.year
    ):
        return ""
    return f"{start.month}-{end.month}"


class _Units:
    """Unit facts for frames, worked out once per distinct unit rather than once per row:
    the spelling of a pint unit, and the base unit and exact factor of a spelling."""

    def __init__(self) -> None:
        self.texts: dict[Any, str] = {}
        self.bases: dict[str, tuple[Decimal, str]] = {}

    def text(self, unit: Any) -> str:
        found = self.texts.get(unit)
        if found is None:
            found = self.texts[unit] = _unit_text(unit)
        return found

    def base(self, value: float, unit: str) -> tuple[float, str]:
        """``value`` in the base unit of ``unit``, exactly for decimals (as
        :func:`~targets.units.to_base_value`), and the base unit."""
        if not unit:
            return value, ""
        found = self.bases.get(unit)
        if found is None:
            info = unit_info(unit)
            found = self.bases[unit] = (info.factor, info.base)
        return scaled(value, found[0]), found[1]


_TEXT_COLUMNS = (
    "record_id",
    "doc",
    "region",
    "issuer",
    "kind",
    "indicator",
    "indicator_text",
    "measure",
    "comparator",
    "unit",
    "base_unit",
    "months",
    "rank",
    "approx",
    "qualifiers",
    "part_of",
    "quote",
)
_FLOAT_COLUMNS = (
    "value",
    "value_high",
    "base_value",
    "base_value_high",
    "growth_pct",
    "growth_pp",
)


def _row(r: Record, units: _Units) -> tuple[Any, ...]:
    """One record as the values of a frame row, in :data:`COLUMNS` order."""
    q = r.value
    unit = units.text(q.units)
    value = float(q.magnitude)
    base_value, base_unit = units.base(value, unit)
    high = base_high = math.nan
    growth_pct = growth_pp = math.nan
    rank = approx = ""
    if isinstance(r, Target):
        if r.value_high is not None:
            high = float(r.value_high.to(q.units).magnitude)
            base_high = units.base(high, unit)[0]
    else:
        rank, approx = r.rank, r.approx
        if r.growth is not None:
            if r.growth_unit in _POINTS:
                growth_pp = r.growth
            else:
                growth_pct = r.growth
    ev = r.evidence
    return (
        r.record_id,
        ev.doc,
        r.region,
        r.issuer,
        r.kind,
        r.indicator,
        r.indicator_text,
        r.measure.value,
        r.comparator.value,
        value,
        high,
        unit,
        base_value,
        base_high,
        base_unit,
        r.period_end.year,
        _months(r.period_start, r.period_end),
        r.period_start,
        r.period_end,
        growth_pct,
        growth_pp,
        rank,
        approx,
        "|".join(r.qualifiers),
        r.part_of,
        ev.quote,
        ev.start,
        ev.end,
    )


def record_rows(records: Iterable[Record]) -> list[tuple[Any, ...]]:
    """The rows of the records frame of ``records``, as tuples in :data:`COLUMNS` order.

    Plain values (text, floats, ints, dates; no pint objects), so they pickle small and cross
    process boundaries; :func:`rows_frame` of the rows of many reports is :func:`to_frame`
    of all their records, built and validated once.
    """
    units = _Units()
    return [_row(r, units) for r in records]


def rows_frame(rows: Sequence[tuple[Any, ...]], *, validate: bool = True) -> DataFrame[RecordFrame]:
    """The records frame of rows from :func:`record_rows` (validated unless ``validate=False``).

    Each column is built whole from the rows.
    """
    if not rows:
        frame = pd.DataFrame([], columns=COLUMNS)
    else:
        data: dict[str, Any] = {}
        for name, values in zip(COLUMNS, zip(*rows, strict=True), strict=True):
            if name in _TEXT_COLUMNS:
                data[name] = pd.array(values, dtype="str")
            elif name in _FLOAT_COLUMNS:
                data[name] = np.array(values, dtype="float64")
            elif name in ("period_start", "period_end"):
                data[name] = np.array(values, dtype="datetime64[D]").astype("datetime64[s]")
            else:
                data[name] = np.array(values, dtype="int64")
        frame = pd.DataFrame(data, columns=COLUMNS)
    if not validate:
        return cast("DataFrame[RecordFrame]", frame)
    return check_schema(frame, RecordFrame, what="records frame", compact=True)


def to_frame(records: Iterable[Record], *, validate: bool = True) -> DataFrame[RecordFrame]:
    """A validated :class:`~targets.schemas.RecordFrame` of ``records`` (targets and actuals).

    Base values are converted exactly (16.06亿元 → 1606000000.0 元). ``validate=False``
    skips the schema check, for callers that validate a concatenation of many frames once
    (or build one frame of many reports with :func:`record_rows` and :func:`rows_frame`).

    Columns are built whole from one pass over the records; pint is asked once per distinct
    unit, not once per row.
    """
    return rows_frame(record_rows(records), validate=validate)


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
    frame = check_schema(fill_strings(frame), RecordFrame, what="records frame")
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


def string_columns(model: Any) -> list[str]:
    """The columns a pandera model declares as strings (empty, not missing, when blank)."""
    schema = model.to_schema()
    return [
        name
        for name, column in schema.columns.items()
        if str(column.dtype).startswith(("str", "string", "category"))
    ]


def fill_strings(frame: pd.DataFrame, columns: Sequence[str] | None = None) -> pd.DataFrame:
    """Missing values of string columns (default: RecordFrame's) become empty strings.

    Text and categorical columns of text are filled in their own storage (a categorical of a
    million rows is not turned into a million Python strings); anything else becomes text.
    """
    frame = frame.copy(deep=False)
    for column in columns if columns is not None else string_columns(RecordFrame):
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
