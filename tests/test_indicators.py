"""Indicator identity at the scale of real reports: the catalogue, its relations and scopes,
resolution in context, keys of figures outside the catalogue, the curation command, the cue
words as data, and coverage and correctness on the 31 provincial reports."""

from __future__ import annotations

import csv
import re
from collections import Counter
from pathlib import Path

import pytest

from targets import CatalogueError, catalogue, extract, extract_text, parse_target
from targets.catalogue import load_catalogue
from targets.cli import main
from targets.extract.cues import GROUPS, cue_words, load_cue_words
from targets.frames import to_frame
from targets.models import Comparator, Direction, Measure
from targets.series import indicator_key, text_key, unresolved

from .conftest import PROVINCIAL, ROOT
from .test_catalogue import catalogue_table

FOUND = ROOT / "data" / "found"
CHECKED = Path(__file__).parent / "cases" / "indicator_check.csv"


@pytest.fixture(scope="module")
def provincial() -> dict[str, list]:
    return {p.name: extract(p) for p in sorted(PROVINCIAL.glob("*.txt"))}


# --- the catalogue ----------------------------------------------------------------------------


def test_catalogue_covers_the_plan_tables() -> None:
    cat = catalogue()
    assert len(cat) >= 250
    for name in (  # headline indicators of the five-year plans and every work report
        "人均预期寿命",
        "人均地区生产总值",
        "森林覆盖率",
        "实际使用外资",
        "居民人均可支配收入",
        "社会消费品零售总额",
        "高技术制造业增加值",
        "每万人口高价值发明专利拥有量",
        "全员劳动生产率",
        "高等教育毛入学率",
        "数字经济核心产业增加值",
        "PM2.5浓度",
        "粮食播种面积",
        "高速公路通车里程",
    ):
        assert cat.lookup(name) is not None, name


def test_relations_point_to_entries_of_the_right_kind() -> None:
    cat = catalogue()
    for ind in cat.values():
        if ind.growth_of:
            assert cat[ind.growth_of].measure is not Measure.GROWTH, ind.code
        for code in (ind.share_of, ind.share_in, ind.per_capita_of):
            assert not code or code in cat, ind.code
    assert cat["gdp_per_capita"].per_capita_of == "gdp"
    assert cat["rd_intensity"].share_of == "rd_expense"
    assert cat.share_of("hitech_investment") is cat["hitech_investment_share"]
    assert (cat["urban_income"].population, cat["rural_income"].population) == ("urban", "rural")
    assert cat["industrial_value_added"].enterprise_scope == "above_size"
    assert cat["energy_intensity"].direction is Direction.REDUCTION
    assert [d.sign for d in Direction] == [1, -1, -1, 0, 0]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            catalogue_table({"extra": "  share_of: b\n"}),
            r":1: entry 'a': share_of 'b' names no other",
        ),
        (
            catalogue_table(
                {"code": "b"}, {"code": "a", "aliases": "乙", "extra": "  share_of: b\n"}
            ),
            r":9: entry 'a': share_of needs measure ratio, not stock",
        ),
        (
            catalogue_table(
                {"code": "b"}, {"code": "a", "aliases": "乙", "extra": "  growth_of: b\n"}
            ),
            r":9: entry 'a': growth_of needs measure growth",
        ),
        (
            catalogue_table({"extra": "  per_capita_of: a\n"}),
            r"per_capita_of 'a' names no other entry",
        ),
        (
            catalogue_table({"extra": "  population: town\n"}),
            r":1: entry 'a': population must be one",
        ),
        (
            catalogue_table({"extra": "  enterprise_scope: big\n"}),
            r"enterprise_scope must be one of",
        ),
        (catalogue_table({"extra": "  also_units: [匹]\n"}), r":1: entry 'a': unknown unit '匹'"),
    ],
)
def test_bad_relations_name_the_line(text: str, message: str) -> None:
    with pytest.raises(CatalogueError, match=message):
        load_catalogue(text)


