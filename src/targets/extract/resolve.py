"""Indicator resolution: the catalogue entry and measure that the words before a value
name (longest alias at the head of the phrase, fitting the unit), and the cleaning of those
words (cue words and comparators at their edges)."""

from __future__ import annotations

import re
from functools import cache

from targets.catalogue import Catalogue
from targets.models import (
    Indicator,
    Measure,
)
from targets.units import unit_info

from . import patterns as p
from .mentions import MEASURED_DIMENSIONS, PERCENT_UNITS, POINT_UNITS

__all__ = [
    "CMP",
    "CMP_EDGES",
    "CMP_LAST_CHARS",
    "CMP_LEAD",
    "Resolver",
    "clean",
    "count_measure",
    "strip_cmp",
    "strip_quotes",
    "strip_verbs",
]


def clean(text: str) -> str:
    """Indicator words from the text before a value: cue words and connectors trimmed."""
    s = p.QUOTED.sub(lambda m: m.group(0), text)
    previous = None
    while previous != s:
        previous = s
        s = p.LEADING_NOISE.sub("", s)
        s = p.TRAILING_NOISE.sub("", s)
        s = s.strip(" ,、")
    return s


@cache
def _places() -> tuple[re.Pattern[str], dict[str, str]]:
    """Provinces and prefecture cities by full and short name (泸州市, 泸州), and the code of
    each name: a figure named after one of them (泸州经济总量) is that place's."""
    from targets.regions import gazetteer

    codes: dict[str, str] = {}
    for d in gazetteer():
        if d.level in ("province", "prefecture"):
            for name in {d.name, d.short_name}:
                if len(name) >= 2:
                    codes.setdefault(name, d.code)
    names = sorted(codes, key=lambda n: (-len(n), n))
    return re.compile(f"(?:{'|'.join(re.escape(n) for n in names)})$"), codes


