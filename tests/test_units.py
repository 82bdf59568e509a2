from __future__ import annotations

import pickle

import pytest
from hypothesis import given
from hypothesis import strategies as st

from targets import UnitError, parse_quantity
from targets.errors import CatalogueError, ParseError
from targets.units import _build, convert_value, format_quantity, to_base_value, unit_info


@pytest.mark.parametrize(
    ("text", "magnitude", "unit"),
    [
        ("16.06亿元", 16.06, "yi_yuan"),
        ("3.88%", 3.88, "percent"),
        ("12万方", 12, "wan_square_metre"),
        ("750家", 750, "enterprise"),
        ("8500件", 8500, "piece"),
        ("0.5个百分点", 0.5, "percentage_point"),
        ("１２万方", 12, "wan_square_metre"),
        ("750 家", 750, "enterprise"),
        ("三十家", 30, "enterprise"),
        ("3‰", 3, "permille"),
    ],
)
def test_parse_quantity_examples(text: str, magnitude: float, unit: str) -> None:
    q = parse_quantity(text)
    assert q.magnitude == magnitude
    assert str(q.units) == unit


def test_yi_yuan_to_yuan_is_1_606e9() -> None:
    q = parse_quantity("16.06亿元")
    assert q.to("元").magnitude == pytest.approx(1.606e9, rel=1e-12)
    # the float product is 1605999999.9999998; the scalar conversion is exact
    assert to_base_value(16.06, "亿元") == 1_606_000_000.0


def test_unknown_unit_names_it() -> None:
    with pytest.raises(UnitError, match="匹") as info:
        parse_quantity("5匹")
    assert info.value.unit == "匹"
    assert isinstance(info.value, ValueError)


def test_no_number_is_a_parse_error() -> None:
    with pytest.raises(ParseError):
        parse_quantity("亿元")


@pytest.mark.parametrize(
    ("a", "b"), [("家", "项"), ("家", "亿元"), ("%", "个百分点"), ("人", "人次")]
)
def test_incompatible_units_raise(a: str, b: str) -> None:
    with pytest.raises(UnitError):
        convert_value(1.0, a, b)
    with pytest.raises(TypeError):  # pint's DimensionalityError is a TypeError
        parse_quantity(f"1{a}").to(unit_info(b).name)


def test_adding_counts_of_different_kinds_raises() -> None:
    with pytest.raises(TypeError, match="enterprise"):
        _ = parse_quantity("750家") + parse_quantity("80项")


def test_quantities_pickle_with_the_application_registry() -> None:
    q = parse_quantity("16.06亿元")
    assert pickle.loads(pickle.dumps(q)) == q


def test_malformed_unit_file_names_file_and_line() -> None:
    with pytest.raises(CatalogueError, match=r"units\.txt:3"):
        _build("yuan = [money] = 元\n\nbroken line without equals\n", "units.txt")
    with pytest.raises(CatalogueError, match=r":2: spelling '元' defined twice"):
        _build("yuan = [money] = 元\nother = [other] = 元\n", "units.txt")


def test_format_quantity_drops_trailing_zero() -> None:
    assert format_quantity(10.0, "亿元") == "10亿元"
    assert format_quantity(16.06, "亿元") == "16.06亿元"


_MONEY = ("元", "万元", "亿元", "万亿元")


@given(
    st.integers(0, 10**9).map(lambda n: n / 100), st.sampled_from(_MONEY), st.sampled_from(_MONEY)
)
def test_money_conversion_round_trips(value: float, a: str, b: str) -> None:
    there = convert_value(value, a, b)
    back = convert_value(there, b, a)
    assert back == pytest.approx(value, rel=1e-12)


@given(st.integers(0, 10**8).map(lambda n: n / 100), st.sampled_from(("万方", "平方米", "亩")))
def test_area_conversion_round_trips(value: float, unit: str) -> None:
    assert convert_value(convert_value(value, unit, "平方米"), "平方米", unit) == pytest.approx(
        value, rel=1e-9
    )


@pytest.mark.parametrize(
    ("text", "base_value", "base_unit"),
    [
        ("6248万头", 62_480_000, "头"),
        ("13.5亿只", 1_350_000_000, "只"),
        ("3.55万平方公里", 35_500_000_000, "平方米"),
        ("352亿立方米", 35_200_000_000, "立方米"),
        ("28.5微克每立方米", 28.5, "微克/立方米"),
        ("80.4岁", 80.4, "岁"),
        ("3005列", 3005, "列"),
    ],
)
def test_units_met_in_provincial_reports(text: str, base_value: float, base_unit: str) -> None:
    q = parse_quantity(text)
    base = q.to_base_units()
    assert base.magnitude == pytest.approx(base_value)
    assert f"{base.units:~}" == base_unit