def test_an_alias_may_name_entries_of_different_dimensions_only() -> None:
    both = load_catalogue(
        catalogue_table({"code": "a", "unit": "元"}, {"code": "b", "unit": "美元"})
    )
    (match,) = both.find("甲甲")
    assert [i.code for i in match.candidates] == ["a", "b"]
    with pytest.raises(CatalogueError, match="already claimed by 'a'"):
        load_catalogue(catalogue_table({"code": "a", "unit": "元"}, {"code": "b", "unit": "亿元"}))


def test_the_value_unit_picks_among_entries_sharing_an_alias() -> None:
    yuan = extract_text("二、2026年工作安排\n人均地区生产总值达到10万元。", doc="d")
    usd = extract_text("二、2026年工作安排\n人均地区生产总值达到3.2万美元。", doc="d")
    assert (yuan[0].indicator, usd[0].indicator) == ("gdp_per_capita", "gdp_per_capita_usd")


# --- resolution in context --------------------------------------------------------------------


def _one_year(text: str) -> list[tuple[str, str, str]]:
    records = extract_text("一、2025年工作回顾\n" + text, doc="d", year=2026)
    return [(r.indicator, r.indicator_text, r.measure.value) for r in records]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (  # a bare noun after a named item: 总产量 of 粮食
            "粮食播种面积1584.6万亩、总产量132.4亿斤。",
            [("grain_sown_area", "粮食播种面积", "stock"), ("grain_output", "粮食总产量", "flow")],
        ),
        (  # a growth named only by its period: the growth of the level before it
            "全省生产总值达到9万亿元、年均增长5.9%。",
            [("gdp", "生产总值", "flow"), ("gdp", "生产总值", "growth")],
        ),
        (  # a value whose own words are a verb: the sentence's subject
            "地区生产总值跨越3个千亿元台阶，达到1.5万亿元。",
            [("gdp", "地区生产总值", "flow")],
        ),
        (  # list items without their head noun take it from the last item
            "一产、二产、三产增加值分别增长5%、6%、7%。",
            [
                ("primary_value_added", "一产增加值", "growth"),
                ("secondary_value_added", "二产增加值", "growth"),
                ("service_value_added", "三产增加值", "growth"),
            ],
        ),
        (  # 及 inside 普及率 does not split a list
            "农村自来水普及率、卫生厕所普及率分别达到97.2%、80%。",
            [
                ("rural_tap_water_rate", "农村自来水普及率", "ratio"),
                ("rural_sanitary_toilet_rate", "卫生厕所普及率", "ratio"),
            ],
        ),
    ],
)
def test_a_name_the_sentence_already_said(text: str, expected: list) -> None:
    assert _one_year(text) == expected


def test_town_and_country_and_enterprise_scopes_stay_apart() -> None:
    got = _one_year(
        "城镇、农村居民人均可支配收入分别增长4.4%、5.6%。规上工业增加值增长6%。"
        "全社会研发经费投入增长8%。"
    )
    keys = [indicator_key(code, text, measure) for code, text, measure in got]
    assert keys == [
        "urban_income_growth",
        "rural_income_growth",
        "industrial_value_added_growth",
        "rd_expense",  # the growth of a level without a growth entry: keyed by the level
    ]


@pytest.mark.parametrize("word", ["投资", "产值", "收入", "企业", "产量", "增加值", "项目"])
def test_a_generic_word_alone_resolves_to_nothing(word: str) -> None:
    (record,) = extract_text(f"二、2026年工作安排\n{word}增长5%。", doc="d")
    assert record.indicator == ""


def test_parse_target_uses_the_catalogue_at_scale() -> None:
    t = parse_target("森林覆盖率达到25%以上", deadline=2030)
    assert (t.indicator, t.comparator) == ("forest_coverage", Comparator.GE)


# --- keys of figures outside the catalogue ----------------------------------------------------


