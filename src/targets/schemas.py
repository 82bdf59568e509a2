"""pandera models of the frames ``targets`` produces and accepts.

Every public frame is validated at the boundary (``Config: strict, coerce``): a frame read from
CSV, Parquet or JSON that lacks a column or holds a wrong type fails with a
:class:`~targets.errors.SchemaError` that lists the failing cells.

Text columns with few distinct values (``doc``, ``region``, ``kind``, ``unit`` …) are
``Category``: pandas categoricals, one small integer code per row instead of a string, which
halves a large records frame (4M rows: 508 MB instead of 1,064 MB). Plain text is accepted and
converted; categories are kept in text order, so comparing, grouping and sorting behave as on
text.
"""

from __future__ import annotations

import re
from functools import cache
from typing import TYPE_CHECKING, Any, TypeVar, cast

import numpy as np
import pandas as pd
import pandera.pandas as pa
from pandas.api.types import union_categoricals
from pandera.typing.pandas import Category, Series

from targets.errors import SchemaError
from targets.models import Comparator, Direction, Measure

if TYPE_CHECKING:
    from pandera.typing.pandas import DataFrame

Model = TypeVar("Model", bound=pa.DataFrameModel)

__all__ = [
    "RECORD_IDENTITY",
    "ActualFrame",
    "FindingFrame",
    "ReconciledFrame",
    "RecordFrame",
    "SeriesFrame",
    "TargetFrame",
    "TrackRecordFrame",
    "concat",
    "describe_failure",
    "validate",
]

KINDS = ("target", "actual", "forecast")
MEASURES = tuple(m.value for m in Measure)
COMPARATORS = tuple(c.value for c in Comparator)
SEVERITIES = ("info", "warning", "error")
OUTCOMES = ("met", "near", "missed", "pending", "not_comparable")
"""``near``: an approximate (左右) or range target missed by at most 5 % of its point, on the
wrong side of it (7.4% against 7.5%左右 for a more-is-better indicator)."""
DIRECTIONS = tuple(d.value for d in Direction)
_CODE = r"^(?:[a-z][a-z0-9_]*)?$"
_MONTHS = r"^(?:\d{1,2}-\d{1,2})?$"


RECORD_IDENTITY = ("record_id", "indicator", "indicator_text", "value", "unit")
"""The columns that tell two records apart (a table cell may hold two under one id)."""


class RecordFrame(pa.DataFrameModel):
    """One row per extracted record (the ``targets extract`` contract)."""

    record_id: Series[str]
    doc: Series[Category]
    region: Series[Category]
    issuer: Series[Category]
    kind: Series[Category] = pa.Field(isin=KINDS)
    indicator: Series[Category] = pa.Field(str_matches=_CODE)
    indicator_text: Series[Category]
    measure: Series[Category] = pa.Field(isin=MEASURES)
    comparator: Series[Category] = pa.Field(isin=COMPARATORS)
    value: Series[float]
    value_high: Series[float] = pa.Field(nullable=True)
    unit: Series[Category]
    base_value: Series[float]
    base_value_high: Series[float] = pa.Field(nullable=True)
    base_unit: Series[Category]
    year: Series[int] = pa.Field(ge=1900, le=2200)
    months: Series[Category] = pa.Field(str_matches=_MONTHS)
    period_start: Series[pd.Timestamp]
    period_end: Series[pd.Timestamp]
    growth_pct: Series[float] = pa.Field(nullable=True)
    growth_pp: Series[float] = pa.Field(nullable=True)
    rank: Series[Category]
    approx: Series[Category]
    qualifiers: Series[Category]
    part_of: Series[Category]
    quote: Series[str]
    start: Series[int] = pa.Field(ge=0)
    end: Series[int] = pa.Field(ge=0)

    class Config:
        strict = True
        coerce = True

    @pa.dataframe_check
    @classmethod
    def span_is_ordered(cls, df: pd.DataFrame) -> pd.Series[bool]:
        """``start <= end`` for every evidence span."""
        return df["start"] <= df["end"]

    @pa.dataframe_check
    @classmethod
    def each_record_once(cls, df: pd.DataFrame) -> pd.Series[bool]:
        """No record twice: two targets of one table cell share a ``record_id`` but not their
        indicator and value; a frame joined with itself repeats all three."""
        return ~df.duplicated(subset=list(RECORD_IDENTITY), keep="first")

    @pa.dataframe_check
    @classmethod
    def range_has_high(cls, df: pd.DataFrame) -> pd.Series[bool]:
        """A ``range`` comparator has a ``value_high``; no other comparator does."""
        return (df["comparator"] == "range") == df["value_high"].notna()


