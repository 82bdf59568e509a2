"""Consistency findings: targets and figures that do not add up, with evidence.

An inconsistency in the data is a finding row, never an exception. Each finding code has one
function here; :func:`check` runs them all and returns a
:class:`~targets.schemas.FindingFrame`. Messages are bilingual (Chinese first).

| code | severity | rule |
|---|---|---|
| ``target_below_baseline`` | by gap | higher-is-better target below the latest earlier actual of
  the same indicator and measure (mirrored for lower-is-better); error from 20 % below,
  warning from 5 %, info under 5 %; one step milder for growth-rate targets |
| ``target_equals_baseline`` | warning | a level target equal to an earlier actual (a stale
  target; a growth rate equal to last year's is continuity, not staleness) |
| ``target_already_met`` | info | stock target the baseline already satisfies (not below or
  equal to it: a range or ``~`` band that contains it) |
| ``target_below_trend`` | warning | required annual growth under half the historical pace
  (and at least 5 points under it), with a historical pace of at least 5 % a year |
| ``target_implausible_jump`` | warning | required annual growth above 20 % and above both twice
  the historical pace and the pace plus 20 points |
| ``growth_inconsistent`` | warning | a stated yoy growth more than 1 percentage point away from
  the growth implied by two reported levels |
| ``conflicting_actuals`` | warning/error | two documents report different values for the same
  region, indicator, measure and period (error when they differ by more than 10 %) |
| ``parts_exceed_whole`` | error | 其中 parts (stocks and flows, not rates) summing above their
  stated exact total |
| ``partial_period_baseline`` | info | a baseline that is a partial-year (1-11月) figure |
| ``percent_vs_points`` | warning | a ratio's change stated in % where the two levels differ by
  that many percentage points |
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cached_property
from typing import TYPE_CHECKING, TypeAlias

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from targets.catalogue import catalogue
from targets.formatting import format_numbers
from targets.frames import fill_strings, unit_factors
from targets.reconcile import reconcile
from targets.schemas import FindingFrame, ReconciledFrame, RecordFrame, SeriesFrame, concat
from targets.schemas import validate as check_schema
from targets.series import gather
from targets.series import series as build_series

if TYPE_CHECKING:
    from pandera.typing.pandas import DataFrame

__all__ = ["CHECKS", "check"]


BELOW_ERROR = 0.20
BELOW_WARNING = 0.05
TREND_MIN_PACE = 5.0
TREND_SLOWDOWN = 0.5
JUMP_MIN = 20.0
GROWTH_TOLERANCE_PP = 1.0
CONFLICT_ERROR = 0.10

_SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}

COLUMNS = [
    "code",
    "severity",
    "doc",
    "region",
    "indicator",
    "indicator_text",
    "measure",
    "year",
    "target_value",
    "target_unit",
    "reference_value",
    "reference_unit",
    "reference_year",
    "reference_doc",
    "message_zh",
    "message_en",
    "message",
    "quote",
    "reference_quote",
    "record_id",
]


def _names(rows: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    """Chinese and English indicator names (the report's words for unknown indicators), as
    Arrow text: one name per distinct indicator, taken by code (no Python string per row)."""
    cat = catalogue()
    codes, uniques = pd.factorize(rows["indicator"])
    index = pa.array(codes, mask=codes < 0)
    text = _text(rows["indicator_text"])
    names = []
    for language in ("zh", "en"):
        known = [getattr(cat[u], f"name_{language}") if u in cat else None for u in uniques]
        name = pa.array(known, type=_TEXT).take(index)
        names.append(pd.Series(pc.coalesce(name, text).to_pandas(), dtype=str))
    return names[0], names[1]


_TEXT = pa.large_string()
Text: TypeAlias = "pa.Array | pd.Series | np.ndarray | str"
"""A piece of a message: a literal, or a column of text (one entry per finding)."""


def _lit(text: str) -> pa.Scalar:
    return pa.scalar(text, _TEXT)


def _text(values: pa.Array | pd.Series | np.ndarray) -> pa.Array:
    """A column as Arrow text, missing values empty. A categorical is decoded in Arrow by its
    codes (its categories are made text once, not one Python string per row)."""
    if isinstance(values, pa.Array):
        return pc.fill_null(values.cast(_TEXT), _lit(""))
    if isinstance(values, pd.Series) and isinstance(values.dtype, pd.CategoricalDtype):
        codes = values.cat.codes.to_numpy()
        categories = pa.array(values.cat.categories.astype(str), type=_TEXT)
        taken = categories.take(pa.array(codes, mask=codes < 0))
    elif isinstance(values, pd.Series) and isinstance(values.dtype, pd.StringDtype):
        taken = pa.array(values, type=_TEXT)
    else:
        taken = pa.array(pd.Series(values).astype(str), type=_TEXT)
    return pc.fill_null(taken, _lit(""))


def _join(*parts: Text) -> pd.Series:
    """Messages, one per row: the ``parts`` concatenated row-wise in one Arrow pass (no
    intermediate string per part, no Python object per row)."""
    pieces = [_lit(part) if isinstance(part, str) else _text(part) for part in parts]
    joined = pc.binary_join_element_wise(*pieces, _lit(""))
    return pd.Series(joined.to_pandas(), dtype=str)


def _qty(values: pd.Series, units: pd.Series) -> pa.Array:
    """Quantities as written in reports: ``16.06亿元`` (``?`` when missing)."""
    text = format_numbers(values)
    unit = _text(units)
    joined = pc.binary_join_element_wise(text, unit, _lit(""))
    return pc.if_else(pc.equal(text, _lit("?")), text, joined)


def _year(values: pd.Series) -> pa.Array:
    return format_numbers(values, ".0f")


def _target_zh(r: pd.DataFrame) -> tuple[Text, ...]:
    """How a message names a target: 临安区2025年技术交易额 (followed by 目标 …)."""
    return (r["region"], _year(r["year"]), "年", r["name_zh"])


def _target_en(r: pd.DataFrame) -> tuple[Text, ...]:
    """How a message names a target: 临安区's 2025 target for technology transactions."""
    return (r["region"], "'s ", _year(r["year"]), " target for ", r["name_en"])


def _point_zh(r: pd.DataFrame) -> tuple[Text, ...]:
    """How a message names a reported figure: 临安区技术交易额2024 (followed by 年 …)."""
    return (r["region"], r["name_zh"], _year(r["year"]))


def _point_en(r: pd.DataFrame) -> tuple[Text, ...]:
    """How a message names a reported figure: 临安区 technology transactions 2024."""
    return (r["region"], " ", r["name_en"], " ", _year(r["year"]))


Messages = Callable[[pd.DataFrame], pd.Series]


def _finding_order(
    severity: np.ndarray,
    record_id: pd.Series | np.ndarray | pd.api.extensions.ExtensionArray,
) -> np.ndarray:
    """The order of finding rows: most severe first, then by ``record_id``."""
    rank = pd.Series(severity).map(_SEVERITY_ORDER).to_numpy()
    ids = pd.factorize(pd.Series(record_id).fillna("").astype(str), sort=True)[0]
    return np.lexsort((np.asarray(ids), rank))


_FILLED = (
    "doc",
    "region",
    "indicator",
    "indicator_text",
    "measure",
    "target_unit",
    "reference_unit",
    "reference_doc",
    "quote",
    "reference_quote",
    "record_id",
)
"""Text columns of a finding: empty, not missing, where a finding has no such value."""


def _frame(
    code: str, severity: np.ndarray | str, rows: pd.DataFrame, zh: Messages, en: Messages
) -> pd.DataFrame:
    """Finding rows from ``rows`` (which carries the FindingFrame value columns); ``zh`` and
    ``en`` build the messages for all rows at once from ``rows`` plus ``name_zh``/``name_en``.

    The rows come out in the order of the findings frame (most severe first, then by
    ``record_id``), so that :func:`check` only has to put whole slices one after another:
    the long message texts are written once and never moved.
    """
    if rows.empty:
        return pd.DataFrame(columns=COLUMNS)
    levels = np.broadcast_to(np.asarray(severity, dtype=object), (len(rows),))
    order = _finding_order(levels, rows["record_id"])
    if np.array_equal(order, np.arange(len(order))):  # built in order: nothing to move
        rows = rows.reset_index(drop=True)
    else:
        rows = rows.iloc[order].reset_index(drop=True)
        levels = levels[order]
    rows["severity"] = levels
    rows["name_zh"], rows["name_en"] = _names(rows)
    messages_zh = zh(rows).astype(str)
    messages_en = en(rows).astype(str)
    out = rows.reindex(columns=COLUMNS)
    out["code"] = code
    out["message_zh"] = messages_zh
    out["message_en"] = messages_en
    out["message"] = _join(messages_zh, " / ", messages_en)
    return fill_strings(out, _FILLED)


_POINT_TEXT = (
    "doc",
    "region",
    "indicator",
    "indicator_text",
    "measure",
    "unit",
    "quote",
    "record_id",
)
"""The text columns of a finding row about a reported point."""
_REFERENCE_TEXT = ("doc", "unit", "quote")
"""The text columns of a finding row's reference point."""


class _Context:
    """What the checks share: the records, the reconciled targets and the series frame
    (:func:`targets.series.series`; its text is gathered only for the points that become
    findings)."""

    def __init__(
        self, records: pd.DataFrame, reconciled: pd.DataFrame, points: pd.DataFrame
    ) -> None:
        self.records = records
        self.reconciled = reconciled
        self._points: pd.DataFrame | None = points
        signs = {c: float(ind.direction.sign) for c, ind in catalogue().items()}
        sign = reconciled["indicator"].map(signs).fillna(1.0).to_numpy(dtype=float)
        # compare with the upper bound of a range (the most ambitious end); ``assign`` shares
        # the reconciled columns (copy-on-write), it does not copy them
        rec = reconciled.assign(
            sign=sign,
            target_cmp=reconciled["target_value_high"].where(
                reconciled["comparator"] == "range", reconciled["target_value"]
            ),
        )
        self.rec = rec

    @property
    def points(self) -> pd.DataFrame:
        """The series frame (:class:`~targets.schemas.SeriesFrame`)."""
        if self._points is None:
            raise RuntimeError("the series points were released")
        return self._points

    def release_points(self) -> None:
        """Free the series points and what was computed from them (the largest working
        arrays of the checks), once the checks on them have run."""
        self._points = None
        self.__dict__.pop("previous_level", None)

    @cached_property
    def judged(self) -> pd.DataFrame:
        """Targets of catalogue indicators with a baseline (not ranks): the ones a level
        check can judge."""
        rec = self.rec
        known = rec["indicator"] != ""
        has_base = rec["baseline_value"].notna()
        return rec[known & has_base & (rec["measure"] != "rank")]

    @cached_property
    def previous_level(self) -> tuple[np.ndarray, np.ndarray]:
        """Reported points stating a yoy growth, and the reported level a year earlier.

        Two arrays of positions in ``points``: the stating point and the earlier one (the
        first document's, by name, when several report it; only positive levels). Integer
        work only.
        """
        pts = self.points
        read = pts["derived"].to_numpy(dtype=bool) | pts["from_level"].to_numpy(dtype=bool)
        reported = np.flatnonzero(~read)
        year = pts["year"].to_numpy()
        y0 = int(year.min(initial=0)) - 1  # year - y0 >= 1: the year before stays in the cell
        # one int64 key per reported point: (series, months, year); arrays are updated in
        # place and freed as soon as they are used (this runs on every reported point)
        key = pts["gid"].to_numpy()[reported].astype(np.int64)
        key *= len(pts["months"].cat.categories) + 1
        key += pts["months"].cat.codes.to_numpy()[reported]
        key *= int(year.max(initial=0)) - y0 + 1
        key += year[reported] - y0
        order = np.lexsort((pts["doc"].cat.codes.to_numpy()[reported], key))
        sorted_key = key[order]
        first = np.ones(len(order), dtype=bool)
        first[1:] = sorted_key[1:] != sorted_key[:-1]
        earliest_key = sorted_key[first]
        del sorted_key
        earliest = reported[order[first]]
        del order, first
        growth = pts["growth_pct"].notna().to_numpy()[reported]
        stating, wanted = reported[growth], key[growth] - 1
        del key, reported
        pos = np.empty(len(wanted), dtype=np.int64)
        by_key = np.argsort(wanted, kind="stable")  # sorted queries search memory in order
        pos[by_key] = np.searchsorted(earliest_key, wanted[by_key])
        pos = np.minimum(pos, max(len(earliest_key) - 1, 0))
        found = earliest_key[pos] == wanted if len(earliest_key) else np.zeros(len(wanted), bool)
        stating, previous = stating[found], earliest[pos[found]]
        positive = pts["base_value"].to_numpy(dtype=float)[previous] > 0
        return stating[positive], previous[positive]

    def point_rows(self, at: np.ndarray, columns: tuple[str, ...] = _POINT_TEXT) -> pd.DataFrame:
        """The points at positions ``at`` with their ``year``, ``value`` and the text
        ``columns`` of their records, as finding-row columns."""
        pts = self.points
        out = {column: gather(pts[column], at) for column in columns}
        out["year"] = pts["year"].to_numpy()[at]
        out["value"] = pts["value"].to_numpy(dtype=float)[at]
        return pd.DataFrame(out)


def _target_rows(rec: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "doc": rec["doc"],
            "region": rec["region"],
            "indicator": rec["indicator"],
            "indicator_text": rec["indicator_text"],
            "measure": rec["measure"],
            "year": rec["year"],
            "target_value": rec["target_cmp"],
            "target_unit": rec["target_unit"],
            "reference_value": rec["baseline_value"],
            "reference_unit": rec["target_unit"],
            "reference_year": rec["baseline_year"],
            "reference_doc": rec["baseline_doc"],
            "quote": rec["quote"],
            "reference_quote": rec["baseline_quote"],
            "record_id": rec["record_id"],
            "comparator": rec["comparator"],
        }
    )