@pytest.mark.parametrize(
    ("words", "key"),
    [
        ("全省新增“小巨人”企业", "小巨人企业"),
        ("全市实现技术交易额", "技术交易额"),
        ("建设 高标准农田", "高标准农田"),
        ("全国重点实验室", "全国重点实验室"),  # 全国 names a national class: kept
        ("新建和改造提升高标准农田", "新建和改造提升高标准农田"),  # joined verbs: kept
        ("完成", "完成"),  # nothing would remain: kept
    ],
)
def test_text_key_is_normalized_conservatively(words: str, key: str) -> None:
    assert text_key(words) == key


def test_the_same_wording_in_two_reports_is_one_series() -> None:
    assert indicator_key("", "全省新增未来工厂", "flow") == indicator_key(
        "", "新增未来工厂", "flow"
    )
    assert indicator_key("", "投资", "flow") == ""  # a generic word is no series


# --- the curation command ---------------------------------------------------------------------


def test_unresolved_lists_wordings_by_frequency(provincial: dict) -> None:
    frame = to_frame([r for recs in provincial.values() for r in recs])
    table = unresolved(frame)
    assert list(table.columns) == [
        "key",
        "records",
        "targets",
        "documents",
        "indicator_text",
        "doc",
        "quote",
    ]
    assert table["records"].is_monotonic_decreasing
    outside = frame[frame["indicator"].astype(str) == ""]
    assert table["records"].sum() <= len(outside)
    top = table.iloc[0]
    example = frame[frame["quote"] == top["quote"]]
    assert len(example)
    assert (example["indicator"].astype(str) == "").all()


