"""Typed records: indicators, evidence, targets and actuals. Frozen, slotted, no I/O.

Every record carries :class:`Evidence`: the document, the exact quote and its character span
in the original text, so that ``text[evidence.start:evidence.end] == evidence.quote``.
"""

from __future__ import annotations

import html
import math
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pint

__all__ = [
    "APPROX_REL_TOL",
    "Actual",
    "Comparator",
    "Direction",
    "Evidence",
    "Indicator",
    "Measure",
    "Record",
    "Target",
    "year_period",
]

APPROX_REL_TOL = 0.05
"""Tolerance of the ``~`` comparator (左右/约): the actual is within 5 % of the target value,
relative to the target (5%左右 is met by 4.75 % to 5.25 %; 10亿元左右 by 9.5 to 10.5 亿元)."""


class Measure(StrEnum):
    """What kind of quantity a value is."""

    STOCK = "stock"  # a level at a date: 累计/总数/共有 750家
    FLOW = "flow"  # an amount over a period: 新增 30家, 全年技术交易额 16.06亿元
    RATIO = "ratio"  # a share or intensity: R&D占GDP比重 3.88%
    GROWTH = "growth"  # a rate of change: 增长 5%, 提高 0.5个百分点
    RANK = "rank"  # a position: 居全市第3位
    INDEX = "index"  # a composite score: 创新指数 149.2


class Direction(StrEnum):
    """Which way is better for an indicator."""

    HIGHER_IS_BETTER = "higher_is_better"  # more is better: output, income, enterprises
    LOWER_IS_BETTER = "lower_is_better"  # a ceiling: CPI, unemployment, deficit ratio
    REDUCTION = "reduction"  # a fall to achieve, stated as a signed change: 能耗降低13.5%
    TARGET_BAND = "target_band"  # neither way: a 左右 target is met within its band
    NONE = "none"  # no better way (population, a count of cases): judged by the comparator

    @property
    def sign(self) -> int:
        """+1 when more is better, -1 for a ceiling or a reduction, 0 when neither way is."""
        if self is Direction.HIGHER_IS_BETTER:
            return 1
        if self in (Direction.LOWER_IS_BETTER, Direction.REDUCTION):
            return -1
        return 0


class Comparator(StrEnum):
    """How a target value constrains the actual.

    ``satisfied(actual, value, high)`` semantics, all in the same unit:

    * ``>=`` actual ≥ value (达, 达到, 以上, 不低于); ``>`` actual > value (突破, 超, 超过);
    * ``=`` actual equals value within :data:`targets.units.REL_TOL`;
    * ``<=`` actual ≤ value (以内, 控制在, 不超过); ``<`` actual < value (低于);
    * ``~`` |actual − value| ≤ :data:`APPROX_REL_TOL` × |value| (左右, 约);
    * ``range`` value ≤ actual ≤ high (5%—5.5%).
    """

    GE = ">="
    GT = ">"
    EQ = "="
    LE = "<="
    LT = "<"
    APPROX = "~"
    RANGE = "range"

    def satisfied(self, actual: float, value: float, high: float | None = None) -> bool:
        """Whether ``actual`` meets a target ``value`` (and ``high`` for ranges).

        Raises:
            ValueError: ``high`` is missing for a range, or given for another comparator.
        """
        if (self is Comparator.RANGE) != (high is not None):
            raise ValueError(f"comparator {self.value!r} with high={high!r}")
        if self is Comparator.GE:
            return actual >= value
        if self is Comparator.GT:
            return actual > value
        if self is Comparator.EQ:
            return math.isclose(actual, value, rel_tol=1e-9, abs_tol=1e-12)
        if self is Comparator.LE:
            return actual <= value
        if self is Comparator.LT:
            return actual < value
        if self is Comparator.APPROX:
            return abs(actual - value) <= APPROX_REL_TOL * abs(value)
        assert high is not None
        return value <= actual <= high


