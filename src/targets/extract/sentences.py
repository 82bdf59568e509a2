"""Sentence grammar: find value mentions in a report and turn them into typed records.

The unit of work is a paragraph of the normalised text, split into sentences (。!?), sub-
sentences (；) and clauses (，：and brackets). Within a sub-sentence every number with a known
unit is a *mention*; the words before it name the indicator, cue words decide the comparator,
the measure (stock or flow), the kind (target, actual or forecast) and the period. A bare
``同比增长21.58%`` attaches to the level before it, a rank (``增幅居全市第1位``) to the record
it qualifies, ``分别`` and ``A和B达X和Y`` pair names with values, and ``其中`` makes parts of a
whole. Numbers that are not indicator values stay out: a count used as a modifier (``3家平台``,
``三项指标``), anything inside a short quotation (``“3个60%”``), ordinals and dates.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import date
from functools import partial
from typing import Any

from targets.catalogue import Catalogue, catalogue
from targets.errors import ParseError
from targets.models import (
    Actual,
    Comparator,
    Direction,
    Evidence,
    Indicator,
    Measure,
    Record,
    Target,
)
from targets.numerals import parse_number
from targets.units import quantity, unit_info

from . import patterns as p
from .document import FIVE_YEAR_PLANS, MIXED, PLAN, SUMMARY, Report, Section

__all__ = ["extract_records"]

_PERCENT_UNITS = frozenset({"%", "‰"})
_MONEY = frozenset({"[money]", "[money_usd]"})
_POINT_UNITS = frozenset({"个百分点", "百分点"})
_MEASURED = frozenset(
    {
        "[money]",
        "[money_usd]",
        "[area]",
        "[mass]",
        "[length]",
        "[power]",
        "[energy]",
        "[time]",
        "[concentration]",
        "[dimensionless]",
    }
)


@dataclass(slots=True)
class _Mention:
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
class _Change:
    """Two levels joined as a change (从4.16万亿元增加到5.67万亿元): both are named by the
    words before 从, and each is the level at its own time."""

    first: _Mention
    second: _Mention
    cue_start: int  # where 从/由 stands
    from_year: int | None  # 从2020年的
    from_last_year: bool  # 由上年
    from_months: tuple[int, int] | None  # 从上半年
    to_year: int | None  # 提高到2025年的
    words: tuple[int, str, str] | None = None  # seg_start, segment, cue words of the first
    earlier: int = 0  # how many records of the clause came before the first


@dataclass(slots=True)
class _Time:
    year: int | None = None
    months: tuple[int, int] | None = None
    stated: bool = False
    """The year was stated (by a sentence that opens with it), not taken from the section."""


@dataclass(slots=True)
class _Draft:
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


def _spans(regex: re.Pattern[str], text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in regex.finditer(text)]


def _inside(pos: int, spans: list[tuple[int, int]]) -> bool:
    """Whether ``pos`` lies strictly inside one of ``spans`` (sorted, non-overlapping)."""
    i = bisect.bisect_left(spans, (pos, pos)) - 1
    return i >= 0 and spans[i][0] < pos < spans[i][1]


def _unit_and_value(num: str, mult: str | None, unit: str) -> tuple[float, str]:
    value = parse_number(num)
    if mult:
        if mult + unit in _unit_table():
            return value, mult + unit
        value = parse_number(f"{num}{mult}") if num[0].isdigit() else value
    return value, unit


_UNITS: frozenset[str] | None = None


def _unit_table() -> frozenset[str]:
    global _UNITS  # noqa: PLW0603 - a cache of the unit spellings, filled once
    if _UNITS is None:
        from targets.units import unit_spellings

        _UNITS = frozenset(unit_spellings())
    return _UNITS


def _mentions(text: str, start: int, end: int) -> list[_Mention]:
    """Value mentions in ``text[start:end]`` that read as indicator values."""
    quoted: list[tuple[int, int]] | None = None  # quoted names, found on the first value
    found: list[_Mention] = []
    for m in p.mention_regex().finditer(text, start, end):
        if quoted is None:
            quoted = _spans(p.QUOTED, text[start:end])
        if _inside(m.start() - start, quoted):
            continue
        counted = None
        if not p.FOLLOW_OK.match(text, m.end()):
            counted = _counted(text, start, end, m, found[-1] if found else None)
            if counted is None:
                continue
        if m.group("unit") == "位":
            continue  # 第3位, 提升8位: ranks are read by the rank grammar
        if m.group("unit") == "岁" and not p.AGE_WORDS.search(
            text, max(start, m.start() - 16), m.start()
        ):
            continue  # 60岁以上老年人: an age group, not a value
        try:
            value, unit = _unit_and_value(m.group("num"), m.group("mult"), m.group("unit"))
            low = None
            if m.group("lo"):
                low, lo_unit = _unit_and_value(m.group("lo"), None, m.group("lounit") or unit)
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
        mention = _Mention(m.start(), m.end(), value, None, unit, inner, suffix)
        if low is not None:
            mention.value, mention.value_high = low, value
        if counted is not None:
            if (
                unit in _PERCENT_UNITS | _POINT_UNITS | {"小时", "岁"}
                or unit_info(unit).dimension in _MONEY  # 5000万元以上制造业企业: a threshold
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
            quoted = _spans(p.QUOTED, text[start:end])
        if _inside(m.start() - start, quoted):
            continue
        i = bisect.bisect_right(covered, (m.start("num"), 10**12)) - 1
        if i >= 0 and covered[i][0] <= m.start("num") < covered[i][1]:
            continue
        found.append(
            _Mention(m.start("num"), m.end(), float(m.group("num")), None, "", "", "", True)
        )
    found.sort(key=lambda x: x.start)
    return found


def _counted(
    text: str, start: int, end: int, m: re.Match[str], previous: _Mention | None
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


def _clean(text: str) -> str:
    """Indicator words from the text before a value: cue words and connectors trimmed."""
    s = p.QUOTED.sub(lambda m: m.group(0), text)
    previous = None
    while previous != s:
        previous = s
        s = p.LEADING_NOISE.sub("", s)
        s = p.TRAILING_NOISE.sub("", s)
        s = s.strip(" ,、")
    return s


_LEAD_TIME = re.compile(
    r"((?:19|20)\d\d年|过去的?一年|去年)?(\d{1,2}\s*[-~〜至到]\s*\d{1,2}月|上半年|前三季度)?[,:]"
)
"""A time that opens a sentence (2024年, 1-11月, 上半年) and frames its figures."""

_WINDOW = 400
"""How far back (in characters) words and cues are read for one value: a bound that keeps
extraction linear in the length of a sentence, however long it runs without punctuation."""


def _clause_start(text: str, lo: int, pos: int) -> int:
    """Start of the clause containing ``pos`` (after the last ，：or bracket), not before lo."""
    lo = max(lo, pos - _WINDOW)
    m = p.CLAUSE_END.search(text[lo:pos][::-1])  # the last boundary: first in reverse
    return pos - m.start() if m else lo


class _Resolver:
    """Maps indicator words and a unit to a catalogue entry and a measure."""

    def __init__(self, cat: Catalogue) -> None:
        self.cat = cat

    def measure_for(self, ind: Indicator, unit: str, words: str) -> Measure | None:
        """The measure of a value in ``unit`` for ``ind``, or ``None`` if they do not fit."""
        if ind.unit == "" or unit == "":
            return Measure.INDEX if ind.unit == unit == "" else None
        iu, vu = unit_info(ind.unit), unit_info(unit)
        if (
            vu.dimension == "[generic_count]"
            and ind.measure in (Measure.STOCK, Measure.FLOW)
            and iu.dimension not in _MEASURED
        ):
            return ind.measure  # 个 is the general measure word for any count
        if iu.dimension == vu.dimension:
            if (
                ind.measure in (Measure.RATIO, Measure.GROWTH)
                and p.GROWTH_WORDS.search(words)
                and ind.measure is Measure.RATIO
                and unit in _POINT_UNITS
            ):
                return Measure.GROWTH
            return ind.measure
        if unit in _POINT_UNITS and ind.measure in (Measure.RATIO, Measure.GROWTH):
            return Measure.GROWTH
        if (
            unit in _PERCENT_UNITS
            and ind.measure in (Measure.STOCK, Measure.FLOW)
            and (p.GROWTH_WORDS.search(words) or p.DECLINE_WORDS.search(words))
        ):
            return Measure.GROWTH
        return None

    def resolve(
        self, words: str, unit: str, context: str = ""
    ) -> tuple[Indicator, Measure, str] | None:
        """Best indicator named in ``words`` for a value in ``unit``.

        Returns the indicator, the measure and the alias text as it appears in ``words``.
        """
        density = bool(p.DENSITY.search(context or words))
        matches = sorted(self.cat.find(words), key=lambda a: (-(a.end - a.start), -a.end))
        for match in matches:
            ind = match.indicator
            if density and not p.DENSITY.search(match.alias):
                continue
            residue = _strip_cmp(_clean(words[match.end :]))
            if not p.HEAD_RESIDUE.match(residue) and not (
                unit in _PERCENT_UNITS
                and ind.measure in (Measure.STOCK, Measure.FLOW)
                and p.SHARE_WORDS.search(words[match.start :])
            ):
                continue  # 孵化平台在孵企业: the alias modifies another head noun
            if p.APPLICATION.search(words[max(0, match.start - 4) : match.start]):
                continue
            if any(words[: match.start].endswith(w) for w in ind.not_after):
                continue  # 市级高新技术企业 is not a 国家高新技术企业
            if (
                unit in _PERCENT_UNITS
                and ind.measure in (Measure.STOCK, Measure.FLOW)
                and p.SHARE_WORDS.search(words[match.start :])
            ):
                share = self.cat.share_of(ind.code)
                if share is not None:
                    return share, Measure.RATIO, words[match.start :]
            measure = self.measure_for(ind, unit, words[match.end :])
            if measure is not None:
                return ind, measure, words[match.start : match.end]
        return None

    def borrow(
        self, name: str, others: list[str], unit: str, change: str = ""
    ) -> tuple[Indicator, Measure, str] | None:
        """Complete a list item that lacks its head noun from a sibling (专利申请、授权量);
        ``change`` is the growth word the list shares (城镇、农村居民人均可支配收入分别增长)."""
        for other in others:
            for k in range(1, len(other)):
                for candidate in (other[:k] + name, name + other[k:]):
                    for words in (candidate, candidate + change) if change else (candidate,):
                        ind = self.cat.lookup(words)
                        if ind is not None:
                            measure = self.measure_for(ind, unit, "")
                            if measure is not None:
                                return ind, measure, candidate
        return None


def _count_measure(words: str, default: Measure) -> Measure:
    strong = p.STRONG_FLOW.search(words)
    stock = p.STOCK.search(words)
    weak = p.WEAK_FLOW.search(words)
    if strong:
        return Measure.FLOW
    if stock and weak and weak.group(0) in p.PERIOD_FLOW:
        return Measure.FLOW
    if stock:
        return Measure.STOCK
    if weak:
        return Measure.FLOW
    return default


_COMPARATOR_REACH = 8
"""How many characters before a value can hold its comparator word and what precedes it
(不低于 and the 不 of a negation: at most five)."""


def _comparator(
    before: str, mention: _Mention, kind: str, direction: Direction | None
) -> tuple[Comparator, str]:
    """Comparator and approximate-qualifier for a mention, from the words around it."""
    approx = mention.inner
    if mention.value_high is not None:
        return Comparator.RANGE, approx
    if mention.suffix in p.SUFFIX_GE:
        return Comparator.GE, approx
    if mention.suffix in p.SUFFIX_LE:
        return Comparator.LE, approx
    if mention.suffix in p.SUFFIX_APPROX:
        return Comparator.APPROX, approx
    tail = before.rstrip()[-_COMPARATOR_REACH:]  # the words are read at its end only
    if approx:
        return Comparator.GT, approx
    if p.PREFIX_PLANNED_AS.search(tail):
        return Comparator.EQ, ""
    if p.PREFIX_NOT_MORE.search(tail):
        return Comparator.LE, ""
    if p.PREFIX_NOT_LESS.search(tail):
        return Comparator.GE, ""
    if p.PREFIX_GT.search(tail):
        word = p.PREFIX_GT.search(tail)
        return Comparator.GT, (word.group(0) if kind != "target" and word else "")
    if p.PREFIX_LE.search(tail):
        return Comparator.LE, ""
    if p.PREFIX_LT.search(tail):
        return Comparator.LT, ""
    if p.PREFIX_APPROX.search(tail):
        word = p.PREFIX_APPROX.search(tail)
        return Comparator.APPROX, (word.group(0) if word else "")
    if p.PREFIX_GE.search(tail) and kind == "target":
        return Comparator.GE, ""
    if kind == "target":
        if direction is not None and direction.sign < 0:
            return Comparator.LE, ""
        if direction is not None and direction.sign == 0:
            return Comparator.APPROX, ""
        return Comparator.GE, ""
    return Comparator.EQ, ""


_FLIP = {
    Comparator.GE: Comparator.LE,
    Comparator.GT: Comparator.LT,
    Comparator.LE: Comparator.GE,
    Comparator.LT: Comparator.GT,
}


class _DocumentExtractor:
    def __init__(self, report: Report) -> None:
        self.report = report
        self.text = report.normalized.text
        self.resolver = _Resolver(catalogue())
        self.drafts: list[_Draft] = []
        self.current_para = -1
        self.multi_year = False
        self.multi_year_section: Section | None = None
        self.shared_growth: set[int] = set()
        self.plan_part = False
        """In a section of a review and a plan, the paragraphs of the plan have begun."""
        self.shared_names: dict[int, list[tuple[str, list[str], int, str]]] = {}
        """Per mention of the current clause: the further names its rate is shared by."""
        """Levels of a list that hold the growth 分别 gave them all (分别同比增长7.8%)."""
        years = [s.year for s in report.sections if s.year and s.kind == SUMMARY]
        if report.results_year is not None:
            self.summary_year: int | None = report.results_year
        elif years:
            self.summary_year = years[0]
        elif report.date is not None:
            self.summary_year = report.date.year - 1 if report.date.month <= 6 else report.date.year
        else:
            counts: dict[int, int] = {}
            for m in p.YEAR.finditer(self.text):
                y = int(m.group("y"))
                counts[y] = counts.get(y, 0) + 1
            self.summary_year = max(counts, key=lambda y: (counts[y], y)) if counts else None

    # --- time -------------------------------------------------------------------------------
    def _section_year(self, section: Section | None, kind: str) -> int | None:
        if section is not None and section.year is not None:
            if section.kind == MIXED and kind == "target":
                return section.target_year or section.year + 1
            return section.year
        if self.summary_year is None:
            return None
        return self.summary_year + 1 if kind == "target" else self.summary_year

    def _explicit_time(
        self, before: str, base: _Time, section: Section | None
    ) -> tuple[_Time, bool]:
        """Year and months stated in ``before`` (the sentence up to a mention)."""
        year, months, explicit = base.year, base.months, base.stated
        quoted: list[tuple[int, int]] | None = None  # found with the first year
        last_year_end = -1
        for m in p.YEAR.finditer(before):
            if quoted is None:
                quoted = _spans(p.QUOTED, before)
            if _inside(m.start(), quoted):
                continue
            after = before[m.end() : m.end() + 3]
            if re.match(r"\d{1,2}月(?!\d)", after) and not p.MONTHS.match(before, m.end()):
                continue  # a date (2024年6月发布), not a period
            lead = before[_clause_start(before, 0, m.start()) : m.start()]
            follows = before[m.end() : m.end() + 2]
            if len(_clean(lead)) > 3 and not re.match(r"[,:底末前内以]|全年", follows):
                continue  # 获2019年国家重点研发项目: a programme's year, not the period
            year = int(m.group("y2") or m.group("y"))
            explicit = True
            last_year_end = m.end()
        rel_pos = -1
        rel_year = None
        in_plan = section is not None and section.kind == PLAN
        summary = (
            section.year
            if (section is not None and section.year and not in_plan)
            else self.summary_year
        )
        if in_plan and section is not None and section.year:
            refs = (section.year, section.year, section.year - 1, section.year - 1)
        elif summary is not None:
            # 今年 in a target statement is the plan year (a report delivered in January
            # plans "this year"); in a result it is the year under review.
            this = summary + 1 if p.TARGET_CUE.search(before) else summary
            refs = (this, summary + 1, summary - 1, summary)
        else:
            refs = None
        if refs is not None:
            for regex, ref in zip(
                (p.RELATIVE_THIS, p.RELATIVE_NEXT, p.RELATIVE_LAST, p.PAST_YEAR), refs, strict=True
            ):
                for m in regex.finditer(before):
                    if m.start() > rel_pos:
                        rel_pos = m.start()
                        rel_year = ref
        if rel_year is not None and rel_pos > last_year_end:
            year, explicit = rel_year, True
        months_found = list(p.MONTHS.finditer(before))
        mm = months_found[-1] if months_found else None
        if mm is not None:
            months = (int(mm.group("m1")), int(mm.group("m2")))
        periods = list(p.NAMED_PERIOD.finditer(before))
        named = periods[-1] if periods else None
        if named is not None:
            months = p.NAMED_PERIODS[named.group(0)]
        if months == (1, 12):
            months = None
        return _Time(year, months), explicit

    def _kind(self, section: Section | None, before: str, year: int | None, explicit: bool) -> str:
        if p.FORECAST_CUE.search(before):
            return "forecast"
        cue = bool(p.TARGET_CUE.search(before))
        kind = section.kind if section is not None else None
        if kind == MIXED and self.plan_part:
            kind = PLAN
        if kind == PLAN:
            if (
                explicit
                and year is not None
                and section is not None
                and section.year
                and year < section.year
                and not cue
            ):
                return "actual"
            return "target"
        if kind == SUMMARY:
            if p.SUMMARY_TARGET_CUE.search(before) or (
                explicit
                and year is not None
                and section is not None
                and section.year
                and year > section.year
            ):
                return "target"
            return "actual"
        if cue:
            return "target"
        if (
            explicit
            and year is not None
            and self.summary_year is not None
            and year > self.summary_year
        ):
            return "target"
        return "actual"

    # --- paragraphs ---------------------------------------------------------------------------
    def run(self, skip: list[tuple[int, int]]) -> list[_Draft]:
        seen: set[str] = set()
        pos = 0
        for para in self.text.split("\n"):
            start = pos
            pos += len(para) + 1
            if any(a <= start < b for a, b in skip):
                continue
            key = para.strip()
            if len(key) >= 20:
                if key in seen:
                    continue
                seen.add(key)
            if not key:
                continue
            self._paragraph(start, start + len(para))
        return self.drafts

    def _paragraph(self, start: int, end: int) -> None:
        self.current_para = start
        section = self.report.section_at(start)
        # five-year reviews (这五年 / 十四五时期): figures are totals over the period until a
        # paragraph turns to a single year
        if section is not self.multi_year_section:
            self.multi_year_section = section
            heading = section.heading if section is not None else ""
            self.multi_year = bool(p.MULTI_YEAR.search(heading)) and not p.YEAR.search(heading)
            self.plan_part = False
        text = self.text[start:end].lstrip()
        lead = p.PERIOD_LEAD.match(text)
        if lead is not None:
            self.multi_year = lead["multi"] is not None
            if section is not None and section.kind == MIXED and section.target_year:
                # “十三五”时期发展成就和“十四五”时期主要目标任务: a paragraph opening with the
                # plan's own period (“十四五”时期是…) turns the section to its goals
                plans = [y for name, y in FIVE_YEAR_PLANS.items() if name in lead.group(0)]
                if plans == [section.target_year]:
                    self.plan_part = True
                    self.multi_year = False
        base = _Time()
        text = self.text
        for sent_start, sent_end in _split(p.SENTENCE_SPLIT, text, start, end):
            opening = p.PERIOD_LEAD.match(text, sent_start, sent_end)
            if opening is not None and sent_start > start:  # 过去五年，… after 2015年是…
                if opening["multi"] is not None:
                    self.multi_year = True
                elif p.YEAR.match(opening["single"] or ""):
                    self.multi_year = False
            lead = _LEAD_TIME.match(text, sent_start, sent_end)
            if lead and lead.group(0).strip(",:"):
                base, stated = self._explicit_time(lead.group(0), base, section)
                base = _Time(base.year, base.months, stated)
            if p.HAS_NUMBER.search(text, sent_start, sent_end) is not None:
                self._sentence(sent_start, sent_end, section, base)

    def _sentence(self, start: int, end: int, section: Section | None, base: _Time) -> None:
        text = self.text
        sentence_drafts: list[int] = []
        scope_q = -1
        part_scope_end = -1
        qizhong_positions = [m.start() for m in p.QIZHONG.finditer(text, start, end)]
        for sub_start, sub_end in _split(p.SUB_SPLIT, text, start, end):
            mentions = _mentions(text, sub_start, sub_end)
            events: list[tuple[int, str, object]] = [(m.start, "value", m) for m in mentions]
            ranks = list(p.RANK.finditer(text, sub_start, sub_end))
            if ranks:
                sub_quoted = _spans(p.QUOTED, text[sub_start:sub_end])
                for rm in ranks:
                    if _inside(rm.start() - sub_start, sub_quoted):
                        continue
                    if not any(m.start <= rm.start() < m.end for m in mentions):
                        events.append((rm.start(), "rank", rm))
            for km in p.KEEP_TOP.finditer(text, sub_start, sub_end):
                events.append((km.start(), "keep", km))
            if not events:
                continue  # nothing to read in this clause
            events.sort(key=lambda e: e[0])
            self.shared_names = {}
            names = self._list_names(sub_start, sub_end, mentions)
            changes = self._changes(mentions, sub_start)
            sub_drafts: list[int] = []
            inherited_words = ""
            position = {id(m): i for i, m in enumerate(mentions)}
            earlier_cue = bool(
                p.TARGET_CUE.search(text[max(start, sub_start - _WINDOW) : sub_start])
            )
            prev_end = sub_start
            rank_end = sub_start
            for _pos, what, obj in events:
                if what == "rank":
                    assert isinstance(obj, re.Match)
                    self._rank(obj, sub_start, sub_drafts, section, base, max(rank_end, prev_end))
                    rank_end = obj.end()
                    continue
                if what == "keep":
                    assert isinstance(obj, re.Match)
                    self._keep_top(obj, sub_start, section, base, sub_drafts)
                    continue
                assert isinstance(obj, _Mention)
                mention = obj
                before_sentence = text[max(start, mention.start - _WINDOW) : mention.start]
                clause_start = _clause_start(text, sub_start, mention.start)
                seg_start = max(clause_start, prev_end)
                segment = text[seg_start : mention.start]
                if segment.startswith(("、", "和", "及")) or seg_start == prev_end != sub_start:
                    words_for_cues = inherited_words + segment
                else:
                    words_for_cues = segment
                    inherited_words = text[clause_start : mention.start]
                prev_end = max(mention.end, mention.counted_end)
                change = changes.get(id(mention))
                if change is not None:
                    # both levels of a change are named by the words before 从, and read
                    # their time from the text before it
                    cue_start = change.cue_start
                    before_sentence = text[max(start, cue_start - _WINDOW) : cue_start]
                    if change.first is mention:
                        if seg_start <= cue_start:  # 从 stands before this level's words
                            cut = mention.start - cue_start
                            segment = text[seg_start:cue_start]
                            words_for_cues = words_for_cues[: len(words_for_cues) - cut]
                            if not _clean(segment) and seg_start > sub_start:
                                # 研发投入强度稳步提升，从2.5%提高到3.3%: the clause before names it
                                lead = _clause_start(text, sub_start, seg_start - 1)
                                if p.HAS_NUMBER.search(text, lead, seg_start) is None:
                                    seg_start, segment = lead, text[lead:cue_start]
                                    words_for_cues = segment
                        change.words = (seg_start, segment, words_for_cues)
                        change.earlier = len(sub_drafts)
                    elif change.words is not None:
                        seg_start, segment, words_for_cues = change.words
                # 其中: parts of a whole stated earlier in this sentence
                n_open = bisect.bisect_left(qizhong_positions, mention.start)
                whole = None
                if n_open and sentence_drafts:
                    q = qizhong_positions[n_open - 1]
                    if q != scope_q:
                        scope_q = q
                        nxt = re.compile(r"[,;。)）]").search(text, mention.end, end)
                        part_scope_end = nxt.start() if nxt else end
                    if mention.start < part_scope_end:
                        candidates = [
                            i
                            for i in sentence_drafts[-20:]
                            if self.drafts[i].start < q and self.drafts[i].part_of is None
                        ]
                        whole = self._whole_for(
                            candidates, mention, segment, names.get(position[id(mention)])
                        )
                time, explicit = self._explicit_time(before_sentence, base, section)
                kind = self._kind(
                    section,
                    text[max(sub_start, mention.start - _WINDOW) : mention.start]
                    if not earlier_cue
                    else before_sentence,
                    time.year,
                    explicit,
                )
                if time.year is None or not explicit:
                    sec_year = self._section_year(section, kind)
                    time = _Time(time.year if time.year is not None else sec_year, time.months)
                    if not explicit and base.year is None:
                        time.year = sec_year
                if time.year is None:
                    continue
                if change is not None:
                    time, kind = self._change_time(
                        change, mention, time, kind, before_sentence, explicit
                    )
                    if time.year is None:
                        continue  # where a planned change starts from, in no stated year
                named = names.get(position[id(mention)])
                if change is not None and mention is change.second:
                    named = names.get(position[id(change.first)])  # 分别从A1、A2增加到B1、B2
                # this mention, read with a list of earlier drafts and a name
                read = partial(
                    self._value,
                    mention,
                    segment,
                    seg_start,
                    words_for_cues,
                    kind,
                    time,
                    before_sentence,
                )
                # the second level of a change is read as if the first were not there
                second = change is not None and mention is change.second
                draft_index = read(
                    sub_drafts[: change.earlier] if change and second else sub_drafts, named, whole
                )
                if (
                    draft_index is not None
                    and (not sub_drafts or sub_drafts[-1] != draft_index)  # a new record
                    and (change is not None or explicit)
                ):
                    # a level at one time; 其中2025年新增800家 in a five-year review
                    self.drafts[draft_index].span_years = 1
                if draft_index is not None:
                    # a growth attached to the level before returns that level again
                    if not sub_drafts or sub_drafts[-1] != draft_index:
                        sub_drafts.append(draft_index)
                    if not sentence_drafts or sentence_drafts[-1] != draft_index:
                        sentence_drafts.append(draft_index)
                    for other in self.shared_names.get(position[id(mention)], []):
                        extra = read(sub_drafts, other, whole)
                        if extra is not None and extra not in sub_drafts:
                            sub_drafts.append(extra)
                            sentence_drafts.append(extra)

    def _change_time(
        self,
        change: _Change,
        mention: _Mention,
        time: _Time,
        kind: str,
        before: str,
        explicit: bool,
    ) -> tuple[_Time, str]:
        """The time and kind of one level of a change, given those of the statement.

        The second level is at the statement's time (or the year after 到). The first is a
        result: of the year after 从, of the year before for 由上年, of the half-year after
        从上半年, or of the year before a five-year review (2020 for 2021-2025) when the
        statement names no year of its own. Otherwise its time is not stated (从120家增至150家
        may start from any year; 2025年，…从3.1%提高到3.3% from 2024 or earlier), and it is
        not read.
        """
        if mention is change.second:
            year = change.to_year if change.to_year is not None else time.year
            return _Time(year, time.months if change.to_year is None else None), kind
        assert time.year is not None
        if change.from_year is not None:
            return _Time(change.from_year), "actual"
        if change.from_last_year:
            return _Time(time.year - 1), "actual"
        if change.from_months is not None and kind != "target":
            return _Time(time.year, change.from_months), "actual"
        if kind != "target" and not explicit and (self.multi_year or p.MULTI_YEAR.search(before)):
            return _Time(time.year - 5), "actual"
        return _Time(None), kind

    def _changes(self, mentions: list[_Mention], sub_start: int) -> dict[int, _Change]:
        """The changes from one level to another among ``mentions``, by ``id`` of each level:
        从A增加到B, and lists of them (分别从A1、A2增加到B1、B2)."""
        text = self.text

        def listed(k: int) -> bool:  # mentions k and k + 1 stand in one list (A1、A2)
            gap = text[mentions[k].end : mentions[k + 1].start]
            return p.LIST_GAP.match(_strip_cmp(gap)) is not None

        out: dict[int, _Change] = {}
        for k in range(len(mentions) - 1):
            link = p.TO_LINK.match(text[mentions[k].end : mentions[k + 1].start])
            if link is None:
                continue
            i = k
            while i > 0 and listed(i - 1):
                i -= 1
            n = k - i + 1  # the first levels are mentions[i..k], the second the n after k
            if k + n >= len(mentions) or not all(listed(t) for t in range(k + 1, k + n)):
                continue
            lead_start = mentions[i - 1].end if i else sub_start
            cue = p.FROM_CUE.search(
                text[max(lead_start, mentions[i].start - 12) : mentions[i].start]
            )
            if cue is None:
                continue
            for t in range(n):
                first, second = mentions[i + t], mentions[k + 1 + t]
                if first.value_high is not None or second.value_high is not None:
                    break
                out[id(first)] = out[id(second)] = _Change(
                    first,
                    second,
                    cue_start=mentions[i].start - (len(cue.string) - cue.start()),
                    from_year=int(cue["year"]) if cue["year"] else None,
                    from_last_year=cue["last"] is not None,
                    from_months=p.NAMED_PERIODS.get(cue["period"] or ""),
                    to_year=int(link["year"]) if link["year"] else None,
                )
        return out

    def _whole_for(
        self,
        candidates: list[int],
        mention: _Mention,
        segment: str,
        named: tuple[str, list[str], int, str] | None,
    ) -> int | None:
        """The whole a 其中 part belongs to: the latest earlier record of the same indicator,
        else the latest earlier record."""
        if not candidates:
            return None
        words = named[0] if named is not None else segment
        resolved = self.resolver.resolve(_strip_cmp(words), mention.unit)
        if resolved is not None:
            code = resolved[0].code
            for i in reversed(candidates):
                if self.drafts[i].indicator == code:
                    return i
            family = code.split("_")[0]
            for i in reversed(candidates):
                if self.drafts[i].indicator.split("_")[0] == family:
                    return i
        return candidates[-1]

    # --- pieces --------------------------------------------------------------------------------
    def _list_names(
        self, sub_start: int, sub_end: int, mentions: list[_Mention]
    ) -> dict[int, tuple[str, list[str], int, str]]:
        """Names paired with values by 分别 or by ``A和B达X和Y``: {mention index: (name,
        sibling names, name start)}."""
        text = self.text
        out: dict[int, tuple[str, list[str], int, str]] = {}
        i = 0
        while i < len(mentions):
            j = i
            while j + 1 < len(mentions) and p.LIST_GAP.match(
                _strip_cmp(text[mentions[j].end : mentions[j + 1].start])
            ):
                j += 1
            run = list(range(i, j + 1))
            first = mentions[i]
            clause_start = _clause_start(text, sub_start, first.start)
            prev_end = mentions[i - 1].end if i > 0 else sub_start
            seg_start = max(clause_start, prev_end)
            segment = text[seg_start : first.start]
            fb = p.FENBIE.search(segment)
            names_text = segment[: fb.start()] if fb else (segment if len(run) > 1 else "")
            names_text = p.FROM_CUE.sub("", names_text)  # 从2021年的A和B分别提高到C和D
            if names_text:
                cleaned = _strip_verbs(names_text)
                names = [n for n in p.NAME_SPLIT.split(cleaned) if n]
                listed = fb or text.startswith("分别", mentions[j].end)  # 城乡…A和B分别提高到
                if listed and len(names) == 1 and len(run) == 2 and "城乡" in names[0]:
                    # 城乡居民人均可支配收入分别增长4.4%、5.6%: urban, then rural
                    names = [names[0].replace("城乡", town, 1) for town in ("城镇", "农村")]
                cmp_text = segment[fb.end() :] if fb else ""
                paired = len(names) == len(run) and (fb or all(len(_clean(n)) >= 2 for n in names))
                if paired or (fb and len(names) == 1 and len(run) > 1):
                    suffixes = [mentions[mi].suffix for mi in run]
                    if len(run) > 1 and suffixes[-1] and not any(suffixes[:-1]):
                        for mi in run[:-1]:
                            mentions[mi].suffix = suffixes[-1]  # 增长4.5%、5.5%左右
                    offset = seg_start
                    for k, mi in enumerate(run):
                        name = names[k] if paired else names[0]
                        pos = text.find(name, offset, first.start)
                        out[mi] = (name, names, pos if pos >= 0 else seg_start, cmp_text)
                        if paired:
                            offset = max(offset, pos + len(name))
            if len(run) == 1 and first.unit in _PERCENT_UNITS:
                self._shared_rate(i, first, segment, seg_start, out)
            i = j + 1
        return out

    def _next_of_list(self, prev: _Draft | None, sub_drafts: list[int]) -> int | None:
        """When ``prev`` is a level of a list (城乡…分别完成37820元、28104元) that has just
        received its growth, the next level of that list still without one."""
        if prev is None or prev.growth is None or prev.kind == "target":
            return None
        if prev.measure not in (Measure.STOCK, Measure.FLOW, Measure.INDEX):
            return None
        for i in sub_drafts:
            d = self.drafts[i]
            open_growth = d.growth is None or i in self.shared_growth
            listed = d.unit == prev.unit and d.end > prev.start
            overlaps = d.start >= prev.start or prev.end > d.start
            if d is not prev and open_growth and listed and overlaps:
                return i
        return None

    def _level_of(self, prev: _Draft | None, unit: str) -> Indicator | None:
        """The level whose growth ``prev`` is (a catalogue growth's ``growth_of``, or a level
        read with its growth), when a value in ``unit`` can be that level."""
        if prev is None or prev.measure is not Measure.GROWTH or not prev.indicator:
            return None
        cat = self.resolver.cat
        ind = cat.get(prev.indicator)
        if ind is None:
            return None
        level = cat.get(ind.growth_of) if ind.growth_of else ind
        if level is None or level.measure not in (Measure.STOCK, Measure.FLOW) or not unit:
            return None
        if unit_info(level.unit).dimension != unit_info(unit).dimension:
            return None
        return level

    def _subject(
        self, before_sentence: str, segment: str, unit: str
    ) -> tuple[Indicator, Measure, str] | None:
        """The indicator a sentence opens with, for a value whose own words name nothing
        (地区生产总值跨越3个千亿元台阶，达到1.5万亿元): the alias must open the sentence's first
        clause (after region and time words) and fit the value's unit."""
        opening = p.CLAUSE_END.split(before_sentence, maxsplit=1)[0]
        if not opening or opening.endswith(segment) or segment.strip(" ,、") == "":
            return None
        head = p.HAS_NUMBER.split(opening, maxsplit=1)[0]
        lead = p.LEADING_NOISE.match(head)
        head = head[lead.end() :] if lead else head
        matches = [m for m in self.resolver.cat.find(head) if m.start == 0]
        if not matches:
            return None
        match = max(matches, key=lambda m: m.end)
        measure = self.resolver.measure_for(match.indicator, unit, "")
        if measure is None:
            return None
        return match.indicator, measure, head[: match.end]

    def _shared_rate(
        self,
        i: int,
        mention: _Mention,
        segment: str,
        seg_start: int,
        out: dict[int, tuple[str, list[str], int, str]],
    ) -> None:
        """One rate for several names (城镇、农村居民人均可支配收入均增长8%; 城乡居民人均可支配
        收入增长18%, for town and country): the first name goes to ``out``, the others to
        ``self.shared_names`` for a record each."""
        shared = p.SHARED_RATE.search(segment)
        names_text = segment[: shared.start()] if shared else segment
        growth = p.GROWTH_WORDS.search(segment[shared.start() if shared else 0 :])
        if growth is None:
            return
        if not shared:
            names_text = segment[: growth.start()]
        names = [n for n in p.NAME_SPLIT.split(_strip_verbs(names_text)) if n]
        if len(names) == 1 and names[0].startswith("城乡"):
            names = [names[0].replace("城乡", town, 1) for town in ("城镇", "农村")]
        elif not shared or len(names) < 2 or not all(len(_clean(n)) >= 2 for n in names):
            return
        cmp_text = segment[growth.start() :]
        out[i] = (names[0], names, seg_start, cmp_text)
        self.shared_names[i] = [(n, names, seg_start, cmp_text) for n in names[1:]]

    def _value(
        self,
        mention: _Mention,
        segment: str,
        seg_start: int,
        cue_words: str,
        kind: str,
        time: _Time,
        before_sentence: str,
        sub_drafts: list[int],
        named: tuple[str, list[str], int, str] | None,
        whole: int | None,
    ) -> int | None:
        resolver = self.resolver
        unit = mention.unit
        stripped = segment.strip(" ,、")
        prev = self.drafts[sub_drafts[-1]] if sub_drafts else None
        sibling = self._next_of_list(prev, sub_drafts) if not stripped else None
        if sibling is not None and unit in _PERCENT_UNITS and prev is not None:
            # …分别增长6.5%、9.4%: the next growth of a list of levels goes to the next level
            level = self.drafts[sibling]
            self.shared_growth.discard(sibling)
            level.growth = -mention.value if (prev.growth or 0.0) < 0 else mention.value
            level.growth_unit = unit
            level.end = mention.end
            return sibling
        # 同比增长21.58%: growth of the level just before
        if (
            prev is not None
            and named is None
            and unit in _PERCENT_UNITS | _POINT_UNITS
            and p.GROWTH_ONLY.match(_strip_cmp(stripped))
            and prev.measure is not Measure.GROWTH
        ):
            sign = -1.0 if p.DECLINE_WORDS.search(stripped) else 1.0
            if prev.kind != "target" and prev.growth is None:
                # a list of levels (城乡…分别完成37820元、28104元，同比分别增长6.5%、9.4%): the
                # growths go to the levels in order
                at = sub_drafts[-1]
                for i in reversed(sub_drafts[:-1]):
                    d = self.drafts[i]
                    if d.end <= prev.start or d.growth is not None or d.unit != prev.unit:
                        break
                    at = i
                level = self.drafts[at]
                level.growth = sign * mention.value
                level.growth_unit = unit
                level.end = mention.end
                if at != sub_drafts[-1] and p.FENBIE.search(stripped):
                    # 分别同比增长7.8%: one growth for every level of the list, unless the
                    # next values give each its own
                    for i in sub_drafts[sub_drafts.index(at) + 1 :]:
                        d = self.drafts[i]
                        if d.growth is None and d.unit == prev.unit:
                            d.growth, d.growth_unit = level.growth, unit
                            d.end = max(d.end, mention.end)  # the quote holds the growth
                            self.shared_growth.add(i)
                return at

            if prev.kind == "target":
                return self._add(
                    replace(
                        prev,
                        measure=Measure.GROWTH,
                        value=sign * mention.value,
                        value_high=None,
                        unit=unit,
                        comparator=Comparator.GE if sign > 0 else Comparator.LE,
                        start=prev.start,
                        end=mention.end,
                        children=[],
                        part_of=None,
                    )
                )
            return None
        # 占营业收入比重达5.39%: a share of the level just before
        if (
            prev is not None
            and named is None
            and unit in _PERCENT_UNITS
            and stripped.startswith("占")
            and not resolver.resolve(stripped, unit)
        ):
            words = prev.indicator_text + stripped
        elif prev is not None and named is None and p.BARE_NOUN.match(_clean(segment)):
            words = prev.indicator_text + _clean(segment)  # 新增孵化载体30个,新增面积181.55万方
            if not resolver.resolve(_strip_cmp(words), unit):
                # 粮食播种面积1584.6万亩、总产量132.4亿斤: 总产量 of what the sentence is about
                borrowed = resolver.borrow(_clean(segment), [prev.indicator_text], unit)
                if borrowed is not None:
                    words = borrowed[2]
        else:
            words = named[0] if named is not None else segment
        if mention.counted_end >= 0:  # 新建10家省级概念验证中心
            words = mention.verb + self.text[mention.end : mention.counted_end]
        context = segment if named is None else segment + "".join(named[1])
        resolved = resolver.resolve(_strip_cmp(words), unit, context)
        change = p.GROWTH_WORDS.search(named[3]) if named is not None else None
        if resolved is None and change is not None:  # 城乡居民人均可支配收入分别增长8.7%和8.6%
            resolved = resolver.resolve(_strip_cmp(words) + change.group(0), unit, context)
            if resolved is not None:  # the name as listed, without the shared growth word
                resolved = (resolved[0], resolved[1], _clean(words) or resolved[2])
        if resolved is None and named is not None:
            resolved = resolver.borrow(
                _clean(named[0]),
                [_clean(n) for n in named[1] if n != named[0]],
                unit,
                change.group(0) if change is not None else "",
            )
        if resolved is None and named is None:
            squeezed = p.SQUEEZE.sub("", words)
            resolved = resolver.resolve(squeezed, unit, context)
            if resolved is not None:
                resolved = (resolved[0], resolved[1], _clean(words) or resolved[2])
        whole_draft = self.drafts[whole] if whole is not None else None
        if resolved is not None:
            ind, measure, indicator_text = resolved
            code, direction = ind.code, ind.direction
            if measure in (Measure.STOCK, Measure.FLOW) and ind.measure in (
                Measure.STOCK,
                Measure.FLOW,
            ):
                if unit_info(ind.unit).dimension != "[money]":
                    measure = _count_measure(cue_words, ind.measure)
                elif re.search(r"(?<![年度])累计", cue_words) and not p.WEAK_FLOW.search(cue_words):
                    measure = Measure.STOCK  # 技术合同成交额累计达260亿元: a running total
        else:
            code, direction = "", None
            indicator_text = self._strip_region(_clean(words))
            measure = self._unknown_measure(mention, cue_words)
            grown = self._level_of(prev, unit) if not _strip_cmp(indicator_text) else None
            if grown is not None:  # 地方财政总收入增长20%，达到24.8亿元: the level of that growth
                code, direction, measure = grown.code, grown.direction, grown.measure
                indicator_text = p.GROWTH_TAIL.sub("", prev.indicator_text) if prev else ""
            if (
                prev is not None
                and unit in _PERCENT_UNITS
                and prev.measure in (Measure.STOCK, Measure.FLOW)
                and prev.unit not in _PERCENT_UNITS
                and p.GROWTH_PHRASE.fullmatch(_strip_cmp(stripped))
            ):
                # 生产总值达到9万亿元、年均增长5.9%: the growth of the level just before
                code, indicator_text, measure = prev.indicator, prev.indicator_text, Measure.GROWTH
                direction = None
            if not indicator_text:
                if whole_draft is not None:
                    indicator_text = whole_draft.indicator_text
                elif prev is not None and prev.unit == unit and not prev.counted:
                    code, indicator_text = prev.indicator, prev.indicator_text
                    measure = (
                        _count_measure(cue_words, prev.measure)
                        if prev.measure in (Measure.STOCK, Measure.FLOW)
                        else prev.measure
                    )
                elif (subject := self._subject(before_sentence, segment, unit)) is not None:
                    # 地区生产总值跨越3个千亿元台阶，达到1.5万亿元: the sentence's subject
                    code, direction, measure = subject[0].code, subject[0].direction, subject[1]
                    indicator_text = subject[2]
                else:
                    # no name at all (增长5%—5.5%): keep the value with the words there are
                    indicator_text = _strip_quotes(stripped).strip(" ,、:")
                    if not indicator_text:
                        return None
        if whole_draft is not None:
            same_dim = (
                unit_info(unit).dimension == unit_info(whole_draft.unit).dimension
                if unit and whole_draft.unit
                else unit == whole_draft.unit
            )
            if not same_dim:
                whole_draft = None
                whole = None
            else:
                if not code:
                    code = whole_draft.indicator
                measure = whole_draft.measure
                if resolved is not None and resolved[0].code == whole_draft.indicator:
                    indicator_text = _clean(words) or indicator_text
        if direction is None and code:
            direction = catalogue()[code].direction
        before = _strip_quotes(self.text[seg_start : mention.start])
        if named is not None and not _strip_cmp(before).strip("和及与、"):
            before = named[3] + before.strip("和及与、")
        decline = (
            bool(p.DECLINE_WORDS.search(before[-6:]))
            and unit in _PERCENT_UNITS | _POINT_UNITS
            and measure is Measure.GROWTH
        )
        # 下降3.8%: a decline of at least 3.8 % (growth <= -3.8), whatever the direction
        comparator, approx = _comparator(
            before, mention, kind, Direction.HIGHER_IS_BETTER if decline else direction
        )
        value, value_high = mention.value, mention.value_high
        if decline:
            value = -value
            if value_high is not None:
                value, value_high = -value_high, -mention.value
            comparator = _FLIP.get(comparator, comparator)
        hedges = list(p.QUALIFIER.finditer(before_sentence))
        qualifier = hedges[-1] if hedges else None
        name_start = named[2] if named is not None else seg_start
        words_start = (
            self.text.find(indicator_text, name_start, mention.start) if indicator_text else -1
        )
        span_start = (
            words_start
            if words_start >= 0
            else seg_start + (len(segment) - len(segment.lstrip(" ,、")))
        )
        if named is not None and words_start < 0:
            span_start = name_start
        if mention.counted_end >= 0:  # the quote is the verb (when it is there) and the count
            verb_start = mention.start - len(mention.verb)
            stated = self.text[verb_start : mention.start] == mention.verb
            span_start = verb_start if stated else mention.start
        draft = _Draft(
            kind=kind,
            indicator=code,
            indicator_text=indicator_text,
            measure=measure,
            comparator=comparator,
            value=value,
            value_high=value_high,
            unit=unit,
            year=time.year or 0,
            months=time.months,
            start=min(span_start, mention.start),
            end=max(mention.end, mention.counted_end),
            counted=mention.counted_end >= 0,
            qualifiers=(qualifier.group(0),) if qualifier and kind == "target" else (),
            approx=approx if kind != "target" else "",
            part_of=whole,
            span_years=5
            if kind != "target"
            and self._over_five_years(
                before_sentence, words + before + mention.verb, before, measure, code
            )
            else self._plan_span(
                kind,
                time.year,
                words + before + mention.verb,
                before,
                measure,
            ),
        )
        return self._add(draft)

    def _plan_span(
        self, kind: str, year: int | None, words: str, before: str, measure: Measure
    ) -> int:
        """How many years a target covers: a plan-period target that counts a flow over the
        period (“十三五”…城镇新增就业5000万人以上) or a growth over it (单位国内生产总值能耗降低16%,
        年均增长6.5%) covers the years from the report's plan year to its deadline; any other
        target, one year."""
        plan = self.report.plan_year
        if kind != "target" or plan is None or year is None or year <= plan:
            return 1
        counted = measure is Measure.FLOW and p.CUMULATIVE.search(words)
        if counted and not p.LEVEL_REACHED.search(before.rstrip()):
            return year - plan + 1
        if measure is Measure.GROWTH:  # 单位国内生产总值能耗降低16% over 十二五, 年均增长6.5%
            return year - plan + 1
        return 1

    def _over_five_years(
        self, before_sentence: str, words: str, before: str, measure: Measure, code: str
    ) -> bool:
        """Whether a result in a five-year review is a total, an average or a growth over the
        five years rather than the level at its end.

        Over the five years: a total or average (累计, 新增, 年均: 城镇新增就业603.7万人), a
        growth, and an activity counted in its own words (开挖疏浚沟渠11.76万公里). At the end:
        a stock, a ratio or an index (城镇化率60%, 国家高新技术企业1.28万家), a catalogue
        flow, which is a yearly statistic (生产总值6.66万亿元), and a level reached (达到).
        """
        if not (self.multi_year or p.MULTI_YEAR.search(before_sentence)):
            return False
        if p.CUMULATIVE.search(words) or measure is Measure.GROWTH:
            return True
        if measure is Measure.FLOW:
            return not code and not p.LEVEL_REACHED.search(before.rstrip())
        return False

    def _strip_region(self, words: str) -> str:
        region = self.report.region
        for name in (region, region[:-1] if len(region) > 2 else ""):
            if name and words.startswith(name):
                return _clean(words[len(name) :])
        return words

    def _add(self, draft: _Draft) -> int:
        if draft.para < 0:
            draft.para = self.current_para
        self.drafts.append(draft)
        index = len(self.drafts) - 1
        if draft.part_of is not None:
            self.drafts[draft.part_of].children.append(index)
        return index

    @staticmethod
    def _unknown_measure(mention: _Mention, words: str) -> Measure:
        if mention.is_index:
            return Measure.INDEX
        if mention.unit in _POINT_UNITS:
            return Measure.GROWTH
        if mention.unit in _PERCENT_UNITS:
            tail = words[-8:]
            if (
                p.GROWTH_WORDS.search(tail) or p.DECLINE_WORDS.search(tail)
            ) and not p.RATIO_WORDS.search(tail):
                return Measure.GROWTH
            return Measure.RATIO
        if p.DENSITY.search(words):
            return Measure.RATIO  # 人均…原值, 每千家企业中…数: a per-unit figure
        if unit_info(mention.unit).dimension == "[money]":
            return Measure.FLOW
        return _count_measure(words, Measure.FLOW)

    def _rank(
        self,
        m: re.Match[str],
        sub_start: int,
        sub_drafts: list[int],
        section: Section | None,
        base: _Time,
        after: int,
    ) -> None:
        text = self.text
        clause_start = max(_clause_start(text, sub_start, m.start()), after)
        phrase = text[clause_start : m.end()].strip(" 、")
        target_draft = next(
            (i for i in reversed(sub_drafts) if self.drafts[i].end <= m.start()), None
        )
        if target_draft is not None:
            draft = self.drafts[target_draft]
            draft.rank = f"{draft.rank}、{phrase}" if draft.rank else phrase
            draft.end = max(draft.end, m.end())
            return
        words = _clean(text[clause_start : m.start()])
        if len(words) < 2:
            return
        n_text = m.group("n") or m.group("top")
        try:
            position = parse_number(n_text)
        except ParseError:
            return
        before = text[sub_start : m.start()]
        time, explicit = self._explicit_time(before, base, section)
        kind = self._kind(section, before, time.year, explicit)
        year = (
            time.year
            if explicit and time.year
            else (time.year or self._section_year(section, kind))
        )
        if year is None:
            return
        resolved = self.resolver.resolve(words, "位")
        code = resolved[0].code if resolved else ""
        if not code and "创新指数" in words:
            code = "innovation_rank"
        comparator = (
            Comparator.LE
            if m.group("top")
            else (Comparator.LE if kind == "target" else Comparator.EQ)
        )
        start = text.find(words, clause_start, m.start())
        self._add(
            _Draft(
                kind=kind,
                indicator=code,
                indicator_text=words,
                measure=Measure.RANK,
                comparator=comparator,
                value=position,
                value_high=None,
                unit="位",
                year=year,
                months=time.months,
                start=start if start >= 0 else clause_start,
                end=m.end(),
                rank=m.group(0),
            )
        )

    def _keep_top(
        self,
        m: re.Match[str],
        sub_start: int,
        section: Section | None,
        base: _Time,
        sub_drafts: list[int],
    ) -> None:
        text = self.text
        before = text[sub_start : m.start()]
        time, explicit = self._explicit_time(before, base, section)
        kind = self._kind(section, before + "力争", time.year, explicit)
        if kind != "target":
            return
        year = time.year if explicit and time.year else self._section_year(section, kind)
        if year is None:
            return
        clause_start = _clause_start(text, sub_start, m.start())
        words = _clean(_strip_quotes(text[clause_start : m.start()]).rstrip('“"‘'))
        code = "innovation_rank" if "创新" in words else ""
        start = text.find(words, clause_start, m.start()) if words else -1
        self._add(
            _Draft(
                kind=kind,
                indicator=code,
                indicator_text=words or "排名",
                measure=Measure.RANK,
                comparator=Comparator.LE,
                value=parse_number(m.group("top")),
                value_high=None,
                unit="位",
                year=year,
                months=None,
                start=start if start >= 0 else m.start(),
                end=m.end(),
                qualifiers=("保",),
            )
        )


