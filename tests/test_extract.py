from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest

from targets import Actual, Comparator, Measure, ParseError, Target, extract, parse_target
from targets.extract import extract_text, read_report, render_target
from targets.frames import CONTRACT_COLUMNS, to_frame

from .conftest import CASES, PROVINCIAL, REPORTS, ROOT, SEED_000, SEED_002, SEED_003, SEED_004

# --- the phrase parser (issue examples) -------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "indicator", "measure", "comparator", "value", "unit"),
    [
        ("高企突破750家", "hitech_enterprises", Measure.STOCK, Comparator.GT, 750, "家"),
        ("R&D 3.88%", "rd_intensity", Measure.RATIO, Comparator.GE, 3.88, "%"),
        ("技术交易额10亿元", "tech_transaction_volume", Measure.FLOW, Comparator.GE, 10, "亿元"),
        ("新增国家高新技术企业30家", "hitech_enterprises", Measure.FLOW, Comparator.GE, 30, "家"),
        ("城镇调查失业率5%以内", "unemployment_rate", Measure.RATIO, Comparator.LE, 5, "%"),
        ("居民消费价格涨幅2%左右", "cpi_growth", Measure.GROWTH, Comparator.APPROX, 2, "%"),
    ],
)
def test_parse_target_examples(
    text: str, indicator: str, measure: Measure, comparator: Comparator, value: float, unit: str
) -> None:
    t = parse_target(text, deadline=2025)
    assert (t.indicator, t.measure, t.comparator) == (indicator, measure, comparator)
    assert t.value.magnitude == value
    assert f"{t.value.units:~}" == unit
    assert t.deadline.year == 2025
    assert t.evidence.quote in text


def test_parse_target_range() -> None:
    t = parse_target("增长5%—5.5%", deadline=2026)
    assert t.comparator is Comparator.RANGE
    assert (t.value.magnitude, t.value_high.magnitude) == (5, 5.5)  # type: ignore[union-attr]


@pytest.mark.parametrize("text", ["", "   ", "加快建设创新浙江", "推进“315”科技创新体系建设工程"])
def test_unparseable_phrase_raises_with_text(text: str) -> None:
    with pytest.raises(ParseError) as info:
        parse_target(text)
    assert info.value.text == text


# --- corpus of real phrases: passing, bugs caught, known failures -----------------------------


def _phrase_cases() -> list:
    rows = list(csv.DictReader(io.StringIO((CASES / "phrases.csv").read_text(encoding="utf-8"))))
    out = []
    for row in rows:
        marks = (
            [pytest.mark.xfail(strict=True, reason=row["note"])] if row["status"] == "xfail" else []
        )
        out.append(pytest.param(row, marks=marks, id=f"{row['status']}:{row['text'][:16]}"))
    return out


@pytest.mark.parametrize("row", _phrase_cases())
def test_phrase_corpus(row: dict[str, str]) -> None:
    found = parse_targets_matching(row)
    assert found, f"no target with value {row['value']} in {row['text']!r}"
    t = found[0]
    assert t.indicator == row["indicator"]
    assert t.measure.value == row["measure"]
    assert t.comparator.value == row["comparator"]
    assert f"{t.value.units:~}" == row["unit"]
    if row["value_high"]:
        assert t.value_high is not None
        assert t.value_high.magnitude == float(row["value_high"])
    assert t.deadline.year == int(row["year"])


def parse_targets_matching(row: dict[str, str]) -> list[Target]:
    from targets import parse_targets

    value = float(row["value"])
    return [
        t
        for t in parse_targets(row["text"], deadline=int(row["year"]))
        if t.value.magnitude == value
    ]


def test_render_then_parse_examples() -> None:
    for text in ("高企突破750家", "城镇调查失业率5%以内", "地区生产总值增长5%—5.5%"):
        t = parse_target(text, deadline=2025)
        again = parse_target(render_target(t))
        assert (
            again.indicator,
            again.measure,
            again.comparator,
            again.value,
            again.value_high,
            again.deadline,
        ) == (t.indicator, t.measure, t.comparator, t.value, t.value_high, t.deadline)