def test_targets_indicators_prints_and_writes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    report = PROVINCIAL / "北京市.txt"
    assert main(["indicators", str(report), "--top", "3"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert re.match(r"\d+ indicator wordings outside the catalogue", lines[0])
    assert len([ln for ln in lines if "|" in ln]) == 4  # header and three rows
    out = tmp_path / "unresolved.csv"
    assert main(["indicators", str(report), "-o", str(out), "-q"]) == 0
    with out.open(encoding="utf-8-sig") as f:
        rows = list(csv.DictReader(f))
    assert rows
    assert int(rows[0]["records"]) >= int(rows[-1]["records"])
    assert str(int(lines[0].split()[0])) == str(len(rows))


# --- cue words as data ------------------------------------------------------------------------


def test_cue_words_load_and_validate() -> None:
    words = cue_words()
    assert set(words) == set(GROUPS)
    with pytest.raises(CatalogueError, match=r":2: '超' is in 'comparator_le' and already in"):
        load_cue_words("comparator_gt: [超]\ncomparator_le: [超]\n")
    with pytest.raises(CatalogueError, match=r":1: unknown group 'comparator_xx'"):
        load_cue_words("comparator_xx: [超]\n")


_PREFIX_EXPECTED = {
    "comparator_gt": Comparator.GT,
    "comparator_ge": Comparator.GE,
    "comparator_le": Comparator.LE,
    "comparator_lt": Comparator.LT,
    "comparator_short_of": Comparator.LT,
    "comparator_not_more": Comparator.LE,
    "comparator_not_less": Comparator.GE,
    "comparator_approx": Comparator.APPROX,
}
_SUFFIX_EXPECTED = {
    "suffix_ge": Comparator.GE,
    "suffix_le": Comparator.LE,
    "suffix_approx": Comparator.APPROX,
    "suffix_more": Comparator.GT,
}


@pytest.mark.parametrize(
    ("group", "word"),
    [(g, w) for g in _PREFIX_EXPECTED for w in cue_words()[g]]
    + [(g, w) for g in _SUFFIX_EXPECTED for w in cue_words()[g]],
)
def test_each_comparator_word_reads_the_same_everywhere(group: str, word: str) -> None:
    """In a plan (extract_text), in a phrase (parse_target), before and after a value."""
    expected = {**_PREFIX_EXPECTED, **_SUFFIX_EXPECTED}[group]
    phrase = f"技术交易额{word}20亿元" if group in _PREFIX_EXPECTED else f"技术交易额20亿元{word}"
    if group == "suffix_more":
        phrase = f"技术交易额20{word}亿元"
    in_plan = extract_text(f"二、2026年工作安排\n{phrase}。", doc="d")
    assert [(r.indicator, r.comparator) for r in in_plan] == [("tech_transaction_volume", expected)]
    assert parse_target(phrase, deadline=2026).comparator is expected


@pytest.mark.parametrize(
    ("group", "word"),
    [(g, w) for g in ("flow_strong", "stock") for w in cue_words()[g]],
)
def test_each_flow_and_stock_word_reads_the_same_everywhere(group: str, word: str) -> None:
    expected = Measure.FLOW if group == "flow_strong" else Measure.STOCK
    phrase = f"{word}国家高新技术企业100家"
    (record,) = extract_text(f"二、2026年工作安排\n{phrase}。", doc="d")
    assert (record.indicator, record.measure) == ("hitech_enterprises", expected)
    assert parse_target(phrase, deadline=2026).measure is expected


@pytest.mark.parametrize(
    ("group", "year"),
    [("period_this", 2025), ("period_last", 2024)],
)
def test_each_period_word_dates_a_result_the_same(group: str, year: int) -> None:
    for word in cue_words()[group]:
        (record,) = extract_text(
            f"一、2025年工作回顾\n{word}技术交易额16.06亿元。", doc="d", year=2026
        )
        assert record.period_end.year == year, word


# --- coverage and correctness on real reports -------------------------------------------------


def test_provincial_coverage(provincial: dict) -> None:
    kinds: Counter[str] = Counter()
    coded: Counter[str] = Counter()
    for records in provincial.values():
        for r in records:
            kind = type(r).__name__
            kinds[kind] += 1
            coded[kind] += bool(r.indicator)
    assert coded["Target"] / kinds["Target"] >= 0.60
    assert coded["Actual"] / kinds["Actual"] >= 0.40


def _main_target_paragraphs(text: str) -> list[tuple[int, int]]:
    spans = []
    for m in re.finditer("主要预期目标", text):
        start = text.rfind("\n", 0, m.start()) + 1
        end = text.find("\n", m.end())
        spans.append((start, len(text) if end < 0 else end))
    return spans


def test_every_main_target_resolves(provincial: dict) -> None:
    """Every target of a 主要预期目标 paragraph, provincial and national, carries a code."""
    paths = sorted(PROVINCIAL.glob("*.txt")) + sorted(FOUND.glob("国务院-*.txt"))
    seen, missing = 0, []
    for path in paths:
        text = path.read_text(encoding="utf-8")
        spans = _main_target_paragraphs(text)
        records = provincial.get(path.name) if path.parent == PROVINCIAL else extract(path)
        for r in records or []:
            if type(r).__name__ == "Target" and any(a <= r.evidence.start < b for a, b in spans):
                seen += 1
                if not r.indicator:
                    missing.append((path.name, r.evidence.quote))
    assert seen >= 250
    assert missing == []


def test_hand_check_of_resolved_records(provincial: dict) -> None:
    """200 random resolved provincial records read by a second reader (cases/indicator_check.csv,
    a fresh sample of the fourth round): 193 right (96.5 %; the issue asks 97 %, not yet met),
    and each right one still resolves as checked; a wrong one may since resolve to nothing."""
    with CHECKED.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == 200
    assert {r["verdict"] for r in rows} <= {"right", "wrong"}
    right = sum(r["verdict"] == "right" for r in rows)
    assert right / len(rows) >= 0.965
    by_id = {r.record_id: r for recs in provincial.values() for r in recs}
    for row in rows:
        record = by_id.get(row["record_id"])
        if row["verdict"] == "right":
            assert record is not None, row["record_id"]
            assert record.evidence.quote == row["quote"]
            assert record.indicator == row["indicator"], row["record_id"]
        elif record is not None:  # a wrong one may be fixed since, never turned into another
            assert record.indicator in ("", row["indicator"]), row
