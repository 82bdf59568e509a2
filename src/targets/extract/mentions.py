"""Value mentions: every number with a known unit in a stretch of report text, and
the drafts of records made from them (mutable until frozen), with the text helpers they share
(clauses, spans, sub-sentence splits)."""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from targets.errors import ParseError
from targets.models import (
    Comparator,
    Measure,
)
from targets.numerals import parse_number
from targets.units import unit_info

from . import patterns as p

__all__ = [
    "MEASURED_DIMENSIONS",
    "MONEY_DIMENSIONS",
    "PERCENT_UNITS",
    "POINT_UNITS",
    "WINDOW",
    "Change",
    "Draft",
    "Mention",
    "clause_begin",
    "count_before",
    "find_mentions",
    "is_inside",
    "spans_of",
    "split_spans",
    "unit_and_value",
    "unit_table",
]


PERCENT_UNITS = frozenset({"%", "‰"})
MONEY_DIMENSIONS = frozenset({"[money]", "[money_usd]"})
POINT_UNITS = frozenset({"个百分点", "百分点"})
MEASURED_DIMENSIONS = frozenset(
    {
        "[money]",
        "[money_usd]",
        "[length]**2",  # area: 平方米, 万方, 亩
        "[mass]",
        "[length]",
        "[length]**2 * [mass] * [time]**-3",  # power: 千瓦
        "[length]**2 * [mass] * [time]**-2",  # energy: 千瓦时
        "[time]",
        "[length]**-3 * [mass]",  # concentration: 微克/立方米
        "[dimensionless]",
    }
)
"""Dimensions (:attr:`targets.units.UnitInfo.dimension`) of measured quantities, not counts."""


@dataclass(slots=True)
class Mention:
    start: int
    end: int
    value: float
    value_high: float | None
    unit: str
    inner: str
    suffix: str
    is_index: bool = False
    counted_end: int = -1  # 新建10家省级概念验证中心: where the counted words end
    verb: str = ""  # and the verb before the count


@dataclass(slots=True)
class Change:
    """Two levels joined as a change (从4.16万亿元增加到5.67万亿元): both are named by the
    words before 从, and each is the level at its own time."""

    first: Mention
    second: Mention
    cue_start: int  # where 从/由 stands
    from_year: int | None  # 从2020年的
    from_last_year: bool  # 由上年
    from_months: tuple[int, int] | None  # 从上半年
    to_year: int | None  # 提高到2025年的
    words: tuple[int, str, str] | None = None  # seg_start, segment, cue words of the first
    earlier: int = 0  # how many records of the clause came before the first


@dataclass(slots=True)
class Draft:
    """A record under construction (mutable until it is frozen into a Target or Actual)."""

    kind: str
    indicator: str
    indicator_text: str
    measure: Measure
    comparator: Comparator
    value: float
    value_high: float | None
    unit: str
    year: int
    months: tuple[int, int] | None
    start: int
    end: int
    qualifiers: tuple[str, ...] = ()
    growth: float | None = None
    growth_unit: str = ""
    rank: str = ""
    approx: str = ""
    part_of: int | None = None  # index of the whole in the draft list
    para: int = -1  # offset of the paragraph it was read from
    span_years: int = 1  # 5 for a figure covering a five-year period (十四五时期累计)
    counted: bool = False  # read from a count before its noun (新建10家…)
    children: list[int] = field(default_factory=list)


def spans_of(regex: re.Pattern[str], text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in regex.finditer(text)]


def is_inside(pos: int, spans: list[tuple[int, int]]) -> bool:
    """Whether ``pos`` lies strictly inside one of ``spans`` (sorted, non-overlapping)."""
    i = bisect.bisect_left(spans, (pos, pos)) - 1
    return i >= 0 and spans[i][0] < pos < spans[i][1]


def unit_and_value(num: str, mult: str | None, unit: str) -> tuple[float, str]:
    value = parse_number(num)
    if mult:
        if mult + unit in unit_table():
            return value, mult + unit
        value = parse_number(f"{num}{mult}") if num[0].isdigit() else value
    return value, unit


_UNITS: frozenset[str] | None = None


def unit_table() -> frozenset[str]:
    global _UNITS  # noqa: PLW0603 - a cache of the unit spellings, filled once
    if _UNITS is None:
        from targets.units import unit_spellings

        _UNITS = frozenset(unit_spellings())
    return _UNITS