# --- reading reports --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "region", "issuer"),
    [
        ("000_835873c35e75d7b1.txt", "临安区", "临安区科技局"),
        ("001_7f49dd51237a0e91.txt", "余杭区", "余杭区科技局"),
        ("002_e7d658b82453ec00.txt", "西湖区", "西湖区科技局"),
        ("003_5692fd641dac6f34.txt", "临安区", "临安区科技局"),
        ("004_fc67e6954e58fea0.txt", "建德市", "建德市科学技术局"),
    ],
)
def test_region_and_issuer_of_seeds(name: str, region: str, issuer: str) -> None:
    report = read_report(REPORTS / name)
    assert (report.region, report.issuer) == (region, issuer)


def test_section_years() -> None:
    years = {s.heading: (s.kind, s.year) for s in read_report(SEED_004).sections}
    assert years["一、工作做法及成效"] == ("summary", 2023)
    assert years["二、下年度工作计划"] == ("plan", 2024)
    years = {s.heading: (s.kind, s.year) for s in read_report(SEED_002).sections}
    assert years["2017年工作思路"] == ("plan", 2017)


def test_provincial_regions_are_the_provinces() -> None:
    wrong = []
    for path in sorted(PROVINCIAL.glob("*.txt")):
        report = read_report(path)
        if report.region != path.stem:
            wrong.append((path.name, report.region))
    assert wrong == []


# --- extraction on the seeds ------------------------------------------------------------------


def test_mission_example(seed_records: dict) -> None:
    recs = seed_records[SEED_000.name]
    target = [r for r in recs if isinstance(r, Target) and r.indicator == "tech_transaction_volume"]
    actual = [r for r in recs if isinstance(r, Actual) and r.indicator == "tech_transaction_volume"]
    assert len(target) == 1
    assert len(actual) == 1
    t, a = target[0], actual[0]
    assert (t.comparator, t.value.magnitude, f"{t.value.units:~}", t.deadline.year) == (
        Comparator.GE,
        10,
        "亿元",
        2025,
    )
    assert (a.value.magnitude, f"{a.value.units:~}", a.period_end.year, a.growth) == (
        16.06,
        "亿元",
        2024,
        21.58,
    )


def test_quotes_are_exact_slices_of_the_file(seed_records: dict) -> None:
    for name, recs in seed_records.items():
        text = (REPORTS / name).read_text(encoding="utf-8")
        for r in recs:
            assert text[r.evidence.start : r.evidence.end] == r.evidence.quote


def test_page_printed_twice_yields_each_record_once(seed_records: dict) -> None:
    recs = seed_records[SEED_000.name]
    keys = [(r.kind, r.indicator_text, r.value.magnitude) for r in recs]
    assert len(keys) == len(set(keys))
    assert sum(1 for r in recs if isinstance(r, Target)) == 10


def test_seed_003_plan_has_no_numeric_target(seed_records: dict) -> None:
    recs = seed_records[SEED_003.name]
    assert [r for r in recs if isinstance(r, Target)] == []


def test_seed_003_partial_year_and_forecast(seed_records: dict) -> None:
    recs = seed_records[SEED_003.name]
    value_added = next(r for r in recs if r.indicator == "hitech_value_added")
    assert (value_added.period_start.month, value_added.period_end.month) == (1, 11)
    assert value_added.period_end.day == 30
    forecast = [r for r in recs if isinstance(r, Actual) and r.is_forecast]
    assert [(f.indicator, f.value.magnitude) for f in forecast] == [("hitech_enterprises", 350)]
    rd = next(r for r in recs if r.indicator == "rd_intensity")
    assert (rd.value.magnitude, rd.period_end.year) == (3.42, 2019)


