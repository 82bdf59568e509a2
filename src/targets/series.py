"""Series: every reported actual as a point of the series of its place and indicator.

A series is one (region key, indicator identity, measure, base unit). Region keys come from
:mod:`targets.regions` (杭州市临安区 = 临安区 = 临安市; same-named districts under different
parents stay apart). The indicator identity is the catalogue code, with a growth of a level
keyed as the growth's own entry (``国内生产总值增长`` read as ``gdp`` + growth is ``gdp_growth``,
through the catalogue's ``growth_of``); a figure outside the catalogue is keyed ``text:`` + its
words, and a generic word alone (投资, 就业, 产值: ``resources/generic_words.txt``) is no series
at all. Parts of a 其中 breakdown and figures for a multi-year period are not points.

Two kinds of points are read from the reported ones, each quoting the sentence it comes from:

- ``from_level``: the growth stated with a level is a point of the growth series
  (地区生产总值完成235.2亿元，同比增长18.5% gives 18.5 % for the GDP growth of that year);
- ``derived``: the level a year earlier implied by that growth (16.06亿元 at +21.58 % implies
  13.21亿元 for the year before).

A point is ``authoritative`` when its year is the year its report gives the results of (the
report of year N+1 for year N, read as the most common year of the report's figures).

:func:`series` builds the :class:`~targets.schemas.SeriesFrame` once; reconciliation, the
checks and the report all read it. The work is vectorised: text columns are factorised once,
keys are integer codes, and each text column of the result is gathered once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from targets.catalogue import catalogue
from targets.errors import CatalogueError
from targets.extract.cues import cue_words
from targets.regions import region_keys
from targets.schemas import RecordFrame, SeriesFrame
from targets.schemas import validate as check_schema

if TYPE_CHECKING:
    from pandera.typing.pandas import DataFrame

__all__ = [
    "LEVEL_MEASURES",
    "generic_words",
    "load_generic_words",
    "series",
    "text_key",
    "unresolved",
]

LEVEL_MEASURES = ("stock", "flow", "index")
"""Measures whose stated growth is a growth of the level (a ratio's change is in points)."""
_RESOURCE = "generic_words.txt"
_TEXT_KEY = "text:"


def load_generic_words(text: str, *, source: str = _RESOURCE) -> frozenset[str]:
    """The words of a generic-word list (one per line, ``#`` comments).

    Raises:
        CatalogueError: an entry with spaces or one listed twice (naming its line).
    """
    words: dict[str, int] = {}
    for number, raw in enumerate(text.splitlines(), start=1):
        word = raw.strip()
        if not word or word.startswith("#"):
            continue
        if any(c.isspace() for c in word):
            raise CatalogueError(f"{word!r} holds a space", source=source, line=number)
        if word in words:
            raise CatalogueError(
                f"{word!r} is listed twice (first on line {words[word]})",
                source=source,
                line=number,
            )
        words[word] = number
    return frozenset(words)


@cache
def generic_words() -> frozenset[str]:
    """The packaged generic words (validated on first use)."""
    text = resources.files("targets.resources").joinpath(_RESOURCE).read_text("utf-8")
    return load_generic_words(text, source=f"targets/resources/{_RESOURCE}")


_KEY_DROP = re.compile(r"[\s“”\"'‘’《》〈〉「」()（）\[\]【】,，、:：;；.。·]")


@cache
def _key_lead() -> re.Pattern[str]:
    words = sorted({*cue_words()["key_region"], *cue_words()["key_verb"]}, key=lambda w: -len(w))
    # not 新建和改造提升高标准农田 → 和改造…: a verb joined to another one stays
    return re.compile(f"^(?:(?:{'|'.join(re.escape(w) for w in words)})(?![和及与并、]))+")


def text_key(words: str) -> str:
    """The series key words of a figure outside the catalogue: without punctuation, quotes and
    spacing, and without the region words and verbs it opens with (``resources/cue_words.yaml``:
    全省新增“小巨人”企业 → 小巨人企业), so the same wording in two reports is one series.
    Conservative: a key of fewer than two characters keeps the words as they were."""
    bare = _KEY_DROP.sub("", words)
    stripped = _key_lead().sub("", bare)
    return stripped if len(stripped) >= 2 else bare


def gather(
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


def stable_order(*columns: tuple[np.ndarray, int]) -> np.ndarray:
    """Stable order of rows by ``columns`` (major first), each non-negative integer codes
    below its bound."""
    key = _sort_key(*columns)
    if key is None:
        return np.lexsort(tuple(c for c, _ in reversed(columns)))
    return np.argsort(key, kind="stable")


def combine(*codes: np.ndarray) -> tuple[np.ndarray, int]:
    """Dense integer codes of the row-wise combination of non-negative integer ``codes`` (and
    how many there are), without building a tuple or string per row."""
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


def _codes(column: pd.Series, rows: np.ndarray) -> tuple[np.ndarray, pd.Index]:
    """Integer codes of ``column`` at ``rows`` and the values they stand for (a categorical's
    own codes; other columns factorised once)."""
    if isinstance(column.dtype, pd.CategoricalDtype):
        codes = np.asarray(column.cat.codes.to_numpy(), dtype=np.int64)[rows]
        return codes, pd.Index(column.cat.categories.astype(str))
    codes, uniques = pd.factorize(column, sort=False)
    return np.asarray(codes, dtype=np.int64)[rows], pd.Index(np.asarray(uniques, dtype=str))


def _growth_codes() -> dict[str, str]:
    """Level code → the code of its growth entry (``growth_of``)."""
    return {ind.growth_of: code for code, ind in catalogue().items() if ind.growth_of}


def indicator_key(indicator: str, text: str, measure: str) -> str:
    """The series identity of one figure: its catalogue code (a growth of a level: the code of
    the level's growth entry), ``text:`` + its words outside the catalogue, or ``""`` for a
    generic word alone (no series)."""
    if indicator:
        if measure == "growth":
            return _growth_codes().get(indicator, indicator)
        return indicator
    words = text_key(text)
    if not words or words in generic_words() or text.strip() in generic_words():
        return ""
    return _TEXT_KEY + words


@dataclass(frozen=True)
class Keys:
    """Series keys of some rows of a records frame: integer codes with their values."""

    region: np.ndarray
    region_names: pd.Index
    indicator: np.ndarray
    indicator_names: pd.Index
    measure: np.ndarray
    measure_names: pd.Index
    unit: np.ndarray
    unit_names: pd.Index

    def text(self, at: np.ndarray | None = None) -> pd.DataFrame:
        """The four keys as text columns, one row per row (per row of positions ``at``)."""

        def pick(codes: np.ndarray) -> np.ndarray:
            return codes if at is None else codes[at]

        return pd.DataFrame(
            {
                "region_key": self.region_names.to_numpy()[pick(self.region)],
                "indicator_key": self.indicator_names.to_numpy()[pick(self.indicator)],
                "measure": self.measure_names.to_numpy()[pick(self.measure)],
                "base_unit": self.unit_names.to_numpy()[pick(self.unit)],
            }
        )


def keys(frame: pd.DataFrame, rows: np.ndarray) -> Keys:
    """The series keys of ``frame`` (a records frame) at positions ``rows``; region names are
    normalised and indicator keys computed once per distinct value."""
    region, names = _codes(frame["region"], rows)
    normal, region_names = pd.factorize(
        np.asarray(region_keys([str(u) for u in names]), dtype=object), sort=False
    )
    region = np.asarray(normal, dtype=np.int64)[region] if len(names) else region
    ind, ind_names = _codes(frame["indicator"], rows)
    text, text_names = _codes(frame["indicator_text"], rows)
    measure, measure_names = _codes(frame["measure"], rows)
    unit, unit_names = _codes(frame["base_unit"], rows)
    combo, n = combine(ind, text, measure)
    first = np.unique(combo, return_index=True)[1]  # the first row of each combination
    names_per_combo = [
        indicator_key(
            str(ind_names[ind[i]]), str(text_names[text[i]]), str(measure_names[measure[i]])
        )
        for i in first
    ]
    key_codes, key_names = pd.factorize(np.asarray(names_per_combo, dtype=object), sort=False)
    return Keys(
        region=region,
        region_names=pd.Index(np.asarray(region_names, dtype=str)),
        indicator=np.asarray(key_codes, dtype=np.int64)[combo] if n else combo,
        indicator_names=pd.Index(np.asarray(key_names, dtype=str)),
        measure=measure,
        measure_names=measure_names,
        unit=unit,
        unit_names=unit_names,
    )


def series_rows(records: pd.DataFrame) -> np.ndarray:
    """Positions of the rows that are series points: actuals for one year, not 其中 parts."""
    one_year = records["period_start"].dt.year.to_numpy() == records["year"].to_numpy()
    mask = (records["kind"] == "actual").to_numpy() & (records["part_of"] == "").to_numpy()
    return np.flatnonzero(mask & one_year)


def _with(names: pd.Index, value: str) -> tuple[pd.Index, int]:
    """``names`` with ``value`` in it, and its position."""
    at = names.get_indexer(pd.Index([value]))[0]
    if at >= 0:
        return names, int(at)
    return names.append(pd.Index([value])), len(names)


def _categorical(codes: np.ndarray, names: pd.Index) -> pd.Categorical:
    """A categorical from ``codes`` into ``names``, the categories deduplicated."""
    uniques, inverse = np.unique(names.to_numpy(dtype=str), return_inverse=True)
    return pd.Categorical.from_codes(inverse[codes], pd.Index(uniques, dtype=str))


def series(records: pd.DataFrame, *, validate: bool = True) -> DataFrame[SeriesFrame]:
    """The series of reported actuals of a records frame, built once.

    Args:
        records: a records frame (:class:`~targets.schemas.RecordFrame`); its actuals for one
            year, not parts of a 其中 breakdown, become points.
        validate: validate ``records`` first (turn it off only for a frame that was
            just validated).

    Returns:
        A :class:`~targets.schemas.SeriesFrame`: reported points first, in record order, then
        the ``derived`` and the ``from_level`` ones.

    Raises:
        SchemaError: ``records`` is not a records frame.
    """
    if validate:
        records = check_schema(records, RecordFrame, what="records frame")
    rows = series_rows(records)
    k = keys(records, rows)
    named = k.indicator_names.to_numpy() != ""
    keep = named[k.indicator] if len(rows) else np.zeros(0, dtype=bool)
    rows = rows[keep]
    region, indicator, measure, unit = (
        k.region[keep],
        k.indicator[keep],
        k.measure[keep],
        k.unit[keep],
    )
    n = len(rows)
    growth = records["growth_pct"].to_numpy(dtype=float)[rows]
    factor = 1.0 + growth / 100.0
    level = np.isin(k.measure_names.to_numpy(), LEVEL_MEASURES)[measure]
    with np.errstate(invalid="ignore"):
        grown = np.flatnonzero(level & (factor > 0))
    stated = np.flatnonzero(level & np.isfinite(growth))
    take = np.concatenate([np.arange(n), grown, stated])
    at = rows[take]
    end_derived = n + len(grown)
    derived = np.zeros(len(take), dtype=bool)
    derived[n:end_derived] = True
    from_level = np.zeros(len(take), dtype=bool)
    from_level[end_derived:] = True

    # keys of the from-level points: the growth of the level's indicator, in %
    growth_codes = _growth_codes()
    ind_names = k.indicator_names
    growth_names = pd.Index([growth_codes.get(str(name), str(name)) for name in ind_names])
    all_names = ind_names.append(growth_names)
    ind_codes = indicator[take]
    ind_codes[end_derived:] += len(ind_names)
    measure_names, growth_measure = _with(k.measure_names, "growth")
    measure_codes = measure[take]
    measure_codes[end_derived:] = growth_measure
    unit_names, percent = _with(k.unit_names, "%")
    unit_codes = unit[take]
    unit_codes[end_derived:] = percent
    region_codes = region[take]
    ind_cat = _categorical(ind_codes, all_names)
    measure_cat = _categorical(measure_codes, measure_names)
    unit_cat = _categorical(unit_codes, unit_names)
    gid, _ = combine(
        region_codes,
        np.asarray(ind_cat.codes, dtype=np.int64),
        np.asarray(measure_cat.codes, dtype=np.int64),
        np.asarray(unit_cat.codes, dtype=np.int64),
    )

    def numbers(column: str) -> np.ndarray:
        values: np.ndarray = records[column].to_numpy(dtype=float)[at]
        return values

    year = records["year"].to_numpy(dtype=np.int64)[at]
    year[n:end_derived] -= 1
    base_value = numbers("base_value")
    value = numbers("value")
    base_value[n:end_derived] /= factor[grown]
    value[n:end_derived] /= factor[grown]
    base_value[end_derived:] = growth[stated]
    value[end_derived:] = growth[stated]
    point_growth = growth[take]
    point_growth[n:] = np.nan
    months = gather(records["months"], at)
    unit_written = gather(records["unit"], at)
    if len(stated):
        unit_written = np.array(pd.Series(unit_written).astype(object), dtype=object)
        unit_written[end_derived:] = "%"
    doc = pd.Series(gather(records["doc"], at))
    key_text = np.asarray(ind_cat.astype(str), dtype=object)
    indicator_code = np.where(
        pd.Series(key_text).str.startswith(_TEXT_KEY).to_numpy(), "", key_text
    )
    out = pd.DataFrame(
        {
            "gid": gid,
            "region_key": pd.Categorical.from_codes(region_codes, k.region_names),
            "indicator_key": ind_cat,
            "indicator": indicator_code,
            "measure": measure_cat,
            "base_unit": unit_cat,
            "year": year,
            "months": months,
            "full_year": np.asarray(pd.Series(months).astype(str) == ""),
            "derived": derived,
            "from_level": from_level,
            "authoritative": _authoritative(doc, year, derived | from_level),
            "known": indicator_code != "",
            "base_value": base_value,
            "value": value,
            "unit": unit_written,
            "growth_pct": point_growth,
            "doc": doc.array,
            "region": gather(records["region"], at),
            "indicator_text": gather(records["indicator_text"], at),
            "record_id": gather(records["record_id"], at),
            "quote": gather(records["quote"], at),
        }
    )
    return check_schema(out, SeriesFrame, what="series frame", compact=True)


def _authoritative(doc: pd.Series, year: np.ndarray, read: np.ndarray) -> np.ndarray:
    """Whether each point's year is the most common year of its document's reported points
    (the year the report gives the results of; ties go to the later year)."""
    codes, _ = pd.factorize(doc, sort=False)
    codes = np.asarray(codes, dtype=np.int64)
    if not len(codes):
        return np.zeros(0, dtype=bool)
    tally = pd.DataFrame({"doc": codes[~read], "year": year[~read]}).value_counts()
    ranked = tally.reset_index(name="n").sort_values(["doc", "n", "year"])
    modal = ranked.drop_duplicates("doc", keep="last").set_index("doc")["year"]
    per_doc = np.full(int(codes.max()) + 1, -1, dtype=np.int64)
    per_doc[modal.index.to_numpy()] = modal.to_numpy()
    return np.asarray(per_doc[codes] == year)


@dataclass(frozen=True)
class Lookup:
    """Where rows of a records frame fall in a series frame."""

    gid: np.ndarray
    """The series of each row, -1 for none."""
    region: np.ndarray
    """The row's region as a code of the series' ``region_key`` categories (-1: absent)."""
    has_pair: np.ndarray
    """Whether the series holds the row's region and indicator in any measure or unit."""


def look_up(frame: pd.DataFrame, rows: np.ndarray, points: pd.DataFrame) -> Lookup:
    """The series of ``points`` (a series frame) that rows ``rows`` of ``frame`` belong to,
    matched on their keys as text, once per distinct key."""
    k = keys(frame, rows)
    combo, n = combine(k.region, k.indicator, k.measure, k.unit)
    first = np.unique(combo, return_index=True)[1]
    wanted = k.text(first if n else first[:0])
    columns = ["region_key", "indicator_key", "measure", "base_unit"]
    groups = points.drop_duplicates("gid")[[*columns, "gid"]]
    groups = groups.astype(dict.fromkeys(columns, str))
    found = wanted.merge(groups, on=columns, how="left")["gid"]
    per_combo = np.array(found.fillna(-1), dtype=np.int64)
    unnamed = (wanted["indicator_key"] == "").to_numpy()
    per_combo[unnamed] = -1
    pairs = _pairs(points["region_key"], points["indicator_key"])
    pair_of_combo = np.asarray(
        [
            (r, i) in pairs and i != ""
            for r, i in zip(
                wanted["region_key"].tolist(), wanted["indicator_key"].tolist(), strict=True
            )
        ],
        dtype=bool,
    )
    region_names = points["region_key"].cat.categories
    region = region_names.get_indexer(k.region_names)[k.region] if len(rows) else k.region
    return Lookup(
        gid=per_combo[combo] if n else combo,
        region=np.asarray(region, dtype=np.int64),
        has_pair=pair_of_combo[combo] if n else np.zeros(0, dtype=bool),
    )


def _pairs(regions: pd.Series, indicators: pd.Series) -> set[tuple[str, str]]:
    """The distinct (region, indicator) pairs of two text columns, as text; from the
    categories' codes when both are categorical (no string per row)."""
    if isinstance(regions.dtype, pd.CategoricalDtype) and isinstance(
        indicators.dtype, pd.CategoricalDtype
    ):
        r_codes = regions.cat.codes.to_numpy().astype(np.int64)
        i_codes = indicators.cat.codes.to_numpy().astype(np.int64)
        if (r_codes >= 0).all() and (i_codes >= 0).all():
            width = max(len(indicators.cat.categories), 1)
            pair = pd.unique(r_codes * width + i_codes)  # a hash table: no sort needed
            r_names = regions.cat.categories.astype(str)[pair // width]
            i_names = indicators.cat.categories.astype(str)[pair % width]
            return set(zip(r_names.tolist(), i_names.tolist(), strict=True))
    return set(zip(regions.astype(str), indicators.astype(str), strict=True))


def one_per_year(points: pd.DataFrame, y0: int, n_years: int) -> pd.DataFrame:
    """One point per (series, year) of a series frame: full year before partial, reported
    before derived, the authoritative report (N+1 for year N) before others, a stated growth
    before the growth read beside a level, then the first document by name.

    Returns ``cell`` (``gid * n_years + year - y0``, ascending), ``pidx`` (the chosen point's
    position), ``n_values`` (distinct reported values among the points as good as the chosen
    one: several make the year ambiguous) and ``other`` (the position of a point of another
    report stating the year differently, -1 for none).
    """
    cell = points["gid"].to_numpy().astype(np.int64)
    cell *= n_years
    cell += points["year"].to_numpy()
    cell -= y0
    n_cells = (int(cell.max(initial=0)) + 1) if len(cell) else 1
    full = points["full_year"].to_numpy(dtype=bool)
    derived = points["derived"].to_numpy(dtype=bool)
    authoritative = points["authoritative"].to_numpy(dtype=bool)
    from_level = points["from_level"].to_numpy(dtype=bool)
    doc = points["doc"].cat.codes.to_numpy()
    order = stable_order(
        (cell, n_cells),
        (~full, 2),
        (derived, 2),
        (~authoritative, 2),
        (from_level, 2),
        (doc, len(points["doc"].cat.categories)),
    )
    c = cell[order]
    first = np.ones(len(order), dtype=bool)
    first[1:] = c[1:] != c[:-1]
    run = np.cumsum(first) - 1
    starts = np.flatnonzero(first)
    chosen = order[first]
    rounded = points["base_value"].to_numpy(dtype=float).round(6)
    # the tier of a point: (full, derived, authoritative); its values count for ambiguity
    tier = (full.astype(np.int64) * 4 + derived * 2 + authoritative)[order]
    same_tier = tier == tier[starts][run]
    reported = (full & ~derived)[order]
    n_values = np.ones(len(starts), dtype=np.int64)
    other = np.full(len(starts), -1, dtype=np.int64)
    differs = reported & (rounded[order] != rounded[chosen][run])
    if differs.any():
        values = pd.DataFrame(
            {"run": run[differs & same_tier], "value": rounded[order][differs & same_tier]}
        ).drop_duplicates()
        runs, counts = np.unique(values["run"].to_numpy(), return_counts=True)
        n_values[runs] += counts
        elsewhere = differs & ~same_tier
        at = np.flatnonzero(elsewhere)
        first_other = pd.Series(at).groupby(run[at]).first()
        other[first_other.index.to_numpy()] = order[first_other.to_numpy()]
    return pd.DataFrame({"cell": c[first], "pidx": chosen, "n_values": n_values, "other": other})


def unresolved(records: pd.DataFrame) -> pd.DataFrame:
    """The indicator wordings of ``records`` (a records frame) outside the catalogue, most
    frequent first: one row per series key (:func:`text_key`) with how many records and
    documents use it, how many are targets, a wording as written and one example quote with
    its document. Generic words alone (no series) are left out. This is where the catalogue
    grows from: each row is a candidate entry or alias."""
    columns = ["key", "records", "targets", "documents", "indicator_text", "doc", "quote"]
    rows = records.loc[records["indicator"].astype(str) == ""]
    if not len(rows):
        return pd.DataFrame(
            {c: pd.Series(dtype="int64" if c in columns[1:4] else object) for c in columns}
        )
    text = rows["indicator_text"].astype(str)
    key = text.map(text_key)
    keep = (key != "") & ~key.isin(generic_words()) & ~text.str.strip().isin(generic_words())
    rows, key = rows.loc[keep], key.loc[keep]
    frame = pd.DataFrame(
        {
            "key": key.to_numpy(),
            "is_target": (rows["kind"].astype(str) == "target").to_numpy(),
            "doc": rows["doc"].astype(str).to_numpy(),
            "indicator_text": rows["indicator_text"].astype(str).to_numpy(),
            "quote": rows["quote"].astype(str).to_numpy(),
        }
    )
    grouped = frame.groupby("key", sort=False)
    out = pd.DataFrame(
        {
            "records": grouped.size(),
            "targets": grouped["is_target"].sum().astype("int64"),
            "documents": grouped["doc"].nunique(),
            "indicator_text": grouped["indicator_text"].first(),
            "doc": grouped["doc"].first(),
            "quote": grouped["quote"].first(),
        }
    ).reset_index()
    return out.sort_values(["records", "key"], ascending=[False, True], kind="stable").reset_index(
        drop=True
    )[columns]
