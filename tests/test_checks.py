from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from targets.checks import CHECKS, check
from targets.frames import to_frame
from targets.reconcile import reconcile

from .conftest import SEED_000, SEED_003
from .helpers import frame_of


@pytest.fixture(scope="module")
def seeds(seed_records: dict) -> pd.DataFrame:
    return to_frame([r for name in sorted(seed_records) for r in seed_records[name]])


@pytest.fixture(scope="module")
def seed_findings(seeds: pd.DataFrame) -> pd.DataFrame:
    return check(seeds)


def test_mission_example_is_flagged(seed_findings: pd.DataFrame) -> None:
    row = seed_findings[
        (seed_findings.code == "target_below_baseline")
        & (seed_findings.indicator == "tech_transaction_volume")
    ].iloc[0]
    assert (row.doc, row.region, row.year) == (SEED_000.name, "临安区", 2025)
    assert (row.target_value, row.target_unit, row.reference_value, row.reference_year) == (
        10,
        "亿元",
        16.06,
        2024,
    )
    assert row.severity == "error"
    assert row.quote == "技术交易总额10亿元"
    assert row.reference_quote.startswith("技术交易额16.06亿元,同比增长21.58%")
    assert "10亿元低于2024年已报告的16.06亿元" in row.message_zh
    assert "below the level already reported for 2024 (16.06亿元)" in row.message_en


EXPECTED_BELOW = {
    ("000", "hitech_investment_share", 10, 24.1),
    ("000", "tech_transaction_volume", 10, 16.06),
    ("000", "strong_base_investment", 8, 8.9),
    ("000", "rd_revenue_ratio", 3.83, 3.98),
    ("000", "hitech_value_added_share", 83, 84),
    ("001", "incubator_area", 100, 181.55),
    ("001", "rd_revenue_ratio", 4.9, 5.39),
    ("001", "hitech_enterprises", 500, 578),
    ("002", "hitech_enterprises", 50, 92),
    ("002", "patent_applications", 8500, 10933),
    ("002", "hitech_output_share", 57, 61.4),
    ("002", "patent_grants", 4800, 5809),
    ("004", "hitech_enterprises", 30, 48),
    ("004", "tech_smes", 60, 124),
}


def test_every_seed_target_below_its_baseline_and_no_other(seed_findings: pd.DataFrame) -> None:
    below = seed_findings[seed_findings.code == "target_below_baseline"]
    got = {
        (d[:3], i, t, r)
        for d, i, t, r in below[["doc", "indicator", "target_value", "reference_value"]].itertuples(
            index=False
        )
    }
    assert got == EXPECTED_BELOW


def test_stale_target(seed_findings: pd.DataFrame) -> None:
    stale = seed_findings[seed_findings.code == "target_equals_baseline"]
    assert stale[["indicator", "target_value", "reference_year"]].values.tolist() == [
        ["rd_intensity", 4.55, 2023.0]
    ]


def _codes(frame: pd.DataFrame) -> list[str]:
    return check(frame)["code"].tolist()


def test_target_already_met() -> None:
    frame = frame_of(
        (
            "a.txt",
            "一、2023年工作总结\n全区累计建成孵化器20家。\n"
            "二、2024年工作计划\n全区孵化器总数稳定在18—22家。",
        )
    )
    assert _codes(frame) == ["target_already_met"]


HISTORY = (
    ("2021.txt", "一、2021年工作总结\n全年实现技术交易额100亿元。"),
    ("2022.txt", "一、2022年工作总结\n全年实现技术交易额121亿元。"),
)


def test_target_below_trend() -> None:
    plan = ("p.txt", "二、2023年工作计划\n力争技术交易额达到125亿元。")
    findings = check(frame_of(*HISTORY, plan))
    assert findings["code"].tolist() == ["target_below_trend"]
    assert "3.3%" in findings.iloc[0].message_zh
    assert "21.0%" in findings.iloc[0].message_zh


def test_target_implausible_jump() -> None:
    plan = ("p.txt", "二、2023年工作计划\n力争技术交易额达到200亿元。")
    assert _codes(frame_of(*HISTORY, plan)) == ["target_implausible_jump"]