def test_seed_004_relative_years(seed_records: dict) -> None:
    recs = seed_records[SEED_004.name]
    assert {r.period_end.year for r in recs if isinstance(r, Actual)} == {2023}
    assert {r.period_end.year for r in recs if isinstance(r, Target)} == {2024}


def test_seed_002_table_rows(seed_records: dict) -> None:
    recs = seed_records[SEED_002.name]
    table = {(r.indicator, r.value.magnitude) for r in recs if isinstance(r, Target)}
    assert ("patent_applications", 8500) in table
    assert ("patent_grants", 4800) in table
    assert ("hitech_output_share", 57) in table
    assert ("rd_institutions", 20) in table


def test_paired_values_and_parts(seed_records: dict) -> None:
    recs = seed_records[SEED_000.name]
    by_text = {(r.indicator, r.value.magnitude): r for r in recs}
    assert by_text[("hitech_enterprises", 700)].comparator is Comparator.GT
    assert by_text[("tech_smes", 1650)].comparator is Comparator.GT
    whole = by_text[("incubators", 33)]
    parts = [r for r in recs if r.part_of == whole.record_id]
    assert sorted(p.value.magnitude for p in parts) == [3, 5, 11]


def test_numbers_that_are_not_values_stay_out(seed_records: dict) -> None:
    values = {r.value.magnitude for r in seed_records[SEED_000.name]}
    assert 315 not in values  # "315"工程
    quotes = " ".join(r.evidence.quote for r in seed_records[SEED_000.name])
    assert "3个60%" not in quotes


def test_curated_dataset_is_reproduced(seed_records: dict) -> None:
    curated = ROOT / "data" / "curated" / "seeds.csv"
    expected = list(csv.DictReader(io.StringIO(curated.read_text(encoding="utf-8"))))
    frame = to_frame([r for name in sorted(seed_records) for r in seed_records[name]])
    got = contract_text(frame).to_dict(orient="records")
    assert len(got) == len(expected)
    for row_got, row_expected in zip(got, expected, strict=True):
        assert {k: row_got[k] for k in row_expected} == row_expected


def contract_text(frame):
    """The contract columns as text, empty for missing values (as in data/curated/seeds.csv)."""
    out = frame[CONTRACT_COLUMNS].astype(object)
    return out.where(out.notna(), "").map(str)


def test_unknown_indicators_are_kept_with_their_words(seed_records: dict) -> None:
    unknown = [r for r in seed_records[SEED_000.name] if not r.indicator]
    assert unknown
    assert all(r.indicator_text for r in unknown)


# --- the provincial genre --------------------------------------------------------------------


@pytest.fixture(scope="module")
def provincial_frame():
    recs = [r for path in sorted(PROVINCIAL.glob("*.txt")) for r in extract(path)]
    return to_frame(recs)


def test_provincial_headline_targets(provincial_frame) -> None:
    rows = list(
        csv.DictReader(io.StringIO((CASES / "provincial_headline.csv").read_text(encoding="utf-8")))
    )
    assert len(rows) > 200
    targets = provincial_frame[provincial_frame.kind == "target"]
    misses = []
    for row in rows:
        text = (PROVINCIAL / row["file"]).read_text(encoding="utf-8")
        found = False
        for m in re.finditer(re.escape(row["phrase"]), text):
            near = targets[
                (targets.doc == row["file"])
                & (targets.start <= m.end())
                & (targets.end >= m.start())
                & (targets.value == float(row["value"]))
            ]
            ok = near[
                (near.comparator == row["comparator"])
                & (near.year == 2026)
                & ((near.indicator == row["indicator"]) | (row["indicator"] == ""))
            ]
            found = found or not ok.empty
        if not found:
            misses.append((row["file"], row["phrase"]))
    assert misses == []


def test_extract_text_equals_extract_of_the_file() -> None:
    text = SEED_004.read_text(encoding="utf-8")
    a = extract_text(text, doc=SEED_004.name)
    b = extract(Path(SEED_004))
    assert [r.evidence for r in a] == [r.evidence for r in b]