class TargetFrame(RecordFrame):
    """Records of kind ``target``."""

    kind: Series[Category] = pa.Field(isin=("target",))


class ActualFrame(RecordFrame):
    """Records of kind ``actual`` or ``forecast``."""

    kind: Series[Category] = pa.Field(isin=("actual", "forecast"))


class ReconciledFrame(pa.DataFrameModel):
    """One row per target with its baseline, outcome, ambition and trajectory."""

    record_id: Series[str]
    doc: Series[Category]
    region: Series[Category]
    indicator: Series[Category]
    indicator_text: Series[Category]
    measure: Series[Category] = pa.Field(isin=MEASURES)
    comparator: Series[Category] = pa.Field(isin=COMPARATORS)
    year: Series[int]
    target_value: Series[float]
    target_value_high: Series[float] = pa.Field(nullable=True)
    target_unit: Series[Category]
    base_unit: Series[Category]
    baseline_value: Series[float] = pa.Field(nullable=True)
    baseline_year: Series[float] = pa.Field(nullable=True)
    baseline_months: Series[Category]
    baseline_quote: Series[str]
    baseline_doc: Series[Category]
    partial_period: Series[bool]
    actual_value: Series[float] = pa.Field(nullable=True)
    actual_quote: Series[str]
    actual_doc: Series[Category]
    actual_note: Series[str]
    """Other reports that state the target year differently (a revision), and which was used."""
    direction: Series[Category] = pa.Field(isin=DIRECTIONS)
    """How the outcome was judged: higher_is_better, lower_is_better or target_band."""
    outcome: Series[Category] = pa.Field(isin=OUTCOMES)
    reason: Series[Category]
    attainment: Series[float] = pa.Field(nullable=True)
    gap: Series[float] = pa.Field(nullable=True)
    required_change: Series[float] = pa.Field(nullable=True)
    required_change_pct: Series[float] = pa.Field(nullable=True)
    required_cagr_pct: Series[float] = pa.Field(nullable=True)
    historical_cagr_pct: Series[float] = pa.Field(nullable=True)
    projected_value: Series[float] = pa.Field(nullable=True)
    progress: Series[Category] = pa.Field(
        isin=("", "already_met", "on_track", "moderate", "limited", "deteriorating")
    )
    quote: Series[str]

    class Config:
        strict = True
        coerce = True


class SeriesFrame(pa.DataFrameModel):
    """One row per point of a series of reported actuals (:func:`targets.series.series`).

    A series is one (``region_key``, ``indicator_key``, ``measure``, ``base_unit``), numbered
    ``gid``. Besides the reported figures it holds two kinds of points read from them: a
    ``derived`` level a year earlier (16.06亿元 at +21.58 % implies 13.21亿元 for 2023) and
    the growth stated with a level (``from_level``: 完成235.2亿元，同比增长18.5% is a point
    18.5 % of the growth series), both quoting the sentence they come from.
    """

    gid: Series[int] = pa.Field(ge=0)
    region_key: Series[Category]
    indicator_key: Series[Category]
    """A catalogue code (a growth of a level: the growth's code) or ``text:`` + the words."""
    indicator: Series[Category]
    measure: Series[Category] = pa.Field(isin=MEASURES)
    base_unit: Series[Category]
    year: Series[int]
    months: Series[Category]
    full_year: Series[bool]
    derived: Series[bool]
    from_level: Series[bool]
    authoritative: Series[bool]
    """The point's year is the year its report gives the results of (report N+1 for year N)."""
    known: Series[bool]
    base_value: Series[float]
    value: Series[float]
    unit: Series[Category]
    growth_pct: Series[float] = pa.Field(nullable=True)
    doc: Series[Category]
    region: Series[Category]
    indicator_text: Series[Category]
    record_id: Series[str]
    quote: Series[str]

    class Config:
        strict = True
        coerce = True


