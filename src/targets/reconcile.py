"""Reconciliation: every target against the series of reported actuals.

Actuals from any number of reports combine into one series per (region, indicator, measure,
base unit). Region names are normalised (杭州市临安区 = 临安区 = 临安), an indicator outside
the catalogue is keyed by its words, and a stated year-on-year growth implies the previous
year's level (16.06亿元 at +21.58 % implies 13.21亿元 for 2023), kept as a *derived* point.
Parts of a 其中 breakdown are not series points of the whole's indicator, and a figure for a
multi-year period (十四五时期累计) is not a point of an annual series.

Everything is vectorised: one factor per unit (:func:`targets.frames.unit_factors`), merges
and ``merge_asof`` on integer group ids, no per-row pint objects.

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

import re
from functools import cache

import numpy as np
import pandas as pd

from targets.catalogue import catalogue
from targets.frames import unit_factors
from targets.models import APPROX_REL_TOL
from targets.schemas import ReconciledFrame, RecordFrame, validate

__all__ = [
    "LIMITED",
    "MODERATE",
    "ON_TRACK",
    "normalize_region",
    "reconcile",
    "satisfied",
    "series",
]

ON_TRACK = 0.95
"""Open SDG / Statistics Canada threshold of the observed/required growth ratio."""
MODERATE = 0.6
LIMITED = 0.0
_EQ_TOL = 1e-9
_LEVEL_MEASURES = ("stock", "flow", "index", "ratio")

_REGION_PREFIX = re.compile(r"^.{2,8}?(?:自治区|省)(?=.{2,})|^.{2,4}?市(?=.{2,}(?:区|县|市)$)")
_REGION_SUFFIX = re.compile(r"(?:维吾尔|壮族|回族)?(?:自治区|特别行政区|省|市|区|县)$")


@cache
def normalize_region(name: str) -> str:
    """A region key: 杭州市临安区, 临安区 and 临安 all give ``临安``."""
    s = name.strip()
    previous = None
    while previous != s:
        previous = s
        s = _REGION_PREFIX.sub("", s)
    stripped = _REGION_SUFFIX.sub("", s)
    return stripped if len(stripped) >= 2 else s


def satisfied(
    comparator: np.ndarray | pd.Series,
    actual: np.ndarray | pd.Series,
    value: np.ndarray | pd.Series,
    high: np.ndarray | pd.Series,
) -> np.ndarray:
    """Vectorised :meth:`targets.models.Comparator.satisfied` (same semantics, NaN → False)."""
    c = np.asarray(comparator, dtype=object)
    a = np.asarray(actual, dtype=float)
    v = np.asarray(value, dtype=float)
    h = np.asarray(high, dtype=float)
    with np.errstate(invalid="ignore"):
        conditions = [
            c == ">=",
            c == ">",
            c == "=",
            c == "<=",
            c == "<",
            c == "~",
            c == "range",
        ]
        choices = [
            a >= v,
            a > v,
            np.isclose(a, v, rtol=_EQ_TOL, atol=1e-12),
            a <= v,
            a < v,
            np.abs(a - v) <= APPROX_REL_TOL * np.abs(v),
            (v <= a) & (a <= h),
        ]
        out = np.select(conditions, choices, default=False)
    result: np.ndarray = np.asarray(out, dtype=bool) & ~np.isnan(a)
    return result


def _keys(frame: pd.DataFrame) -> pd.DataFrame:
    codes, uniques = pd.factorize(frame["region"].astype(str), sort=False)
    keys = np.asarray([normalize_region(u) for u in uniques], dtype=object)
    region_key = keys[codes] if len(codes) else np.array([], dtype=object)
    indicator_key = frame["indicator"].where(
        frame["indicator"] != "", "text:" + frame["indicator_text"]
    )
    return pd.DataFrame(
        {
            "region_key": region_key,
            "indicator_key": indicator_key,
            "measure": frame["measure"],
            "base_unit": frame["base_unit"],
        },
        index=frame.index,
    )


def series(records: pd.DataFrame) -> pd.DataFrame:
    """Actual points per (region, indicator, measure), with derived prior-year points.

    Returns a frame with ``region_key, indicator_key, measure, base_unit, year, months,
    full_year, derived, base_value, value, unit, doc, quote, record_id, indicator_text,
    region, growth_pct`` (the stated growth of a reported point); a
    derived point (from ``growth_pct``) has ``derived`` set and quotes the sentence stating
    the growth.
    """
    one_year = records["period_start"].dt.year == records["year"]
    actual = records[(records["kind"] == "actual") & (records["part_of"] == "") & one_year]
    keys = _keys(actual)
    points = pd.concat(
        [
            keys,
            actual[
                [
                    "year",
                    "months",
                    "base_value",
                    "value",
                    "unit",
                    "doc",
                    "quote",
                    "record_id",
                    "indicator_text",
                    "region",
                    "growth_pct",
                ]
            ],
        ],
        axis=1,
    )
    points["derived"] = False
    grown = points[
        points["growth_pct"].notna() & points["measure"].isin(("stock", "flow", "index"))
    ].copy()
    if not grown.empty:
        factor = 1.0 + grown["growth_pct"] / 100.0
        grown = grown[factor > 0]
        factor = factor[factor > 0]
        grown["base_value"] = grown["base_value"] / factor
        grown["value"] = grown["value"] / factor
        grown["year"] = grown["year"] - 1
        grown["derived"] = True
        grown["growth_pct"] = np.nan
        points = pd.concat([points, grown], ignore_index=True)
    points["full_year"] = points["months"] == ""
    result: pd.DataFrame = points.reset_index(drop=True)
    return result


def _best_per_year(points: pd.DataFrame) -> pd.DataFrame:
    """One point per (gid, year): full year before partial, reported before derived, then the
    first document by name. Works on integer codes only (no text is moved).

    Returns ``gid, year, pidx`` (the chosen point's row in ``points``) and ``n_values``, the
    number of distinct reported full-year values in that cell (several → ambiguous).
    """
    gid = points["gid"].to_numpy(dtype=np.int64)
    year = points["year"].to_numpy(dtype=np.int64)
    full = points["full_year"].to_numpy(dtype=bool)
    derived = points["derived"].to_numpy(dtype=bool)
    doc = np.asarray(pd.factorize(points["doc"], sort=True)[0])
    order = np.lexsort((doc, derived, ~full, year, gid))
    g, y = gid[order], year[order]
    first = np.ones(len(order), dtype=bool)
    first[1:] = (g[1:] != g[:-1]) | (y[1:] != y[:-1])
    best = pd.DataFrame({"gid": g[first], "year": y[first], "pidx": order[first]})
    reported = ~derived & full
    cells = pd.DataFrame(
        {
            "gid": gid[reported],
            "year": year[reported],
            "value": points["base_value"].to_numpy(dtype=float)[reported].round(6),
        }
    ).drop_duplicates()
    counts = cells.groupby(["gid", "year"]).size().rename("n_values")
    best = best.merge(counts, left_on=["gid", "year"], right_index=True, how="left")
    best["n_values"] = best["n_values"].fillna(1).astype(int)
    return best


def _direction_sign(indicators: pd.Series) -> np.ndarray:
    """+1 higher is better (also unknown and band), -1 lower is better."""
    lower = {code for code, ind in catalogue().items() if ind.direction.value == "lower_is_better"}
    return np.where(indicators.isin(lower), -1.0, 1.0)


def _codes(*columns: pd.Series) -> tuple[np.ndarray, int]:
    """Integer codes of the row-wise combination of ``columns`` (and how many there are).

    Each column is factorised on its own and the codes are combined arithmetically, so that
    no tuple or string of the combination is ever built.
    """
    if len(columns[0]) == 0:
        return np.array([], dtype=np.int64), 0
    combined = np.zeros(len(columns[0]), dtype=np.int64)
    for column in columns:
        codes, uniques = pd.factorize(column, sort=False)
        combined = combined * (len(uniques) + 1) + np.asarray(codes, dtype=np.int64)
        combined, uniques_combined = pd.factorize(combined, sort=False)
        combined = np.asarray(combined, dtype=np.int64)
    return combined, len(uniques_combined)


def _take(values: np.ndarray, index: np.ndarray, fill: object) -> np.ndarray:
    """``values[index]`` with ``fill`` where ``index`` is -1."""
    out = (
        np.asarray(values, dtype=object)[np.where(index >= 0, index, 0)]
        if len(values)
        else np.full(len(index), fill, dtype=object)
    )
    out[index < 0] = fill
    return out


def reconcile(
    targets: pd.DataFrame,
    actuals: pd.DataFrame | None = None,
    *,
    validate_output: bool = True,
    validate_input: bool = True,
) -> pd.DataFrame:
    """One row per target: baseline, outcome, ambition and trajectory.

    Args:
        targets: a records frame (:class:`~targets.schemas.RecordFrame`); its ``target``
            rows are reconciled. With ``actuals`` omitted, its ``actual`` rows are the actuals.
        actuals: another records frame whose ``actual`` rows form the series.
        validate_output: validate the result against ``ReconciledFrame`` (on by default).
        validate_input: validate the inputs against ``RecordFrame`` (on by default; turn it
            off only for frames that were just validated, e.g. by :func:`targets.checks.check`).

    Returns:
        A :class:`~targets.schemas.ReconciledFrame`, sorted by ``record_id``.

    Raises:
        SchemaError: an input does not match ``RecordFrame``.
    """
    if validate_input:
        targets = validate(targets, RecordFrame, what="targets frame")
        if actuals is not None:
            actuals = validate(actuals, RecordFrame, what="actuals frame")
    actuals = targets if actuals is None else actuals
    tgt = targets[(targets["kind"] == "target") & (targets["part_of"] == "")]
    tgt = tgt.reset_index(drop=True)
    points = series(actuals)
    n = len(tgt)
    tkeys = _keys(tgt)

    # integer ids for the series key, the region and the (region, indicator) pair
    key_cols = ["region_key", "indicator_key", "measure", "base_unit"]
    both = pd.concat([tkeys[key_cols], points[key_cols]], ignore_index=True)
    gid_all, n_groups = _codes(*(both[c] for c in key_cols))
    region_all, n_regions = _codes(both["region_key"])
    pair_all, n_pairs = _codes(both["region_key"], both["indicator_key"])
    t_gid, points["gid"] = gid_all[:n], gid_all[n:]
    t_region, p_region = region_all[:n], region_all[n:]
    t_pair, p_pair = pair_all[:n], pair_all[n:]

    points["pidx"] = np.arange(len(points))
    best = _best_per_year(points)
    year = tgt["year"].to_numpy(dtype=np.int64)

    # baseline: the latest point strictly before the target year (merge_asof on year - 1)
    left = pd.DataFrame({"row": np.arange(n), "gid": t_gid, "before": year - 1})
    right = pd.DataFrame(
        {
            "gid": best["gid"].to_numpy(),
            "b_year": best["year"].to_numpy(dtype=np.int64),
            "b_pidx": best["pidx"].to_numpy(),
            "b_n": best["n_values"].to_numpy(),
        }
    )
    asof = pd.merge_asof(
        left.sort_values("before"),
        right.sort_values("b_year"),
        left_on="before",
        right_on="b_year",
        by="gid",
        direction="backward",
    )
    asof = asof.sort_values("row")
    b_pidx = asof["b_pidx"].fillna(-1).to_numpy(dtype=np.int64)
    b_n = asof["b_n"].fillna(1).to_numpy()

    # the point of the target year itself
    best_key = pd.Index(
        best["gid"].to_numpy(dtype=np.int64) * 10_000 + best["year"].to_numpy(dtype=np.int64)
    )
    pos = best_key.get_indexer(t_gid * 10_000 + year)
    a_pidx = np.where(pos >= 0, best["pidx"].to_numpy()[np.maximum(pos, 0)], -1)
    a_n = np.where(pos >= 0, best["n_values"].to_numpy()[np.maximum(pos, 0)], 1)

    # the first point of each series, for the trajectory
    first = best.sort_values(["gid", "year"]).drop_duplicates("gid")
    f_pidx_by_gid = np.full(n_groups, -1, dtype=np.int64)
    f_pidx_by_gid[first["gid"].to_numpy()] = first["pidx"].to_numpy()
    f_pidx = f_pidx_by_gid[t_gid] if n else np.array([], dtype=np.int64)

    # the latest year reported for the region; whether the indicator has any actual there
    region_last = np.full(n_regions, np.nan)
    if len(points):
        np.fmax.at(region_last, p_region, points["year"].to_numpy(dtype=float))
    has_pair = np.zeros(n_pairs, dtype=bool)
    has_pair[p_pair] = True

    p_value = points["base_value"].to_numpy(dtype=float)
    p_year = points["year"].to_numpy(dtype=float)
    p_full = points["full_year"].to_numpy(dtype=bool)
    p_derived = points["derived"].to_numpy(dtype=bool)

    def at(values: np.ndarray, index: np.ndarray, fill: float) -> np.ndarray:
        return (
            np.where(index >= 0, values[np.maximum(index, 0)], fill)
            if len(values)
            else np.full(len(index), fill)
        )

    arrays = {
        "b_value": at(p_value, b_pidx, np.nan),
        "b_year": at(p_year, b_pidx, np.nan),
        "b_full": at(p_full, b_pidx, True).astype(bool),
        "b_derived": at(p_derived, b_pidx, False).astype(bool),
        "b_n": b_n,
        "a_value": at(p_value, a_pidx, np.nan),
        "a_full": at(p_full, a_pidx, False).astype(bool),
        "a_derived": at(p_derived, a_pidx, True).astype(bool),
        "a_n": a_n,
        "f_value": at(p_value, f_pidx, np.nan),
        "f_year": at(p_year, f_pidx, np.nan),
        "region_last": region_last[t_region] if n else np.array([]),
        "has_other": has_pair[t_pair] if n else np.array([], dtype=bool),
    }
    texts = {
        "b_months": _take(points["months"].to_numpy(), b_pidx, ""),
        "b_quote": _take(points["quote"].to_numpy(), b_pidx, ""),
        "b_doc": _take(points["doc"].to_numpy(), b_pidx, ""),
        "a_quote": _take(points["quote"].to_numpy(), a_pidx, ""),
    }
    factors, _, _ = unit_factors(tgt["unit"])
    return _finish(tgt, factors, arrays, texts, validate_output)


def _finish(
    t: pd.DataFrame,
    factor: np.ndarray,
    x: dict[str, np.ndarray],
    texts: dict[str, np.ndarray],
    validate_output: bool,
) -> pd.DataFrame:
    n = len(t)
    target = t["base_value"].to_numpy(dtype=float)
    high = t["base_value_high"].to_numpy(dtype=float)
    comparator = t["comparator"].to_numpy(dtype=object)
    year = t["year"].to_numpy(dtype=float)

    b_ambiguous = (x["b_n"] > 1) & ~x["b_derived"]
    b_value = np.where(b_ambiguous, np.nan, x["b_value"])
    b_year = np.where(b_ambiguous, np.nan, x["b_year"])
    partial = ~x["b_full"] & ~np.isnan(b_value)

    a_value = x["a_value"]
    a_full = x["a_full"]
    a_ambiguous = x["a_n"] > 1
    usable = ~np.isnan(a_value) & a_full & ~x["a_derived"] & ~a_ambiguous
    met = satisfied(comparator, np.where(usable, a_value, np.nan), target, high)
    region_last = x["region_last"]
    has_other = x["has_other"]

    outcome = np.full(n, "pending", dtype=object)
    reason = np.full(n, "", dtype=object)
    outcome[usable & met] = "met"
    outcome[usable & ~met] = "missed"
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
    pending = outcome == "pending"
    reason[pending] = "the target period has not been reported yet / 目标期尚未报告"

    sign = _direction_sign(t["indicator"])
    with np.errstate(divide="ignore", invalid="ignore"):
        attainment = np.where(sign > 0, a_value / target, target / a_value)
        attainment = np.where(usable, attainment, np.nan)
        gap = np.where(usable, (a_value - target) / factor, np.nan)
        req_change = (target - b_value) / factor
        req_pct = (target / b_value - 1.0) * 100.0
        span = year - b_year
        level = t["measure"].isin(_LEVEL_MEASURES).to_numpy() & (target > 0) & (b_value > 0)
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

    baseline_met = satisfied(comparator, b_value, target, high)
    progress = np.full(n, "", dtype=object)
    has_traj = ~np.isnan(ratio) & np.isfinite(ratio)
    progress[has_traj & (ratio >= ON_TRACK)] = "on_track"
    progress[has_traj & (ratio >= MODERATE) & (ratio < ON_TRACK)] = "moderate"
    progress[has_traj & (ratio >= LIMITED) & (ratio < MODERATE)] = "limited"
    progress[has_traj & (ratio < LIMITED)] = "deteriorating"
    progress[baseline_met & ~np.isnan(b_value)] = "already_met"

    has_base = ~np.isnan(b_value)
    out = pd.DataFrame(
        {
            "record_id": t["record_id"].to_numpy(),
            "doc": t["doc"].to_numpy(),
            "region": t["region"].to_numpy(),
            "indicator": t["indicator"].to_numpy(),
            "indicator_text": t["indicator_text"].to_numpy(),
            "measure": t["measure"].to_numpy(),
            "comparator": comparator,
            "year": t["year"].to_numpy(dtype="int64"),
            "target_value": t["value"].to_numpy(dtype=float),
            "target_value_high": t["value_high"].to_numpy(dtype=float),
            "target_unit": t["unit"].to_numpy(),
            "base_unit": t["base_unit"].to_numpy(),
            "baseline_value": b_value / factor,
            "baseline_year": b_year,
            "baseline_months": np.where(has_base, texts["b_months"], ""),
            "baseline_quote": np.where(has_base, texts["b_quote"], ""),
            "baseline_doc": np.where(has_base, texts["b_doc"], ""),
            "partial_period": partial,
            "actual_value": np.where(usable, a_value / factor, np.nan),
            "actual_quote": np.where(usable, texts["a_quote"], ""),
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
            "quote": t["quote"].to_numpy(),
        }
    )
    out = out.sort_values("record_id", kind="stable").reset_index(drop=True)
    if validate_output:
        return validate(out, ReconciledFrame, what="reconciled frame")
    return out
