"""Public hypothesis strategies for property tests of code that uses ``targets``.

``quantities()``, ``targets()`` and ``actuals()`` draw all fields together so that failures
shrink well. They need the ``hypothesis`` package (a test dependency, imported lazily here).
"""

from __future__ import annotations

from datetime import date
from typing import Any

import hypothesis.strategies as st

from targets.catalogue import catalogue
from targets.models import Actual, Comparator, Evidence, Measure, Target
from targets.units import quantity, unit_info

__all__ = ["actuals", "quantities", "targets"]

_UNITS = (
    "亿元",
    "万元",
    "元",
    "家",
    "项",
    "件",
    "人",
    "万人",
    "%",
    "个百分点",
    "万方",
    "亿斤",
    "万吨",
)
# Two decimals at most, like report figures; bounded so that conversions stay exact.
_VALUES = st.integers(min_value=1, max_value=999_999).map(lambda n: n / 100)


@st.composite
def quantities(draw: st.DrawFn, *, units: tuple[str, ...] = _UNITS) -> Any:
    """Positive quantities with report-like values (two decimals) in the given unit spellings.

    Raises:
        ValueError: ``units`` is empty or names an unknown unit.
    """
    if not units:
        raise ValueError("units must not be empty")
    for unit in units:
        unit_info(unit)
    unit = draw(st.sampled_from(units))
    return quantity(draw(_VALUES), unit)


def _measures_for(code: str) -> list[Measure]:
    ind = catalogue()[code]
    if ind.measure in (Measure.STOCK, Measure.FLOW) and unit_info(ind.unit).dimension not in (
        "[money]",
    ):
        return [Measure.STOCK, Measure.FLOW]
    return [ind.measure]


def _codes() -> list[str]:
    return sorted(code for code, ind in catalogue().items() if ind.unit not in ("", "位"))


@st.composite
def targets(
    draw: st.DrawFn,
    *,
    years: tuple[int, int] = (2000, 2035),
    comparators: tuple[Comparator, ...] | None = None,
) -> Target:
    """Targets of catalogue indicators, in each indicator's canonical unit.

    ``comparators`` defaults to every comparator except ``=`` (plan prose has no exact-equality
    wording, so ``=`` does not survive a render/parse round trip).
    """
    lo, hi = years
    if lo > hi:
        raise ValueError("years must be (low, high) with low <= high")
    allowed = comparators or tuple(c for c in Comparator if c is not Comparator.EQ)
    code = draw(st.sampled_from(_codes()))
    ind = catalogue()[code]
    measure = draw(st.sampled_from(_measures_for(code)))
    comparator = draw(st.sampled_from(allowed))
    value = draw(_VALUES)
    high = None
    if comparator is Comparator.RANGE:
        high = quantity(round(value + draw(_VALUES), 2), ind.unit)
    year = draw(st.integers(min_value=lo, max_value=hi))
    end = date(year, 12, 31)
    text = f"{ind.name_zh}{value:g}{ind.unit}"
    return Target(
        indicator=code,
        indicator_text=ind.name_zh,
        measure=measure,
        comparator=comparator,
        value=quantity(value, ind.unit),
        value_high=high,
        deadline=end,
        period_start=date(year, 1, 1),
        period_end=end,
        region=draw(st.sampled_from(("临安区", "余杭区", "浙江省"))),
        evidence=Evidence(doc="generated", quote=text, start=0, end=len(text)),
    )


@st.composite
def actuals(draw: st.DrawFn, *, years: tuple[int, int] = (2000, 2035)) -> Actual:
    """Actuals of catalogue indicators; some partial-year (1-11月), some with yoy growth."""
    lo, hi = years
    if lo > hi:
        raise ValueError("years must be (low, high) with low <= high")
    code = draw(st.sampled_from(_codes()))
    ind = catalogue()[code]
    year = draw(st.integers(min_value=lo, max_value=hi))
    partial = draw(st.booleans())
    end = date(year, 11, 30) if partial else date(year, 12, 31)
    growth = draw(st.none() | st.integers(-5000, 5000).map(lambda n: n / 100))
    value = draw(_VALUES)
    text = f"{ind.name_zh}{value:g}{ind.unit}"
    return Actual(
        indicator=code,
        indicator_text=ind.name_zh,
        measure=draw(st.sampled_from(_measures_for(code))),
        value=quantity(value, ind.unit),
        period_start=date(year, 1, 1),
        period_end=end,
        growth=growth,
        growth_unit="" if growth is None else "%",
        is_forecast=draw(st.booleans()),
        region=draw(st.sampled_from(("临安区", "余杭区", "浙江省"))),
        evidence=Evidence(doc="generated", quote=text, start=0, end=len(text)),
    )
