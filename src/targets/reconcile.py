"""Reconciliation: every target against the series of reported actuals (:mod:`targets.series`).

A target is judged by the point of its series for its year: a growth target by the growth
stated for that year (alone, or with the level: 完成235.2亿元，同比增长18.5%), a level target by
the level. The report of year N+1 is the authority for year N; when another report states the
year differently, the result keeps the authority's figure and says so in ``actual_note``.

Outcomes follow the indicator's direction (``direction``), with ``tol`` = 5 % of the point:

- more is better (GDP growth, jobs, grain, income; also any indicator outside the catalogue):
  a 左右 or range target is ``met`` by an actual at or above its point (the lower end of a
  range), ``near`` when at most ``tol`` under it (7.4% against 7.5%左右), else ``missed``;
- ceiling (CPI 涨幅, unemployment and deficit rates, intensities): ``met`` at or below the
  point (the upper end of a range), ``near`` at most ``tol`` over it; a reduction is stored as
  a negative growth (能耗降低3%左右 is -3 %), so it is met when the fall is at least 3 %;
- band (``target_band``): ``met`` within ``tol`` either side (a 左右 read literally);
- strict comparators (以上 ≥, 超过 >, 以内 ≤, 低于 <) are met or missed, never near, and so
  is a plain target (国内生产总值增长7.5%), which extraction reads as a floor (≥; ≤ for a
  ceiling indicator).

Everything is vectorised: one factor per unit (:func:`targets.frames.unit_factors`), integer
series ids, no per-row pint objects.

Progress classes follow the Statistics Canada / Open SDG method ("Sustainable Development
Goals progress assessment", Statistics Canada 2022; open-sdg.org "progress status"): with
``x0`` the first actual at year ``t0``, ``xb`` the baseline at ``tb`` and ``x*`` the target at
the deadline ``T``,

    observed CAGR  g_obs = (xb / x0) ** (1 / (tb - t0)) - 1
    required CAGR  g_req = (x* / xb) ** (1 / (T - tb)) - 1
    ratio          r     = g_obs / g_req

``already_met`` when the baseline satisfies the target; else ``on_track`` for r >= 0.95,
``moderate`` for 0.6 <= r < 0.95, ``limited`` for 0 <= r < 0.6 and ``deteriorating`` for
r < 0. It needs two actual points before the deadline and positive levels.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from targets.catalogue import catalogue
from targets.frames import unit_factors
from targets.models import APPROX_REL_TOL
from targets.regions import normalize_region, region_keys
from targets.schemas import (
    ReconciledFrame,
    RecordFrame,
    SeriesFrame,
    TrackRecordFrame,
)
from targets.schemas import validate as check_schema
from targets.series import gather, indicator_key, look_up, one_per_year
from targets.series import series as build_series

if TYPE_CHECKING:
    from pandera.typing.pandas import DataFrame

__all__ = [
    "LIMITED",
    "MODERATE",
    "ON_TRACK",
    "judge",
    "normalize_region",
    "reconcile",
    "region_keys",
    "satisfied",
    "track_record",
]

ON_TRACK = 0.95
"""Open SDG / Statistics Canada threshold of the observed/required growth ratio."""
MODERATE = 0.6
LIMITED = 0.0
_EQ_TOL = 1e-9
_LEVEL_MEASURES = ("stock", "flow", "index", "ratio")
_HIGHER = 1.0


def satisfied(
    comparator: str | np.ndarray | pd.Series | pd.api.extensions.ExtensionArray,
    actual: np.ndarray | pd.Series,
    value: np.ndarray | pd.Series,
    high: np.ndarray | pd.Series,
) -> np.ndarray:
    """Vectorised :meth:`targets.models.Comparator.satisfied` (same semantics, NaN → False):
    the literal reading, 左右 as a band of ±5 % (see :func:`judge` for outcomes)."""
    a = np.asarray(actual, dtype=float)
    if isinstance(comparator, str):  # one comparator for every row
        comparator = np.full(len(a), comparator, dtype=object)
    column = comparator if isinstance(comparator, pd.Series) else pd.Series(comparator)
    codes, uniques = column.factorize()
    v = np.asarray(value, dtype=float)
    h = np.asarray(high, dtype=float)
    rules: dict[str, Callable[[], np.ndarray]] = {
        ">=": lambda: a >= v,
        ">": lambda: a > v,
        "=": lambda: np.isclose(a, v, rtol=_EQ_TOL, atol=1e-12),
        "<=": lambda: a <= v,
        "<": lambda: a < v,
        "~": lambda: np.abs(a - v) <= APPROX_REL_TOL * np.abs(v),
        "range": lambda: (v <= a) & (a <= h),
    }
    out = np.zeros(len(a), dtype=bool)
    with np.errstate(invalid="ignore"):
        for i, name in enumerate(uniques):
            rule = rules.get(str(name))
            if rule is not None:
                chosen = codes == i
                out[chosen] = rule()[chosen]
    return out


def judge(
    comparator: str | np.ndarray | pd.Series | pd.api.extensions.ExtensionArray,
    actual: np.ndarray | pd.Series,
    value: np.ndarray | pd.Series,
    high: np.ndarray | pd.Series,
    direction: np.ndarray | pd.Series | float,
) -> tuple[np.ndarray, np.ndarray]:
    """Whether each actual meets its target, and whether a miss is ``near`` (see the module
    docstring): ``direction`` is +1 (more is better), -1 (ceiling) or 0 (band) per row."""
    a = np.asarray(actual, dtype=float)
    v = np.asarray(value, dtype=float)
    h = np.asarray(high, dtype=float)
    d = np.broadcast_to(np.asarray(direction, dtype=float), a.shape)
    comp = pd.Series(
        np.asarray(comparator, dtype=object)
        if not isinstance(comparator, str)
        else np.full(len(a), comparator, dtype=object)
    )
    literal = satisfied(comp, a, v, h)
    approx = comp.isin(("~", "=", "range")).to_numpy()
    is_range = (comp == "range").to_numpy()
    floor = v  # a more-is-better range is met from its lower end
    ceiling = np.where(is_range, h, v)  # a ceiling range is met up to its upper end
    with np.errstate(invalid="ignore"):
        up_met = a >= floor
        up_near = ~up_met & (a >= floor - APPROX_REL_TOL * np.abs(floor))
        down_met = a <= ceiling
        down_near = ~down_met & (a <= ceiling + APPROX_REL_TOL * np.abs(ceiling))
    band_literal = literal | (
        (comp == "=").to_numpy() & (np.abs(a - v) <= APPROX_REL_TOL * np.abs(v))
    )
    met = np.where(
        approx,
        np.where(d > 0, up_met, np.where(d < 0, down_met, band_literal)),
        literal,
    )
    near = approx & np.where(d > 0, up_near, np.where(d < 0, down_near, False))
    return met & ~np.isnan(a), near & ~np.isnan(a)


def _directions(indicators: pd.Series) -> np.ndarray:
    """+1 more is better (also outside the catalogue), -1 ceiling or reduction, 0 neither way
    (band, none), for every row (:attr:`~targets.models.Direction.sign`)."""
    signs = {code: float(ind.direction.sign) for code, ind in catalogue().items()}
    return indicators.map(signs).fillna(_HIGHER).to_numpy(dtype=float)


def _direction_names(indicators: pd.Series) -> np.ndarray:
    """The catalogue direction of every row (``higher_is_better`` outside the catalogue)."""
    names = {code: ind.direction.value for code, ind in catalogue().items()}
    return indicators.map(names).fillna("higher_is_better").to_numpy(dtype=object)


def reconcile(
    targets: pd.DataFrame,
    actuals: pd.DataFrame | None = None,
    *,
    series: pd.DataFrame | None = None,
    validate: bool = True,
) -> DataFrame[ReconciledFrame]:
    """One row per target: its actual and outcome, baseline, ambition and trajectory.

    Args:
        targets: a records frame (:class:`~targets.schemas.RecordFrame`); its ``target``
            rows are reconciled. With ``actuals`` and ``series`` omitted, its ``actual`` rows
            form the series.
        actuals: another records frame whose ``actual`` rows form the series.
        series: the series frame (:func:`targets.series.series`) already built from the
            actuals, so that it is built once for reconciliation, checks and report.
        validate: validate the inputs against their schemas (on by default; turn it off only
            for frames that were just validated). The result is always validated.

    Returns:
        A :class:`~targets.schemas.ReconciledFrame`, sorted by ``record_id``.

    Raises:
        SchemaError: an input does not match its frame model.
    """
    if validate:
        targets = check_schema(targets, RecordFrame, what="targets frame")
        if actuals is not None:
            actuals = check_schema(actuals, RecordFrame, what="actuals frame")
        if series is not None:
            series = check_schema(series, SeriesFrame, what="series frame")
    if series is None:
        series = build_series(targets if actuals is None else actuals, validate=False)
    is_target = (targets["kind"] == "target").to_numpy() & (targets["part_of"] == "").to_numpy()
    t_rows = np.flatnonzero(is_target)
    ids = pd.Series(gather(targets["record_id"], t_rows))
    t_rows = t_rows[np.asarray(ids.argsort(kind="stable"))]
    arrays = _look_up(targets, t_rows, series)
    out = _finish(targets, t_rows, series, arrays)
    return check_schema(out, ReconciledFrame, what="reconciled frame", compact=True)


def track_record(reconciled: pd.DataFrame) -> DataFrame[TrackRecordFrame]:
    """The track record of a reconciled frame: every target of a catalogue indicator with the
    actual later reported for its year, ordered by region, indicator and year (ten years of
    national GDP, CPI and jobs targets read down one indicator).

    Raises:
        SchemaError: ``reconciled`` is not a reconciled frame.
    """
    rec = check_schema(reconciled, ReconciledFrame, what="reconciled frame")
    rec = rec[rec["indicator"] != ""]
    # a growth target read as its level's code (国内生产总值 + 增长) is listed as the growth
    pairs = pd.MultiIndex.from_arrays(
        [rec["indicator"].astype(str), rec["measure"].astype(str)]
    ).unique()
    key = {(i, m): indicator_key(i, "", m) for i, m in pairs}
    codes = [
        key[(i, m)]
        for i, m in zip(rec["indicator"].astype(str), rec["measure"].astype(str), strict=True)
    ]
    out = pd.DataFrame(
        {
            "region": rec["region"],
            "indicator": codes,
            "indicator_text": rec["indicator_text"],
            "year": rec["year"],
            "comparator": rec["comparator"],
            "target_value": rec["target_value"],
            "target_value_high": rec["target_value_high"],
            "target_unit": rec["target_unit"],
            "actual_value": rec["actual_value"],
            "outcome": rec["outcome"],
            "direction": rec["direction"],
            "target_doc": rec["doc"],
            "target_quote": rec["quote"],
            "actual_doc": rec["actual_doc"],
            "actual_quote": rec["actual_quote"],
            "actual_note": rec["actual_note"],
            "record_id": rec["record_id"],
        }
    )
    out = out.astype({"region": str, "indicator": str}).sort_values(
        ["region", "indicator", "year", "record_id"], kind="stable"
    )
    return check_schema(
        out.reset_index(drop=True), TrackRecordFrame, what="track record", compact=True
    )


def _look_up(
    targets: pd.DataFrame, t_rows: np.ndarray, points: pd.DataFrame
) -> dict[str, np.ndarray]:
    """For each target row: its target year's point, its baseline (the latest earlier point)
    and its series' first point, as positions in ``points`` (-1: none) with their values.
    Integer work; its working arrays are freed when it returns."""
    where = look_up(targets, t_rows, points)
    year = targets["year"].to_numpy(dtype=np.int64)[t_rows]
    # a target over several years (十三五…城镇新增就业5000万人) is no point of an annual series
    several = targets["period_start"].dt.year.to_numpy()[t_rows] != year
    t_gid = np.where(several, -1, where.gid)
    p_year = points["year"].to_numpy(dtype=np.int64)
    y0 = min(int(year.min(initial=2001)) - 1, int(p_year.min(initial=2000)))
    n_years = max(int(year.max(initial=2000)), int(p_year.max(initial=2000))) - y0 + 1

    best = one_per_year(points, y0, n_years)
    cells = best["cell"].to_numpy()
    pidx = best["pidx"].to_numpy()
    n_values = best["n_values"].to_numpy()
    other = best["other"].to_numpy()

    # each target's cell; ``left`` is how many cells sort before it (queries sorted first:
    # a binary search in target order would jump around memory)
    linked = t_gid >= 0
    cell = np.where(linked, t_gid * n_years + (year - y0), -1)
    by_cell = np.argsort(cell, kind="stable")
    left = np.empty(len(cell), dtype=np.int64)
    left[by_cell] = np.searchsorted(cells, cell[by_cell], side="left")
    last = max(len(cells) - 1, 0)
    # the target year's own point: the cell itself
    now = np.minimum(left, last)
    hit = (left < len(cells)) & (cells[now] == cell) if len(cells) else np.zeros(len(cell), bool)
    now_at = np.where(linked & hit, now, -1)
    # the baseline: the latest cell of the same series before it (the one just before ``left``)
    before = np.clip(left - 1, 0, last)
    same_series = (left > 0) & (
        cells[before] // n_years == cell // n_years if len(cells) else False
    )
    base_at = np.where(linked & same_series, before, -1)

    def at(values: np.ndarray, index: np.ndarray, fill: float) -> np.ndarray:
        return (
            np.where(index >= 0, values[np.maximum(index, 0)], fill)
            if len(values)
            else np.full(len(index), fill)
        )

    b_pidx = at(pidx, base_at, -1).astype(np.int64)
    a_pidx = at(pidx, now_at, -1).astype(np.int64)

    # the first point of each series, for the trajectory
    series_of = cells // n_years
    first = np.ones(len(cells), dtype=bool)
    first[1:] = series_of[1:] != series_of[:-1]
    n_groups = int(points["gid"].max()) + 1 if len(points) else 0
    f_pidx_by_gid = np.full(n_groups, -1, dtype=np.int64)
    f_pidx_by_gid[series_of[first]] = pidx[first]
    f_pidx = at(f_pidx_by_gid, np.where(linked, t_gid, -1), -1).astype(np.int64)

    # the latest year reported for the region
    region_codes = points["region_key"].cat.codes.to_numpy()
    region_last = np.full(len(points["region_key"].cat.categories), np.nan)
    np.fmax.at(region_last, region_codes, p_year.astype(float))

    p_value = points["base_value"].to_numpy(dtype=float)
    p_full = points["full_year"].to_numpy(dtype=bool)
    p_derived = points["derived"].to_numpy(dtype=bool)
    return {
        "b_value": at(p_value, b_pidx, np.nan),
        "b_year": at(p_year.astype(float), b_pidx, np.nan),
        "b_full": at(p_full, b_pidx, True).astype(bool),
        "b_derived": at(p_derived, b_pidx, False).astype(bool),
        "b_n": at(n_values, base_at, 1),
        "a_value": at(p_value, a_pidx, np.nan),
        "a_full": at(p_full, a_pidx, False).astype(bool),
        "a_derived": at(p_derived, a_pidx, True).astype(bool),
        "a_n": at(n_values, now_at, 1),
        "a_other": at(other, now_at, -1).astype(np.int64),
        "f_value": at(p_value, f_pidx, np.nan),
        "f_year": at(p_year.astype(float), f_pidx, np.nan),
        "region_last": at(region_last, where.region, np.nan),
        "has_other": where.has_pair,
        "several": several,
        "b_at": b_pidx,
        "a_at": a_pidx,
    }


def _finish(
    targets: pd.DataFrame, rows: np.ndarray, points: pd.DataFrame, x: dict[str, np.ndarray]
) -> pd.DataFrame:
    """The reconciled frame for target rows ``rows`` from the looked-up arrays ``x``."""
    n = len(rows)

    def num(column: str) -> np.ndarray:
        values: np.ndarray = targets[column].to_numpy(dtype=float)[rows]
        return values

    def text(column: str) -> pd.api.extensions.ExtensionArray | np.ndarray:
        return gather(targets[column], rows)

    factor = unit_factors(pd.Series(text("unit")))[0]
    target = num("base_value")
    high = num("base_value_high")
    comparator = text("comparator")
    year = num("year")

    b_ambiguous = (x["b_n"] > 1) & ~x["b_derived"]
    b_value = np.where(b_ambiguous, np.nan, x["b_value"])
    b_year = np.where(b_ambiguous, np.nan, x["b_year"])
    partial = ~x["b_full"] & ~np.isnan(b_value)

    a_value = x["a_value"]
    a_full = x["a_full"]
    a_ambiguous = x["a_n"] > 1
    usable = ~np.isnan(a_value) & a_full & ~x["a_derived"] & ~a_ambiguous
    sign = _directions(targets["indicator"])[rows]
    met, near = judge(comparator, np.where(usable, a_value, np.nan), target, high, sign)
    region_last = x["region_last"]
    has_other = x["has_other"]

    outcome = np.full(n, "pending", dtype=object)
    reason = np.full(n, "", dtype=object)
    outcome[usable & met] = "met"
    outcome[usable & ~met] = "missed"
    outcome[usable & near] = "near"
    partial_only = ~np.isnan(a_value) & ~a_full & ~usable
    outcome[partial_only] = "not_comparable"
    reason[partial_only] = (
        "only a partial-year figure for the target year / 目标年份只有部分月份数据"
    )
    ambiguous_now = ~np.isnan(a_value) & a_ambiguous
    outcome[ambiguous_now] = "not_comparable"
    reason[ambiguous_now] = (
        "several different actuals for the target year / 目标年份有多个不同的实际值"
    )
    with np.errstate(invalid="ignore"):
        reported_later = ~np.isnan(region_last) & (region_last >= year)
    no_series = np.isnan(a_value) & reported_later
    outcome[no_series] = "not_comparable"
    reason[no_series & has_other] = (
        "no actual in the same measure and unit (e.g. a flow "
        "target against stock figures) / 无同口径实际值"
    )
    reason[no_series & ~has_other] = (
        "the indicator is not reported for the target year / 目标年份未报告该指标"
    )
    over_years = x["several"] & (outcome == "not_comparable")
    reason[over_years] = (
        "a total over several years, and no total reported for the period / "
        "多年累计目标，未报告同期累计数"
    )
    pending = outcome == "pending"
    reason[pending] = "the target period has not been reported yet / 目标期尚未报告"

    with np.errstate(divide="ignore", invalid="ignore"):
        attainment = np.where(sign >= 0, a_value / target, target / a_value)
        attainment = np.where(usable, attainment, np.nan)
        gap = np.where(usable, (a_value - target) / factor, np.nan)
        req_change = (target - b_value) / factor
        req_pct = (target / b_value - 1.0) * 100.0
        span = year - b_year
        level = targets["measure"].isin(_LEVEL_MEASURES).to_numpy()[rows]
        level &= (target > 0) & (b_value > 0)
        req_cagr = np.where(
            level & (span > 1), ((target / b_value) ** (1.0 / span) - 1) * 100, np.nan
        )
        f_value, f_year = x["f_value"], x["f_year"]
        hist_span = b_year - f_year
        hist_ok = level & (hist_span >= 1) & (f_value > 0)
        hist = np.where(hist_ok, ((b_value / f_value) ** (1.0 / hist_span) - 1), np.nan)
        projected = np.where(hist_ok, b_value * (1 + hist) ** span / factor, np.nan)
        required_rate = np.where(
            level & (span >= 1), (target / b_value) ** (1.0 / span) - 1, np.nan
        )
        ratio = hist / required_rate

    baseline_met = judge(comparator, b_value, target, high, sign)[0]
    progress = np.full(n, "", dtype=object)
    has_traj = ~np.isnan(ratio) & np.isfinite(ratio)
    progress[has_traj & (ratio >= ON_TRACK)] = "on_track"
    progress[has_traj & (ratio >= MODERATE) & (ratio < ON_TRACK)] = "moderate"
    progress[has_traj & (ratio >= LIMITED) & (ratio < MODERATE)] = "limited"
    progress[has_traj & (ratio < LIMITED)] = "deteriorating"
    progress[baseline_met & ~np.isnan(b_value)] = "already_met"

    has_base = ~np.isnan(b_value)
    b_at = np.where(has_base, x["b_at"], -1)
    a_at = np.where(usable, x["a_at"], -1)
    other = np.where(usable, x["a_other"], -1)
    note = np.full(n, "", dtype=object)
    for i in np.flatnonzero(other >= 0):  # a revision: rare, so one string each
        o, used = int(other[i]), points["doc"].iat[int(x["a_at"][i])]
        stated, doc = f"{points['value'].iat[o]:g}{points['unit'].iat[o]}", points["doc"].iat[o]
        note[i] = f"{doc} states {stated}; used {used} / {doc}另报{stated}，采用{used}"
    direction = _direction_names(targets["indicator"])[rows]
    return pd.DataFrame(
        {
            "record_id": text("record_id"),
            "doc": text("doc"),
            "region": text("region"),
            "indicator": text("indicator"),
            "indicator_text": text("indicator_text"),
            "measure": text("measure"),
            "comparator": comparator,
            "year": targets["year"].to_numpy(dtype="int64")[rows],
            "target_value": num("value"),
            "target_value_high": num("value_high"),
            "target_unit": text("unit"),
            "base_unit": text("base_unit"),
            "baseline_value": b_value / factor,
            "baseline_year": b_year,
            "baseline_months": gather(points["months"], b_at),
            "baseline_quote": gather(points["quote"], b_at),
            "baseline_doc": gather(points["doc"], b_at),
            "partial_period": partial,
            "actual_value": np.where(usable, a_value / factor, np.nan),
            "actual_quote": gather(points["quote"], a_at),
            "actual_doc": gather(points["doc"], a_at),
            "actual_note": note,
            "direction": direction,
            "outcome": outcome,
            "reason": reason,
            "attainment": attainment,
            "gap": gap,
            "required_change": req_change,
            "required_change_pct": req_pct,
            "required_cagr_pct": req_cagr,
            "historical_cagr_pct": hist * 100.0,
            "projected_value": projected,
            "progress": progress,
            "quote": text("quote"),
        },
        copy=False,  # fresh arrays: no copy, and no consolidation into 2-D blocks
    )
