from __future__ import annotations

import pytest

from targets import CatalogueError, catalogue, resolve_indicator
from targets.catalogue import load_catalogue
from targets.models import Direction, Measure

REQUIRED = [
    "rd_intensity",
    "rd_expense",
    "rd_revenue_ratio",
    "st_investment",
    "hitech_investment",
    "hitech_investment_share",
    "hitech_value_added",
    "hitech_value_added_share",
    "hitech_output",
    "hitech_output_share",
    "hitech_enterprises",
    "tech_smes",
    "tech_transaction_volume",
    "strong_base_investment",
    "innovation_index",
    "innovation_rank",
    "patent_applications",
    "patent_grants",
    "rd_institutions",
    "incubators",
    "incubator_area",
    "fiscal_st_share",
    "gdp",
    "gdp_growth",
    "fiscal_revenue",
    "fiscal_revenue_growth",
    "unemployment_rate",
    "new_urban_jobs",
    "cpi_growth",
    "retail_sales_growth",
    "trade_growth",
    "grain_output",
    "digital_economy_share",
    "energy_intensity",
]


def test_required_codes_present() -> None:
    missing = [code for code in REQUIRED if code not in catalogue()]
    assert missing == []


@pytest.mark.parametrize(
    ("alias", "code"),
    [
        ("国高企", "hitech_enterprises"),
        ("全社会R&D经费支出占GDP比重", "rd_intensity"),
        ("R&D经费投入强度", "rd_intensity"),
        ("全社会研发投入强度", "rd_intensity"),
        ("R&D占GDP比重", "rd_intensity"),
        ("研发经费投入强度", "rd_intensity"),
        ("r&d经费投入强度", "rd_intensity"),
        ("技术合同成交额", "tech_transaction_volume"),
        ("技术交易总额", "tech_transaction_volume"),
        ("技术市场交易额", "tech_transaction_volume"),
        ("城镇调查失业率", "unemployment_rate"),
    ],
)
def test_resolve_indicator(alias: str, code: str) -> None:
    assert resolve_indicator(alias) == code


def test_rd_intensity_has_at_least_eight_spellings() -> None:
    assert len(catalogue()["rd_intensity"].aliases) >= 8


def test_unknown_alias_is_a_key_error() -> None:
    with pytest.raises(KeyError, match="不存在的指标"):
        resolve_indicator("不存在的指标")


def test_entries_are_typed() -> None:
    ind = catalogue()["unemployment_rate"]
    assert ind.measure is Measure.RATIO
    assert ind.direction is Direction.LOWER_IS_BETTER
    assert ind.unit == "%"


ENTRY = """- code: {code}
  name_zh: 名{code}
  name_en: A
  measure: {measure}
  unit: "{unit}"
  direction: higher_is_better
  category: x
  aliases: [{aliases}]
{extra}"""


def catalogue_table(*entries: dict[str, str]) -> str:
    """A small catalogue text, one entry per mapping (``extra``: further lines of an entry)."""
    defaults = {"code": "a", "measure": "stock", "unit": "家", "aliases": "甲甲", "extra": ""}
    return "".join(ENTRY.format(**{**defaults, **e}) for e in entries)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            catalogue_table({"code": "a"}, {"code": "a", "aliases": "乙"}),
            r":9: code 'a' defined twice",
        ),
        (
            catalogue_table({"code": "a"}, {"code": "b"}),
            r":9: alias '甲甲' of 'b' is already claimed by 'a'",
        ),
        (catalogue_table({"unit": "匹"}), r":1: entry 'a': unknown unit '匹'"),
        (catalogue_table({"measure": "level"}), r":1: entry 'a': 'level' is not a valid Measure"),
        (catalogue_table({"code": "Bad-Code"}), r":1: code 'Bad-Code' is not ASCII snake_case"),
        ("- code: a\n  name_zh: 甲\n", r":1: entry 'a' lacks name_en"),
        ("- [unclosed\n", r"indicators\.yaml:\d+: not valid YAML"),
    ],
)
def test_malformed_catalogue_names_the_culprit(text: str, message: str) -> None:
    with pytest.raises(CatalogueError, match=message):
        load_catalogue(text)