@dataclass(frozen=True, slots=True, kw_only=True)
class Indicator:
    """One catalogue entry: what is measured, in which unit, and which way is better."""

    code: str
    name_zh: str
    name_en: str
    measure: Measure
    unit: str
    direction: Direction
    category: str
    aliases: tuple[str, ...] = ()
    not_after: tuple[str, ...] = ()
    """Words that, written right before an alias, make it another indicator (市级高新技术企业)."""
    growth_of: str = ""
    """For a growth indicator, the code of the level it is the growth of (gdp_growth: gdp):
    a growth stated with the level (完成235.2亿元，同比增长18.5%) is a point of its series."""
    share_of: str = ""
    """For a ratio, the code of the part it is the share of (rd_intensity: rd_expense): a
    percentage stated as that part's 占比 is this indicator."""
    share_in: str = ""
    """For a ratio, the code of the whole it is a share of (rd_intensity: gdp), when known."""
    per_capita_of: str = ""
    """For a per-person figure, the code of the total it divides (gdp_per_capita: gdp)."""
    population: str = ""
    """Whose figure it is: ``urban`` (城镇), ``rural`` (农村), ``all`` (全体居民) or empty."""
    enterprise_scope: str = ""
    """Which enterprises: ``above_size`` (规上, 规模以上) or ``all`` (全社会) or empty."""
    also_units: tuple[str, ...] = ()
    """Other count words reports write it in (enterprises in 户 as well as 家): a value in one
    of them fits, and keeps the unit it was written in."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Evidence:
    """Where a record comes from: ``quote == text[start:end]`` of document ``doc``."""

    doc: str
    quote: str
    start: int
    end: int

    def __post_init__(self) -> None:
        if not 0 <= self.start <= self.end:
            raise ValueError(f"bad span [{self.start}, {self.end}) in {self.doc!r}")


_WORDS = {">=": "≥", ">": ">", "=": "=", "<=": "≤", "<": "<", "~": "≈", "range": ""}


def _html_line(kind: str, record: Target | Actual, amount: str, when: str) -> str:
    name = html.escape(record.indicator or "—")
    words = html.escape(record.indicator_text)
    quote = html.escape(record.evidence.quote)
    where = html.escape(f"{record.evidence.doc} [{record.evidence.start}:{record.evidence.end}]")
    return (
        f'<div style="font-family:sans-serif;line-height:1.5"><b>{kind}</b> · <code>{name}'
        f"</code> {words} <b>{html.escape(amount)}</b> · {html.escape(when)} · "
        f"{record.measure.value}<br><small>“{quote}” — {where}</small></div>"
    )


def _amount(comparator: Comparator, value: Any, high: Any = None) -> str:
    unit = "" if str(value.units) == "dimensionless" else f"{value.units:~}"
    text = f"{value.magnitude:g}{unit}"
    if high is not None:
        return f"{value.magnitude:g}–{high.to(value.units).magnitude:g}{unit}"
    return f"{_WORDS[comparator.value]} {text}".strip()


def year_period(year: int) -> tuple[date, date]:
    """The calendar year as a ``(start, end)`` pair of dates."""
    return date(year, 1, 1), date(year, 12, 31)


@dataclass(frozen=True, slots=True, kw_only=True)
class Target:
    """A planned value: ``indicator comparator value`` by ``deadline``.

    ``period_start``/``period_end`` give the period the target covers (the calendar year for an
    annual target); ``deadline`` is the date by which it should hold (至2025年底 → 2025-12-31).
    ``qualifiers`` keeps hedges such as 力争/确保/争取 as tags. ``part_of`` is the
    ``record_id`` of the whole for a 其中 breakdown.
    """

    indicator: str
    indicator_text: str
    measure: Measure
    comparator: Comparator
    value: pint.Quantity[Any]
    value_high: pint.Quantity[Any] | None = None
    deadline: date
    period_start: date
    period_end: date
    region: str = ""
    issuer: str = ""
    evidence: Evidence
    qualifiers: tuple[str, ...] = ()
    part_of: str = ""
    record_id: str = ""
    """Stable id, ``doc:start`` by default (``doc:start.1`` for a second value in one span)."""

    def __post_init__(self) -> None:
        if (self.comparator is Comparator.RANGE) != (self.value_high is not None):
            raise ValueError(f"comparator {self.comparator.value!r} and value_high disagree")
        if self.period_end < self.period_start:
            raise ValueError("period ends before it starts")
        if not self.record_id:
            object.__setattr__(self, "record_id", f"{self.evidence.doc}:{self.evidence.start}")

    @property
    def kind(self) -> str:
        return "target"

    def _repr_html_(self) -> str:
        amount = _amount(self.comparator, self.value, self.value_high)
        return _html_line("目标 target", self, amount, f"by {self.deadline.isoformat()}")


@dataclass(frozen=True, slots=True, kw_only=True)
class Actual:
    """A reported value for a period (a full year, or 1-11月 as period_start..period_end).

    ``growth`` is the stated year-on-year change in ``growth_unit`` (``%`` or ``个百分点``),
    negative for 下降. ``approx`` keeps 余/超/近/约 as written; ``comparator`` is ``=`` for an
    exact figure and ``>``/``~`` for those. ``is_forecast`` marks 预计 figures.
    """

    indicator: str
    indicator_text: str
    measure: Measure
    comparator: Comparator = Comparator.EQ
    value: pint.Quantity[Any]
    period_start: date
    period_end: date
    growth: float | None = None
    growth_unit: str = ""
    rank: str = ""
    approx: str = ""
    is_forecast: bool = False
    region: str = ""
    issuer: str = ""
    evidence: Evidence
    part_of: str = ""
    qualifiers: tuple[str, ...] = field(default=())
    record_id: str = ""
    """Stable id, ``doc:start`` by default (``doc:start.1`` for a second value in one span)."""

    def __post_init__(self) -> None:
        if self.period_end < self.period_start:
            raise ValueError("period ends before it starts")
        if (self.growth is None) != (self.growth_unit == ""):
            raise ValueError("growth and growth_unit go together")
        if not self.record_id:
            object.__setattr__(self, "record_id", f"{self.evidence.doc}:{self.evidence.start}")

    @property
    def kind(self) -> str:
        return "forecast" if self.is_forecast else "actual"

    def _repr_html_(self) -> str:
        amount = _amount(self.comparator, self.value)
        if self.growth is not None:
            amount += f" ({self.growth:+g}{self.growth_unit})"
        when = f"{self.period_start.isoformat()} – {self.period_end.isoformat()}"
        label = "预计 forecast" if self.is_forecast else "实绩 actual"
        return _html_line(label, self, amount, when)


Record = Target | Actual