def test_growth_inconsistent_across_documents() -> None:
    frame = frame_of(
        ("2023.txt", "一、2023年工作总结\n实现技术交易额13.21亿元。"),
        ("2024.txt", "一、2024年工作总结\n实现技术交易额16.06亿元,同比增长30%。"),
    )
    findings = check(frame)
    assert findings["code"].tolist() == ["growth_inconsistent"]
    assert "21.57%" in findings.iloc[0].message_en


def test_growth_consistent_within_rounding_is_not_flagged() -> None:
    frame = frame_of(
        ("2023.txt", "一、2023年工作总结\n实现技术交易额13.21亿元。"),
        ("2024.txt", "一、2024年工作总结\n实现技术交易额16.06亿元,同比增长21.58%。"),
    )
    assert _codes(frame) == []


def test_conflicting_actuals() -> None:
    frame = frame_of(
        ("2024.txt", "一、2024年工作总结\n实现技术交易额16.06亿元。"),
        ("2025.txt", "一、2025年工作总结\n2024年技术交易额15.8亿元。"),
    )
    findings = check(frame)
    assert findings["code"].tolist() == ["conflicting_actuals"]
    assert findings.iloc[0].severity == "warning"


def test_parts_exceed_whole() -> None:
    frame = frame_of(
        ("a.txt", "一、2016年工作总结\n全区共有科技企业孵化器16家,其中国家级10家、省级8家。")
    )
    findings = check(frame)
    assert findings["code"].tolist() == ["parts_exceed_whole"]
    assert (findings.iloc[0].target_value, findings.iloc[0].reference_value) == (16, 18)


def test_parts_within_whole_are_fine(seed_findings: pd.DataFrame) -> None:
    assert "parts_exceed_whole" not in set(seed_findings.code)


def test_partial_period_baseline(seed_records: dict) -> None:
    plan = frame_of(("plan.txt", "二、2021年工作计划\n力争高新技术产业增加值达到130亿元。"))
    frame = pd.concat([to_frame(seed_records[SEED_003.name]), plan], ignore_index=True)
    findings = check(frame)
    row = findings[findings.code == "partial_period_baseline"].iloc[0]
    assert "1-11" in row.message_zh
    assert row.reference_value == 120.73


def test_percent_vs_points() -> None:
    frame = frame_of(
        ("2023.txt", "一、2023年工作总结\n高新技术产业增加值占规上工业增加值比重为80%。"),
        (
            "2024.txt",
            "一、2024年工作总结\n高新技术产业增加值占规上工业增加值比重为84%,同比增长4%。",
        ),
    )
    findings = check(frame)
    assert findings["code"].tolist() == ["percent_vs_points"]
    assert "4个百分点" in findings.iloc[0].message_zh


def test_every_code_has_a_function_and_an_example() -> None:
    tested = {
        "target_below_baseline",
        "target_equals_baseline",
        "target_already_met",
        "target_below_trend",
        "target_implausible_jump",
        "growth_inconsistent",
        "conflicting_actuals",
        "parts_exceed_whole",
        "partial_period_baseline",
        "percent_vs_points",
    }
    assert set(CHECKS) == tested


def _flagged(frame: pd.DataFrame) -> set[str]:
    f = check(frame)
    return set(f.loc[f.code == "target_below_baseline", "record_id"])


def test_invariant_to_the_unit_a_value_is_written_in(seeds: pd.DataFrame) -> None:
    rewritten = seeds.copy()
    yi = rewritten["unit"] == "亿元"
    rewritten.loc[yi, "value"] = rewritten.loc[yi, "value"] * 10_000
    rewritten.loc[yi, "unit"] = "万元"
    before, after = check(seeds), check(rewritten)
    assert before[["code", "record_id", "severity"]].equals(
        after[["code", "record_id", "severity"]]
    )


def test_invariant_to_row_order(seeds: pd.DataFrame) -> None:
    shuffled = seeds.sample(frac=1.0, random_state=11).reset_index(drop=True)
    pd.testing.assert_frame_equal(check(seeds), check(shuffled))


