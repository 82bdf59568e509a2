from __future__ import annotations

import pickle

import pint
import pytest
from hypothesis import given
from hypothesis import strategies as st

from targets import UnitError, parse_quantity
from targets.errors import CatalogueError, ParseError
from targets.units import (
    _build,
    convert_value,
    format_quantity,
    registry,
    to_base_value,
    unit_info,
)


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
    info = unit_info(f"{q.units:~}")
    assert info.base == base_unit
    assert to_base_value(float(q.magnitude), info.spelling) == pytest.approx(base_value)
    base = q.to(unit_info(base_unit).name)  # the base of our table, not pint's SI base
    assert base.magnitude == pytest.approx(base_value)
    assert f"{base.units:~}" == base_unit


@pytest.mark.parametrize(
    ("text", "to", "magnitude"),
    [
        ("12万方", "m**2", 120_000),
        ("3万吨", "kg", 3e7),
        ("5公里", "km", 5),
        ("2万千瓦", "kW", 20_000),
        ("1斤", "g", 500),
        ("2公斤", "kg", 2),
        ("7吨", "t", 7),
        ("3亩", "m**2", 2000),
        ("50万亩", "km**2", 333.333_333_333_333_3),
        ("4公顷", "ha", 4),
        ("3.55万平方公里", "km**2", 35_500),
        ("352亿立方米", "km**3", 35.2),
        ("1.5亿千瓦时", "GWh", 150),
        ("1度", "J", 3.6e6),
        ("2小时", "min", 120),
        ("35微克/立方米", "mg/m**3", 0.035),
        ("3.88%", "dimensionless", 0.0388),
        ("3‰", "%", 0.3),
    ],
)
def test_physical_units_convert_to_pint_standard_units(
    text: str, to: str, magnitude: float
) -> None:
    assert parse_quantity(text).to(to).magnitude == pytest.approx(magnitude, rel=1e-12)


def test_12_wan_fang_is_120000_square_metres() -> None:
    assert parse_quantity("12万方").to("m**2").magnitude == 120_000
    assert parse_quantity("3万吨").to("kg").magnitude == 3e7
    assert parse_quantity("5公里").to("km").magnitude == 5


def test_a_users_pint_quantities_mix_with_ours() -> None:
    user = pint.get_application_registry().Quantity(1, "km")
    total = user + parse_quantity("3公里")
    assert total.to("km").magnitude == pytest.approx(4)
    assert (parse_quantity("3公里") + user).to("m").magnitude == pytest.approx(4000)
    assert pint.get_application_registry().get() is registry()
    assert (pint.Quantity(2, "km") + parse_quantity("3公里")).to("km").magnitude == pytest.approx(5)


@pytest.mark.parametrize(
    ("unit", "symbol", "si"),
    [
        ("km", "km", 1000),  # meter: our 公里 is gongli, pint's kilometre keeps its symbol
        ("kilometre", "km", 1000),
        ("kg", "kg", 1),
        ("t", "t", 1000),  # tonne: our 吨 is dun
        ("ha", "ha", 10_000),  # hectare: our 公顷 is gongqing
        ("kW", "kW", 1000),
        ("h", "h", 3600),  # hour: our 小时 is xiaoshi
        ("a", "a", 31_557_600),  # julian year
        ("mu", "mu", 1.660_539_068_92e-30),  # milli-u (dalton): our 亩 is shi_mu
    ],
)
def test_pint_standard_units_keep_their_meaning_and_symbol(
    unit: str, symbol: str, si: float
) -> None:
    q = registry().Quantity(1, unit)
    assert f"{q.units:~}" == symbol
    assert q.to_base_units().magnitude == pytest.approx(si, rel=1e-12)


def test_percent_is_pints_percent_and_points_stay_apart() -> None:
    percent = parse_quantity("3.88%")
    assert percent.units == registry().Unit("percent")
    assert f"{percent.units:~}" == "%"
    with pytest.raises(pint.DimensionalityError):
        parse_quantity("0.5个百分点").to("%")
    with pytest.raises(pint.DimensionalityError):
        _ = parse_quantity("0.5个百分点") + parse_quantity("3.88%")
    assert unit_info("个百分点").dimension != unit_info("%").dimension


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("mu = 666.6666666666667 * meter ** 2 = 亩\n", r":1: .*'mu' is pint's"),
        ("yuan = [money] = 元\nlength_cn = 1000 * meter = km\n", r":2: .*'km' is pint's"),
        ("percent = 0.1 = %\n", r":1: .*'percent' is pint's unit 0.01"),
        ("percent = 0.01 = 百分之\n", r":1: .*pint's symbol of 'percent' is '%'"),
        ("kilometre = 1000 * meter = 公里\n", r":1: .*'kilometre' is pint's 'kilometer'"),
        ("mass_cn = [mass] = 质量\n", r":1: .*\[mass\] is pint's dimension"),
        ("density_cn = [concentration] = 浓度\n", r":1: .*\[concentration\] is pint's dimension"),
    ],
)
def test_a_clash_with_pints_units_names_the_line(text: str, message: str) -> None:
    with pytest.raises(CatalogueError, match=message) as info:
        _build(text, "units.txt")
    assert info.value.source == "units.txt"


def test_a_standard_unit_may_take_new_aliases() -> None:
    ureg, table = _build("percent = 0.01 = % = 百分之\n", "units.txt")
    assert table["百分之"].name == "percent"
    assert ureg.Quantity(3, "百分之").to("dimensionless").magnitude == pytest.approx(0.03)