def find_mentions(text: str, start: int, end: int) -> list[Mention]:
    """Value mentions in ``text[start:end]`` that read as indicator values."""
    quoted: list[tuple[int, int]] | None = None  # quoted names, found on the first value
    found: list[Mention] = []
    for m in p.mention_regex().finditer(text, start, end):
        if quoted is None:
            quoted = spans_of(p.QUOTED, text[start:end])
        if is_inside(m.start() - start, quoted):
            continue
        counted = None
        if not p.FOLLOW_OK.match(text, m.end()):
            counted = count_before(text, start, end, m, found[-1] if found else None)
            if counted is None:
                continue
        if m.group("unit") == "位":
            continue  # 第3位, 提升8位: ranks are read by the rank grammar
        if m.group("unit") == "岁" and not p.AGE_WORDS.search(
            text, max(start, m.start() - 16), m.start()
        ):
            continue  # 60岁以上老年人: an age group, not a value
        try:
            value, unit = unit_and_value(m.group("num"), m.group("mult"), m.group("unit"))
            low = None
            if m.group("lo"):
                low, lo_unit = unit_and_value(m.group("lo"), None, m.group("lounit") or unit)
                if lo_unit != unit:
                    low = None
        except ParseError:
            continue
        if low is not None and low >= value:
            continue  # 1-2 could be a date or a code; a range runs upwards
        suffix = m.group("suffix") or ""
        inner = m.group("inner") or ""
        if suffix in p.SUFFIX_MORE:
            inner, suffix = suffix, ""
        mention = Mention(m.start(), m.end(), value, None, unit, inner, suffix)
        if low is not None:
            mention.value, mention.value_high = low, value
        if counted is not None:
            if (
                unit in PERCENT_UNITS | POINT_UNITS | {"小时", "岁"}
                or unit_info(unit).dimension
                in MONEY_DIMENSIONS  # 5000万元以上制造业企业: a threshold
                or low is not None
                or m.group("suffix") in p.SUFFIX_MORE  # 5条多式联运: 多 starts the noun
                or m.group("num") == "一"  # 推进一项关键核心任务: a manner of speaking
            ):
                continue
            mention.counted_end, mention.verb = counted
        found.append(mention)
    covered = [(x.start, x.end) for x in found]
    for m in p.INDEX.finditer(text, start, end):
        if quoted is None:
            quoted = spans_of(p.QUOTED, text[start:end])
        if is_inside(m.start() - start, quoted):
            continue
        i = bisect.bisect_right(covered, (m.start("num"), 10**12)) - 1
        if i >= 0 and covered[i][0] <= m.start("num") < covered[i][1]:
            continue
        found.append(
            Mention(m.start("num"), m.end(), float(m.group("num")), None, "", "", "", True)
        )
    found.sort(key=lambda x: x.start)
    return found


def count_before(
    text: str, start: int, end: int, m: re.Match[str], previous: Mention | None
) -> tuple[int, str] | None:
    """The end of the words a count counts, and the verb before it, when the count stands
    before its noun in a task list (新建10家省级概念验证中心、30家标杆孵化器); else ``None``."""
    found = p.COUNT_VERB.search(text, max(start, m.start() - 6), m.start())
    if found is not None:
        verb = found.group(0)
    elif (
        previous is not None
        and previous.counted_end >= 0
        and text[previous.counted_end : m.start()] in ("、", "和")
    ):
        verb = previous.verb  # the next item of the same list
    else:
        return None
    words = p.COUNTED.match(text, m.end(), end)
    if words is None or p.COUNTED_NOT.search(words.group(0)):
        return None
    return words.end(), verb


WINDOW = 400
"""How far back (in characters) words and cues are read for one value: a bound that keeps
extraction linear in the length of a sentence, however long it runs without punctuation."""


def clause_begin(text: str, lo: int, pos: int) -> int:
    """Start of the clause containing ``pos`` (after the last ，：or bracket), not before lo."""
    lo = max(lo, pos - WINDOW)
    m = p.CLAUSE_END.search(text[lo:pos][::-1])  # the last boundary: first in reverse
    return pos - m.start() if m else lo


def split_spans(
    regex: re.Pattern[str], text: str, start: int, end: int
) -> Iterator[tuple[int, int]]:
    pos = start
    for m in regex.finditer(text, start, end):
        if m.end() > pos:
            yield pos, m.end()
        pos = m.end()
    if pos < end:
        yield pos, end
