"""The workbook for Excel users (``targets.xlsx``), read back with openpyxl on real seed data."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from .conftest import REPORTS, ROOT, SEED_000

openpyxl = pytest.importorskip("openpyxl")

HAILAR = sorted((ROOT / "data" / "found").glob("呼伦贝尔市海拉尔区-*.txt"))


@dataclass(frozen=True)
class Frames:
    records: pd.DataFrame
    reconciled: pd.DataFrame
    findings: pd.DataFrame


@pytest.fixture(scope="module")
def frames() -> Frames:
    import targets
    from targets.checks import check
    from targets.reconcile import reconcile
    from targets.series import series

    paths = sorted(REPORTS.glob("*.txt")) + HAILAR
    records = targets.to_frame([r for p in paths for r in targets.extract(p)])
    points = series(records)
    reconciled = reconcile(records, series=points, validate=False)
    return Frames(records, reconciled, check(records, reconciled, series=points))


@pytest.fixture(scope="module")
def books(frames: Frames, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    from targets.report import write_excel

    folder = tmp_path_factory.mktemp("xlsx")
    out = {}
    for lang in ("zh", "en"):
        path = folder / f"{lang}.xlsx"
        if lang == "zh":  # the default
            write_excel(frames.records, frames.reconciled, frames.findings, path)
        else:
            write_excel(frames.records, frames.reconciled, frames.findings, path, lang=lang)
        out[lang] = openpyxl.load_workbook(path)
    return out


def _header(sheet: Any) -> list[str]:
    return [str(c.value) for c in sheet[1]]


def _rows(sheet: Any) -> list[dict[str, Any]]:
    """Data rows keyed by header; a visible and a hidden column may share no header."""
    names = _header(sheet)
    return [
        dict(zip(names, row, strict=True)) for row in sheet.iter_rows(min_row=2, values_only=True)
    ]


def _cells(sheet: Any, column: str) -> list[Any]:
    j = _header(sheet).index(column) + 1
    return [sheet.cell(row=i, column=j) for i in range(2, sheet.max_row + 1)]


def _hidden(sheet: Any) -> set[str]:
    names = _header(sheet)
    hidden = set()
    for dim in sheet.column_dimensions.values():  # one entry may span columns min..max
        if dim.hidden:
            hidden.update(range(dim.min, dim.max + 1))
    return {names[i - 1] for i in sorted(hidden) if i <= len(names)}


def test_opens_on_the_summary_in_chinese_by_default(books: dict[str, Any]) -> None:
    zh, en = books["zh"], books["en"]
    assert zh.sheetnames == ["汇总", "历年目标与实绩", "核查发现", "目标", "实绩", "说明"]
    assert en.sheetnames == ["Summary", "Track record", "Findings", "Targets", "Actuals", "Legend"]
    for book in (zh, en):
        assert book.active.title == book.sheetnames[0]
        assert book.index(book.active) == 0
    assert _header(zh["汇总"])[:8] == [
        "地区",
        "指标",
        "达成",
        "接近",
        "未达成",
        "待评估",
        "不可比",
        "合计",
    ]
    assert _header(en["Summary"])[:3] == ["Region", "Indicator", "met"]
    assert _header(zh["历年目标与实绩"])[0] == "结果"
    assert _header(en["Track record"])[0] == "Outcome"
    for book in (zh, en):
        for sheet in book.worksheets:
            assert sheet.freeze_panes is not None
            assert str(sheet.auto_filter.ref).startswith("A1:")


def test_values_are_translated_and_codes_kept_hidden(books: dict[str, Any], frames: Frames) -> None:
    track = books["zh"]["历年目标与实绩"]
    rows = _rows(track)
    assert {r["outcome"] for r in rows} <= {"met", "near", "missed", "pending", "not_comparable"}
    pairs = {(r["outcome"], r["结果"]) for r in rows}
    assert ("met", "达成") in pairs
    assert ("pending", "待评估") in pairs
    assert {r["比较符"] for r in rows} <= {"≥", ">", "=", "≤", "<", "≈", "范围"}
    expected_hidden = {
        "历年目标与实绩": {"outcome", "indicator", "comparator", "direction", "record_id"},
        "核查发现": {"severity", "code", "indicator", "measure", "record_id"},
        "目标": {"outcome", "indicator", "measure", "comparator", "progress", "record_id"},
        "实绩": {"kind", "indicator", "measure", "comparator", "record_id"},
        "汇总": {"region", "indicator", "row"},
    }
    for name, codes in expected_hidden.items():
        sheet = books["zh"][name]
        hidden = _hidden(sheet)
        assert codes <= hidden, name
        names = _header(sheet)
        # the hidden codes are the last columns, every visible column before them
        assert set(names[len(names) - len(hidden) :]) == hidden, name
    findings = _rows(books["zh"]["核查发现"])
    assert len(findings) == len(frames.findings)
    assert {r["严重程度"] for r in findings} <= {"严重", "警告", "提示"}
    assert all(r["说明"] for r in findings)
    en = _rows(books["en"]["Findings"])
    assert {r["Severity"] for r in en} == set(frames.findings["severity"].astype(str))


def test_summary_counts_are_the_reconciled_outcomes_per_region(
    books: dict[str, Any], frames: Frames
) -> None:
    rows = _rows(books["zh"]["汇总"])
    outcomes = {"met": "达成", "near": "接近", "missed": "未达成", "pending": "待评估"}
    outcomes["not_comparable"] = "不可比"
    rec = frames.reconciled.astype({"region": str, "outcome": str})
    expected = rec.groupby("region")["outcome"].value_counts()
    totals = {r["region"]: r for r in rows if r["row"] == "region"}
    assert set(totals) == set(rec["region"])
    for region, row in totals.items():
        for code, header in outcomes.items():
            assert row[header] == expected.get((region, code), 0), (region, code)
        assert row["合计"] == (rec["region"] == region).sum()
        assert row["指标"] == "合计"
        per_indicator = [r for r in rows if r["row"] == "indicator" and r["region"] == region]
        for header in (*outcomes.values(), "合计"):
            assert sum(r[header] for r in per_indicator) == row[header]
    (everything,) = [r for r in rows if r["row"] == "all"]
    assert everything["合计"] == len(rec)
    assert everything["达成"] == (rec["outcome"] == "met").sum()
    # an indicator of the catalogue is named as the catalogue names it
    names = {(r["region"], r["indicator"]): r["指标"] for r in rows}
    assert names[("临安区", "tech_transaction_volume")] == "技术交易额"
    en = {r["indicator"]: r["Indicator"] for r in _rows(books["en"]["Summary"])}
    assert en["tech_transaction_volume"] == "Technology transaction volume"


def test_outcome_value_unit_year_and_message_come_first(books: dict[str, Any]) -> None:
    track = _header(books["zh"]["历年目标与实绩"])[:10]
    for column in ("结果", "目标值", "实绩值", "单位", "年份", "备注"):
        assert column in track
    findings = _header(books["zh"]["核查发现"])[:10]
    for column in ("严重程度", "说明", "目标值", "单位", "年份"):
        assert column in findings
    targets = _header(books["zh"]["目标"])[:10]
    for column in ("结果", "目标值", "单位", "年份", "实绩值"):
        assert column in targets
    for name in ("历年目标与实绩", "核查发现", "目标", "实绩"):
        names = _header(books["zh"][name])
        assert names.index("原文" if "原文" in names else "目标原文") > names.index("年份")


def test_number_formats_by_unit(books: dict[str, Any]) -> None:
    from targets.report.excel import MONEY_FORMAT, PERCENT_FORMAT, WHOLE_FORMAT

    actuals = books["zh"]["实绩"]
    rows = list(zip(_cells(actuals, "原文"), _cells(actuals, "数值"), strict=True))
    (money,) = [v for q, v in rows if str(q.value).startswith("技术交易额16.06亿元")]
    assert money.value == pytest.approx(16.06)
    assert money.number_format == MONEY_FORMAT
    assert money.number_format.startswith("#,##0.00")  # two decimals at least
    (share,) = [v for q, v in rows if str(q.value).startswith("R&D经费支出占GDP的比重为3.87%")]
    assert share.value == pytest.approx(3.87)  # the number of percent, never divided by 100
    assert share.number_format == PERCENT_FORMAT
    assert share.number_format.endswith('"%"')

    targets = books["zh"]["目标"]
    by_quote = {
        q.value: v for q, v in zip(_cells(targets, "原文"), _cells(targets, "目标值"), strict=True)
    }
    assert by_quote["技术交易总额10亿元"].number_format == MONEY_FORMAT
    count = by_quote["国家高新技术企业累计突破750家"]
    assert count.value == 750
    assert count.number_format == WHOLE_FORMAT
    assert {c.number_format for c in _cells(targets, "年份") if c.value is not None} == {"0"}
    assert all(isinstance(c.value, int) for c in _cells(targets, "年份"))
    dates = [c for c in _cells(actuals, "期间起") if c.value is not None]
    assert dates
    assert {c.number_format for c in dates} == {"yyyy-mm-dd"}


def test_stored_numbers_carry_no_float_noise(books: dict[str, Any]) -> None:
    for sheet in books["zh"].worksheets:
        for row in sheet.iter_rows(min_row=2, values_only=True):
            for value in row:
                if isinstance(value, float):
                    assert value == float(f"{value:.10g}"), (sheet.title, value)


def test_the_legend_explains_every_outcome_and_severity_that_occurs(
    books: dict[str, Any], frames: Frames
) -> None:
    from targets.report.model import labels

    for lang, name in (("zh", "说明"), ("en", "Legend")):
        sheet = books[lang][name]
        assert "code" in _hidden(sheet)
        rows = _rows(sheet)
        terms = {(r["code"], r[_header(sheet)[1]]): r[_header(sheet)[2]] for r in rows}
        for group, codes in (
            ("outcome", frames.reconciled["outcome"].astype(str)),
            ("severity", frames.findings["severity"].astype(str)),
            ("finding", frames.findings["code"].astype(str)),
        ):
            for code in set(codes):
                meaning = terms.get((code, labels(group, lang)[code]))
                assert meaning, (lang, group, code)
        sheets = {r["code"] for r in rows if r[_header(sheet)[0]] in ("工作表", "Sheets")}
        assert sheets == {"summary", "track_record", "findings", "targets", "actuals", "legend"}


def test_write_report_passes_the_language(frames: Frames, tmp_path: Path) -> None:
    from targets.report import report_files

    files = report_files(frames.records, frames.reconciled, frames.findings, tmp_path, lang="en")
    path, write = files["xlsx"]
    write(path)
    book = openpyxl.load_workbook(path)
    assert book.sheetnames[0] == "Summary"


def test_a_bad_language_is_refused(frames: Frames, tmp_path: Path) -> None:
    from targets.report import write_excel

    with pytest.raises(ValueError, match="lang must be"):
        write_excel(
            frames.records, frames.reconciled, frames.findings, tmp_path / "x.xlsx", lang="fr"
        )


def test_the_seed_report_is_in_the_workbook(books: dict[str, Any]) -> None:
    docs = Counter(str(r["文件"]) for r in _rows(books["zh"]["实绩"]))
    assert any(d.endswith(SEED_000.name) for d in docs)
