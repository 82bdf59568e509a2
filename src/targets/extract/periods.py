"""Periods: the year and months a figure is of (stated, relative such as 今年/去年, or the
section's), the year a report's results are of, and whether a statement is a target, an
actual or a forecast."""

from __future__ import annotations

import re
from dataclasses import dataclass

from . import patterns as p
from .document import FIVE_YEAR_PLANS, MIXED, PLAN, SUMMARY, Report, Section
from .mentions import clause_begin, is_inside, spans_of
from .resolve import clean

__all__ = ["BRACKETED_YEAR", "LEAD_TIME", "PLAN_END", "Periods", "Time"]


@dataclass(slots=True)
class Time:
    year: int | None = None
    months: tuple[int, int] | None = None
    stated: bool = False
    """The year was stated (by a sentence that opens with it), not taken from the section."""
    unreadable: bool = False
    """The months stated are no period (11~1月, 1~13月, a typo): the figure is not read."""


LEAD_TIME = re.compile(
    r"((?:19|20)\d\d年|过去的?一年|去年)?(\d{1,2}\s*[-~〜至到]\s*\d{1,2}月|上半年|前三季度)?[,:]"
)
"""A time that opens a sentence (2024年, 1-11月, 上半年) and frames its figures."""

PLAN_END = re.compile(
    rf"(?<![较比与])(?<![较比与][“\"‘'])(?P<plan>{'|'.join(FIVE_YEAR_PLANS)})[”\"’']?"
    r"(?:规划)?(?:时期末|期末|末期|末)"
)
"""The end of a five-year plan (十五五末, 到“十五五”期末, “十四五”时期末): its last year. Not
a base of comparison (较“十三五”末增长36.2%), which dates no figure of the sentence."""

BRACKETED_YEAR = re.compile(r"\s*[(\[〔【]\s*(?P<y>(?:19|20)\d\d)\s*(?:年(?:底|末)?)?\s*[)\]〕】]")
"""A year in brackets right after a value (达到3.5%以上(2027年)): that value's year."""


def _after_a_value(text: str, pos: int) -> bool:
    """Whether the year at ``pos`` is the bracketed year of the value just before it
    (…达到3.5%以上(2027年)): the year of that value, not of the figures that follow."""
    opening = pos - 1
    while opening >= 0 and text[opening].isspace():
        opening -= 1
    if opening < 0 or text[opening] not in "([〔【":
        return False
    if BRACKETED_YEAR.match(text, opening) is None:
        return False
    lead = text[max(0, opening - 40) : opening]
    return any(m.end() == len(lead) for m in p.mention_regex().finditer(lead))


class Periods:
    """The time frame of one report: the year its results are of, and which part of a
    mixed section (a review and the next plan) is being read."""

    def __init__(self, report: Report) -> None:
        self.plan_part = False
        """In a section of a review and a plan, the paragraphs of the plan have begun."""
        years = [s.year for s in report.sections if s.year and s.kind == SUMMARY]
        if report.results_year is not None:
            self.summary_year: int | None = report.results_year
        elif years:
            self.summary_year = years[0]
        elif report.date is not None:
            self.summary_year = report.date.year - 1 if report.date.month <= 6 else report.date.year
        else:
            counts: dict[int, int] = {}
            for m in p.YEAR.finditer(report.normalized.text):
                y = int(m.group("y"))
                counts[y] = counts.get(y, 0) + 1
            self.summary_year = max(counts, key=lambda y: (counts[y], y)) if counts else None

    def section_year(self, section: Section | None, kind: str) -> int | None:
        if section is not None and section.year is not None:
            if section.kind == MIXED and kind == "target":
                return section.target_year or section.year + 1
            return section.year
        if self.summary_year is None:
            return None
        return self.summary_year + 1 if kind == "target" else self.summary_year

    def explicit_time(self, before: str, base: Time, section: Section | None) -> tuple[Time, bool]:
        """Year and months stated in ``before`` (the sentence up to a mention)."""
        year, months, explicit = base.year, base.months, base.stated
        unreadable = base.unreadable
        quoted: list[tuple[int, int]] | None = None  # found with the first year
        last_year_end = -1
        for m in p.YEAR.finditer(before):
            if quoted is None:
                quoted = spans_of(p.QUOTED, before)
            if is_inside(m.start(), quoted) or _after_a_value(before, m.start()):
                continue
            after = before[m.end() : m.end() + 3]
            if re.match(r"\d{1,2}月(?!\d)", after) and not p.MONTHS.match(before, m.end()):
                continue  # a date (2024年6月发布), not a period
            lead = before[clause_begin(before, 0, m.start()) : m.start()]
            follows = before[m.end() : m.end() + 2]
            if len(clean(lead)) > 3 and not re.match(r"[,:底末前内以]|全年", follows):
                continue  # 获2019年国家重点研发项目: a programme's year, not the period
            year = int(m.group("y2") or m.group("y"))
            explicit = True
            last_year_end = m.end()
        ends = list(PLAN_END.finditer(before))
        if ends and ends[-1].start() >= last_year_end:  # 到“十五五”末 after any stated year
            year, explicit = FIVE_YEAR_PLANS[ends[-1]["plan"]], True
            last_year_end = ends[-1].end()
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
            first, last = int(mm.group("m1")), int(mm.group("m2"))
            readable = 1 <= first <= last <= 12
            months, unreadable = ((first, last) if readable else None), not readable
        periods = list(p.NAMED_PERIOD.finditer(before))
        named = periods[-1] if periods else None
        if named is not None:
            months, unreadable = p.NAMED_PERIODS[named.group(0)], False
        if months == (1, 12):
            months = None
        return Time(year, months, unreadable=unreadable), explicit

    @staticmethod
    def bracketed_year(text: str, pos: int) -> int | None:
        """The year in brackets at ``pos``, right after a value (3.5%以上(2027年)), if any."""
        m = BRACKETED_YEAR.match(text, pos)
        return int(m["y"]) if m is not None else None

    def kind(self, section: Section | None, before: str, year: int | None, explicit: bool) -> str:
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
