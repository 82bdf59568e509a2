from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from targets.frames import to_frame
from targets.models import Comparator
from targets.reconcile import normalize_region, reconcile, region_keys, satisfied
from targets.series import series

from .conftest import SEED_000, SEED_003
from .helpers import frame_of


@pytest.fixture(scope="module")
def linan(seed_records: dict) -> pd.DataFrame:
    return to_frame(seed_records[SEED_003.name] + seed_records[SEED_000.name])


@pytest.mark.parametrize("name", ["杭州市临安区", "临安区", "临安"])
def test_region_names_normalise(name: str) -> None:
    assert normalize_region(name) == "临安"


def test_region_keys_keep_contradicting_names_apart() -> None:
    """Names of one short name are one body unless their province, city or tier contradict;
    a name that fits two such bodies joins neither."""
    assert region_keys(["杭州市临安区", "临安区", "临安", "临安市"]) == ["临安"] * 4
    names = ["南京市鼓楼区", "鼓楼区", "福州市鼓楼区", "福建省福州市鼓楼区"]
    keys = [
        "鼓楼/南京市鼓楼区",
        "鼓楼/鼓楼区",
        "鼓楼/福建省福州市鼓楼区",
        "鼓楼/福建省福州市鼓楼区",
    ]
    assert region_keys(names) == keys
    assert region_keys(names[::-1]) == keys[::-1]  # whatever the order of first appearance
    # a municipality names the province and the city; a key never equals another short name
    assert region_keys(["北京市朝阳区", "辽宁省朝阳县", "北京市通州区", "南通市通州区"]) == [
        "朝阳/北京市朝阳区",
        "朝阳/辽宁省朝阳县",
        "通州/北京市通州区",
        "通州/南通市通州区",
    ]
    assert region_keys(["吉林省", "吉林", "吉林市", "吉林市区"]) == [
        "吉林/吉林省",
        "吉林/吉林",
        "吉林/吉林市",
        "吉林市",
    ]
    assert region_keys([]) == []


def test_region_keys_of_a_name_written_in_thousands_of_ways() -> None:
    """经济开发区 under every city: one key per city, the bare name its own; all pairs of
    descriptions are compared at once, not one by one in Python."""
    names = ["经济开发区", *(f"城{i}市经济开发区" for i in range(3000))]
    keys = region_keys(names)
    assert len(set(keys)) == 3001
    assert keys[:2] == ["经济开发/经济开发区", "经济开发/城0市经济开发区"]


def test_linan_series_across_two_reports_five_years_apart(linan: pd.DataFrame) -> None:
    s = series(linan)
    rd = s[(s.indicator_key == "rd_intensity") & ~s.derived].sort_values("year")
    assert rd[["year", "value"]].to_numpy().tolist() == [[2019, 3.42], [2024, 3.87]]
    assert set(rd["doc"]) == {SEED_003.name, SEED_000.name}


def test_growth_implies_a_derived_prior_year_point(linan: pd.DataFrame) -> None:
    s = series(linan)
    derived = s[(s.indicator_key == "tech_transaction_volume") & s.derived]
    assert len(derived) == 1
    row = derived.iloc[0]
    assert row.year == 2023
    assert row.value == pytest.approx(16.06 / 1.2158)
    assert round(row.value, 2) == 13.21
    assert "同比增长21.58%" in row.quote


def test_pending_with_baseline_and_ambition(linan: pd.DataFrame) -> None:
    r = reconcile(linan)
    row = r[r.indicator == "tech_transaction_volume"].iloc[0]
    assert row.outcome == "pending"
    assert (row.baseline_value, row.baseline_year) == (16.06, 2024)
    assert row.required_change == pytest.approx(-6.06)
    assert row.progress == "already_met"
    hitech = r[r.indicator == "hitech_enterprises"].iloc[0]
    assert (hitech.baseline_value, hitech.required_change) == (700, 50)


def test_met_and_missed_against_a_later_report(linan: pd.DataFrame) -> None:
    later = frame_of(
        (
            "2025.txt",
            "一、2025年工作总结\n全年实现技术交易额18亿元。全区国家高新技术企业累计720家。",
        )
    )
    r = reconcile(pd.concat([linan, later], ignore_index=True))
    tech = r[r.indicator == "tech_transaction_volume"].iloc[0]
    assert (tech.outcome, tech.actual_value, tech.attainment, tech.gap) == ("met", 18, 1.8, 8)
    hitech = r[r.indicator == "hitech_enterprises"].iloc[0]
    assert (hitech.outcome, hitech.actual_value, hitech.gap) == ("missed", 720, -30)


