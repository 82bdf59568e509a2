"""Plan against actual on real consecutive-year series (data/found).

``tests/cases/series_pairs.csv`` holds 158 pairs read by hand from the national reports of
2008-2026 and the 海拉尔区 reports of 2012-2019: each target's sentence, and the sentence of the
next report that states its actual (empty when the next report does not state it), with the
outcome an analyst reads.
"""

from __future__ import annotations

import csv
import math
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from targets import extract
from targets.frames import to_frame
from targets.reconcile import judge, reconcile
from targets.series import load_generic_words, series

from .conftest import CASES, ROOT

FOUND = ROOT / "data" / "found"
_PUNCT = re.compile(r"[\s，,。；;、％%\u200b]")


def _norm(text: str) -> str:
    return _PUNCT.sub("", text)


def _same_number(a: float, b: float) -> bool:
    """Equal up to a power of ten (1.3万亿斤 is 1.3e12 斤) and sign (a fall stored negative)."""
    a, b = abs(a), abs(b)
    if a == 0 or b == 0:
        return a == b
    k = round(math.log10(a / b))
    return math.isclose(a, b * 10**k, rel_tol=1e-6)


def _overlap(a: str, b: str) -> bool:
    a, b = _norm(a), _norm(b)
    return bool(a) and bool(b) and (a[:6] in b or b[:6] in a)


@pytest.fixture(scope="module")
def frames() -> tuple[pd.DataFrame, pd.DataFrame]:
    records = to_frame([r for path in sorted(FOUND.glob("*.txt")) for r in extract(path)])
    return records, reconcile(records)


@pytest.fixture(scope="module")
def judged(frames: tuple[pd.DataFrame, pd.DataFrame]) -> pd.DataFrame:
    """Each annotated pair with the reconciled row of its target: ``state`` is linked (to the
    annotated actual), wrong (to another actual), unlinked, or absent (no such target)."""
    reconciled = frames[1]
    with (CASES / "series_pairs.csv").open(encoding="utf-8") as f:
        pairs = list(csv.DictReader(f))
    rows = []
    for pair in pairs:
        doc = reconciled[reconciled["doc"] == pair["target_file"]]
        candidates = doc[
            [
                _overlap(q, pair["target_quote"]) and _same_number(v, float(pair["target_value"]))
                for q, v in zip(doc["quote"], doc["target_value"], strict=True)
            ]
        ]
        state, outcome = "absent", ""
        if len(candidates):
            state = "unlinked"
            for r in candidates.itertuples():
                if not r.actual_quote:
                    continue
                if pair["actual_quote"] and (
                    _overlap(r.actual_quote, pair["actual_quote"])
                    and _same_number(r.actual_value, float(pair["actual_value"]))
                ):
                    state, outcome = "linked", r.outcome
                    break
                state = "wrong" if state != "linked" else state
            if state == "wrong" and len(candidates) > (candidates["actual_quote"] != "").sum():
                state = "unlinked"  # one of the targets read from the sentence is unlinked
        rows.append({**pair, "state": state, "got": outcome})
    return pd.DataFrame(rows)


def test_every_annotated_target_is_read(judged: pd.DataFrame) -> None:
    absent = judged[judged["state"] == "absent"]
    # 赤字率从去年的2.1%提高到2.3% (2015) is read as a change from 2.1 %, not as a target
    assert absent["target_quote"].tolist() == ["赤字率从去年的2.1%提高到2.3%"]


def test_targets_are_linked_to_the_actual_the_next_report_states(judged: pd.DataFrame) -> None:
    with_actual = judged[judged["actual_quote"] != ""]
    linked = (with_actual["state"] == "linked").mean()
    assert len(with_actual) == 117
    assert linked >= 0.92, with_actual[with_actual["state"] != "linked"][
        ["target_file", "target_quote", "actual_quote", "state"]
    ].to_string()
    wrong = judged[judged["state"] == "wrong"]
    assert wrong.empty, wrong[["target_file", "target_quote", "actual_quote"]].to_string()