class TrackRecordFrame(pa.DataFrameModel):
    """One row per (region, indicator, year) target of a catalogue indicator, in region,
    indicator and year order: what was planned, what was later reported, and both sentences."""

    region: Series[Category]
    indicator: Series[Category]
    indicator_text: Series[Category]
    year: Series[int]
    comparator: Series[Category] = pa.Field(isin=COMPARATORS)
    target_value: Series[float]
    target_value_high: Series[float] = pa.Field(nullable=True)
    target_unit: Series[Category]
    actual_value: Series[float] = pa.Field(nullable=True)
    outcome: Series[Category] = pa.Field(isin=OUTCOMES)
    direction: Series[Category] = pa.Field(isin=DIRECTIONS)
    target_doc: Series[Category]
    target_quote: Series[str]
    actual_doc: Series[Category]
    actual_quote: Series[str]
    actual_note: Series[str]
    record_id: Series[str]

    class Config:
        strict = True
        coerce = True


class FindingFrame(pa.DataFrameModel):
    """One row per finding: a target or figure that does not add up, with evidence."""

    code: Series[Category]
    severity: Series[Category] = pa.Field(isin=SEVERITIES)
    doc: Series[Category]
    region: Series[Category]
    indicator: Series[Category]
    indicator_text: Series[Category]
    measure: Series[Category]
    year: Series[int]
    target_value: Series[float] = pa.Field(nullable=True)
    target_unit: Series[Category]
    reference_value: Series[float] = pa.Field(nullable=True)
    reference_unit: Series[Category]
    reference_year: Series[float] = pa.Field(nullable=True)
    reference_doc: Series[Category]
    message_zh: Series[str]
    message_en: Series[str]
    message: Series[str]
    quote: Series[str]
    reference_quote: Series[str]
    record_id: Series[str]

    class Config:
        strict = True
        coerce = True


def concat(frames: list[pd.DataFrame]) -> pd.DataFrame:
    """The rows of ``frames`` in order, with a fresh index. A column that is categorical in
    every frame stays categorical (over the union of the categories, sorted); plain
    ``pd.concat`` turns it into Python objects, one per row, when the categories differ."""
    if len(frames) == 1:
        return frames[0].reset_index(drop=True)
    names = list(dict.fromkeys(name for frame in frames for name in frame.columns))
    categorical = [
        name
        for name in names
        if all(
            name in frame.columns and isinstance(frame[name].dtype, pd.CategoricalDtype)
            for frame in frames
        )
    ]
    out = pd.concat([frame.drop(columns=categorical) for frame in frames], ignore_index=True)
    for name in categorical:
        parts = [frame[name] for frame in frames if len(frame)] or [frames[0][name]]
        try:
            out[name] = union_categoricals(parts, sort_categories=True)
        except TypeError:  # categories of different types: let validation make them text
            out[name] = pd.concat(parts, ignore_index=True).astype(object)
    return out[names]


@cache
def _categorical_columns(model: Any) -> tuple[str, ...]:
    """The columns ``model`` declares categorical."""
    columns = model.to_schema().columns
    return tuple(name for name, column in columns.items() if str(column.dtype) == "category")


_STR = pd.Series([""]).dtype
"""pandas' default text type (``str``), the type of every text column and category."""