def test_flow_target_is_never_compared_with_a_stock() -> None:
    frame = frame_of(
        (
            "a.txt",
            "一、2024年工作总结\n全区国家高新技术企业累计达700家。\n二、2025年工作计划\n新增国家高新技术企业30家。",
        ),
        ("b.txt", "一、2025年工作总结\n全区国家高新技术企业累计达760家。"),
    )
    r = reconcile(frame)
    row = r.iloc[0]
    assert row.measure == "flow"
    assert np.isnan(row.baseline_value)
    assert row.outcome == "not_comparable"
    assert "flow" in row.reason


def test_partial_year_baseline_is_marked(seed_records: dict) -> None:
    plan = frame_of(("plan.txt", "二、2021年工作计划\n力争高新技术产业增加值达到130亿元。"))
    r = reconcile(pd.concat([to_frame(seed_records[SEED_003.name]), plan], ignore_index=True))
    row = r.iloc[0]
    assert (row.baseline_value, row.baseline_year, row.baseline_months) == (120.73, 2020, "1-11")
    assert bool(row.partial_period)


def test_trajectory_progress_classes() -> None:
    history = [
        ("2021.txt", "一、2021年工作总结\n全年实现技术交易额100亿元。"),
        ("2022.txt", "一、2022年工作总结\n全年实现技术交易额110亿元。"),
    ]

    def progress(target: str) -> pd.Series:
        plan = ("plan.txt", f"二、2024年工作计划\n力争技术交易额达到{target}亿元。")
        return reconcile(frame_of(*history, plan)).iloc[0]

    on_track = progress("133.1")  # needs 10 %/yr for 2 years, history gives 10 %/yr
    assert on_track.historical_cagr_pct == pytest.approx(10.0)
    assert on_track.required_cagr_pct == pytest.approx(10.0)
    assert on_track.progress == "on_track"
    assert on_track.projected_value == pytest.approx(133.1)
    assert progress("140").progress == "moderate"  # ratio 10 / 12.8 = 0.78
    assert progress("200").progress == "limited"
    assert progress("105").progress == "already_met"


def test_reconcile_is_invariant_to_row_order(linan: pd.DataFrame) -> None:
    shuffled = linan.sample(frac=1.0, random_state=7).reset_index(drop=True)
    pd.testing.assert_frame_equal(reconcile(linan), reconcile(shuffled))


comparators = st.sampled_from([c.value for c in Comparator])
finite = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False)


@given(comparators, finite, finite, finite)
def test_vectorised_satisfied_agrees_with_the_model(c: str, a: float, v: float, h: float) -> None:
    comparator = Comparator(c)
    high = max(v, h) if comparator is Comparator.RANGE else None
    expected = comparator.satisfied(a, v, high)
    got = satisfied(
        np.array([c]), np.array([a]), np.array([v]), np.array([np.nan if high is None else high])
    )
    assert bool(got[0]) == expected


def test_actuals_from_another_frame_give_the_same_result(linan: pd.DataFrame) -> None:
    plans = linan[linan.kind == "target"].reset_index(drop=True)
    facts = linan[linan.kind != "target"].reset_index(drop=True)
    together = reconcile(linan)
    apart = reconcile(plans, facts)
    assert len(together) == len(plans) == 10
    pd.testing.assert_frame_equal(apart, together)


def _target_with_two_reports(first: str, second: str) -> pd.Series:
    """The 2024 technology-transaction target (12亿元, baseline 10亿元 in 2023) when two
    reports state the 2024 figure as ``first`` and ``second`` 亿元."""
    frame = frame_of(
        (
            "a.txt",
            "一、2023年工作总结\n全年实现技术交易额10亿元。\n二、2024年工作计划\n技术交易额达到12亿元。",
        ),
        ("b.txt", f"一、2024年工作总结\n全年实现技术交易额{first}亿元。"),
        ("c.txt", f"一、2024年工作总结\n全年实现技术交易额{second}亿元。"),
    )
    return reconcile(frame).iloc[0]


def test_different_values_for_one_year_make_the_actual_ambiguous() -> None:
    row = _target_with_two_reports("13", "11")
    assert (row.baseline_value, row.baseline_year) == (10, 2023)
    assert row.outcome == "not_comparable"
    assert "several different actuals" in row.reason
    again = _target_with_two_reports("13", "13")
    assert (again.outcome, again.actual_value, again.actual_quote) == (
        "met",
        13,
        "技术交易额13亿元",
    )


