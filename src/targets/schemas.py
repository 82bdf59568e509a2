"""pandera models of the frames ``targets`` produces and accepts.

Every public frame is validated at the boundary (``Config: strict, coerce``): a frame read from
CSV, Parquet or JSON that lacks a column or holds a wrong type fails with a
:class:`~targets.errors.SchemaError` that lists the failing cells.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

from targets.errors import SchemaError
from targets.models import Comparator, Measure

__all__ = [
    "ActualFrame",
    "FindingFrame",
    "ReconciledFrame",
    "RecordFrame",
    "TargetFrame",
    "validate",
]

KINDS = ("target", "actual", "forecast")
MEASURES = tuple(m.value for m in Measure)
COMPARATORS = tuple(c.value for c in Comparator)
SEVERITIES = ("info", "warning", "error")
_CODE = r"^(?:[a-z][a-z0-9_]*)?$"
_MONTHS = r"^(?:\d{1,2}-\d{1,2})?$"


class RecordFrame(pa.DataFrameModel):
    """One row per extracted record (the ``targets extract`` contract)."""

    record_id: Series[str]
    doc: Series[str]
    region: Series[str]
    issuer: Series[str]
    kind: Series[str] = pa.Field(isin=KINDS)
    indicator: Series[str] = pa.Field(str_matches=_CODE)
    indicator_text: Series[str]
    measure: Series[str] = pa.Field(isin=MEASURES)
    comparator: Series[str] = pa.Field(isin=COMPARATORS)
    value: Series[float]
    value_high: Series[float] = pa.Field(nullable=True)
    unit: Series[str]
    base_value: Series[float]
    base_value_high: Series[float] = pa.Field(nullable=True)
    base_unit: Series[str]
    year: Series[int] = pa.Field(ge=1900, le=2200)
    months: Series[str] = pa.Field(str_matches=_MONTHS)
    period_start: Series[pd.Timestamp]
    period_end: Series[pd.Timestamp]
    growth_pct: Series[float] = pa.Field(nullable=True)
    growth_pp: Series[float] = pa.Field(nullable=True)
    rank: Series[str]
    approx: Series[str]
    qualifiers: Series[str]
    part_of: Series[str]
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
    def range_has_high(cls, df: pd.DataFrame) -> pd.Series[bool]:
        """A ``range`` comparator has a ``value_high``; no other comparator does."""
        return (df["comparator"] == "range") == df["value_high"].notna()


class TargetFrame(RecordFrame):
    """Records of kind ``target``."""

    kind: Series[str] = pa.Field(isin=("target",))


class ActualFrame(RecordFrame):
    """Records of kind ``actual`` or ``forecast``."""

    kind: Series[str] = pa.Field(isin=("actual", "forecast"))


class ReconciledFrame(pa.DataFrameModel):
    """One row per target with its baseline, outcome, ambition and trajectory."""

    record_id: Series[str]
    doc: Series[str]
    region: Series[str]
    indicator: Series[str]
    indicator_text: Series[str]
    measure: Series[str] = pa.Field(isin=MEASURES)
    comparator: Series[str] = pa.Field(isin=COMPARATORS)
    year: Series[int]
    target_value: Series[float]
    target_value_high: Series[float] = pa.Field(nullable=True)
    target_unit: Series[str]
    base_unit: Series[str]
    baseline_value: Series[float] = pa.Field(nullable=True)
    baseline_year: Series[float] = pa.Field(nullable=True)
    baseline_months: Series[str]
    baseline_quote: Series[str]
    baseline_doc: Series[str]
    partial_period: Series[bool]
    actual_value: Series[float] = pa.Field(nullable=True)
    actual_quote: Series[str]
    outcome: Series[str] = pa.Field(isin=("met", "missed", "pending", "not_comparable"))
    reason: Series[str]
    attainment: Series[float] = pa.Field(nullable=True)
    gap: Series[float] = pa.Field(nullable=True)
    required_change: Series[float] = pa.Field(nullable=True)
    required_change_pct: Series[float] = pa.Field(nullable=True)
    required_cagr_pct: Series[float] = pa.Field(nullable=True)
    historical_cagr_pct: Series[float] = pa.Field(nullable=True)
    projected_value: Series[float] = pa.Field(nullable=True)
    progress: Series[str] = pa.Field(
        isin=("", "already_met", "on_track", "moderate", "limited", "deteriorating")
    )
    quote: Series[str]

    class Config:
        strict = True
        coerce = True


class FindingFrame(pa.DataFrameModel):
    """One row per finding: a target or figure that does not add up, with evidence."""

    code: Series[str]
    severity: Series[str] = pa.Field(isin=SEVERITIES)
    doc: Series[str]
    region: Series[str]
    indicator: Series[str]
    indicator_text: Series[str]
    measure: Series[str]
    year: Series[int]
    target_value: Series[float] = pa.Field(nullable=True)
    target_unit: Series[str]
    reference_value: Series[float] = pa.Field(nullable=True)
    reference_unit: Series[str]
    reference_year: Series[float] = pa.Field(nullable=True)
    reference_doc: Series[str]
    message_zh: Series[str]
    message_en: Series[str]
    message: Series[str]
    quote: Series[str]
    reference_quote: Series[str]
    record_id: Series[str]

    class Config:
        strict = True
        coerce = True


def validate(frame: pd.DataFrame, model: Any, *, what: str = "frame") -> pd.DataFrame:
    """Validate ``frame`` against a pandera ``model``, raising one clear error.

    Raises:
        SchemaError: missing or extra columns, wrong types or failed checks; the message
            lists up to ten failing cases and ``failure_cases`` holds them all.
    """
    try:
        # coerce into a shallow copy: columns that already have their type are shared with
        # ``frame``, not copied (a 4M-row frame would otherwise be duplicated), and copy-on-
        # write keeps ``frame`` itself unchanged
        return model.validate(  # type: ignore[no-any-return]
            frame.copy(deep=False), lazy=True, inplace=True
        )
    except pa.errors.SchemaErrors as exc:
        cases = exc.failure_cases
        lines: list[str] = []
        seen: set[tuple[str, str]] = set()
        for row in cases.itertuples(index=False):
            column = getattr(row, "column", None)
            check = str(getattr(row, "check", None))
            case = getattr(row, "failure_case", None)
            index = getattr(row, "index", None)
            where = f"row {index}" if index is not None and not pd.isna(index) else "frame"
            frame_check = (
                getattr(row, "schema_context", "") == "DataFrameSchema"
                and column not in (None, "")
                and check not in ("column_in_schema", "column_in_dataframe")
            )
            key = (check, where) if frame_check else (check, f"{column}:{where}")
            if key in seen:
                continue
            seen.add(key)
            if frame_check:
                lines.append(f"  {where}: check {check} failed")
            else:
                lines.append(f"  {column or '-'}: {check} failed for {case!r} ({where})")
        shown = lines[:10]
        more = f"\n  ... and {len(lines) - 10} more" if len(lines) > 10 else ""
        lines = shown
        raise SchemaError(
            f"{what} does not match {model.__name__} ({len(cases)} problems):\n"
            + "\n".join(lines)
            + more,
            failure_cases=cases,
        ) from None
