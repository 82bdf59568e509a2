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

from collections.abc import Callable
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd
from pandas.api.types import union_categoricals

from targets.catalogue import catalogue
from targets.frames import unit_factors
from targets.models import APPROX_REL_TOL
from targets.regions import normalize_region, region_keys
from targets.schemas import ReconciledFrame, RecordFrame, _sorted_categories, validate

__all__ = [
    "LIMITED",
    "MODERATE",
    "ON_TRACK",
    "normalize_region",
    "reconcile",
    "region_keys",
    "satisfied",
    "series",
]

ON_TRACK = 0.95
"""Open SDG / Statistics Canada threshold of the observed/required growth ratio."""
MODERATE = 0.6
LIMITED = 0.0
_EQ_TOL = 1e-9
_LEVEL_MEASURES = ("stock", "flow", "index", "ratio")


def satisfied(
    comparator: str | np.ndarray | pd.Series | pd.api.extensions.ExtensionArray,
    actual: np.ndarray | pd.Series,
    value: np.ndarray | pd.Series,
    high: np.ndarray | pd.Series,
) -> np.ndarray:
    """Vectorised :meth:`targets.models.Comparator.satisfied` (same semantics, NaN → False)."""
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


def _gather(
    column: pd.Series, rows: np.ndarray, fill: str = ""
) -> pd.api.extensions.ExtensionArray | np.ndarray:
    """``column`` at positions ``rows`` (``fill`` where a row is -1), staying in the column's
    own storage (Arrow strings stay Arrow, a categorical stays categorical with ``fill`` added
    to its categories: no Python object per row)."""
    array = column.array
    if not isinstance(array, pd.Categorical):
        return pd.api.extensions.take(array, rows, allow_fill=True, fill_value=fill)
    categories = array.categories
    missing = rows < 0
    codes = np.zeros(len(rows), dtype=np.int32)
    if len(array):  # (an empty column can only give ``fill``)
        codes = np.asarray(array.codes, dtype=np.int32).take(np.maximum(rows, 0))
    if missing.any():
        at = int(categories.get_indexer(pd.Index([fill]))[0])
        if at < 0:
            categories = categories.append(pd.Index([fill], dtype=categories.dtype))
            at = len(categories) - 1
        codes[missing] = at
    return pd.Categorical.from_codes(codes, dtype=pd.CategoricalDtype(categories))


