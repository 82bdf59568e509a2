"""The analyst report: HTML, Markdown and Excel from hand-built, schema-valid frames.

The frames hold real figures of seed 000 (临安区): the 2025 target 技术交易总额10亿元 against the
16.06亿元 reported for 2024 (flagged ``target_below_baseline``), and R&D intensity 3.87 % (2024)
against the 3.88 % target, with 3.42 % for 2019 from seed 003.
"""

from __future__ import annotations

import html
import json
import math
import re
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from targets.errors import SchemaError
from targets.frames import to_frame
from targets.models import Actual, Comparator, Evidence, Measure, Target, year_period
from targets.report import (
    charts_html,
    findings_html,
    render_html,
    render_markdown,
    scorecard_html,
    write_excel,
    write_report,
)
from targets.schemas import FindingFrame, ReconciledFrame, RecordFrame, validate
from targets.units import quantity

from .conftest import SEED_000, SEED_002, SEED_003

DOC0 = SEED_000.name
DOC3 = SEED_003.name
TTV_ACTUAL = "技术交易额16.06亿元,同比增长21.58%,增幅居全市第1位"
TTV_TARGET = "技术交易总额10亿元"
RD_2024 = "R&D经费支出占GDP的比重为3.87%,居全省第11位"
RD_2019 = "R&D经费投入强度 3.42%"
RD_TARGET = "R&D占GDP比重达3.88%"
BELOW_ZH = "2025年技术交易额目标10亿元低于2024年已实现的16.06亿元"
BELOW_EN = (
    "The 2025 technology transaction target of 1.0 bn yuan is below the 1.606 bn reported for 2024"
)


def _quotes(page: str) -> list[str]:
    """The page's quote store (each quote once, referenced by ``data-q``)."""
    found = re.search(r'<script type="application/json" id="quotes">(.*?)</script>', page)
    assert found is not None
    return list(json.loads(found.group(1).replace("<\\/", "</"))["q"])


def _evidence(path: Path, quote: str) -> Evidence:
    text = path.read_text(encoding="utf-8-sig")
    start = text.index(quote)
    return Evidence(doc=path.name, quote=quote, start=start, end=start + len(quote))


def _actual(
    path: Path,
    quote: str,
    indicator: str,
    text: str,
    measure: Measure,
    value: float,
    unit: str,
    year: int,
    growth: float | None = None,
) -> Actual:
    start, end = year_period(year)
    return Actual(
        indicator=indicator,
        indicator_text=text,
        measure=measure,
        value=quantity(value, unit),
        period_start=start,
        period_end=end,
        growth=growth,
        growth_unit="%" if growth is not None else "",
        region="临安区",
        issuer="临安区科技局",
        evidence=_evidence(path, quote),
    )


def _target(
    quote: str,
    indicator: str,
    text: str,
    measure: Measure,
    comparator: Comparator,
    value: float,
    unit: str,
) -> Target:
    start, end = year_period(2025)
    return Target(
        indicator=indicator,
        indicator_text=text,
        measure=measure,
        comparator=comparator,
        value=quantity(value, unit),
        deadline=date(2025, 12, 31),
        period_start=start,
        period_end=end,
        region="临安区",
        issuer="临安区科技局",
        evidence=_evidence(SEED_000, quote),
    )


@pytest.fixture
def records() -> pd.DataFrame:
    return to_frame(
        [
            _actual(
                SEED_000,
                TTV_ACTUAL,
                "tech_transaction_volume",
                "技术交易额",
                Measure.FLOW,
                16.06,
                "亿元",
                2024,
                growth=21.58,
            ),
            _actual(
                SEED_000,
                RD_2024,
                "rd_intensity",
                "R&D经费支出占GDP的比重",
                Measure.RATIO,
                3.87,
                "%",
                2024,
            ),
            _actual(
                SEED_003, RD_2019, "rd_intensity", "R&D经费投入强度", Measure.RATIO, 3.42, "%", 2019
            ),
            _target(
                TTV_TARGET,
                "tech_transaction_volume",
                "技术交易总额",
                Measure.FLOW,
                Comparator.GE,
                10,
                "亿元",
            ),
            _target(
                RD_TARGET, "rd_intensity", "R&D占GDP比重", Measure.RATIO, Comparator.GE, 3.88, "%"
            ),
        ]
    )