def _as_text(frame: pd.DataFrame, model: Any) -> pd.DataFrame:
    """Columns that should be categoricals of text but hold something else (numbers, the
    float type of an empty column, or another text type such as ``string``) made ``str``
    first, so that the schema checks see text and all frames share one category type."""
    for name in _categorical_columns(model):
        if name not in frame.columns:
            continue
        column = frame[name]
        if isinstance(column.dtype, pd.CategoricalDtype):
            if column.cat.categories.dtype != _STR:
                frame[name] = column.astype(_STR)
        elif column.dtype != _STR:
            frame[name] = column.astype(_STR)
    return frame


def sorted_categories(frame: pd.DataFrame, *, compact: bool) -> pd.DataFrame:
    """Categorical columns with their categories in text order (so that sorting by one orders
    its values as text), without the categories no row uses when ``compact``."""
    for name in frame.columns:
        column = frame[name]
        if not isinstance(column.dtype, pd.CategoricalDtype):
            continue
        categories = column.cat.categories
        codes = column.cat.codes.to_numpy()
        keep = np.ones(len(categories), dtype=bool)
        if compact:  # one counting pass (``remove_unused_categories`` sorts the codes)
            keep = np.bincount(codes.astype(np.intp) + 1, minlength=len(categories) + 1)[1:] > 0
        ordered = categories.is_monotonic_increasing
        if keep.all() and ordered:
            continue
        kept = categories[keep]
        order = np.arange(len(kept)) if ordered else np.argsort(kept.to_numpy(), kind="stable")
        new_code = np.full(len(categories) + 1, -1, dtype=np.int64)  # the last is for -1
        new_code[np.flatnonzero(keep)[order]] = np.arange(len(kept))
        frame[name] = pd.Series(
            pd.Categorical.from_codes(new_code[codes], categories=kept[order]),
            index=column.index,
            name=name,
        )
    return frame


_COERCE = re.compile(r"coerce_dtype\('(?P<dtype>[^']+)'\)")
_FRAME_CHECKS = {
    "span_is_ordered": (("start", "end"), "start is after end (the evidence span is reversed)"),
    "range_has_high": (
        ("comparator", "value_high"),
        "a range comparator needs value_high, and only a range has one",
    ),
    "each_record_once": (
        RECORD_IDENTITY,
        "the same record again (record_id, indicator and value repeat an earlier row: an "
        "input given twice?)",
    ),
}
"""Plain sentences for the checks of a whole row, and the columns they read."""
_FORMS = {
    "indicator": "a catalogue code (lower-case letters, digits and _) or empty",
    "months": "a month range such as 1-11, or empty",
}


def describe_failure(check: str, column: str | None, case: object) -> tuple[tuple[str, ...], str]:
    """The columns a failed pandera check is about and a plain sentence for it, without
    pandera's check names (``isin(...)`` → ``'x' is not one of target, actual, forecast``).

    Args:
        check: pandera's name of the check (the ``check`` of a failure case).
        column: the column of the failure case (``None`` for the frame).
        case: the failing value.
    """
    if check in _FRAME_CHECKS:
        return _FRAME_CHECKS[check]
    named = (column,) if column else ()
    if check == "column_in_schema":
        return (str(case),), f"unknown column {case!r}"
    if check == "column_in_dataframe":
        return (str(case),), f"missing column {case!r}"
    if coerce := _COERCE.fullmatch(check):
        return named, f"{case!r} is not {coerce['dtype']}"
    if check.startswith("dtype("):
        return named, f"the column's type is {case}, not {check[7:-2]}"
    if check.startswith("isin("):
        if case == "":
            return named, "empty (required)"
        allowed = re.findall(r"'([^']*)'", check)
        return named, f"{case!r} is not one of {', '.join(allowed)}"
    if check.startswith("str_matches("):
        return named, f"{case!r} is not {_FORMS.get(column or '', 'of the expected form')}"
    bound = re.fullmatch(r"(greater|less)_than_or_equal_to\((.*)\)", check)
    if bound:
        side = "below" if bound[1] == "greater" else "above"
        return named, f"{case!r} is {side} {bound[2]}"
    if check in ("not_nullable", "field_uniqueness"):
        return named, "empty (required)" if check == "not_nullable" else f"{case!r} repeats"
    return named, f"{case!r} is not allowed here"