@settings(max_examples=25, deadline=None)
@given(st.floats(min_value=0.01, max_value=1.0))
def test_lowering_targets_never_removes_a_below_baseline_finding(
    seeds: pd.DataFrame, factor: float
) -> None:
    lowered = seeds.copy()
    t = lowered["kind"] == "target"
    for column in ("value", "value_high", "base_value", "base_value_high"):
        lowered.loc[t, column] = lowered.loc[t, column] * factor
    assert _flagged(seeds) <= _flagged(lowered)


def test_no_findings_is_an_empty_valid_frame() -> None:
    frame = frame_of(("a.txt", "一、2024年工作总结\n实现技术交易额16.06亿元。"))
    findings = check(frame)
    assert findings.empty
    assert "message_zh" in findings.columns


@pytest.mark.parametrize("fmt", ["csv", "jsonl", "parquet"])
def test_reconciled_and_findings_files_read_back(tmp_path, seeds: pd.DataFrame, fmt: str) -> None:
    from targets.io import read_frame, write_frame
    from targets.reconcile import reconcile
    from targets.schemas import FindingFrame, ReconciledFrame

    reconciled = reconcile(seeds)
    findings = check(seeds, reconciled)
    for frame, model in ((reconciled, ReconciledFrame), (findings, FindingFrame)):
        back = read_frame(write_frame(frame, tmp_path / f"{model.__name__}.{fmt}"), model=model)
        pd.testing.assert_frame_equal(frame, back, check_dtype=False)


def test_record_ids_are_unique(seeds: pd.DataFrame) -> None:
    assert seeds["record_id"].is_unique
    table = seeds[seeds["quote"].str.contains("8500/4800")]
    assert sorted(table["record_id"].str.rsplit(":", n=1).str[1]) == ["2208", "2208.1"]


def test_any_selection_of_codes_gives_the_same_rows(seeds: pd.DataFrame) -> None:
    """The checks on series points run first and their points are freed before the target
    checks: whatever the selection and its order, the rows are those of the full run."""
    extra = frame_of(
        ("2023.txt", "一、2023年工作总结\n实现技术交易额13.21亿元。国家高新技术企业100家。"),
        ("2024.txt", "一、2024年工作总结\n实现技术交易额16.06亿元,同比增长30%。"),
        ("2025.txt", "一、2025年工作总结\n2024年技术交易额15.8亿元。2023年国家高新技术企业120家。"),
    )
    frame = pd.concat([seeds, extra], ignore_index=True)
    full = check(frame)
    assert full.groupby("code")["severity"].agg(lambda s: sorted(set(s))).to_dict() == {
        "conflicting_actuals": ["error", "warning"],
        "growth_inconsistent": ["warning"],
        "target_below_baseline": ["error", "info", "warning"],
        "target_below_trend": ["warning"],  # the added 2023 level joins 临安's history
        "target_equals_baseline": ["warning"],
    }
    # most severe first, then by code, then by record; each finding once
    rank = full["severity"].map({"error": 0, "warning": 1, "info": 2})
    keys = list(zip(rank, full["code"], full["record_id"], strict=True))
    assert keys == sorted(keys)
    # 19: the 2024 growth stated beside the level (30 %) also conflicts with the seed's 21.58 %
    assert len(set(keys)) == len(keys) == 19
    for codes in (
        ["conflicting_actuals", "target_below_baseline"],
        ["target_below_baseline", "growth_inconsistent", "growth_inconsistent"],
        list(reversed(CHECKS)),
    ):
        want = full[full["code"].isin(codes)].reset_index(drop=True)
        # the selection has only its own categories; the rows and values are the same
        pd.testing.assert_frame_equal(check(frame, codes=codes), want, check_categorical=False)


def test_a_malformed_reconciled_frame_is_a_schema_error() -> None:
    from targets.errors import SchemaError

    frame = frame_of(
        ("a.txt", "2024年，技术交易额16.06亿元。\n2025年工作计划\n技术交易额达到20亿元。")
    )
    reconciled = reconcile(frame).drop(columns="baseline_value")
    with pytest.raises(SchemaError, match="reconciled frame"):
        check(frame, reconciled)