class Resolver:
    """Maps indicator words and a unit to a catalogue entry and a measure."""

    def __init__(self, cat: Catalogue, region: str = "") -> None:
        self.cat = cat
        self.region = region
        """The report's own place: a figure named after another place is not its own."""

    def measure_for(self, ind: Indicator, unit: str, words: str) -> Measure | None:
        """The measure of a value in ``unit`` for ``ind``, or ``None`` if they do not fit."""
        if ind.unit == "" or unit == "":
            return Measure.INDEX if ind.unit == unit == "" else None
        iu, vu = unit_info(ind.unit), unit_info(unit)
        if ind.also_units and any(unit_info(u).dimension == vu.dimension for u in ind.also_units):
            return ind.measure  # 规模以上工业企业755户: enterprises counted in 户
        if (
            vu.dimension == "[generic_count]"
            and ind.measure in (Measure.STOCK, Measure.FLOW)
            and iu.dimension not in MEASURED_DIMENSIONS
        ):
            return ind.measure  # 个 is the general measure word for any count
        if iu.dimension == vu.dimension:
            if (
                ind.measure in (Measure.RATIO, Measure.GROWTH)
                and p.GROWTH_WORDS.search(words)
                and ind.measure is Measure.RATIO
                and unit in POINT_UNITS
            ):
                return Measure.GROWTH
            return ind.measure
        if unit in POINT_UNITS and ind.measure in (Measure.RATIO, Measure.GROWTH):
            return Measure.GROWTH
        if (
            unit in PERCENT_UNITS
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
        dimension = unit_info(unit).dimension if unit else ""
        pairs = [
            (match, ind)
            for match in matches
            for ind in sorted(
                match.candidates or (match.indicator,),
                key=lambda i: (unit_info(i.unit).dimension if i.unit else "") != dimension,
            )
        ]
        parts: list[tuple[int, int]] = []
        for match, ind in pairs:
            if density and not p.DENSITY.search(match.alias):
                continue
            residue = strip_cmp(clean(words[match.end :]))
            if not p.HEAD_RESIDUE.match(residue) and not (
                unit in PERCENT_UNITS
                and ind.measure in (Measure.STOCK, Measure.FLOW)
                and p.SHARE_WORDS.search(words[match.start :])
            ):
                continue  # 孵化平台在孵企业: the alias modifies another head noun
            if p.APPLICATION.search(words[max(0, match.start - 4) : match.start]):
                continue
            if any(words[: match.start].endswith(w) for w in ind.not_after):
                continue  # 市级高新技术企业 is not a 国家高新技术企业
            if any(a <= match.start and match.end <= b for a, b in parts):
                continue  # inside a name already read as a part (脱贫县农村居民…收入)
            if (
                p.SCOPE_PART.search(words, 0, match.start)
                or (
                    p.PARTNER.search(words, 0, match.start) is not None
                    and p.PARTNER_FLOW.match(match.alias) is not None
                )
                or any(
                    m.start() < match.start < m.end()
                    for m in p.SCOPE_WORD.finditer(words, max(0, match.start - 8), match.end)
                )
                or (
                    self._elsewhere(words[: match.start])
                    and not p.LEVEL_OPENING.match(match.alias)  # 杭州市级研发机构: a level
                )
                or (
                    unit not in PERCENT_UNITS | POINT_UNITS
                    and match.start > 0
                    and p.NAME_SPLIT.fullmatch(words[match.start - 1]) is not None
                )
            ):
                # a part of the indicator, not the indicator: 对东盟进出口, 工业税收, 新能源
                # 投资, 泸州经济总量 (one city's), 雏鹰、瞪羚企业358户 (one amount for two names)
                parts.append((match.start, match.end))
                continue
            if (
                unit in PERCENT_UNITS
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

    def _elsewhere(self, before: str) -> bool:
        """Whether ``before`` (the words before an alias) ends with another place's name."""
        if not before:
            return False
        regex, _ = _places()
        m = regex.search(before, max(0, len(before) - 8))
        if m is None:
            return False
        own = self.region
        return not (own and (m.group(0) in own or own.startswith(m.group(0))))

    def split_names(self, text: str) -> list[str]:
        """The names of a list (专利申请、授权量; A和B), split at 、和及与 except inside an alias
        (普及率, 软件和信息服务业 are one name each)."""
        covered = [(m.start, m.end) for m in self.cat.find(text)]
        names, start = [], 0
        for m in p.NAME_SPLIT.finditer(text):
            if any(a <= m.start() < b for a, b in covered):
                continue
            names.append(text[start : m.start()])
            start = m.end()
        names.append(text[start:])
        return [n for n in names if n]

    def borrow(
        self, name: str, others: list[str], unit: str, change: str = ""
    ) -> tuple[Indicator, Measure, str] | None:
        """Complete a list item that lacks its head noun from a sibling (专利申请、授权量);
        ``change`` is the growth word the list shares (城镇、农村居民人均可支配收入分别增长)."""
        for other in others:
            for k in range(1, len(other)):
                for candidate in (other[:k] + name, name + other[k:]):
                    for words in (candidate + change, candidate) if change else (candidate,):
                        ind = self.cat.lookup(words)
                        if ind is not None:
                            measure = self.measure_for(ind, unit, change)
                            if measure is not None:
                                return ind, measure, candidate
        return None


def count_measure(words: str, default: Measure) -> Measure:
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


CMP = (
    rf"{p.LINKLESS_COMPARATOR_WORDS}|达到|达|突破|超过|超|为|{p.ABOUT}|近|控制在|保持在|稳定在|继续保持|继续|保持|稳定|{p.NEGATED}|"
    r"以上|左右|以内|分别|平均为|均为|均|将|控制到|率先|首次|再次|在全[国省市区县]|在|"
    r"(?:回落|下降|降低|降|下滑)[到至]"
)
CMP_TRAIL = r"全[国省市区县]"
"""A scope that ends a name (…居全国) but opens another one (全国政协提案, 全国重点实验室)."""
CMP_EDGES = re.compile(rf"^(?:{CMP}|[ ,、])+|(?:{CMP}|{CMP_TRAIL}|[ ,、])+$")


CMP_LEAD = re.compile(rf"^(?:{CMP}|[ ,、])+")
CMP_LAST_CHARS = frozenset(
    "".join(
        w[w.rindex("[") + 1 : -1] if w.endswith("]") else w[-1]
        for w in f"{CMP}|{CMP_TRAIL}".split("|")
    )
    + " ,、"
)
"""The characters a comparator word of ``CMP`` (or a separator) can end with."""


def strip_cmp(text: str) -> str:
    """``text`` without comparator words at its edges (均 inside 人均 stays)."""
    if text and (text[-1] in CMP_LAST_CHARS or text[-1] == "\n"):  # $ matches before \n
        return CMP_EDGES.sub("", text)
    return CMP_LEAD.sub("", text, count=1)  # no comparator word can end the text


def strip_verbs(text: str) -> str:
    return clean(text)


def strip_quotes(text: str) -> str:
    return text.replace("“", "").replace("”", "").replace('"', "")


# --- tables laid out one cell per line ------------------------------------------------------