def _reconciled_row(
    records: pd.DataFrame, target_quote: str, baseline_quote: str, **values: Any
) -> dict[str, Any]:
    target = records[records["quote"] == target_quote].iloc[0]
    base = records[records["quote"] == baseline_quote].iloc[0]
    row: dict[str, Any] = {
        "record_id": target["record_id"],
        "doc": target["doc"],
        "region": target["region"],
        "indicator": target["indicator"],
        "indicator_text": target["indicator_text"],
        "measure": target["measure"],
        "comparator": target["comparator"],
        "year": target["year"],
        "target_value": target["value"],
        "target_value_high": math.nan,
        "target_unit": target["unit"],
        "base_unit": target["base_unit"],
        "baseline_value": base["value"],
        "baseline_year": float(base["year"]),
        "baseline_months": "",
        "baseline_quote": base["quote"],
        "baseline_doc": base["doc"],
        "partial_period": False,
        "actual_value": math.nan,
        "actual_quote": "",
        "actual_doc": "",
        "actual_note": "",
        "direction": "higher_is_better",
        "outcome": "pending",
        "reason": "no actual for 2025 yet",
        "attainment": math.nan,
        "gap": math.nan,
        "required_change": target["value"] - base["value"],
        "required_change_pct": (target["value"] / base["value"] - 1) * 100,
        "required_cagr_pct": math.nan,
        "historical_cagr_pct": math.nan,
        "projected_value": math.nan,
        "progress": "",
        "quote": target["quote"],
    }
    row.update(values)
    return row


@pytest.fixture
def reconciled(records: pd.DataFrame) -> pd.DataFrame:
    rd_cagr = ((3.87 / 3.42) ** (1 / 5) - 1) * 100
    rows = [
        _reconciled_row(records, TTV_TARGET, TTV_ACTUAL, progress="already_met"),
        _reconciled_row(
            records, RD_TARGET, RD_2024, historical_cagr_pct=rd_cagr, progress="on_track"
        ),
    ]
    return validate(pd.DataFrame(rows), ReconciledFrame)


@pytest.fixture
def findings(records: pd.DataFrame) -> pd.DataFrame:
    target = records[records["quote"] == TTV_TARGET].iloc[0]
    row = {
        "code": "target_below_baseline",
        "severity": "error",
        "doc": DOC0,
        "region": "临安区",
        "indicator": "tech_transaction_volume",
        "indicator_text": "技术交易总额",
        "measure": "flow",
        "year": 2025,
        "target_value": 10.0,
        "target_unit": "亿元",
        "reference_value": 16.06,
        "reference_unit": "亿元",
        "reference_year": 2024.0,
        "reference_doc": DOC0,
        "message_zh": BELOW_ZH,
        "message_en": BELOW_EN,
        "message": f"{BELOW_ZH} / {BELOW_EN}",
        "quote": TTV_TARGET,
        "reference_quote": TTV_ACTUAL,
        "record_id": target["record_id"],
    }
    return validate(pd.DataFrame([row]), FindingFrame)


@pytest.fixture
def written(
    records: pd.DataFrame, reconciled: pd.DataFrame, findings: pd.DataFrame, tmp_path: Path
) -> dict[str, Path]:
    return write_report(records, reconciled, findings, tmp_path / "out")


def test_writes_three_files(written: dict[str, Path], tmp_path: Path) -> None:
    assert set(written) == {"html", "md", "xlsx"}
    assert [p.name for p in written.values()] == ["report.html", "report.md", "targets.xlsx"]
    for path in written.values():
        assert path.parent == tmp_path / "out"
        assert path.stat().st_size > 0
    assert not [p for p in (tmp_path / "out").iterdir() if p.name.startswith(".")]


def test_html_shows_the_flagged_target_with_both_quotes(written: dict[str, Path]) -> None:
    page = written["html"].read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>")
    assert "技术交易额" in page
    assert "Technology transaction" in page or "technology transaction" in page.lower()
    assert TTV_TARGET in page
    assert TTV_ACTUAL in page
    assert re.search(r'class="badge sev-error"[^>]*>严重 · 目标低于基线<', page)
    assert "≥ 10亿元" in page
    assert "16.06亿元" in page
    assert BELOW_ZH in page
    assert BELOW_EN in page


def test_html_numbers_carry_their_source(written: dict[str, Path]) -> None:
    page = written["html"].read_text(encoding="utf-8")
    store = _quotes(page)
    traced = re.findall(r'<span class="t" data-q="(\d+)">([^<]*)</span>', page)
    by_text = {text: store[int(q)] for q, text in traced}
    assert TTV_TARGET in by_text["≥ 10亿元"]
    assert DOC0 in by_text["≥ 10亿元"]
    assert TTV_ACTUAL in by_text["16.06亿元"]
    assert "<details data-ev=" in page


def _chart_with_derived(
    records: pd.DataFrame, reconciled: pd.DataFrame, findings: pd.DataFrame, implied: float
) -> str:
    """The 技术交易额 chart with a derived 2023 level of ``implied`` 亿元 added."""
    row = records[records["quote"] == TTV_ACTUAL].assign(
        value=implied, base_value=implied * 1e8, year=2023, growth_pct=math.nan
    )
    with_derived = pd.concat([records, row], ignore_index=True).assign(derived=False)
    with_derived.loc[with_derived.index[-1], "derived"] = True
    page = render_html(with_derived, reconciled, findings)
    return next(
        s for s in re.findall(r"<svg class=\"chart\".*?</svg>", page, flags=re.S) if "16.06" in s
    )