def test_a_negated_comparator_stays_out_of_the_indicator_words() -> None:
    t = parse_target("细颗粒物年平均浓度不高于23微克/立方米", deadline=2030)
    assert (t.indicator_text, t.comparator) == ("细颗粒物年平均浓度", Comparator.LE)


def test_an_ordinal_in_a_name_is_not_a_rank() -> None:
    """第十四届 is not 第十 followed by 四届: the number of a rank must be whole."""
    text = (
        "2026年1月14日在浙江省第十四届人民代表大会第五次会议上\n"
        "浙江代表团在全国第十五届运动会上取得佳绩，杭州第19届亚运会成功举办。\n"
        "一、2025年工作回顾\n全省生产总值增长5.5%，居全国第4位。"
    )
    records = extract_text(text, doc="r")
    assert [(r.indicator_text, r.value.magnitude, getattr(r, "rank", None)) for r in records] == [
        ("生产总值增长", 5.5, "居全国第4位")
    ]


# --- changes between two levels and the periods of a five-year review -------------------------

_REVIEW = (
    "政府工作报告\n2026年1月20日\n一、“十四五”时期和2025年工作回顾\n"
    "过去的五年极不寻常。全省地区生产总值达到5.67万亿元，城镇新增就业累计603.7万人，"
    "居民人均可支配收入年均增长6.8%。每万人口发明专利拥有量从28件提高到70件，"
    "占全国比重由2020年的7.2%提升至7.4%。"
    "认定跨国公司地区总部、外资研发中心分别从771家、481家增加到1076家、636家。\n"
    "各位代表，刚刚过去的2025年，全省地区生产总值增长5.5%，常住人口由上年729万人增加到732万人，"
    "高新技术企业从120家增至150家。\n"
    "二、2026年工作安排\n力争研发投入强度从2.6%提高到3%。\n"
)


def _rows(text: str) -> list[tuple[str, str, float, str, str]]:
    return [
        (
            type(r).__name__,
            r.indicator_text,
            r.value.magnitude,
            f"{r.period_start.year}-{r.period_end.year}",
            r.evidence.quote,
        )
        for r in extract_text(text, doc="r")
    ]


def test_a_change_between_two_levels_gives_both_at_their_own_time() -> None:
    rows = _rows(_REVIEW)
    assert (
        "Actual",
        "每万人口发明专利拥有量",
        28.0,
        "2020-2020",
        "每万人口发明专利拥有量从28件",
    ) in rows
    assert (
        "Actual",
        "每万人口发明专利拥有量",
        70.0,
        "2025-2025",
        "每万人口发明专利拥有量从28件提高到70件",
    ) in rows
    # 由上年: the year before; 从120家 with no year stated is not read
    assert ("Actual", "常住人口", 729.0, "2024-2024", "常住人口由上年729万人") in rows
    assert ("Actual", "常住人口", 732.0, "2025-2025", "常住人口由上年729万人增加到732万人") in rows
    assert [r[2:4] for r in rows if r[1] == "高新技术企业"] == [(150.0, "2025-2025")]
    # a list of changes pairs by position
    listed = [(r[1], r[2], r[3]) for r in rows if r[1] in ("认定跨国公司地区总部", "外资研发中心")]
    assert listed == [
        ("认定跨国公司地区总部", 771.0, "2020-2020"),
        ("认定跨国公司地区总部", 1076.0, "2025-2025"),
        ("外资研发中心", 481.0, "2020-2020"),
        ("外资研发中心", 636.0, "2025-2025"),
    ]


def test_a_planned_change_gives_only_the_target() -> None:
    rows = _rows(_REVIEW)
    assert [r for r in rows if r[0] == "Target"] == [
        ("Target", "研发投入强度", 3.0, "2026-2026", "研发投入强度从2.6%提高到3%")
    ]