def test_an_unknown_unit_outside_the_targets_does_not_stop_reconciliation(
    linan: pd.DataFrame,
) -> None:
    odd = linan.copy()
    odd["unit"] = odd["unit"].astype(str)  # a categorical takes only its own categories
    odd.loc[odd.kind == "actual", "unit"] = "台套"  # not in the unit registry
    assert reconcile(odd).equals(reconcile(linan))


def test_satisfied_takes_one_comparator_for_all_rows() -> None:
    got = satisfied(">=", np.array([1.0, 2.0, 3.0]), np.array([1.0, 3.0, 4.0]), np.full(3, np.nan))
    assert got.tolist() == [True, False, False]


def test_categorical_and_text_columns_give_the_same_results(seed_records: dict) -> None:
    """A frame whose few-valued text columns are categoricals (as ``to_frame`` and a saved
    Parquet frame give them) and the same frame as plain text reconcile, check and chart
    alike: also when a filtered frame keeps categories no row uses, or when the targets and
    the actuals come as two frames with different categories."""
    from targets.checks import check
    from targets.frames import as_text as _as_text
    from targets.frames import filter_kinds

    frame = to_frame([r for rs in seed_records.values() for r in rs])
    categorical = frame.columns[[isinstance(t, pd.CategoricalDtype) for t in frame.dtypes]]
    assert len(categorical) == 15
    assert "doc" in categorical
    assert "quote" not in categorical
    half = frame[frame["doc"] != SEED_000.name].iloc[::2]  # every category kept, not all used
    assert half["doc"].cat.categories.size == frame["doc"].nunique() > half["doc"].nunique()
    for source in (frame, half):
        text = _as_text(source)
        reconciled = reconcile(source)
        pd.testing.assert_frame_equal(reconciled, reconcile(text))
        pd.testing.assert_frame_equal(check(source, reconciled), check(text))
        pd.testing.assert_frame_equal(_as_text(series(source)), _as_text(series(text)))
    assert len(reconcile(frame)) == 42  # not vacuous: the seeds' reconciled targets
    targets = to_frame([r for rs in seed_records.values() for r in rs if r.kind == "target"])
    actuals = filter_kinds(frame, ["actual", "forecast"]).iloc[::-1]
    assert targets["doc"].cat.categories.size < frame["doc"].cat.categories.size
    pd.testing.assert_frame_equal(reconcile(targets, actuals), reconcile(frame))
    # another text type (``string``) in one of the two frames
    pd.testing.assert_frame_equal(
        reconcile(targets.astype({"region": "string", "unit": "string"}), actuals),
        reconcile(frame),
    )
    # no actuals at all: every target without a baseline
    alone = reconcile(targets, actuals.iloc[:0])
    assert len(alone) == len(reconcile(frame)) == 42
    assert alone["baseline_value"].isna().all()
    assert set(alone["baseline_doc"]) == {""}


def test_returned_categoricals_are_in_text_order_and_all_used(seed_records: dict) -> None:
    """In every frame ``targets`` returns, a categorical's categories are in text order and
    each is used by some row; ``as_text`` gives plain text for what categoricals refuse."""
    from targets.checks import check
    from targets.frames import as_text, filter_kinds

    frame = to_frame([r for rs in seed_records.values() for r in rs])
    reconciled = reconcile(frame)
    returned = {
        "records": frame,
        "reconciled": reconciled,
        "findings": check(frame, reconciled),
        "series": series(frame),
        "targets": filter_kinds(frame, ["target"]),
    }
    for name, got in returned.items():
        for column in got.columns:
            if isinstance(got[column].dtype, pd.CategoricalDtype):
                categories = list(got[column].cat.categories)
                assert categories == sorted(set(got[column].astype(str))), (name, column)
    assert list(returned["series"]["measure"].cat.categories) == [
        "flow",
        "growth",  # the growth stated beside a level (实现技术交易额16.06亿元,同比增长21.58%)
        "index",
        "rank",
        "ratio",
        "stock",
    ]
    assert returned["targets"]["kind"].value_counts().to_dict() == {"target": 43}
    with pytest.raises(TypeError):
        _ = reconciled["doc"] == reconciled["baseline_doc"]
    plain = as_text(reconciled)
    # 19: 新增区级以上众创空间(家)及孵化器 counts two kinds together, no catalogue indicator
    assert (plain["doc"] == plain["baseline_doc"]).sum() == 19
    assert plain["doc"].max() == "004_fc67e6954e58fea0.txt"
    assert not any(isinstance(t, pd.CategoricalDtype) for t in plain.dtypes)