def test_html_chart_is_inline_svg_with_chinese_text(written: dict[str, Path]) -> None:
    page = written["html"].read_text(encoding="utf-8")
    svgs = re.findall(r"<svg class=\"chart\".*?</svg>", page, flags=re.S)
    assert len(svgs) == 2  # tech transactions (actual + target), R&D intensity (2 actuals + target)
    texts = [t for svg in svgs for t in re.findall(r"<text[^>]*>([^<]*)</text>", svg)]
    assert any(re.search(r"[\u4e00-\u9fff]", t) for t in texts)
    assert "Noto Sans CJK SC" in page  # the page's stylesheet gives the charts their font
    rd = next(s for s in svgs if "3.42" in s)
    ids = [int(q) for q in re.findall(r'<g data-q="(\d+)"', rd)]
    assert any(RD_2019 in _quotes(page)[q] for q in ids)  # the point's tooltip holds its quote
    assert rd.count("<circle") == 2
    assert "stroke-dasharray" in rd  # baseline → target line


def test_html_is_self_contained(written: dict[str, Path]) -> None:
    page = written["html"].read_text(encoding="utf-8")
    assert "http://" not in page
    assert "https://" not in page
    refs = re.findall(r"""(?:src|href)\s*=\s*["']?([^"' >]+)""", page)
    assert refs
    assert all(ref.startswith("#") for ref in refs)
    scripts = re.findall(r"<script[^>]*>", page)
    assert scripts == ['<script type="application/json" id="quotes">', "<script>"]
    assert "fetch(" not in page
    assert "XMLHttpRequest" not in page
    assert "@import" not in page
    assert "url(" not in page


def test_html_escapes_text(
    records: pd.DataFrame, reconciled: pd.DataFrame, findings: pd.DataFrame
) -> None:
    findings = findings.assign(message_en="<script>alert(1)</script> & more")
    page = render_html(records, reconciled, findings)
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; more" in page


def test_derived_points_are_hollow(
    records: pd.DataFrame, reconciled: pd.DataFrame, findings: pd.DataFrame
) -> None:
    implied = 16.06 / 1.2158  # the 2023 level implied by 16.06亿元 at +21.58 %
    svg = _chart_with_derived(records, reconciled, findings, implied)
    circles = re.findall(r"<circle [^>]*>", svg)
    assert len(circles) == 2
    assert sum('fill="#ffffff"' in c for c in circles) == 1
    assert "13.2" in svg


def test_english_labels(
    records: pd.DataFrame, reconciled: pd.DataFrame, findings: pd.DataFrame
) -> None:
    page = render_html(records, reconciled, findings, lang="en")
    assert '<html lang="en">' in page
    assert "Target scorecard" in page
    assert page.index(BELOW_EN) < page.index(BELOW_ZH)
    with pytest.raises(ValueError, match="lang"):
        render_html(records, reconciled, findings, lang="fr")


def test_markdown_has_summary_scorecard_and_findings(written: dict[str, Path]) -> None:
    text = written["md"].read_text(encoding="utf-8")
    assert text.startswith("# 目标与实绩核对报告")
    assert "- 目标: 2" in text
    assert "- 被标记的目标: 1 / 2" in text
    assert "## 临安区" in text
    header = next(line for line in text.splitlines() if line.startswith("| 指标"))
    assert "基线" in header
    row = next(line for line in text.splitlines() if line.startswith("| 技术交易额"))
    assert "≥ 10亿元" in row
    assert "16.06亿元 (2024)" in row
    # the finding in words, and no progress badge beside it that would contradict it
    assert "严重 目标低于基线" in row
    assert "target_below_baseline" not in text
    assert "基线已达标" not in row
    assert TTV_TARGET in row
    assert BELOW_ZH in text
    assert BELOW_EN in text
    assert TTV_ACTUAL.replace("%", "%") in text


def test_markdown_escapes_table_cells(
    records: pd.DataFrame, reconciled: pd.DataFrame, findings: pd.DataFrame
) -> None:
    reconciled = reconciled.assign(quote=reconciled["quote"] + "|x\ny")
    text = render_markdown(records, reconciled, findings)
    row = next(line for line in text.splitlines() if line.startswith("| 技术交易额"))
    assert "\\|x y" in row
    assert row.count(" | ") == 7