def test_the_opening_of_a_paragraph_sets_its_period() -> None:
    """过去的五年… opens a five-year review; 各位代表，刚刚过去的2025年 returns to one year. In
    the review, a level reached (达到) is the last year's; totals and averages span five."""
    rows = {r[1]: r[2:4] for r in _rows(_REVIEW)}
    assert rows["地区生产总值"] == (5.67, "2025-2025")
    assert rows["城镇新增就业"] == (603.7, "2021-2025")
    assert rows["居民人均可支配收入"] == (6.8, "2021-2025")  # 年均 stays out of the words
    assert rows["地区生产总值增长"] == (5.5, "2025-2025")


def test_town_and_country_lists_are_split() -> None:
    text = (
        "政府工作报告\n2026年1月20日\n一、“十四五”时期和2025年工作回顾\n"
        "五年来，城乡居民人均可支配收入从2021年的46503元和16935元分别提高到58794元和23184元。\n"
        "二、2026年工作安排\n城乡居民人均可支配收入分别增长5%、6.5%左右。\n"
    )
    assert [(r[0], r[1], r[2], r[3]) for r in _rows(text)] == [
        ("Actual", "城镇居民人均可支配收入", 46503.0, "2021-2021"),
        ("Actual", "农村居民人均可支配收入", 16935.0, "2021-2021"),
        ("Actual", "城镇居民人均可支配收入", 58794.0, "2025-2025"),
        ("Actual", "农村居民人均可支配收入", 23184.0, "2025-2025"),
        ("Target", "城镇居民人均可支配收入", 5.0, "2026-2026"),
        ("Target", "农村居民人均可支配收入", 6.5, "2026-2026"),
    ]


def test_a_count_before_what_it_counts() -> None:
    text = (
        "政府工作报告\n2026年1月20日\n二、2026年工作安排\n"
        "新建10家省级概念验证中心、30家标杆孵化器，实施3000个以上技改项目，"
        "帮助8万户群众实现安居梦，推进十个方面重点任务，打造5条多式联运示范线路，推进一项关键核心任务。\n"
    )
    found = [
        (r.indicator_text, r.value.magnitude, r.comparator.value, r.evidence.quote)
        for r in extract_text(text, doc="r")
    ]
    assert found == [
        ("省级概念验证中心", 10.0, ">=", "新建10家省级概念验证中心"),
        ("孵化器", 30.0, ">=", "30家标杆孵化器"),
        ("技改项目", 3000.0, ">=", "实施3000个以上技改项目"),
    ]


def test_five_year_reviews_after_review() -> None:
    """Cases a second reader found: the opening of a paragraph sets its period, not words
    further on; levels are the last year's; an explicit year holds; ages and money thresholds
    before a noun are not counts."""
    review = (
        "政府工作报告\n2026年1月20日\n一、“十四五”时期和2025年工作回顾\n"
        "过去的五年极不寻常。生产总值6.66万亿元，常住人口城镇化率60%，开挖疏浚沟渠11.76万公里，"
        "新增高新技术企业3000家，其中2025年新增800家。\n"
        "各位代表，刚刚过去的2025年，全面完成“十四五”规划目标任务，为“十五五”时期发展奠定坚实基础。"
        "新增科技型中小企业200家，完成60岁以上老年人健康体检，推进5000万元以上制造业企业研发机构全覆盖。\n"
        "二、2026年工作安排\n新增政府债务不突破50亿元。建设2个数字化车间和5个智能工厂。\n"
    )
    assert [(r[1], r[2], r[3]) for r in _rows(review)] == [
        ("生产总值", 6.66, "2025-2025"),
        ("常住人口城镇化率", 60.0, "2025-2025"),
        ("开挖疏浚沟渠", 117600.0, "2021-2025"),  # 万公里: 11.76万 of 公里
        ("高新技术企业", 3000.0, "2021-2025"),
        ("高新技术企业", 800.0, "2025-2025"),
        ("科技型中小企业", 200.0, "2025-2025"),
        ("政府债务", 50.0, "2026-2026"),
        ("数字化车间", 2.0, "2026-2026"),
        ("智能工厂", 5.0, "2026-2026"),
    ]
    debt = next(r for r in extract_text(review, doc="r") if r.indicator_text == "政府债务")
    assert debt.comparator is Comparator.LE  # 不突破