def _problem_lines(cases: pd.DataFrame) -> list[str]:
    """One line per problem in pandera's failure cases.

    A cell that cannot be converted fails twice in pandera, as ``coerce_dtype`` and again as
    ``dtype``; it is one problem, said once (``year: '明年' is not int64 (row 3)``), and the
    checks of that column which then fail on the unconverted column as a whole are left out.
    A check of the whole frame is said once per row.
    """
    lines: list[str] = []
    seen: set[tuple[str, str]] = set()
    rows = list(cases.itertuples(index=False))
    rows.sort(key=lambda row: _COERCE.fullmatch(str(getattr(row, "check", ""))) is None)
    mistyped = {
        getattr(row, "column", None)
        for row in rows
        if _COERCE.fullmatch(check := str(getattr(row, "check", ""))) or check.startswith("dtype(")
    }
    for row in rows:
        column = getattr(row, "column", None)
        check = str(getattr(row, "check", None))
        case = getattr(row, "failure_case", None)
        index = getattr(row, "index", None)
        where = f"row {index}" if index is not None and not pd.isna(index) else "frame"
        if column in mistyped and where == "frame" and not check.startswith("dtype("):
            continue  # a check of the whole column that failed only because of the wrong type
        frame_check = (
            getattr(row, "schema_context", "") == "DataFrameSchema"
            and column not in (None, "")
            and check not in ("column_in_schema", "column_in_dataframe")
        )
        coerce = _COERCE.fullmatch(check)
        if frame_check:
            key = (check, where)
        elif coerce or check.startswith("dtype("):
            key = ("dtype", f"{column}:{where}")  # the failed conversion and its wrong type
        else:
            key = (check, f"{column}:{where}")
        if key in seen:
            continue
        seen.add(key)
        columns, sentence = describe_failure(check, column, case)
        if frame_check:
            lines.append(f"  {where}: {sentence}")
        elif check in ("column_in_schema", "column_in_dataframe"):
            lines.append(f"  {sentence}")
        else:
            lines.append(f"  {' and '.join(columns) or '-'}: {sentence} ({where})")
    return lines


def validate(
    frame: pd.DataFrame, model: type[Model], *, what: str = "frame", compact: bool = False
) -> DataFrame[Model]:
    """Validate ``frame`` against a pandera ``model``, raising one clear error.

    Text columns of few distinct values are categoricals; their categories are put in text
    order. ``compact`` (for the frames ``targets`` returns) also drops categories no row uses,
    so that a frame equals itself written and read back.

    Raises:
        SchemaError: missing or extra columns, wrong types or failed checks; the message
            lists up to ten failing cases and ``failure_cases`` holds them all.
    """
    try:
        # coerce into a shallow copy: columns that already have their type are shared with
        # ``frame``, not copied (a 4M-row frame would otherwise be duplicated), and copy-on-
        # write keeps ``frame`` itself unchanged
        checked = model.validate(_as_text(frame.copy(deep=False), model), lazy=True, inplace=True)
    except pa.errors.SchemaErrors as exc:
        cases = exc.failure_cases
        lines = _problem_lines(cases)
        more = f"\n  ... and {len(lines) - 10} more" if len(lines) > 10 else ""
        raise SchemaError(
            f"{what} does not match {model.__name__} ({len(lines)} problems):\n"
            + "\n".join(lines[:10])
            + more,
            failure_cases=cases,
        ) from None
    return cast("DataFrame[Model]", sorted_categories(checked, compact=compact))