def test_excel_sheets_frozen_filtered_and_formatted(written: dict[str, Path]) -> None:
    from openpyxl import load_workbook

    book = load_workbook(written["xlsx"])
    assert book.sheetnames == ["汇总", "历年目标与实绩", "核查发现", "目标", "实绩", "说明"]
    for sheet in book.worksheets:
        assert sheet.freeze_panes is not None
        assert sheet.auto_filter.ref is not None
        assert sheet.auto_filter.ref.startswith("A1:")
    targets = book["目标"]
    header = [c.value for c in targets[1]]
    assert header[header.index("目标值") + 2] == "单位"
    assert targets.max_row == 3
    assert book["实绩"].max_row == 4
    quote_col = header.index("原文") + 1
    assert {targets.cell(row=r, column=quote_col).value for r in (2, 3)} == {
        TTV_TARGET,
        RD_TARGET,
    }
    width = targets.column_dimensions["A"].width
    assert width is not None
    assert 6 <= width <= 60

    def rules_on(sheet_name: str, column: str) -> list[str]:
        sheet = book[sheet_name]
        names = [c.value for c in sheet[1]]
        letter = sheet.cell(row=1, column=names.index(column) + 1).column_letter
        found: list[str] = []
        for ranges, rules in sheet.conditional_formatting._cf_rules.items():
            if re.match(rf"{letter}2(:{letter}\d+)?$", str(ranges.sqref)):
                found.extend(f for rule in rules for f in rule.formula)
        return found

    assert set(rules_on("目标", "结果")) >= {'"达成"', '"未达成"', '"待评估"'}
    assert set(rules_on("核查发现", "严重程度")) == {'"严重"', '"警告"', '"提示"'}
    findings = book["核查发现"]
    names = [c.value for c in findings[1]]
    assert "参照值" in names
    assert findings.cell(row=2, column=names.index("code") + 1).value == "target_below_baseline"
    assert findings.cell(row=2, column=names.index("问题类型") + 1).value == "目标低于基线"


def test_empty_findings_and_reconciled(records: pd.DataFrame, tmp_path: Path) -> None:
    empty_rec = pd.DataFrame({c: [] for c in ReconciledFrame.to_schema().columns})
    empty_find = pd.DataFrame({c: [] for c in FindingFrame.to_schema().columns})
    paths = write_report(records, empty_rec, empty_find, tmp_path)
    page = paths["html"].read_text(encoding="utf-8")
    assert "未发现问题" in page
    assert "<svg" in page  # the R&D series still has two actuals and a target
    assert "未发现问题" in paths["md"].read_text(encoding="utf-8")


def test_bad_frame_is_a_schema_error(
    records: pd.DataFrame, reconciled: pd.DataFrame, findings: pd.DataFrame, tmp_path: Path
) -> None:
    with pytest.raises(SchemaError, match="findings frame"):
        write_report(records, reconciled, findings.drop(columns="severity"), tmp_path)
    with pytest.raises(SchemaError, match="severity"):
        write_excel(records, reconciled, findings.assign(severity="fatal"), tmp_path / "x.xlsx")


def test_fragments_for_notebooks(reconciled: pd.DataFrame, findings: pd.DataFrame) -> None:
    fragment = findings_html(findings)
    assert fragment.startswith('<div class="targets-report">')
    assert "target_below_baseline" in fragment
    assert TTV_ACTUAL in fragment
    card = scorecard_html(reconciled, findings, lang="en")
    assert "Technology transaction" in card or "technology transaction" in card.lower()
    assert "sev-error" in card


def test_series_frame_supplies_derived_points(
    records: pd.DataFrame, reconciled: pd.DataFrame, findings: pd.DataFrame
) -> None:
    # the shape of ``targets.reconcile.series``: reported points plus the 2023 level implied
    # by 16.06亿元 at +21.58 %, which quotes the sentence stating the growth
    actual = records[records["kind"] == "actual"]
    series = actual[["region", "measure", "year", "months", "value", "unit", "doc", "quote"]]
    series = series.assign(
        indicator_key=actual["indicator"],
        indicator_text=actual["indicator_text"],
        derived=False,
        base_value=actual["base_value"],
    )
    implied = series[series["quote"] == TTV_ACTUAL].assign(
        year=2023, value=16.06 / 1.2158, base_value=16.06e8 / 1.2158, derived=True
    )
    series = pd.concat([series, implied], ignore_index=True)
    page = render_html(records, reconciled, findings, series=series)
    svg = next(
        s for s in re.findall(r"<svg class=\"chart\".*?</svg>", page, flags=re.S) if "16.06" in s
    )
    assert "推算" in svg  # the tooltip names it derived
    assert sum('fill="#ffffff"' in c for c in re.findall(r"<circle [^>]*>", svg)) == 1
    assert svg.count("<polyline") == 1  # 2023 → 2024 joined
    with pytest.raises(SchemaError, match="series frame lacks columns quote"):
        render_html(records, reconciled, findings, series=series.drop(columns="quote"))


def test_fragment_styles_only_itself(findings: pd.DataFrame) -> None:
    fragment = findings_html(findings)
    css = re.search(r"<style>(.*?)</style>", fragment, flags=re.S)
    assert css is not None
    rules = re.sub(r"@media[^{]*\{", "", css.group(1))
    selectors = [
        sel.strip() for head in re.findall(r"([^{}]+)\{[^{}]*\}", rules) for sel in head.split(",")
    ]
    assert selectors
    assert all(sel.startswith(".targets-report") for sel in selectors), selectors