def _shared_codes(
    first: pd.DataFrame, second: pd.DataFrame, column: str
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Integer codes of ``column`` in two frames over one shared set of uniques (a frame passed
    twice is factorised once)."""
    if first is second:
        codes, uniques = pd.factorize(first[column], sort=False)
        codes = np.asarray(codes, dtype=np.int64)
        return codes, codes, np.asarray(uniques, dtype=object)
    parts = [first[column], second[column]]
    try:
        joined = pd.Series(union_categoricals(parts, ignore_order=True))
    except TypeError:  # not both categoricals, or categories of different types
        joined = pd.concat([part.reset_index(drop=True) for part in parts], ignore_index=True)
    codes, uniques = pd.factorize(joined, sort=False)
    codes = np.asarray(codes, dtype=np.int64)
    return codes[: len(first)], codes[len(first) :], np.asarray(uniques, dtype=object)


def _sort_key(*columns: tuple[np.ndarray, int]) -> np.ndarray | None:
    """One int64 key ordering rows by ``columns`` (each non-negative codes below its bound),
    or None when the bounds do not fit in 63 bits."""
    total = 1
    for _, bound in columns:
        total *= max(bound, 1)
    if total >= 2**62:
        return None
    key = np.zeros(len(columns[0][0]), dtype=np.int64)
    for codes, bound in columns:  # in place: no temporary the size of the key
        key *= max(bound, 1)
        key += codes
    return key


def _order(*columns: tuple[np.ndarray, int]) -> np.ndarray:
    """Stable order of rows by ``columns`` (major first)."""
    key = _sort_key(*columns)
    if key is None:
        return np.lexsort(tuple(c for c, _ in reversed(columns)))
    return np.argsort(key, kind="stable")


def _combine(*codes: np.ndarray) -> tuple[np.ndarray, int]:
    """Dense integer codes of the row-wise combination of integer ``codes`` (and how many
    there are), without building a tuple or string per row."""
    if len(codes[0]) == 0:
        return np.array([], dtype=np.int64), 0
    key = _sort_key(*((c, int(c.max(initial=0)) + 1) for c in codes))
    if key is None:  # too many combinations for one int64: combine pairwise
        key = np.zeros(len(codes[0]), dtype=np.int64)
        for column in codes:
            key = key * (int(column.max(initial=0)) + 1) + column
            key = np.asarray(pd.factorize(key, sort=False)[0], dtype=np.int64)
    combined, uniques = pd.factorize(key, sort=False)
    return np.asarray(combined, dtype=np.int64), len(uniques)


@dataclass(frozen=True)
class _Keys:
    """Integer series keys of the target rows and of the actual rows."""

    gid: tuple[np.ndarray, np.ndarray]
    """(region, indicator, measure, base unit): one series."""
    region: tuple[np.ndarray, np.ndarray]
    pair: tuple[np.ndarray, np.ndarray]
    """(region, indicator), any measure or unit."""
    n_groups: int
    n_regions: int
    n_pairs: int
    region_names: np.ndarray
    """The normalised region name of each region code."""
    measure: tuple[np.ndarray, np.ndarray]
    """The measure code of each actual row, and the measure of each code."""

    def targets_only(self) -> _Keys:
        """These keys without the arrays of the actual rows (so that they can be freed)."""
        none = np.array([], dtype=np.int64)
        return replace(
            self,
            gid=(self.gid[0], none),
            region=(self.region[0], none),
            pair=(self.pair[0], none),
            measure=(none, self.measure[1]),
        )


def _key_codes(
    targets: pd.DataFrame, t_rows: np.ndarray, actuals: pd.DataFrame, a_rows: np.ndarray
) -> _Keys:
    """Series keys for rows ``t_rows`` of ``targets`` and ``a_rows`` of ``actuals``.

    Region names are normalised once per distinct name; an indicator outside the catalogue is
    keyed by its words (apart from every catalogue code). Whole columns are factorised once
    and the codes indexed by row, so no text column is copied.
    """
    n = len(t_rows)

    def codes(column: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        t, a, uniques = _shared_codes(targets, actuals, column)
        return t[t_rows], a[a_rows], uniques

    t_region, a_region, names = codes("region")
    normal, region_names = pd.factorize(
        np.asarray(region_keys([str(u) for u in names]), dtype=object), sort=False
    )
    normal = np.asarray(normal, dtype=np.int64)
    t_ind, a_ind, indicators = codes("indicator")
    t_text, a_text, _ = codes("indicator_text")
    unknown = np.flatnonzero(indicators == "")
    offset = len(indicators)

    def indicator_key(ind: np.ndarray, text: np.ndarray) -> np.ndarray:
        return np.where(np.isin(ind, unknown), offset + text, ind)

    t_measure, a_measure, measures = codes("measure")
    t_unit, a_unit, _ = codes("base_unit")
    region = np.concatenate([normal[t_region], normal[a_region]])
    ind_key = np.concatenate([indicator_key(t_ind, t_text), indicator_key(a_ind, a_text)])
    gid, n_groups = _combine(
        region, ind_key, np.concatenate([t_measure, a_measure]), np.concatenate([t_unit, a_unit])
    )
    pair, n_pairs = _combine(region, ind_key)
    return _Keys(
        gid=(gid[:n], gid[n:]),
        region=(region[:n], region[n:]),
        pair=(pair[:n], pair[n:]),
        n_groups=n_groups,
        n_regions=len(region_names),
        n_pairs=n_pairs,
        region_names=np.asarray(region_names, dtype=object),
        measure=(a_measure, measures),
    )


def _series_rows(records: pd.DataFrame) -> np.ndarray:
    """Positions of the rows that are series points: actuals for one year, not 其中 parts."""
    one_year = records["period_start"].dt.year.to_numpy() == records["year"].to_numpy()
    mask = (records["kind"] == "actual").to_numpy() & (records["part_of"] == "").to_numpy()
    return np.flatnonzero(mask & one_year)


def _categorical(column: pd.Series, rows: np.ndarray, *, sort: bool = False) -> pd.Categorical:
    """``column`` at ``rows`` as a categorical, the column factorised once (no text copied);
    with ``sort``, the categories are in text order."""
    if isinstance(column.dtype, pd.CategoricalDtype):
        categories = column.cat.categories
        if sort and not categories.is_monotonic_increasing:
            column = column.cat.reorder_categories(categories.sort_values())
        codes = column.cat.codes.to_numpy()[rows]
        return pd.Categorical.from_codes(codes, categories=column.cat.categories)
    codes, uniques = pd.factorize(column, sort=sort)
    return pd.Categorical.from_codes(np.asarray(codes)[rows], pd.Index(uniques))


def _points(records: pd.DataFrame, rows: np.ndarray, keys: _Keys) -> pd.DataFrame:
    """The series points of ``records`` (rows ``rows``), integer and float columns only.

    Columns: ``row`` (position in ``records``), ``gid``, ``region``, ``year``,
    ``base_value``, ``derived``, ``full_year``, ``known`` (a catalogue indicator),
    ``measure``, ``months`` and ``doc`` (categoricals; ``doc``'s categories are sorted, so its
    codes order documents by name). A derived point (the level a year before, implied by a
    stated growth) repeats the ``row`` of the point stating it; its value as written and its
    growth come from :func:`_point_values`.
    """
    n = len(rows)
    factor = 1.0 + records["growth_pct"].to_numpy(dtype=float)[rows] / 100.0
    level = pd.Index(keys.measure[1]).isin(("stock", "flow", "index"))
    with np.errstate(invalid="ignore"):
        grown = np.flatnonzero((factor > 0) & level[keys.measure[0]])
    # reported points, then the derived ones: each column is gathered once, in its final size
    take = np.concatenate([np.arange(n), grown])
    at = rows[take]
    small = np.int32 if len(records) < 2**31 else np.int64  # row positions and codes

    def gathered(column: str, dtype: type) -> np.ndarray:
        values: np.ndarray = records[column].to_numpy(dtype=dtype)[at]
        return values

    year = gathered("year", np.int64)
    base_value = gathered("base_value", float)
    year[n:] -= 1
    base_value[n:] /= factor[grown]
    derived = np.zeros(len(take), dtype=bool)
    derived[n:] = True
    months = _categorical(records["months"], at)
    return pd.DataFrame(
        {
            "row": at.astype(small),
            "gid": keys.gid[1][take].astype(small),
            "region": keys.region[1][take].astype(small),
            "year": year,
            "base_value": base_value,
            "derived": derived,
            "known": (records["indicator"] != "").to_numpy()[at],
            "measure": pd.Categorical.from_codes(keys.measure[0][take], pd.Index(keys.measure[1])),
            "months": months,
            "doc": _categorical(records["doc"], at, sort=True),
            "full_year": np.asarray(months == ""),
        },
        copy=False,
    )


def _point_values(
    records: pd.DataFrame, points: pd.DataFrame, at: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """The value (in the unit as written) and the stated growth of the points at positions
    ``at``: a reported point's own; for a derived point, the value stated a year later
    divided by its growth factor, and no growth."""
    rows = points["row"].to_numpy()[at]
    derived = points["derived"].to_numpy(dtype=bool)[at]
    value = records["value"].to_numpy(dtype=float)[rows]
    growth = records["growth_pct"].to_numpy(dtype=float)[rows]
    value[derived] /= 1.0 + growth[derived] / 100.0
    growth[derived] = np.nan
    return value, growth


def _series_points(records: pd.DataFrame) -> tuple[pd.DataFrame, _Keys]:
    """The series points of a records frame (:func:`_points`) and their keys."""
    rows = _series_rows(records)
    keys = _key_codes(records, rows[:0], records, rows)
    return _points(records, rows, keys), keys.targets_only()


def series(records: pd.DataFrame) -> pd.DataFrame:
    """Actual points per (region, indicator, measure), with derived prior-year points.

    Returns a frame with ``region_key, indicator_key, measure, base_unit, year, months,
    full_year, derived, base_value, value, unit, doc, quote, record_id, indicator_text,
    region, growth_pct`` (the stated growth of a reported point); a
    derived point (from ``growth_pct``) has ``derived`` set and quotes the sentence stating
    the growth. An indicator outside the catalogue is keyed ``text:`` + its words. Text
    columns of few values are categoricals in text order, as in the other frames.

    Raises:
        SchemaError: ``records`` is not a records frame.
    """
    records = validate(records, RecordFrame, what="records frame")
    points, keys = _series_points(records)
    at = points["row"].to_numpy()
    value, growth = _point_values(records, points, np.arange(len(points)))
    indicator = pd.Series(_gather(records["indicator"], at)).astype(str)
    text = pd.Series(_gather(records["indicator_text"], at))
    key = indicator.where(indicator != "", "text:" + text.astype(str))
    out = pd.DataFrame(
        {
            "region_key": pd.Categorical.from_codes(
                points["region"].to_numpy(), pd.Index(keys.region_names, dtype=str)
            ),
            "indicator_key": key.astype("category").array,
            "measure": points["measure"].array,
            "base_unit": _gather(records["base_unit"], at),
            "year": points["year"],
            "months": points["months"].array,
            "base_value": points["base_value"],
            "value": value,
            "unit": _gather(records["unit"], at),
            "doc": points["doc"].array,
            "quote": _gather(records["quote"], at),
            "record_id": _gather(records["record_id"], at),
            "indicator_text": text.array,
            "region": _gather(records["region"], at),
            "growth_pct": growth,
            "derived": points["derived"],
            "full_year": points["full_year"],
        }
    )
    return _sorted_categories(out, compact=True)


def _best_per_year(points: pd.DataFrame, n_groups: int, y0: int, n_years: int) -> pd.DataFrame:
    """One point per (gid, year): full year before partial, reported before derived, then the
    first document by name. Integer work only.

    Returns ``cell`` (``gid * n_years + year - y0``, ascending), ``pidx`` (the chosen point's
    row in ``points``) and ``n_values``, the number of distinct reported full-year values in
    that cell (several → ambiguous).
    """
    cell = points["gid"].to_numpy().astype(np.int64)
    cell *= n_years
    cell += points["year"].to_numpy()
    cell -= y0
    full = points["full_year"].to_numpy(dtype=bool)
    derived = points["derived"].to_numpy(dtype=bool)
    order = _order(
        (cell, n_groups * n_years),
        (~full, 2),
        (derived, 2),
        (points["doc"].cat.codes.to_numpy(), len(points["doc"].cat.categories)),
    )
    c = cell[order]
    del cell
    first = np.ones(len(order), dtype=bool)
    first[1:] = c[1:] != c[:-1]
    best_cell = c[first]
    # distinct reported full-year values per cell, counted only in cells with two or more
    # such points (they sort first in their cell)
    n_values = np.ones(len(best_cell), dtype=np.int64)
    reported = (full & ~derived)[order]
    if len(order):
        n_reported = np.add.reduceat(reported.astype(np.int64), np.flatnonzero(first))
        several = n_reported > 1
        if several.any():
            run = np.cumsum(first) - 1
            chosen = reported & several[run]
            values = pd.DataFrame(
                {
                    "run": run[chosen],
                    "value": points["base_value"].to_numpy(dtype=float)[order[chosen]].round(6),
                }
            ).drop_duplicates()
            runs, counts = np.unique(values["run"].to_numpy(), return_counts=True)
            n_values[runs] = counts
    return pd.DataFrame({"cell": best_cell, "pidx": order[first], "n_values": n_values})


def _direction_sign(indicators: pd.Series) -> np.ndarray:
    """+1 higher is better (also unknown and band), -1 lower is better, for every row."""
    lower = {code for code, ind in catalogue().items() if ind.direction.value == "lower_is_better"}
    return np.where(indicators.isin(lower).to_numpy(), -1.0, 1.0)


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
    return _reconcile(targets, actuals, validate_output=validate_output, keep_points=False)[0]


def _reconcile(
    targets: pd.DataFrame,
    actuals: pd.DataFrame | None,
    *,
    validate_output: bool,
    keep_points: bool = True,
) -> tuple[pd.DataFrame, pd.DataFrame | None]:
    """The reconciled frame, and the series points of ``actuals`` (see :func:`_points`;
    None unless ``keep_points``).

    Text is never moved row by row: targets and points are positions in their frames,
    series keys are integer codes, and the text columns of the result are gathered once.
    """
    actuals = targets if actuals is None else actuals
    is_target = (targets["kind"] == "target").to_numpy() & (targets["part_of"] == "").to_numpy()
    t_rows = np.flatnonzero(is_target)
    ids = pd.Series(_gather(targets["record_id"], t_rows))
    t_rows = t_rows[np.asarray(ids.argsort(kind="stable"))]
    arrays, found = _look_up(targets, t_rows, actuals)
    points = found if keep_points else None  # else freed before the result is built
    del found
    out = _finish(targets, t_rows, actuals, arrays)
    if validate_output:
        out = validate(out, ReconciledFrame, what="reconciled frame", compact=True)
    return out, points


def _look_up(
    targets: pd.DataFrame, t_rows: np.ndarray, actuals: pd.DataFrame
) -> tuple[dict[str, np.ndarray], pd.DataFrame]:
    """For each target row: its baseline, its target year's actual and its series' first
    point (values, years, flags and the rows of ``actuals`` they come from), and the series
    points. Integer work; its working arrays are freed when it returns."""
    a_rows = _series_rows(actuals)
    keys = _key_codes(targets, t_rows, actuals, a_rows)
    points = _points(actuals, a_rows, keys)
    # whether the indicator has any actual in the region (in any measure or unit)
    has_pair = np.zeros(keys.n_pairs, dtype=bool)
    has_pair[keys.pair[1]] = True
    keys = keys.targets_only()  # the actual rows' codes live on in ``points``
    t_gid = keys.gid[0]
    year = targets["year"].to_numpy(dtype=np.int64)[t_rows]
    p_year = points["year"].to_numpy(dtype=np.int64)
    y0 = min(int(year.min(initial=2001)) - 1, int(p_year.min(initial=2000)))
    n_years = max(int(year.max(initial=2000)), int(p_year.max(initial=2000))) - y0 + 1

    best = _best_per_year(points, keys.n_groups, y0, n_years)
    cells = best["cell"].to_numpy()
    pidx = best["pidx"].to_numpy()
    n_values = best["n_values"].to_numpy()

    # each target's cell; ``left`` is how many cells sort before it (queries sorted first:
    # a binary search in target order would jump around memory)
    cell = t_gid * n_years + (year - y0)
    by_cell = np.argsort(cell, kind="stable")
    left = np.empty(len(cell), dtype=np.int64)
    left[by_cell] = np.searchsorted(cells, cell[by_cell], side="left")
    last = max(len(cells) - 1, 0)
    # the target year's own point: the cell itself
    now = np.minimum(left, last)
    now_at = np.where((left < len(cells)) & (cells[now] == cell if len(cells) else False), now, -1)
    # the baseline: the latest cell of the same series before it (the one just before ``left``)
    before = np.clip(left - 1, 0, last)
    same_series = (left > 0) & (
        cells[before] // n_years == cell // n_years if len(cells) else False
    )
    base_at = np.where(same_series, before, -1)

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
    f_pidx_by_gid = np.full(keys.n_groups, -1, dtype=np.int64)
    f_pidx_by_gid[series_of[first]] = pidx[first]
    f_pidx = f_pidx_by_gid[t_gid] if len(t_gid) else np.array([], dtype=np.int64)

    # the latest year reported for the region
    region_last = np.full(keys.n_regions, np.nan)
    np.fmax.at(region_last, points["region"].to_numpy(), p_year.astype(float))

    p_value = points["base_value"].to_numpy(dtype=float)
    p_full = points["full_year"].to_numpy(dtype=bool)
    p_derived = points["derived"].to_numpy(dtype=bool)
    arrays = {
        "b_value": at(p_value, b_pidx, np.nan),
        "b_year": at(p_year.astype(float), b_pidx, np.nan),
        "b_full": at(p_full, b_pidx, True).astype(bool),
        "b_derived": at(p_derived, b_pidx, False).astype(bool),
        "b_n": at(n_values, base_at, 1),
        "a_value": at(p_value, a_pidx, np.nan),
        "a_full": at(p_full, a_pidx, False).astype(bool),
        "a_derived": at(p_derived, a_pidx, True).astype(bool),
        "a_n": at(n_values, now_at, 1),
        "f_value": at(p_value, f_pidx, np.nan),
        "f_year": at(p_year.astype(float), f_pidx, np.nan),
        "region_last": region_last[keys.region[0]] if len(t_rows) else np.array([]),
        "has_other": has_pair[keys.pair[0]] if len(t_rows) else np.array([], dtype=bool),
        "b_row": at(points["row"].to_numpy(), b_pidx, -1).astype(np.int64),
        "a_row": at(points["row"].to_numpy(), a_pidx, -1).astype(np.int64),
    }
    return arrays, points


def _finish(
    targets: pd.DataFrame, rows: np.ndarray, actuals: pd.DataFrame, x: dict[str, np.ndarray]
) -> pd.DataFrame:
    """The reconciled frame for target rows ``rows`` from the looked-up arrays ``x``."""
    n = len(rows)

    def num(column: str) -> np.ndarray:
        values: np.ndarray = targets[column].to_numpy(dtype=float)[rows]
        return values

    def text(column: str) -> pd.api.extensions.ExtensionArray | np.ndarray:
        return _gather(targets[column], rows)

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

    sign = _direction_sign(targets["indicator"])[rows]
    with np.errstate(divide="ignore", invalid="ignore"):
        attainment = np.where(sign > 0, a_value / target, target / a_value)
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

    baseline_met = satisfied(comparator, b_value, target, high)
    progress = np.full(n, "", dtype=object)
    has_traj = ~np.isnan(ratio) & np.isfinite(ratio)
    progress[has_traj & (ratio >= ON_TRACK)] = "on_track"
    progress[has_traj & (ratio >= MODERATE) & (ratio < ON_TRACK)] = "moderate"
    progress[has_traj & (ratio >= LIMITED) & (ratio < MODERATE)] = "limited"
    progress[has_traj & (ratio < LIMITED)] = "deteriorating"
    progress[baseline_met & ~np.isnan(b_value)] = "already_met"

    has_base = ~np.isnan(b_value)
    b_row = np.where(has_base, x["b_row"], -1)
    a_row = np.where(usable, x["a_row"], -1)
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
            "baseline_months": _gather(actuals["months"], b_row),
            "baseline_quote": _gather(actuals["quote"], b_row),
            "baseline_doc": _gather(actuals["doc"], b_row),
            "partial_period": partial,
            "actual_value": np.where(usable, a_value / factor, np.nan),
            "actual_quote": _gather(actuals["quote"], a_row),
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