# --- issue 15: the API behaves as users expect ------------------------------------------------


def _outcome(text: str) -> str:
    """What parsing ``text`` gives, as a comparable string (the targets, or the error)."""
    from targets import parse_targets

    try:
        found = parse_targets(text)
    except ParseError as exc:
        return f"ParseError: {exc}"
    return repr([(t.indicator, t.comparator, t.value, t.deadline) for t in found])


def test_a_phrase_without_a_year_has_no_deadline_from_the_clock() -> None:
    with pytest.raises(ParseError, match=r"no year stated: pass deadline=2025"):
        parse_target("研发投入强度达到3.5%")
    assert parse_target("研发投入强度达到3.5%", deadline=2027).deadline.year == 2027


@pytest.mark.parametrize("text", ["研发投入强度达到3.5%", "到2027年研发投入强度达到3.5%"])
def test_parsing_does_not_depend_on_the_date_of_the_machine(
    text: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    import datetime
    import sys

    def fake_date(year: int) -> type[datetime.date]:
        class FakeDate(datetime.date):
            @classmethod
            def today(cls) -> FakeDate:
                return cls(year, 6, 1)

        return FakeDate

    outcomes = []
    for year in (2019, 2031):
        for name, module in list(sys.modules.items()):
            found = getattr(module, "date", None) if name.startswith("targets") else None
            if isinstance(found, type) and issubclass(found, datetime.date):
                monkeypatch.setattr(module, "date", fake_date(year))
        outcomes.append(_outcome(text))
        monkeypatch.undo()
    assert outcomes[0] == outcomes[1]


def test_a_stated_year_before_this_year_is_still_a_target() -> None:
    from targets import parse_targets

    found = parse_targets("2025年，地区生产总值增长5.5%左右，城镇调查失业率5.5%以内")
    assert [(t.indicator, t.deadline.year) for t in found] == [
        ("gdp_growth", 2025),
        ("unemployment_rate", 2025),
    ]


@pytest.mark.parametrize(
    ("text", "year"),
    [
        ("十五五末研发投入强度达到3.5%", 2030),
        ("到十五五末研发投入强度达到3.5%", 2030),
        ("十四五末研发投入强度达到3.5%", 2025),
        ("“十五五”期末研发投入强度达到3.5%", 2030),
        ('"十五五"期末研发投入强度达到3.5%', 2030),
        ("到“十五五”末，研发投入强度达到3.5%", 2030),
        ("到“十五五”时期末，研发投入强度达到3.5%", 2030),
    ],
)
def test_the_end_of_a_five_year_plan_is_the_deadline(text: str, year: int) -> None:
    t = parse_target(text)
    assert (t.indicator, t.comparator, t.value.magnitude) == ("rd_intensity", Comparator.GE, 3.5)
    assert t.deadline.year == year
    assert parse_target(text, deadline=2025).deadline.year == year  # stated wins


def test_the_end_of_a_five_year_plan_in_a_report() -> None:
    text = (
        "2026年工作计划\n"
        "一、主要目标\n"
        "技术交易额达到20亿元。到“十五五”末，研发投入强度达到3.5%，高新技术企业突破1000家。\n"
    )
    years = {t.indicator: t.deadline.year for t in extract_text(text) if isinstance(t, Target)}
    assert years == {
        "tech_transaction_volume": 2026,
        "rd_intensity": 2030,
        "hitech_enterprises": 2030,
    }


@pytest.mark.parametrize(
    "bracket", ["（2027年）", "(2027年)", "（2027）", "〔2027年〕", "（2027年底）", " (2027年)"]
)
def test_a_year_in_brackets_after_a_target_is_its_deadline(bracket: str) -> None:
    t = parse_target(f"研发投入强度达到3.5%以上{bracket}", deadline=2026)
    assert (t.indicator, t.comparator, t.value.magnitude) == ("rd_intensity", Comparator.GE, 3.5)
    assert t.deadline.year == 2027


def test_a_year_in_brackets_after_a_target_in_a_report() -> None:
    text = (
        "2026年工作计划\n"
        "研发投入强度达到3.5%以上（2027年），高新技术企业突破1000家，技术交易额达到20亿元。\n"
    )
    years = {t.indicator: t.deadline.year for t in extract_text(text) if isinstance(t, Target)}
    assert years == {
        "rd_intensity": 2027,
        "hitech_enterprises": 2026,
        "tech_transaction_volume": 2026,
    }


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "地区生产总值增长5.5%左右，城镇调查失业率5.5%以内，居民人均可支配收入增长与经济增长同步",
            [("gdp_growth", Comparator.APPROX, 5.5), ("unemployment_rate", Comparator.LE, 5.5)],
        ),
        (
            "研发投入强度达到3.5%，高新技术企业突破1000家，技术交易额达到20亿元",
            [
                ("rd_intensity", Comparator.GE, 3.5),
                ("hitech_enterprises", Comparator.GT, 1000),
                ("tech_transaction_volume", Comparator.GE, 20),
            ],
        ),
        (
            "到2027年，研发投入强度达到3.5%；高新技术企业突破1000家；技术交易额达到20亿元",
            [
                ("rd_intensity", Comparator.GE, 3.5),
                ("hitech_enterprises", Comparator.GT, 1000),
                ("tech_transaction_volume", Comparator.GE, 20),
            ],
        ),
    ],
)
def test_every_target_of_a_sentence_is_read(
    text: str, expected: list[tuple[str, Comparator, float]]
) -> None:
    from targets import parse_targets

    found = parse_targets(text, deadline=2027)
    assert [(t.indicator, t.comparator, t.value.magnitude) for t in found] == expected
    assert {t.deadline.year for t in found} == {2027}