def test_finding_about_an_actual_is_labelled_as_one(
    records: pd.DataFrame, reconciled: pd.DataFrame, findings: pd.DataFrame
) -> None:
    actual = records[records["quote"] == TTV_ACTUAL].iloc[0]
    about_actual = findings.assign(
        code="growth_inconsistent",
        severity="warning",
        record_id=actual["record_id"],
        year=2024,
        target_value=16.06,
        quote=TTV_ACTUAL,
        reference_quote="",
        reference_value=math.nan,
    )
    both = validate(pd.concat([findings, about_actual], ignore_index=True), FindingFrame)
    page = render_html(records, reconciled, both)
    card = re.search(r'<article class="finding sev-warning".*?</article>', page, flags=re.S)
    assert card is not None
    assert '<span class="k">实绩</span>' in card.group(0)
    assert "实绩原文" in card.group(0)
    assert "目标原文" not in card.group(0)
    assert "被标记的目标" in page
    summary = render_markdown(records, reconciled, both)
    assert "- 被标记的目标: 1 / 2" in summary  # a finding on an actual flags no target
    assert f"实绩原文: “{TTV_ACTUAL}”" in summary


def test_two_targets_of_one_table_cell_keep_their_own_findings(tmp_path: Path) -> None:
    # seed 002's 主要指标任务表 gives two targets in one cell: 8500/4800, one span, one record_id
    cell = "专利申请量(件)/专利授权量(件)\n\n8500/4800"
    evidence = _evidence(SEED_002, cell)
    start, end = year_period(2017)
    common: dict[str, Any] = {
        "measure": Measure.FLOW,
        "comparator": Comparator.GE,
        "deadline": end,
        "period_start": start,
        "period_end": end,
        "region": "西湖区",
        "evidence": evidence,
    }
    records = to_frame(
        [
            Target(indicator="patent_applications", indicator_text="专利申请量",
                   value=quantity(8500, "件"), **common),
            Target(indicator="patent_grants", indicator_text="专利授权量",
                   value=quantity(4800, "件"), **common),
        ]
    )  # fmt: skip
    assert records["record_id"].nunique() == 1
    rows = []
    for indicator, value, base in (("patent_applications", 8500.0, 10933.0),
                                   ("patent_grants", 4800.0, 5809.0)):  # fmt: skip
        row = _reconciled_row(records, cell, cell)
        row.update(indicator=indicator, target_value=value, baseline_value=base,
                   baseline_year=2016.0, baseline_quote="", baseline_doc="")  # fmt: skip
        rows.append(row)
    reconciled = validate(pd.DataFrame(rows), ReconciledFrame)
    finding = {
        "code": "target_below_baseline", "severity": "warning", "doc": SEED_002.name,
        "region": "西湖区", "indicator": "patent_grants", "indicator_text": "专利授权量",
        "measure": "flow", "year": 2017, "target_value": 4800.0, "target_unit": "件",
        "reference_value": 5809.0, "reference_unit": "件", "reference_year": 2016.0,
        "reference_doc": SEED_002.name, "message_zh": "专利授权量目标低于上年",
        "message_en": "patent grants target below last year", "message": "",
        "quote": cell, "reference_quote": "", "record_id": evidence.doc + f":{evidence.start}",
    }  # fmt: skip
    findings = validate(pd.DataFrame([finding]), FindingFrame)
    page = render_html(records, reconciled, findings)
    rows_html = re.findall(r'<tr class="row.*?</tr>', page, flags=re.S)
    assert len(rows_html) == 2
    grants = next(r for r in rows_html if "专利授权" in r)
    applications = next(r for r in rows_html if "专利申请" in r)
    assert "目标低于基线" in grants
    assert "目标低于基线" not in applications
    assert "- 被标记的目标: 1 / 2" in render_markdown(records, reconciled, findings)


def test_nothing_at_all_still_makes_a_report(tmp_path: Path) -> None:
    def empty(model: Any) -> pd.DataFrame:
        return pd.DataFrame({c: [] for c in model.to_schema().columns})

    paths = write_report(empty(RecordFrame), empty(ReconciledFrame), empty(FindingFrame), tmp_path)
    assert "- 目标: 0" in paths["md"].read_text(encoding="utf-8")
    assert "未发现问题" in paths["html"].read_text(encoding="utf-8")


def test_charts_fragment_for_one_region(records: pd.DataFrame, reconciled: pd.DataFrame) -> None:
    fragment = charts_html(records, reconciled, region="临安区")
    assert fragment.startswith('<div class="targets-report">')
    assert fragment.count('<svg class="chart"') == 2
    assert "stroke-dasharray" in fragment
    assert charts_html(records, region="余杭区").count("<svg class") == 0


