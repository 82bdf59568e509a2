from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from targets.models import APPROX_REL_TOL, Comparator, Evidence, Measure, Target
from targets.units import quantity

finite = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False)


@given(finite, finite, finite)
def test_satisfied_agrees_with_arithmetic(actual: float, value: float, other: float) -> None:
    assert Comparator.GE.satisfied(actual, value) == (actual >= value)
    assert Comparator.GT.satisfied(actual, value) == (actual > value)
    assert Comparator.LE.satisfied(actual, value) == (actual <= value)
    assert Comparator.LT.satisfied(actual, value) == (actual < value)
    assert Comparator.APPROX.satisfied(actual, value) == (
        abs(actual - value) <= APPROX_REL_TOL * abs(value)
    )
    low, high = min(value, other), max(value, other)
    assert Comparator.RANGE.satisfied(actual, low, high) == (low <= actual <= high)
    assert Comparator.EQ.satisfied(value, value)


def test_approx_tolerance_is_five_percent() -> None:
    assert Comparator.APPROX.satisfied(4.76, 5.0)
    assert not Comparator.APPROX.satisfied(4.7, 5.0)


def test_range_needs_high() -> None:
    with pytest.raises(ValueError, match="range"):
        Comparator.RANGE.satisfied(1.0, 0.0)
    with pytest.raises(ValueError, match=">="):
        Comparator.GE.satisfied(1.0, 0.0, 2.0)


def test_target_is_frozen_and_checks_range() -> None:
    ev = Evidence(doc="d", quote="q", start=0, end=1)
    common = {
        "indicator": "gdp_growth",
        "indicator_text": "地区生产总值增长",
        "measure": Measure.GROWTH,
        "value": quantity(5, "%"),
        "deadline": date(2026, 12, 31),
        "period_start": date(2026, 1, 1),
        "period_end": date(2026, 12, 31),
        "evidence": ev,
    }
    t = Target(comparator=Comparator.GE, **common)
    with pytest.raises(AttributeError):
        t.indicator = "x"  # type: ignore[misc]
    with pytest.raises(ValueError, match="value_high"):
        Target(comparator=Comparator.RANGE, **common)


def test_evidence_span_must_be_ordered() -> None:
    with pytest.raises(ValueError, match="bad span"):
        Evidence(doc="d", quote="", start=5, end=2)


def test_records_show_their_quote_in_jupyter() -> None:
    from targets import parse_target

    t = parse_target("城镇调查失业率5%以内", deadline=2026)
    html = t._repr_html_()
    assert "unemployment_rate" in html
    assert "≤ 5%" in html
    assert "“城镇调查失业率5%以内”" in html
    assert "2026-12-31" in html


def test_record_html_escapes_text() -> None:
    ev = Evidence(doc="<d>", quote="<script>", start=0, end=8)
    t = Target(
        indicator="",
        indicator_text="<b>x</b>",
        measure=Measure.FLOW,
        comparator=Comparator.GE,
        value=quantity(1, "家"),
        deadline=date(2025, 12, 31),
        period_start=date(2025, 1, 1),
        period_end=date(2025, 12, 31),
        evidence=ev,
    )
    html = t._repr_html_()
    assert "<script>" not in html
    assert "&lt;b&gt;x&lt;/b&gt;" in html