def test_no_target_without_a_stated_actual_gets_one(judged: pd.DataFrame) -> None:
    without = judged[(judged["actual_quote"] == "") & (judged["state"] != "absent")]
    assert len(without) == 40
    assert (without["state"] == "unlinked").all(), without[without["state"] != "unlinked"]


def test_outcomes_agree_with_the_analyst(judged: pd.DataFrame) -> None:
    clear = judged[(judged["state"] == "linked") & judged["outcome"].isin(["met", "missed"])]
    assert len(clear) >= 100
    assert (clear["got"] == clear["outcome"]).all(), clear[clear["got"] != clear["outcome"]]
    near = judged[(judged["state"] == "linked") & (judged["outcome"] == "near")]
    assert near["got"].tolist() == ["near", "near"]  # GDP 7.4 % and 6.9 % against 7.5 / 7 左右


def test_national_headline_targets_2008_2025(frames: tuple[pd.DataFrame, pd.DataFrame]) -> None:
    """GDP growth, CPI and new urban jobs: every year's target against the next report."""
    rec = frames[1]
    national = rec[rec["doc"].str.startswith("国务院") & rec["year"].between(2008, 2025)]
    annual = national[national["doc"].str.contains(r"\d{4}") & (national["actual_quote"] != "")]
    got = {
        (int(y), i): o
        for y, i, o in annual[["year", "indicator", "outcome"]].itertuples(index=False)
        if i in ("gdp_growth", "cpi_growth")
    }
    assert got[(2010, "gdp_growth")] == "met"  # 8%左右 against 10.3 %
    assert got[(2014, "gdp_growth")] == "near"  # 7.5%左右 against 7.4 %
    assert got[(2022, "gdp_growth")] == "missed"  # 5.5%左右 against 3 %
    assert got[(2013, "cpi_growth")] == "met"  # a ceiling: 3.5%左右 against 2.6 %
    assert got[(2020, "cpi_growth")] == "met"  # 3.5%左右 against 2.5 %
    years = {y for (y, i) in got if i == "gdp_growth"}
    assert years >= set(range(2009, 2026)) - {2020}  # 2020 set no GDP target


def test_growth_beside_a_level_is_a_point_of_the_growth_series(
    frames: tuple[pd.DataFrame, pd.DataFrame],
) -> None:
    s = series(frames[0])
    point = s[
        (s["indicator_key"] == "gdp_growth")
        & (s["year"] == 2012)
        & s["from_level"]
        & (s["region_key"] == "海拉尔")  # the region key of 呼伦贝尔市海拉尔区
    ]
    assert point["value"].tolist() == [18.5]
    assert point["quote"].tolist() == ["地区生产总值完成235.2亿元，同比增长18.5%"]
    assert point["authoritative"].all()


def test_generic_words_never_form_a_series(frames: tuple[pd.DataFrame, pd.DataFrame]) -> None:
    s = series(frames[0])
    assert not s["indicator_key"].isin(["text:就业", "text:投资", "text:达到"]).any()
    rec = frames[1]
    jobs = rec[rec["quote"] == "新增就业5000人"]  # 全年实现新增就业5000人
    assert jobs["indicator"].tolist() == ["new_urban_jobs"]
    assert jobs["actual_value"].tolist() == [6128.0]  # 城镇新增就业6128人, not 再就业2291人


def test_generic_word_list_is_validated() -> None:
    assert load_generic_words("# c\n投资\n就业\n") == frozenset({"投资", "就业"})
    with pytest.raises(ValueError, match=r":3: .*listed twice \(first on line 1\)"):
        load_generic_words("投资\n\n投资\n")