def _split(regex: re.Pattern[str], text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    pos = start
    for m in regex.finditer(text, start, end):
        if m.end() > pos:
            yield pos, m.end()
        pos = m.end()
    if pos < end:
        yield pos, end


_CMP = (
    rf"达到|达|突破|超过|超|为|{p.ABOUT}|近|控制在|保持在|稳定在|继续保持|继续|保持|稳定|{p.NEGATED}|"
    r"以上|左右|以内|分别|平均为|均为|均|将|控制到|率先|首次|再次|在全[国省市区县]|全[国省市区县]|在|"
    r"(?:回落|下降|降低|降|下滑)[到至]"
)
_CMP_EDGES = re.compile(rf"^(?:{_CMP}|[ ,、])+|(?:{_CMP}|[ ,、])+$")


_CMP_LEAD = re.compile(rf"^(?:{_CMP}|[ ,、])+")
_CMP_LAST_CHARS = frozenset(
    "".join(w[w.rindex("[") + 1 : -1] if w.endswith("]") else w[-1] for w in _CMP.split("|"))
    + " ,、"
)
"""The characters a comparator word of ``_CMP`` (or a separator) can end with."""


def _strip_cmp(text: str) -> str:
    """``text`` without comparator words at its edges (均 inside 人均 stays)."""
    if text and (text[-1] in _CMP_LAST_CHARS or text[-1] == "\n"):  # $ matches before \n
        return _CMP_EDGES.sub("", text)
    return _CMP_LEAD.sub("", text, count=1)  # no comparator word can end the text


def _strip_verbs(text: str) -> str:
    return _clean(text)


def _strip_quotes(text: str) -> str:
    return text.replace("“", "").replace("”", "").replace('"', "")


# --- tables laid out one cell per line ------------------------------------------------------
_TABLE_HEADER = re.compile(r"^序号$")
_UNIT_IN_BRACKETS = re.compile(r"[(（]([^()（）]{1,6})[)）]")


def _tables(extractor: _DocumentExtractor) -> list[tuple[int, int]]:
    """Find 序号 / 指标 / 目标 tables and add their rows; return the spans they occupy."""
    text = extractor.text
    report = extractor.report
    lines: list[tuple[int, str]] = []
    pos = 0
    for line in text.split("\n"):
        if line.strip():
            lines.append((pos, line.strip()))
        pos += len(line) + 1
    spans: list[tuple[int, int]] = []
    i = 0
    while i < len(lines):
        if not _TABLE_HEADER.match(lines[i][1]):
            i += 1
            continue
        header = [lines[i][1]]
        j = i + 1
        while j < len(lines) and len(lines[j][1]) <= 8 and not re.match(r"^\d+$", lines[j][1]):
            header.append(lines[j][1])
            j += 1
        ncols = len(header)
        if ncols < 3 or not any("指标" in h for h in header):
            i += 1
            continue
        name_col = next(k for k, h in enumerate(header) if "指标" in h)
        value_col = ncols - 1
        section = report.section_at(lines[i][0])
        title = lines[i - 1][1] if i > 0 else ""
        tm = p.YEAR.search(title)
        year = int(tm.group("y")) if tm else extractor._section_year(section, "target")
        kind = "target" if (section is None or section.kind != SUMMARY) else "actual"
        start_pos = lines[i][0]
        k = j
        while k + ncols - 1 < len(lines) and re.match(r"^\d+$", lines[k][1]):
            cells = lines[k : k + ncols]
            _table_row(extractor, cells[name_col], cells[value_col], kind, year)
            k += ncols
        spans.append((start_pos, lines[k - 1][0] + len(lines[k - 1][1]) if k > j else start_pos))
        i = k
    return spans


def _table_row(
    extractor: _DocumentExtractor,
    name_cell: tuple[int, str],
    value_cell: tuple[int, str],
    kind: str,
    year: int | None,
) -> None:
    if year is None:
        return
    names = name_cell[1].split("/")
    values = value_cell[1].split("/")
    if len(names) != len(values):
        names = [name_cell[1]] * len(values)
    for name, raw in zip(names, values, strict=True):
        units = [u for u in _UNIT_IN_BRACKETS.findall(name) if u in _unit_table()]
        if not units:
            continue
        unit = units[-1]
        words = _UNIT_IN_BRACKETS.sub("", name)
        try:
            value = parse_number(raw)
        except ParseError:
            continue
        mention = _Mention(
            value_cell[0], value_cell[0] + len(value_cell[1]), value, None, unit, "", ""
        )
        resolved = extractor.resolver.resolve(words, unit)
        if resolved is None:
            squeezed = p.SQUEEZE.sub("", words)
            resolved = extractor.resolver.resolve(squeezed, unit)
        if resolved is not None:
            ind, measure, _alias = resolved
            code, direction = ind.code, ind.direction
            if measure in (Measure.STOCK, Measure.FLOW) and unit_info(unit).dimension != "[money]":
                measure = _count_measure(words, ind.measure)
        else:
            code, direction = "", None
            measure = _DocumentExtractor._unknown_measure(mention, words)
        comparator, _ = _comparator("", mention, kind, direction)
        extractor._add(
            _Draft(
                kind=kind,
                indicator=code,
                indicator_text=_clean(words),
                measure=measure,
                comparator=comparator,
                value=value,
                value_high=None,
                unit=unit,
                year=year,
                months=None,
                start=name_cell[0],
                end=value_cell[0] + len(value_cell[1]),
            )
        )


# --- freezing -------------------------------------------------------------------------------
def _freeze(report: Report, drafts: list[_Draft]) -> list[Record]:
    norm = report.normalized
    ids: list[str] = []
    spans: list[tuple[int, int]] = []
    used: dict[str, int] = {}
    for d in drafts:
        a, b = norm.original_span(d.start, d.end)
        spans.append((a, b))
        rid = f"{report.doc}:{a}"
        if rid in used:  # two values in one span (a table cell 8500/4800)
            used[rid] += 1
            rid = f"{rid}.{used[rid]}"
        else:
            used[rid] = 0
        ids.append(rid)
    out: list[Record] = []
    for index, (d, (a, b)) in enumerate(zip(drafts, spans, strict=True)):
        evidence = Evidence(doc=report.doc, quote=report.text[a:b], start=a, end=b)
        part_of = ids[d.part_of] if d.part_of is not None else ""
        if d.months is not None:
            m1, m2 = d.months
            period_start = date(d.year, max(1, min(m1, 12)), 1)
            last = max(1, min(m2, 12))
            period_end = date(d.year + 1, 1, 1) if last == 12 else date(d.year, last + 1, 1)
            period_end = date.fromordinal(period_end.toordinal() - 1)
        else:
            period_start = date(d.year - d.span_years + 1, 1, 1)
            period_end = date(d.year, 12, 31)
        value = quantity(d.value, d.unit) if d.unit else _dimensionless(d.value)
        if d.kind == "target":
            out.append(
                Target(
                    indicator=d.indicator,
                    indicator_text=d.indicator_text,
                    measure=d.measure,
                    comparator=d.comparator,
                    value=value,
                    value_high=(
                        quantity(d.value_high, d.unit)
                        if d.value_high is not None and d.unit
                        else None
                    ),
                    deadline=period_end,
                    period_start=period_start,
                    period_end=period_end,
                    region=report.region,
                    issuer=report.issuer,
                    evidence=evidence,
                    qualifiers=d.qualifiers,
                    part_of=part_of,
                    record_id=ids[index],
                )
            )
        else:
            comparator, approx = d.comparator, d.approx
            if comparator is Comparator.RANGE and d.value_high is not None:
                # a reported range (年均增长4.5%-5%): its midpoint, with the range kept as text
                comparator = Comparator.APPROX
                approx = f"{d.value:g}-{d.value_high:g}"
                value = quantity((d.value + d.value_high) / 2, d.unit) if d.unit else value
            out.append(
                Actual(
                    indicator=d.indicator,
                    indicator_text=d.indicator_text,
                    measure=d.measure,
                    comparator=comparator,
                    value=value,
                    period_start=period_start,
                    period_end=period_end,
                    growth=d.growth,
                    growth_unit=d.growth_unit,
                    rank=d.rank,
                    approx=approx,
                    is_forecast=d.kind == "forecast",
                    region=report.region,
                    issuer=report.issuer,
                    evidence=evidence,
                    part_of=part_of,
                    record_id=ids[index],
                )
            )
    return out


def _dimensionless(value: float) -> Any:
    from targets.units import registry

    return registry().Quantity(value, "")


def _dedupe(drafts: list[_Draft]) -> list[_Draft]:
    """Drop a record that repeats one of an earlier paragraph (a table row restated in the
    text, a page printed twice). Equal values within one paragraph are distinct facts
    (省级众创空间2家、市级众创空间2家). Of two equal figures the one stating a growth is kept
    (a five-year review's 287.9亿元, restated as 287.9亿元，同比增长8.9%). Parts keep pointing at
    their (kept) whole."""
    keep: list[int] = []
    seen: dict[tuple[object, ...], int] = {}
    remap: dict[int, int] = {}
    for i, d in enumerate(drafts):
        key = (
            d.kind,
            d.indicator or d.indicator_text,
            d.measure,
            d.value,
            d.value_high,
            d.unit,
            d.year,
            d.months,
            d.part_of is not None,
        )
        if key in seen and drafts[seen[key]].para != d.para:
            first = seen[key]
            if d.growth is not None and drafts[first].growth is None and d.part_of is None:
                # the restatement says more (its growth): it is the one kept
                keep.remove(first)
                keep.append(i)
                remap[first] = seen[key] = i
                for j, other in remap.items():
                    if other == first:
                        remap[j] = i
                continue
            remap[i] = first
            continue
        seen.setdefault(key, i)
        keep.append(i)
    new_index = {old: new for new, old in enumerate(keep)}
    out = []
    for old in keep:
        d = drafts[old]
        if d.part_of is not None:
            whole = remap.get(d.part_of, d.part_of)
            d.part_of = new_index.get(whole)
        out.append(d)
    return out


def extract_records(report: Report) -> list[Record]:
    """Every target, actual and forecast in ``report``, in document order.

    Returns:
        Records whose evidence quotes the original text: ``report.text[start:end] == quote``.
    """
    extractor = _DocumentExtractor(report)
    table_spans = _tables(extractor)
    extractor.run(table_spans)
    drafts = sorted(enumerate(extractor.drafts), key=lambda x: (x[1].start, x[0]))
    order = {old: new for new, (old, _) in enumerate(drafts)}
    ordered = []
    for _, d in drafts:
        if d.part_of is not None:
            d.part_of = order[d.part_of]
        ordered.append(d)
    return _freeze(report, _dedupe(ordered))