def _below_mask(j: pd.DataFrame) -> np.ndarray:
    t = j["target_cmp"].to_numpy(dtype=float)
    b = j["baseline_value"].to_numpy(dtype=float)
    s = j["sign"].to_numpy(dtype=float)
    close = np.isclose(t, b, rtol=1e-9, atol=1e-12)
    return np.asarray(((s > 0) & (t < b) | (s < 0) & (t > b)) & ~close, dtype=bool)


def target_below_baseline(ctx: _Context) -> pd.DataFrame:
    """A target less ambitious than what was already reported."""
    j = ctx.judged
    rows = j[_below_mask(j)]
    t = rows["target_cmp"].to_numpy(dtype=float)
    b = rows["baseline_value"].to_numpy(dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        gap = np.abs(b - t) / np.abs(b)
    severity = np.where(
        gap >= BELOW_ERROR, "error", np.where(gap >= BELOW_WARNING, "warning", "info")
    )
    # a growth-rate target under last year's rate is a judgement about pace, not a level
    # contradiction: at most a warning
    growth = (rows["measure"] == "growth").to_numpy()
    severity = np.where(
        growth & (severity == "error"),
        "warning",
        np.where(growth & (severity == "warning"), "info", severity),
    )
    out = _target_rows(rows)
    out["gap_pct"] = gap * 100

    def zh(r: pd.DataFrame) -> pd.Series:
        side = np.where(r["target_value"] < r["reference_value"], "低于", "高于")
        return _join(
            *_target_zh(r),
            "目标",
            _qty(r["target_value"], r["target_unit"]),
            side,
            _year(r["reference_year"]),
            "年已报告的",
            _qty(r["reference_value"], r["reference_unit"]),
            "（相差",
            format_numbers(r["gap_pct"], ".1f"),
            "%），目标不及已达水平。",
        )

    def en(r: pd.DataFrame) -> pd.Series:
        side = np.where(r["target_value"] < r["reference_value"], "below", "above")
        return _join(
            *_target_en(r),
            " (",
            _qty(r["target_value"], r["target_unit"]),
            ") is ",
            side,
            " the level already reported for ",
            _year(r["reference_year"]),
            " (",
            _qty(r["reference_value"], r["reference_unit"]),
            "), a ",
            format_numbers(r["gap_pct"], ".1f"),
            "% gap: the target asks for less than was done.",
        )

    return _frame("target_below_baseline", severity, out, zh, en)


def target_equals_baseline(ctx: _Context) -> pd.DataFrame:
    """A target equal to an earlier actual: a stale target."""
    j = ctx.judged
    t = j["target_cmp"].to_numpy(dtype=float)
    b = j["baseline_value"].to_numpy(dtype=float)
    rows = j[np.isclose(t, b, rtol=1e-9, atol=1e-12) & (j["measure"] != "growth").to_numpy()]
    out = _target_rows(rows)
    return _frame(
        "target_equals_baseline",
        "warning",
        out,
        lambda r: _join(
            *_target_zh(r),
            "目标",
            _qty(r["target_value"], r["target_unit"]),
            "与",
            _year(r["reference_year"]),
            "年已报告值相同，目标可能未更新。",
        ),
        lambda r: _join(
            *_target_en(r),
            " (",
            _qty(r["target_value"], r["target_unit"]),
            ") equals the value reported for ",
            _year(r["reference_year"]),
            ": a stale target?",
        ),
    )


def target_already_met(ctx: _Context) -> pd.DataFrame:
    """A stock target that the baseline already satisfies (not below or equal to it)."""
    j = ctx.judged
    t = j["target_cmp"].to_numpy(dtype=float)
    b = j["baseline_value"].to_numpy(dtype=float)
    mask = (
        (j["measure"] == "stock").to_numpy()
        & (j["progress"] == "already_met").to_numpy()
        & ~_below_mask(j)
        & ~np.isclose(t, b, rtol=1e-9, atol=1e-12)
    )
    out = _target_rows(j[mask])
    return _frame(
        "target_already_met",
        "info",
        out,
        lambda r: _join(
            *_target_zh(r),
            "目标在",
            _year(r["reference_year"]),
            "年已实现（已报告",
            _qty(r["reference_value"], r["reference_unit"]),
            "）。",
        ),
        lambda r: _join(
            *_target_en(r),
            " was already met in ",
            _year(r["reference_year"]),
            " (reported ",
            _qty(r["reference_value"], r["reference_unit"]),
            ").",
        ),
    )


def _required_rate(j: pd.DataFrame) -> np.ndarray:
    t = j["target_cmp"].to_numpy(dtype=float)
    b = j["baseline_value"].to_numpy(dtype=float)
    span = j["year"].to_numpy(dtype=float) - j["baseline_year"].to_numpy(dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        ok = (t > 0) & (b > 0) & (span >= 1)
        return np.where(ok, ((t / b) ** (1.0 / span) - 1) * 100.0, np.nan)


def _trend_rows(ctx: _Context, jump: bool) -> pd.DataFrame:
    j = ctx.judged[ctx.judged["historical_cagr_pct"].notna() & (ctx.judged["sign"] > 0)]
    req = _required_rate(j)
    hist = j["historical_cagr_pct"].to_numpy(dtype=float)
    with np.errstate(invalid="ignore"):
        if jump:
            mask = (req > JUMP_MIN) & (req > 2 * hist) & (req > hist + JUMP_MIN)
        else:
            mask = (
                (hist >= TREND_MIN_PACE)
                & (req >= 0)
                & (req < TREND_SLOWDOWN * hist)
                & (req < hist - TREND_MIN_PACE)
            )
    rows = _target_rows(j[mask])
    rows["required"] = req[mask]
    rows["historical"] = hist[mask]
    return rows


def _trend_finding(ctx: _Context, *, jump: bool) -> pd.DataFrame:
    code, need_zh, side_zh, side_en = (
        ("target_implausible_jump", "需", "远高于", "far above")
        if jump
        else ("target_below_trend", "只需", "远低于", "far below")
    )
    return _frame(
        code,
        "warning",
        _trend_rows(ctx, jump=jump),
        lambda r: _join(
            *_target_zh(r),
            "目标",
            need_zh,
            "年均增长",
            format_numbers(r["required"], ".1f"),
            "%，",
            side_zh,
            "此前年均",
            format_numbers(r["historical"], ".1f"),
            "%的实际增速。",
        ),
        lambda r: _join(
            *_target_en(r),
            " needs ",
            format_numbers(r["required"], ".1f"),
            "% a year, ",
            side_en,
            " the historical ",
            format_numbers(r["historical"], ".1f"),
            "% a year.",
        ),
    )


def target_below_trend(ctx: _Context) -> pd.DataFrame:
    """Required annual growth far below the historical pace."""
    return _trend_finding(ctx, jump=False)


def target_implausible_jump(ctx: _Context) -> pd.DataFrame:
    """Required annual growth far above the historical pace."""
    return _trend_finding(ctx, jump=True)


def _actual_rows(a: pd.DataFrame, ref: pd.DataFrame) -> pd.DataFrame:
    """Finding rows for the figures ``a`` with the figures ``ref`` as reference (row by row)."""
    return pd.DataFrame(
        {
            "doc": a["doc"].array,
            "region": a["region"].array,
            "indicator": a["indicator"].array,
            "indicator_text": a["indicator_text"].array,
            "measure": a["measure"].array,
            "year": a["year"].to_numpy(),
            "target_value": a["value"].to_numpy(),
            "target_unit": a["unit"].array,
            "reference_value": ref["value"].to_numpy(),
            "reference_unit": ref["unit"].array,
            "reference_year": ref["year"].to_numpy(dtype=float),
            "reference_doc": ref["doc"].array,
            "quote": a["quote"].array,
            "reference_quote": ref["quote"].array,
            "record_id": a["record_id"].array,
        }
    )


def _with_previous_level(ctx: _Context, measures: tuple[str, ...]) -> tuple[np.ndarray, np.ndarray]:
    """Reported points of ``measures`` stating a yoy growth, and the reported level a year
    earlier (see :meth:`_Context.previous_level`)."""
    stating, previous = ctx.previous_level
    of_measure = ctx.points["measure"].isin(measures).to_numpy()[stating]
    return stating[of_measure], previous[of_measure]


def _point_rows(
    ctx: _Context,
    stating: np.ndarray,
    previous: np.ndarray,
    severity: np.ndarray | str,
    **columns: np.ndarray,
) -> pd.DataFrame:
    """Finding rows for points ``stating`` with the points ``previous`` as reference, plus
    ``severity`` and the extra ``columns`` (one value per point), in the findings' order
    (so that their text is gathered once, in place)."""
    levels = np.broadcast_to(np.asarray(severity, dtype=object), (len(stating),))
    ids = gather(ctx.points["record_id"], stating)
    order = _finding_order(levels, ids)
    del ids
    rows = _actual_rows(
        ctx.point_rows(stating[order]), ctx.point_rows(previous[order], _REFERENCE_TEXT)
    )
    rows["severity"] = levels[order]
    for name, values in columns.items():
        rows[name] = values[order]
    return rows


def growth_inconsistent(ctx: _Context) -> pd.DataFrame:
    """A stated yoy growth that contradicts two reported levels (beyond rounding)."""
    stating, previous = _with_previous_level(ctx, ("stock", "flow", "index"))
    value = ctx.points["base_value"].to_numpy(dtype=float)
    stated = ctx.points["growth_pct"].to_numpy(dtype=float)[stating]
    implied = (value[stating] / value[previous] - 1.0) * 100.0
    mask = np.abs(implied - stated) > GROWTH_TOLERANCE_PP
    rows = _point_rows(
        ctx, stating[mask], previous[mask], "warning", stated=stated[mask], implied=implied[mask]
    )
    return _frame(
        "growth_inconsistent",
        rows["severity"].to_numpy(),
        rows,
        lambda r: _join(
            *_point_zh(r),
            "年同比增长",
            format_numbers(r["stated"]),
            "%，但",
            _year(r["reference_year"]),
            "年已报告",
            _qty(r["reference_value"], r["reference_unit"]),
            "、",
            _year(r["year"]),
            "年",
            _qty(r["target_value"], r["target_unit"]),
            "，折算增长",
            format_numbers(r["implied"], ".2f"),
            "%。",
        ),
        lambda r: _join(
            r["region"],
            " ",
            r["name_en"],
            ": stated growth ",
            format_numbers(r["stated"]),
            "% in ",
            _year(r["year"]),
            ", but the reported levels (",
            _qty(r["reference_value"], r["reference_unit"]),
            " → ",
            _qty(r["target_value"], r["target_unit"]),
            ") imply ",
            format_numbers(r["implied"], ".2f"),
            "%.",
        ),
    )


def percent_vs_points(ctx: _Context) -> pd.DataFrame:
    """A ratio's change stated in % where the levels differ by that many points."""
    stating, previous = _with_previous_level(ctx, ("ratio",))
    value = ctx.points["base_value"].to_numpy(dtype=float)
    g = ctx.points["growth_pct"].to_numpy(dtype=float)[stating]
    points = value[stating] - value[previous]
    relative = (value[stating] / value[previous] - 1.0) * 100.0
    mask = (np.abs(points - g) <= 0.05) & (np.abs(relative - g) > 0.5)
    rows = _point_rows(ctx, stating[mask], previous[mask], "warning", stated=g[mask])
    return _frame(
        "percent_vs_points",
        rows["severity"].to_numpy(),
        rows,
        lambda r: _join(
            *_point_zh(r),
            "年“增长",
            format_numbers(r["stated"]),
            "%”实为提高",
            format_numbers(r["stated"]),
            "个百分点（比重由",
            _qty(r["reference_value"], r["reference_unit"]),
            "升至",
            _qty(r["target_value"], r["target_unit"]),
            "）。",
        ),
        lambda r: _join(
            *_point_en(r),
            ": a change stated as ",
            format_numbers(r["stated"]),
            "% is ",
            format_numbers(r["stated"]),
            " percentage points (",
            _qty(r["reference_value"], r["reference_unit"]),
            " → ",
            _qty(r["target_value"], r["target_unit"]),
            ").",
        ),
    )


def conflicting_actuals(ctx: _Context) -> pd.DataFrame:
    """Two different reported values for the same region, indicator, measure and period."""
    pts = ctx.points
    keep = np.flatnonzero(~pts["derived"].to_numpy(dtype=bool) & pts["known"].to_numpy(dtype=bool))
    if not len(keep):
        return pd.DataFrame(columns=COLUMNS)
    cells = pd.DataFrame(
        {
            "at": keep,
            "gid": pts["gid"].to_numpy()[keep],
            "year": pts["year"].to_numpy()[keep],
            "months": pts["months"].cat.codes.to_numpy()[keep],
            "doc": pts["doc"].cat.codes.to_numpy()[keep],
            "base_value": pts["base_value"].to_numpy()[keep],
        }
    )
    cells["rounded"] = cells["base_value"].round(6)
    cell = ["gid", "year", "months"]
    distinct = cells.drop_duplicates([*cell, "rounded"])
    counts = distinct.groupby(cell)["rounded"].transform("size")
    multi = distinct[counts > 1]
    # within one document, different values are sub-categories (省级/市级 …) or scopes, not
    # conflicts: a conflict needs two documents
    multi = multi[multi.groupby(cell)["doc"].transform("nunique") > 1]
    if multi.empty:
        return pd.DataFrame(columns=COLUMNS)
    ordered = multi.sort_values([*cell, "rounded"])
    low = ordered.drop_duplicates(cell, keep="first").set_index(cell)
    high = ordered.drop_duplicates(cell, keep="last").set_index(cell)
    high = high.loc[low.index]
    rel = (high["base_value"] - low["base_value"]).abs() / low["base_value"].abs()
    severity = np.where(rel.to_numpy() > CONFLICT_ERROR, "error", "warning")
    rows = _point_rows(ctx, high["at"].to_numpy(), low["at"].to_numpy(), severity)
    return _frame(
        "conflicting_actuals",
        rows["severity"].to_numpy(),
        rows,
        lambda r: _join(
            *_point_zh(r),
            "年有两个不同的报告值：",
            _qty(r["target_value"], r["target_unit"]),
            "与",
            _qty(r["reference_value"], r["reference_unit"]),
            "。",
        ),
        lambda r: _join(
            *_point_en(r),
            " is reported twice with different values: ",
            _qty(r["target_value"], r["target_unit"]),
            " and ",
            _qty(r["reference_value"], r["reference_unit"]),
            ".",
        ),
    )


def parts_exceed_whole(ctx: _Context) -> pd.DataFrame:
    """其中 parts whose sum is above the stated whole."""
    rec = ctx.records
    additive = rec["measure"].isin(("stock", "flow")) & (rec["base_unit"] != "%")
    parts = rec[(rec["part_of"] != "") & additive]
    if parts.empty:
        return pd.DataFrame(columns=COLUMNS)
    sums = parts.groupby(["part_of", "base_unit"])["base_value"].sum().reset_index()
    candidates = rec[rec["record_id"].isin(sums["part_of"])]
    at = pd.Index(candidates["record_id"]).get_indexer(sums["part_of"])
    sums = sums[at >= 0]
    whole = candidates.iloc[at[at >= 0]].reset_index(drop=True)
    same_unit = whole["base_unit"].to_numpy() == sums["base_unit"].to_numpy()
    exact = whole["comparator"].isin(["=", "~", "<=", "<"]).to_numpy()
    over = sums["base_value"].to_numpy() > whole["base_value"].to_numpy() * (1 + 1e-9)
    mask = same_unit & exact & over
    w = whole[mask].reset_index(drop=True)
    s = sums[mask].reset_index(drop=True)
    factors, _, _ = unit_factors(w["unit"]) if len(w) else (np.array([]), None, None)
    ref = pd.DataFrame(
        {
            "value": s["base_value"].to_numpy() / factors,
            "unit": w["unit"],
            "year": w["year"],
            "doc": w["doc"],
            "quote": w["quote"],
        }
    )
    rows = _actual_rows(w, ref)
    return _frame(
        "parts_exceed_whole",
        "error",
        rows,
        lambda r: _join(
            r["region"],
            r["name_zh"],
            "总数",
            _qty(r["target_value"], r["target_unit"]),
            "，但“其中”各项合计",
            _qty(r["reference_value"], r["reference_unit"]),
            "，超过总数。",
        ),
        lambda r: _join(
            r["region"],
            " ",
            r["name_en"],
            ": the parts listed after 其中 add up to ",
            _qty(r["reference_value"], r["reference_unit"]),
            ", more than the stated total ",
            _qty(r["target_value"], r["target_unit"]),
            ".",
        ),
    )


def partial_period_baseline(ctx: _Context) -> pd.DataFrame:
    """A judgement that rests on a partial-year (e.g. 1-11月) baseline."""
    j = ctx.rec[ctx.rec["partial_period"] & ctx.rec["baseline_value"].notna()]
    rows = _target_rows(j)
    rows["months"] = j["baseline_months"].to_numpy()
    return _frame(
        "partial_period_baseline",
        "info",
        rows,
        lambda r: _join(
            *_target_zh(r),
            "目标的基期值是",
            _year(r["reference_year"]),
            "年",
            r["months"],
            "月的部分期数据。",
        ),
        lambda r: _join(
            "The baseline of ",
            *_target_en(r),
            " is a partial-year figure (",
            _year(r["reference_year"]),
            ", months ",
            r["months"],
            ").",
        ),
    )


CHECKS: dict[str, Callable[[_Context], pd.DataFrame]] = {
    "target_below_baseline": target_below_baseline,
    "target_equals_baseline": target_equals_baseline,
    "target_already_met": target_already_met,
    "target_below_trend": target_below_trend,
    "target_implausible_jump": target_implausible_jump,
    "growth_inconsistent": growth_inconsistent,
    "conflicting_actuals": conflicting_actuals,
    "parts_exceed_whole": parts_exceed_whole,
    "partial_period_baseline": partial_period_baseline,
    "percent_vs_points": percent_vs_points,
}
"""Every finding code and the function that finds it."""

_ON_POINTS = frozenset({"growth_inconsistent", "percent_vs_points", "conflicting_actuals"})
"""The checks that read the series points (``_Context.points``)."""


def check(
    records: pd.DataFrame,
    reconciled: pd.DataFrame | None = None,
    *,
    codes: list[str] | None = None,
    series: pd.DataFrame | None = None,
    validate: bool = True,
) -> DataFrame[FindingFrame]:
    """All findings of ``records`` (a records frame), most severe first.

    Args:
        records: targets and actuals (:class:`~targets.schemas.RecordFrame`).
        reconciled: the output of :func:`targets.reconcile.reconcile` for ``records``
            (computed when omitted).
        codes: run only these checks (default: all of :data:`CHECKS`).
        series: the series frame of ``records`` (:func:`targets.series.series`; built when
            omitted), so that one run builds it once.
        validate: validate the inputs against their schemas (on by default; turn it off
            only for frames that were just validated). The result is always validated.

    Returns:
        A :class:`~targets.schemas.FindingFrame`; empty when nothing is found.

    Raises:
        SchemaError: ``records`` does not match ``RecordFrame``.
        KeyError: an unknown code in ``codes``.
    """
    if validate:
        records = check_schema(records, RecordFrame, what="records frame")
        if series is not None:
            series = check_schema(series, SeriesFrame, what="series frame")
        if reconciled is not None:
            reconciled = check_schema(reconciled, ReconciledFrame, what="reconciled frame")
    if series is None:
        series = build_series(records, validate=False)
    if reconciled is None:
        reconciled = reconcile(records, series=series, validate=False)
    ctx = _Context(records, reconciled, series)
    del series
    selected = codes if codes is not None else list(CHECKS)
    # the checks on the series points run first; the points are then freed, before the
    # target checks add their findings (what is alive at once stays smaller)
    found = {code: CHECKS[code](ctx) for code in selected if code in _ON_POINTS}
    ctx.release_points()
    found.update({code: CHECKS[code](ctx) for code in selected if code not in _ON_POINTS})
    del ctx
    # each check's rows are sorted by (severity, record_id): the frame is their slices, most
    # severe first and then by code
    slices = []
    for severity in sorted(_SEVERITY_ORDER, key=_SEVERITY_ORDER.__getitem__):
        for code in sorted(found):
            frame = found[code]
            if frame.empty:
                continue
            where = np.flatnonzero((frame["severity"] == severity).to_numpy())
            if len(where):
                slices.append(frame.iloc[where[0] : where[-1] + 1])
    if slices:
        out = concat(slices)[COLUMNS]
    else:
        out = pd.DataFrame({c: pd.Series(dtype=object) for c in COLUMNS})
        out["year"] = out["year"].astype("int64")
    return check_schema(
        out.reset_index(drop=True), FindingFrame, what="findings frame", compact=True
    )
