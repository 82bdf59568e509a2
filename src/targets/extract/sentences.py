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
from dataclasses import replace
from functools import partial

from targets.catalogue import catalogue
from targets.errors import ParseError
from targets.models import (
    Comparator,
    Direction,
    Indicator,
    Measure,
)
from targets.numerals import parse_number
from targets.units import unit_info

from . import patterns as p
from .comparators import FLIP, comparator_for
from .document import FIVE_YEAR_PLANS, MIXED, Report, Section
from .mentions import (
    PERCENT_UNITS,
    POINT_UNITS,
    WINDOW,
    Change,
    Draft,
    Mention,
    clause_begin,
    find_mentions,
    is_inside,
    spans_of,
    split_spans,
)
from .periods import LEAD_TIME, Periods, Time
from .resolve import Resolver, clean, count_measure, strip_cmp, strip_quotes, strip_verbs

__all__ = ["DocumentExtractor"]


class DocumentExtractor:
    def __init__(self, report: Report) -> None:
        self.report = report
        self.text = report.normalized.text
        self.resolver = Resolver(catalogue(), report.region)
        self.drafts: list[Draft] = []
        self.current_para = -1
        self.multi_year = False
        self.multi_year_section: Section | None = None
        self.shared_growth: set[int] = set()
        self.shared_names: dict[int, list[tuple[str, list[str], int, str]]] = {}
        """Per mention of the current clause: the further names its rate is shared by."""
        """Levels of a list that hold the growth 分别 gave them all (分别同比增长7.8%)."""
        self.periods = Periods(report)

    # --- paragraphs ---------------------------------------------------------------------------
    def run(self, skip: list[tuple[int, int]]) -> list[Draft]:
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
            self.periods.plan_part = False
        text = self.text[start:end].lstrip()
        lead = p.PERIOD_LEAD.match(text)
        if lead is not None:
            self.multi_year = lead["multi"] is not None
            if section is not None and section.kind == MIXED and section.target_year:
                # “十三五”时期发展成就和“十四五”时期主要目标任务: a paragraph opening with the
                # plan's own period (“十四五”时期是…) turns the section to its goals
                plans = [y for name, y in FIVE_YEAR_PLANS.items() if name in lead.group(0)]
                if plans == [section.target_year]:
                    self.periods.plan_part = True
                    self.multi_year = False
        base = Time()
        text = self.text
        for sent_start, sent_end in split_spans(p.SENTENCE_SPLIT, text, start, end):
            opening = p.PERIOD_LEAD.match(text, sent_start, sent_end)
            if opening is not None and sent_start > start:  # 过去五年，… after 2015年是…
                if opening["multi"] is not None:
                    self.multi_year = True
                elif p.YEAR.match(opening["single"] or ""):
                    self.multi_year = False
            lead = LEAD_TIME.match(text, sent_start, sent_end)
            if lead and lead.group(0).strip(",:"):
                base, stated = self.periods.explicit_time(lead.group(0), base, section)
                base = Time(base.year, base.months, stated, base.unreadable)
            if p.HAS_NUMBER.search(text, sent_start, sent_end) is not None:
                self._sentence(sent_start, sent_end, section, base)

    def _sentence(self, start: int, end: int, section: Section | None, base: Time) -> None:
        text = self.text
        sentence_drafts: list[int] = []
        scope_q = -1
        part_scope_end = -1
        qizhong_positions = [m.start() for m in p.QIZHONG.finditer(text, start, end)]
        for sub_start, sub_end in split_spans(p.SUB_SPLIT, text, start, end):
            mentions = find_mentions(text, sub_start, sub_end)
            events: list[tuple[int, str, object]] = [(m.start, "value", m) for m in mentions]
            ranks = list(p.RANK.finditer(text, sub_start, sub_end))
            if ranks:
                sub_quoted = spans_of(p.QUOTED, text[sub_start:sub_end])
                for rm in ranks:
                    if is_inside(rm.start() - sub_start, sub_quoted):
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
                p.TARGET_CUE.search(text[max(start, sub_start - WINDOW) : sub_start])
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
                assert isinstance(obj, Mention)
                mention = obj
                before_sentence = text[max(start, mention.start - WINDOW) : mention.start]
                clause_start = clause_begin(text, sub_start, mention.start)
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
                    before_sentence = text[max(start, cue_start - WINDOW) : cue_start]
                    if change.first is mention:
                        if seg_start <= cue_start:  # 从 stands before this level's words
                            cut = mention.start - cue_start
                            segment = text[seg_start:cue_start]
                            words_for_cues = words_for_cues[: len(words_for_cues) - cut]
                            if not clean(segment) and seg_start > sub_start:
                                # 研发投入强度稳步提升，从2.5%提高到3.3%: the clause before names it
                                lead = clause_begin(text, sub_start, seg_start - 1)
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
                time, explicit = self.periods.explicit_time(before_sentence, base, section)
                if time.unreadable:
                    continue  # a figure of no readable period (2024年11~1月) is not read
                bracketed = self.periods.bracketed_year(text, max(mention.end, mention.counted_end))
                if bracketed is not None:  # 研发投入强度达到3.5%以上(2027年)
                    time, explicit = Time(bracketed), True
                kind = self.periods.kind(
                    section,
                    text[max(sub_start, mention.start - WINDOW) : mention.start]
                    if not earlier_cue
                    else before_sentence,
                    time.year,
                    explicit,
                )
                if time.year is None or not explicit:
                    sec_year = self.periods.section_year(section, kind)
                    time = Time(time.year if time.year is not None else sec_year, time.months)
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
        change: Change,
        mention: Mention,
        time: Time,
        kind: str,
        before: str,
        explicit: bool,
    ) -> tuple[Time, str]:
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
            return Time(year, time.months if change.to_year is None else None), kind
        assert time.year is not None
        if change.from_year is not None:
            return Time(change.from_year), "actual"
        if change.from_last_year:
            return Time(time.year - 1), "actual"
        if change.from_months is not None and kind != "target":
            return Time(time.year, change.from_months), "actual"
        if kind != "target" and not explicit and (self.multi_year or p.MULTI_YEAR.search(before)):
            return Time(time.year - 5), "actual"
        return Time(None), kind

    def _changes(self, mentions: list[Mention], sub_start: int) -> dict[int, Change]:
        """The changes from one level to another among ``mentions``, by ``id`` of each level:
        从A增加到B, and lists of them (分别从A1、A2增加到B1、B2)."""
        text = self.text

        def listed(k: int) -> bool:  # mentions k and k + 1 stand in one list (A1、A2)
            gap = text[mentions[k].end : mentions[k + 1].start]
            return p.LIST_GAP.match(strip_cmp(gap)) is not None

        out: dict[int, Change] = {}
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
                out[id(first)] = out[id(second)] = Change(
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
        mention: Mention,
        segment: str,
        named: tuple[str, list[str], int, str] | None,
    ) -> int | None:
        """The whole a 其中 part belongs to: the latest earlier record of the same indicator,
        else the latest whose name the part's name holds or completes (发明专利申请 is a part
        of 专利申请, 授权量 of 专利授权量), else the latest earlier record."""
        if not candidates:
            return None
        words = named[0] if named is not None else segment
        resolved = self.resolver.resolve(strip_cmp(words), mention.unit)
        if resolved is not None:
            code = resolved[0].code
            for i in reversed(candidates):
                if self.drafts[i].indicator == code:
                    return i
        name = clean(strip_cmp(words))
        if len(name) >= 2:
            for i in reversed(candidates):
                whole = clean(self.drafts[i].indicator_text)
                if len(whole) >= 2 and (whole in name or name in whole):
                    return i
        return candidates[-1]

    # --- pieces --------------------------------------------------------------------------------
    def _list_names(
        self, sub_start: int, sub_end: int, mentions: list[Mention]
    ) -> dict[int, tuple[str, list[str], int, str]]:
        """Names paired with values by 分别 or by ``A和B达X和Y``: {mention index: (name,
        sibling names, name start)}."""
        text = self.text
        out: dict[int, tuple[str, list[str], int, str]] = {}
        i = 0
        while i < len(mentions):
            j = i
            while j + 1 < len(mentions) and p.LIST_GAP.match(
                strip_cmp(text[mentions[j].end : mentions[j + 1].start])
            ):
                j += 1
            run = list(range(i, j + 1))
            first = mentions[i]
            clause_start = clause_begin(text, sub_start, first.start)
            prev_end = mentions[i - 1].end if i > 0 else sub_start
            seg_start = max(clause_start, prev_end)
            segment = text[seg_start : first.start]
            fb = p.FENBIE.search(segment)
            names_text = segment[: fb.start()] if fb else (segment if len(run) > 1 else "")
            names_text = p.FROM_CUE.sub("", names_text)  # 从2021年的A和B分别提高到C和D
            if names_text:
                cleaned = strip_verbs(names_text)
                names = self.resolver.split_names(cleaned)
                listed = fb or text.startswith("分别", mentions[j].end)  # 城乡…A和B分别提高到
                if listed and len(names) == 1 and len(run) == 2 and "城乡" in names[0]:
                    # 城乡居民人均可支配收入分别增长4.4%、5.6%: urban, then rural
                    names = [names[0].replace("城乡", town, 1) for town in ("城镇", "农村")]
                sectors = p.SECTORS.match(names[0]) if listed and len(names) == 1 else None
                if sectors is not None and len(sectors["which"]) == len(run):
                    # 一二三产增加值分别增长3.5%、6%、5%: the first, second and third sectors
                    names = [n + sectors["rest"] for n in sectors["which"]]
                cmp_text = segment[fb.end() :] if fb else ""
                paired = len(names) == len(run) and (fb or all(len(clean(n)) >= 2 for n in names))
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
            if len(run) == 1 and first.unit in PERCENT_UNITS:
                self._shared_rate(i, first, segment, seg_start, out)
            i = j + 1
        return out

    def _next_of_list(self, prev: Draft | None, sub_drafts: list[int]) -> int | None:
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

    def _level_of(self, prev: Draft | None, unit: str) -> Indicator | None:
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
        mention: Mention,
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
        names = self.resolver.split_names(strip_verbs(names_text))
        if len(names) == 1 and names[0].startswith("城乡"):
            names = [names[0].replace("城乡", town, 1) for town in ("城镇", "农村")]
        elif not shared or len(names) < 2 or not all(len(clean(n)) >= 2 for n in names):
            return
        cmp_text = segment[growth.start() :]
        out[i] = (names[0], names, seg_start, cmp_text)
        self.shared_names[i] = [(n, names, seg_start, cmp_text) for n in names[1:]]

    def _value(
        self,
        mention: Mention,
        segment: str,
        seg_start: int,
        cue_words: str,
        kind: str,
        time: Time,
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
        if sibling is not None and unit in PERCENT_UNITS and prev is not None:
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
            and unit in PERCENT_UNITS | POINT_UNITS
            and p.GROWTH_ONLY.match(strip_cmp(stripped))
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
                return self.add(
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
            and unit in PERCENT_UNITS
            and stripped.startswith("占")
            and not resolver.resolve(stripped, unit)
        ):
            words = prev.indicator_text + stripped
        elif prev is not None and named is None and p.BARE_NOUN.match(clean(segment)):
            words = prev.indicator_text + clean(segment)  # 新增孵化载体30个,新增面积181.55万方
            if not resolver.resolve(strip_cmp(words), unit):
                # 粮食播种面积1584.6万亩、总产量132.4亿斤: 总产量 of what the sentence is about
                borrowed = resolver.borrow(clean(segment), [prev.indicator_text], unit)
                if borrowed is not None:
                    words = borrowed[2]
        else:
            words = named[0] if named is not None else segment
        summed = False
        if mention.counted_end >= 0:  # 新建10家省级概念验证中心
            words = mention.verb + self.text[mention.end : mention.counted_end]
            # 实施100项省级重大科技专项、重点研发专项: one count for a list of nouns is their sum
            summed = p.COUNTED_LIST.match(self.text, mention.counted_end) is not None
        context = segment if named is None else segment + "".join(named[1])
        resolved = None if summed else resolver.resolve(strip_cmp(words), unit, context)
        change = p.GROWTH_WORDS.search(named[3]) if named is not None else None
        if resolved is None and change is not None and not summed:  # 城乡…分别增长8.7%和8.6%
            resolved = resolver.resolve(strip_cmp(words) + change.group(0), unit, context)
            if resolved is not None:  # the name as listed, without the shared growth word
                resolved = (resolved[0], resolved[1], clean(words) or resolved[2])
        if resolved is None and named is not None and not summed:
            resolved = resolver.borrow(
                clean(named[0]),
                [clean(n) for n in named[1] if n != named[0]],
                unit,
                change.group(0) if change is not None else "",
            )
        if resolved is None and named is None and not summed:
            squeezed = p.SQUEEZE.sub("", words)
            resolved = resolver.resolve(squeezed, unit, context)
            if resolved is not None:
                resolved = (resolved[0], resolved[1], clean(words) or resolved[2])
        whole_draft = self.drafts[whole] if whole is not None else None
        if resolved is not None:
            ind, measure, indicator_text = resolved
            code, direction = ind.code, ind.direction
            if measure in (Measure.STOCK, Measure.FLOW) and ind.measure in (
                Measure.STOCK,
                Measure.FLOW,
            ):
                if unit_info(ind.unit).dimension != "[money]":
                    measure = count_measure(cue_words, ind.measure)
                elif re.search(r"(?<![年度])累计", cue_words) and not p.WEAK_FLOW.search(cue_words):
                    measure = Measure.STOCK  # 技术合同成交额累计达260亿元: a running total
                named_as = strip_cmp(clean(words))
                if named_as.startswith("新") and named_as[1:].startswith(indicator_text):
                    measure = Measure.FLOW  # 新雏鹰企业超10家: the new ones of the year
        else:
            code, direction = "", None
            indicator_text = self._strip_region(clean(words))
            measure = self._unknown_measure(mention, cue_words)
            grown = self._level_of(prev, unit) if not strip_cmp(indicator_text) else None
            if grown is not None:  # 地方财政总收入增长20%，达到24.8亿元: the level of that growth
                code, direction, measure = grown.code, grown.direction, grown.measure
                indicator_text = p.GROWTH_TAIL.sub("", prev.indicator_text) if prev else ""
            if (
                prev is not None
                and unit in PERCENT_UNITS
                and prev.measure in (Measure.STOCK, Measure.FLOW)
                and prev.unit not in PERCENT_UNITS
                and p.GROWTH_PHRASE.fullmatch(strip_cmp(stripped))
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
                        count_measure(cue_words, prev.measure)
                        if prev.measure in (Measure.STOCK, Measure.FLOW)
                        else prev.measure
                    )
                elif (subject := self._subject(before_sentence, segment, unit)) is not None:
                    # 地区生产总值跨越3个千亿元台阶，达到1.5万亿元: the sentence's subject
                    code, direction, measure = subject[0].code, subject[0].direction, subject[1]
                    indicator_text = subject[2]
                else:
                    # no name at all (增长5%—5.5%): keep the value with the words there are
                    indicator_text = strip_quotes(stripped).strip(" ,、:")
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
                if not code and (
                    indicator_text == whole_draft.indicator_text
                    or p.PART_LEVEL.match(clean(words)) is not None
                ):
                    # 其中2025年新增800家: the whole's indicator for part of its period; a
                    # part with a name of its own (其中企业57.5万户) is another indicator
                    code = whole_draft.indicator
                measure = whole_draft.measure
                if resolved is not None and resolved[0].code == whole_draft.indicator:
                    indicator_text = clean(words) or indicator_text
        if direction is None and code:
            direction = catalogue()[code].direction
        before = strip_quotes(self.text[seg_start : mention.start])
        if named is not None and not strip_cmp(before).strip("和及与、"):
            before = named[3] + before.strip("和及与、")
        if (
            code
            and measure in (Measure.STOCK, Measure.INDEX)
            and self._raised(mention, seg_start, prev)
            and unit_info(unit).dimension == unit_info(catalogue()[code].unit).dimension
        ):
            measure = Measure.GROWTH  # 人均预期寿命提高1岁: raised by a year, not to one
        decline = (
            bool(p.DECLINE_WORDS.search(before[-6:]))
            and unit in PERCENT_UNITS | POINT_UNITS
            and measure is Measure.GROWTH
        )
        # 下降3.8%: a decline of at least 3.8 % (growth <= -3.8), whatever the direction
        comparator, approx = comparator_for(
            before, mention, kind, Direction.HIGHER_IS_BETTER if decline else direction
        )
        value, value_high = mention.value, mention.value_high
        if decline:
            value = -value
            if value_high is not None:
                value, value_high = -value_high, -mention.value
            comparator = FLIP.get(comparator, comparator)
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
        draft = Draft(
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
        return self.add(draft)

    def _raised(self, mention: Mention, seg_start: int, prev: Draft | None) -> bool:
        """Whether the value is the amount of a raise: a rise word right before it (提高1岁,
        再增加40元), or it follows such an amount in a list (分别再提高30元和5元)."""
        if p.RAISED_BY.search(self.text[max(seg_start, mention.start - 4) : mention.start]):
            return True
        return (
            prev is not None
            and prev.measure is Measure.GROWTH
            and prev.unit == mention.unit
            and mention.unit not in PERCENT_UNITS | POINT_UNITS
            and p.LIST_GAP.fullmatch(self.text[prev.end : mention.start]) is not None
        )

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
        counted = measure is Measure.FLOW and (p.CUMULATIVE.search(words) or p.BUILT.search(words))
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
        if measure is Measure.FLOW and p.BUILT.search(words):
            return True
        if measure is Measure.FLOW:
            return not code and not p.LEVEL_REACHED.search(before.rstrip())
        return False

    def _strip_region(self, words: str) -> str:
        region = self.report.region
        for name in (region, region[:-1] if len(region) > 2 else ""):
            if name and words.startswith(name):
                return clean(words[len(name) :])
        return words

    def add(self, draft: Draft) -> int:
        if draft.para < 0:
            draft.para = self.current_para
        self.drafts.append(draft)
        index = len(self.drafts) - 1
        if draft.part_of is not None:
            self.drafts[draft.part_of].children.append(index)
        return index

    @staticmethod
    def _unknown_measure(mention: Mention, words: str) -> Measure:
        if mention.is_index:
            return Measure.INDEX
        if mention.unit in POINT_UNITS:
            return Measure.GROWTH
        if mention.unit in PERCENT_UNITS:
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
        return count_measure(words, Measure.FLOW)

    def _rank(
        self,
        m: re.Match[str],
        sub_start: int,
        sub_drafts: list[int],
        section: Section | None,
        base: Time,
        after: int,
    ) -> None:
        text = self.text
        clause_start = max(clause_begin(text, sub_start, m.start()), after)
        phrase = text[clause_start : m.end()].strip(" 、")
        target_draft = next(
            (i for i in reversed(sub_drafts) if self.drafts[i].end <= m.start()), None
        )
        if target_draft is not None:
            draft = self.drafts[target_draft]
            draft.rank = f"{draft.rank}、{phrase}" if draft.rank else phrase
            draft.end = max(draft.end, m.end())
            return
        words = clean(text[clause_start : m.start()])
        if len(words) < 2:
            return
        n_text = m.group("n") or m.group("top")
        try:
            position = parse_number(n_text)
        except ParseError:
            return
        before = text[sub_start : m.start()]
        time, explicit = self.periods.explicit_time(before, base, section)
        if time.unreadable:
            return
        kind = self.periods.kind(section, before, time.year, explicit)
        year = (
            time.year
            if explicit and time.year
            else (time.year or self.periods.section_year(section, kind))
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
        self.add(
            Draft(
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
        base: Time,
        sub_drafts: list[int],
    ) -> None:
        text = self.text
        before = text[sub_start : m.start()]
        time, explicit = self.periods.explicit_time(before, base, section)
        kind = self.periods.kind(section, before + "力争", time.year, explicit)
        if kind != "target" or time.unreadable:
            return
        year = time.year if explicit and time.year else self.periods.section_year(section, kind)
        if year is None:
            return
        clause_start = clause_begin(text, sub_start, m.start())
        words = clean(strip_quotes(text[clause_start : m.start()]).rstrip('“"‘'))
        code = "innovation_rank" if "创新" in words else ""
        start = text.find(words, clause_start, m.start()) if words else -1
        self.add(
            Draft(
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