@pytest.mark.parametrize(
    ("comparator", "actual", "value", "high", "direction", "expected"),
    [
        ("~", 10.3, 8.0, np.nan, 1, "met"),  # more is better: beaten by far is met
        ("~", 7.4, 7.5, np.nan, 1, "near"),  # just under the point
        ("~", 7.0, 7.5, np.nan, 1, "missed"),  # 6.7 % under
        ("~", 2.0, 3.5, np.nan, -1, "met"),  # a ceiling (CPI)
        ("~", 3.6, 3.5, np.nan, -1, "near"),
        ("~", 4.0, 3.5, np.nan, -1, "missed"),
        ("~", -4.8, -3.9, np.nan, -1, "met"),  # 能耗降低3.9%左右: fell 4.8 %
        ("~", 10.0, 13.0, np.nan, 0, "missed"),  # a band: ±5 % either side
        ("~", 12.5, 13.0, np.nan, 0, "met"),
        ("range", 6.7, 6.5, 7.0, 1, "met"),
        ("range", 7.3, 6.5, 7.0, 1, "met"),
        ("range", 6.3, 6.5, 7.0, 1, "near"),
        (">=", 5.9, 6.0, np.nan, 1, "missed"),  # strict comparators are never near
        ("<=", 5.6, 5.5, np.nan, -1, "missed"),
    ],
)
def test_outcome_by_direction(
    comparator: str, actual: float, value: float, high: float, direction: int, expected: str
) -> None:
    met, near = judge(
        np.array([comparator], dtype=object),
        np.array([actual]),
        np.array([value]),
        np.array([high]),
        np.array([float(direction)]),
    )
    got = "met" if met[0] else "near" if near[0] else "missed"
    assert got == expected


def test_revision_by_another_report_is_noted() -> None:
    from .helpers import frame_of

    frame = frame_of(
        (
            "a-2024.txt",
            "一、2024年工作回顾\n实现技术交易额16亿元。\n二、2025年工作安排\n技术交易额达到18亿元。",
        ),
        (
            "b-2026.txt",
            "一、2025年工作回顾\n实现技术交易额19亿元。\n二、2026年工作安排\n技术交易额达到20亿元。",
        ),
        ("c-2027.txt", "一、2026年工作回顾\n2025年技术交易额18.5亿元。实现技术交易额21亿元。"),
    )
    row = reconcile(frame).set_index("quote").loc["技术交易额达到18亿元"]
    assert (row["outcome"], row["actual_value"], row["actual_doc"]) == ("met", 19.0, "b-2026.txt")
    assert "c-2027.txt" in row["actual_note"]
    assert "18.5" in row["actual_note"]


def test_found_series_are_shipped_with_their_manifest() -> None:
    manifest = pd.read_csv(FOUND / "MANIFEST.csv")
    assert set(manifest["file"]) == {p.name for p in FOUND.glob("*.txt")}
    assert len(manifest) == 27
    assert Path(FOUND / "SOURCE.md").read_text(encoding="utf-8").strip()


def test_track_record_reads_ten_years_down_one_indicator(
    frames: tuple[pd.DataFrame, pd.DataFrame],
) -> None:
    from targets.reconcile import track_record

    record = track_record(frames[1])
    jobs = record[(record["region"] == "全国") & (record["indicator"] == "new_urban_jobs")]
    annual = jobs[jobs["year"].between(2016, 2019) & (jobs["target_value"] < 2000)]
    assert annual[["year", "target_value", "actual_value", "outcome"]].values.tolist() == [
        [2016, 1000.0, 1314.0, "met"],
        [2017, 1100.0, 1351.0, "met"],
        [2018, 1100.0, 1361.0, "met"],
        [2019, 1100.0, 1352.0, "met"],
    ]
    assert annual["actual_quote"].str.startswith("城镇新增就业").all()
    # 十三五: 城镇新增就业5000万人 is a total over 2016-2020, not judged by 2020's 1186万人
    five_year = jobs[jobs["target_value"] == 5000.0]
    assert five_year["outcome"].tolist() == ["not_comparable"]
    assert five_year["actual_quote"].tolist() == [""]


def test_goals_of_a_review_and_plan_section_are_targets() -> None:
    """二、“十三五”时期发展成就和“十四五”时期主要目标任务: once a paragraph opens with the plan's
    period (“十四五”时期是…), its figures are goals for 2025, not results of 2020."""
    from targets.frames import to_frame as frame

    records = frame(extract(FOUND / "国务院-2021-政府工作报告.txt"))
    row = records[records["quote"] == "常住人口城镇化率提高到65%"]
    assert row[["kind", "year"]].values.tolist() == [["target", 2025]]
    review = records[records["quote"].str.startswith("全国城镇调查失业率降到5.2")]
    assert review[["kind", "year"]].values.tolist() == [["actual", 2020]]