def test_every_code_a_frame_can_hold_has_a_label_in_both_languages() -> None:
    from targets.checks import CHECKS
    from targets.models import Comparator, Direction, Measure
    from targets.report.model import labels
    from targets.schemas import KINDS, OUTCOMES, SEVERITIES, ReconciledFrame

    progress = (
        ReconciledFrame.to_schema().columns["progress"].checks[0].statistics["allowed_values"]
    )
    codes = {
        "outcome": set(OUTCOMES),
        "severity": set(SEVERITIES),
        "kind": set(KINDS),
        "measure": {m.value for m in Measure},
        "comparator": {c.value for c in Comparator},
        "direction": {d.value for d in Direction},
        "progress": set(progress) - {""},
        "finding": set(CHECKS),
    }
    for group, wanted in codes.items():
        for lang in ("zh", "en"):
            assert wanted <= set(labels(group, lang)), (
                group,
                lang,
                wanted - set(labels(group, lang)),
            )
    assert labels("outcome", "zh")["met"] == "达成"


def _other_groups(*present: str) -> str:
    from targets.report.model import LABEL_GROUPS

    return "".join(f"{g}: {{}}\n" for g in LABEL_GROUPS if g not in present)


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("text: {}\n", "groups must be text, severity"),
        (
            "text: {title: {zh: 标题}}\n" + _other_groups("text"),
            "text.title: needs exactly zh and en",
        ),
        (
            "text: {title: {zh: 标题, en: ''}}\n" + _other_groups("text"),
            "text.title.en: empty or not text",
        ),
    ],
)
def test_a_broken_label_table_names_the_key(text: str, problem: str) -> None:
    from targets.errors import CatalogueError
    from targets.report.model import parse_labels

    with pytest.raises(CatalogueError, match=f"^labels.yaml: {re.escape(problem)}"):
        parse_labels(text, source="labels.yaml")


# --------------------------------------------------------------------------- issue 16