def test_the_end_of_a_five_year_plan_as_a_base_of_comparison_dates_nothing() -> None:
    text = (
        "2025年工作总结\n"
        "2025年，地区生产总值达到1.2万亿元，较“十四五”初增长30%，较“十三五”末增长36.2%。\n"
    )
    years = {(r.kind, r.value.magnitude, r.period_end.year) for r in extract_text(text)}
    assert ("actual", 36.2, 2025) in years


@pytest.mark.parametrize("months", ["11~1月", "1~13月", "0~3月", "12-11月"])
def test_an_impossible_month_range_costs_only_its_figure(months: str) -> None:
    text = (
        "2024年工作总结\n"
        f"2024年{months}，技术交易额达到20亿元。\n全年高新技术企业达到1000家，增长5%。\n"
    )
    records = extract_text(text)
    assert [(r.indicator, r.value.magnitude) for r in records] == [("hitech_enterprises", 1000)]
    assert records[0].period_end.year == 2024


def test_works_built_over_a_five_year_review_are_its_total() -> None:
    """新建改建农村公路127万公里 in a review of five years is built over the five (a year's
    plan is 20万公里); a ratio named after new buildings (新建建筑比重) is still the last
    year's."""
    text = (
        "政府工作报告\n2026年1月20日\n一、“十四五”时期和2025年工作回顾\n"
        "过去的五年极不寻常。新建改建农村公路127万公里，新建高标准农田4.56亿亩，"
        "装配式建筑面积占新建建筑比重超过30%。\n"
    )
    rows = {r[1]: r[2:4] for r in _rows(text)}
    assert rows["新建改建农村公路"] == (1270000.0, "2021-2025")  # in 公里
    assert rows["新建高标准农田"] == (456000000.0, "2021-2025")
    assert rows["装配式建筑面积占新建建筑比重"] == (30.0, "2025-2025")