def _visible_text(page: str) -> str:
    """What a reader sees: the page without scripts, tags and attributes."""
    body = re.sub(r"<script.*?</script>", "", page, flags=re.S)
    body = re.sub(r"<style.*?</style>", "", body, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", " ", body))


def test_the_page_leads_with_plan_against_actual(
    records: pd.DataFrame, reconciled: pd.DataFrame, findings: pd.DataFrame
) -> None:
    judged = reconciled.assign(outcome=["met", "missed"])
    page = render_html(records, judged, findings)
    board = re.search(r'<section class="scoreboard".*?</section>', page, flags=re.S)
    assert board is not None
    assert page.index('class="scoreboard"') < page.index('class="summary"')
    assert page.index('class="scoreboard"') < page.index('<details class="region"')
    tiles = dict(
        re.findall(r'<div class="big out-(\w+)"><div class="big-n">(\d+)</div>', board.group(0))
    )
    assert tiles == {"met": "1", "near": "0", "missed": "1", "pending": "0", "not_comparable": "0"}
    assert '<a href="#region-0">临安区</a>' in board.group(0)


def test_no_progress_badge_contradicts_a_finding(
    records: pd.DataFrame, reconciled: pd.DataFrame, findings: pd.DataFrame
) -> None:
    page = render_html(records, reconciled, findings)
    rows = re.findall(r'<tr class="row.*?</tr>', page, flags=re.S)
    ttv = next(r for r in rows if "技术交易额" in r)
    rd = next(r for r in rows if "研发" in r or "R&amp;D" in r)
    assert "目标低于基线" in ttv
    assert "prog-already_met" not in ttv  # no green 基线已达标 beside the red finding
    assert "基线已达标" not in _visible_text(ttv)
    assert 'class="badge prog-on_track"' in rd  # pending and unflagged: progress adds something


def test_every_finding_code_has_labels_and_the_chinese_page_shows_none_raw(
    records: pd.DataFrame, reconciled: pd.DataFrame, findings: pd.DataFrame
) -> None:
    from targets.checks import CHECKS
    from targets.report.model import labels

    for lang in ("zh", "en"):
        assert set(CHECKS) <= set(labels("finding", lang))
    page = render_html(records, reconciled, findings)
    visible = _visible_text(page)
    assert "目标低于基线" in visible
    assert not [code for code in CHECKS if code in visible]
    assert "target below baseline" in _visible_text(
        render_html(records, reconciled, findings, lang="en")
    )


def _chart_texts(svg: str) -> list[str]:
    return [html.unescape(t) for t in re.findall(r"<text[^>]*>([^<]*)</text>", svg)]


def test_charts_start_amounts_at_zero_and_print_their_values(
    records: pd.DataFrame, reconciled: pd.DataFrame, findings: pd.DataFrame
) -> None:
    page = render_html(records, reconciled, findings)
    svgs = re.findall(r"<svg class=\"chart\".*?</svg>", page, flags=re.S)
    ttv = next(s for s in svgs if "技术交易额" in s)
    texts = _chart_texts(ttv)
    assert "技术交易额（当年）" in texts  # flow in words, not a tag
    assert "0" in texts  # 亿元 from zero: 10 against 16.06 is not a full panel
    assert "16.06" in texts  # the value printed beside its point
    assert "≥ 10亿元" in texts
    rd = next(s for s in svgs if "3.42" in s)
    rd_texts = _chart_texts(rd)
    assert "0" not in rd_texts  # a ratio's axis stays tight (3.42 … 3.88)
    assert {"3.42", "3.87"} <= set(rd_texts)


def test_one_chart_per_written_series_with_distinct_titles(records: pd.DataFrame) -> None:
    from targets.report.charts import chart_title, charts_of
    from targets.report.model import prepare

    base = records[records["quote"] == TTV_ACTUAL].iloc[0]
    rows = []
    for i, (text, year, value) in enumerate(
        [("高新技术企业", 2022, 190), ("高新技术企业", 2023, 197), ("高新技术企业", 2024, 200),
         ("科技型中小企业", 2022, 40), ("科技型中小企业", 2023, 46), ("科技型中小企业", 2024, 51)]
    ):  # fmt: skip
        rows.append(
            base.to_dict()
            | {
                "record_id": f"{base['doc']}:{900 + i}",
                "indicator": "hitech_enterprises",
                "indicator_text": text,
                "measure": "stock",
                "value": float(value),
                "unit": "家",
                "base_value": float(value),
                "base_unit": "家",
                "year": year,
                "growth_pct": math.nan,
            }
        )
    frame = validate(pd.DataFrame(rows), RecordFrame)
    empty = {
        m: pd.DataFrame({c: [] for c in m.to_schema().columns})
        for m in (ReconciledFrame, FindingFrame)
    }
    rep = prepare(frame, empty[ReconciledFrame], empty[FindingFrame], "zh")
    charts = [c for c in charts_of(rep) if c.indicator == "hitech_enterprises"]
    assert len(charts) == 2  # not six dots, two per year, in one series
    titles = {chart_title(c, "zh") for c in charts}
    assert len(titles) == 2
    assert all(t.endswith("（年末累计）") for t in titles)
    assert any("科技型中小企业" in t for t in titles)
    assert sorted(p.value for c in charts for p in c.points) == [40, 46, 51, 190, 197, 200]
    assert chart_title(charts[0], "en").endswith("(year-end total)")


def test_derived_values_are_rounded_to_their_inputs(
    records: pd.DataFrame, reconciled: pd.DataFrame, findings: pd.DataFrame
) -> None:
    from targets.formatting import decimals, round_like

    assert round_like(21.0475, [25.44, 3.5]) == 21.05
    assert round_like(197.4, [200.0, 190.0]) == 197.0
    assert [decimals(v) for v in (16.06, 750.0, 3.5)] == [2, 0, 1]
    implied = 16.06 / 1.2158
    svg = _chart_with_derived(records, reconciled, findings, implied)
    texts = _chart_texts(svg)
    assert "13.21" in texts  # 13.2093… from 16.06 (two decimals)
    assert not [t for t in texts if t.startswith("13.209")]


def test_one_number_formatter_for_messages_and_report() -> None:
    import numpy as np

    from targets.formatting import format_number, format_numbers
    from targets.report.model import fmt_num

    values = [16.06, 750.0, 81.385739, 1234567.0, -37.7, 0.0, 12345.678]
    column = format_numbers(np.array(values)).to_pylist()
    assert column == ["16.06", "750", "81.3857", "1234567", "-37.7", "0", "12345.7"]
    assert [format_number(v) for v in values] == column
    # no exponent, however small or large: 0.0000001, not 1e-7
    assert [format_number(v) for v in (1e-7, -2.5e-6, 1.2e11)] == [
        "0.0000001", "-0.0000025", "120000000000"
    ]  # fmt: skip
    assert [fmt_num(v) for v in values] == [
        "16.06", "750", "81.3857", "1,234,567", "\u221237.7", "0", "12,345.7"
    ]  # fmt: skip


def test_regions_in_administrative_order() -> None:
    from targets.report.model import region_order

    names = ["新疆维吾尔自治区", "海拉尔区", "河北省", "天津市", "未知之地", "北京市", "全国"]
    assert sorted(names, key=region_order) == [
        "全国", "北京市", "天津市", "河北省", "海拉尔区", "新疆维吾尔自治区", "未知之地"
    ]  # fmt: skip


@pytest.mark.slow
def test_the_provincial_page_is_small_and_navigable(tmp_path: Path) -> None:
    from targets.cli import main

    corpus = Path(__file__).parents[1] / "data" / "provincial-2026"
    assert main(["report", str(corpus), "-o", str(tmp_path), "--quiet"]) == 0
    page = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert len(page.encode("utf-8")) < 1_500_000
    nav = re.search(r"<nav[^>]*>(.*?)</nav>", page, flags=re.S)
    assert nav is not None
    order = re.findall(r">([^<]+)</a>", nav.group(1))
    assert len(order) == 31
    assert order[:3] == ["北京市", "天津市", "河北省"]
    assert order[-1] == "新疆维吾尔自治区"
    assert page.count('<details class="region"') == 31
    assert len(re.findall(r'<details class="region"[^>]* open>', page)) == 3  # 28 folded
    assert '<input id="filter" type="search"' in page
    assert "@media print" in page


def test_a_large_corpus_is_summarised_per_region_and_the_rest_left_to_the_workbook(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # the national and 海拉尔区 series (836 targets) stand in for a corpus beyond the limit
    from targets.cli import main
    from targets.report import model

    monkeypatch.setattr(model, "LARGE_TARGETS", 100)
    monkeypatch.setattr(model, "ROWS_PER_REGION", 20)
    monkeypatch.setattr(model, "FINDINGS_PER_REGION", 5)
    found = Path(__file__).parents[1] / "data" / "found"
    assert main(["report", str(found), "-o", str(tmp_path), "--quiet"]) == 0
    reconciled = pd.read_csv(tmp_path / "reconciled.csv")
    findings = pd.read_csv(tmp_path / "findings.csv")
    page = (tmp_path / "report.html").read_text(encoding="utf-8")
    ahead = r'(?=<details class="region"|<footer)'
    sections = re.findall(r'<details class="region".*?</details>\s*' + ahead, page, flags=re.S)
    assert len(sections) == reconciled["region"].nunique() == 2
    for section in sections:
        region = re.search(r'data-name="([^"]+)"', section).group(1)  # type: ignore[union-attr]
        total = int((reconciled["region"] == region).sum())
        table = re.search(r'<table class="scorecard">.*?</table>', section, flags=re.S)
        assert table is not None
        rows = re.findall(r'<tr class="row', table.group(0))
        assert len(rows) == 20 < total
        assert f"另有 {total - 20} 项未在此列出，全部见 targets.xlsx 的“目标”表。" in section
        # what is listed is judged, the missed chosen first, then the near
        badges = re.findall(r'class="badge out-(\w+)"', table.group(0))
        assert set(badges) <= {"met", "near", "missed"}
        outcomes = reconciled.loc[reconciled["region"] == region, "outcome"]
        missed, near = int((outcomes == "missed").sum()), int((outcomes == "near").sum())
        assert badges.count("missed") == min(20, missed)
        assert badges.count("near") == min(20 - badges.count("missed"), near)
        serious = findings[(findings["region"] == region) & (findings["severity"] != "info")]
        if len(findings[findings["region"] == region]) > 5:
            assert section.count('<article class="finding') == min(5, len(serious))
    markdown = (tmp_path / "report.md").read_text(encoding="utf-8")
    assert markdown.count("全部见 targets.xlsx 的“目标”表") == 2


def test_a_judged_target_has_no_baseline_path(
    records: pd.DataFrame, reconciled: pd.DataFrame, findings: pd.DataFrame
) -> None:
    # the same R&D target, once pending (a path from its baseline) and once met (its actual
    # stands beside it: a path for every past target would cross the whole chart)
    rd = reconciled["indicator"] == "rd_intensity"
    met = reconciled.astype({"outcome": str})
    met.loc[rd, "outcome"] = "met"
    met.loc[rd, "actual_value"] = 3.9
    for frame, dashed in ((reconciled, 1), (met, 0)):
        fragment = charts_html(records, frame, region="临安区")
        svg = next(s for s in re.findall(r"<svg.*?</svg>", fragment, flags=re.S) if "3.42" in s)
        assert svg.count("stroke-dasharray") == dashed


def test_a_target_over_several_years_is_not_drawn_on_a_yearly_series(
    records: pd.DataFrame, reconciled: pd.DataFrame
) -> None:
    # the same R&D target, for 2025 alone and then as a total over 2021-2025 (a plan period)
    plan = records.copy()
    rd = (plan["kind"] == "target") & (plan["indicator"] == "rd_intensity")
    plan.loc[rd, "period_start"] = pd.Timestamp("2021-01-01")
    for frame, diamonds in ((records, 1), (plan, 0)):
        fragment = charts_html(frame, reconciled, region="临安区")
        rd_charts = [s for s in re.findall(r"<svg.*?</svg>", fragment, flags=re.S) if "3.8" in s]
        assert sum(s.count('<path d="M') for s in rd_charts) == diamonds  # target diamonds


def test_a_long_list_of_a_region_folds_and_a_short_one_stays_open(tmp_path: Path) -> None:
    from targets.cli import main
    from targets.report.html import OPEN_PART

    found = Path(__file__).parents[1] / "data" / "found"
    assert main(["report", str(found), "-o", str(tmp_path), "--quiet"]) == 0
    page = (tmp_path / "report.html").read_text(encoding="utf-8")
    reconciled = pd.read_csv(tmp_path / "reconciled.csv")
    parts = re.findall(r'<details class="part" data-open="(\d)"( open)?><summary><h3>([^<]+)', page)
    counts = {int(re.search(r"\((\d+)\)$", title).group(1)) for _, _, title in parts}  # type: ignore[union-attr]
    assert int((reconciled["region"] == "全国").sum()) in counts
    for flag, is_open, title in parts:
        count = int(re.search(r"\((\d+)\)$", title).group(1))  # type: ignore[union-attr]
        assert (flag == "1") == bool(is_open) == (count <= OPEN_PART), title
    assert "details.part').forEach(function(p){p.open=true})" in page  # all open to print
