"""Observations from outside the reports (statistical-yearbook tables) as records (issue 15)."""

from __future__ import annotations

from pathlib import Path

import pytest

from targets.errors import SchemaError
from targets.io import read_observations

TABLE = """region,indicator_text,indicator,year,value,unit,source,period
杭州市临安区,技术交易额,,2024,16.06,亿元,《杭州统计年鉴2025》表3-1,
杭州市临安区,,gdp,2024,"1,023.5",亿元,《杭州统计年鉴2025》表1-1,2024
杭州市临安区,高新技术企业,,2024,750,家,区科技局年报,
,,,,,,,
杭州市临安区,地区生产总值,,2025,5.12E+02,亿元,《杭州统计月报》,2025-01/2025-06
"""


def _table(tmp_path: Path, text: str = TABLE, name: str = "yearbook.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8-sig")
    return path


def test_a_yearbook_table_reads_as_actual_records(tmp_path: Path) -> None:
    frame = read_observations(_table(tmp_path))
    assert len(frame) == 4
    assert set(frame["kind"]) == {"actual"}
    first = frame.iloc[0]
    assert first["indicator"] == "tech_transaction_volume"
    assert first["base_value"] == 1_606_000_000.0
    assert first["base_unit"] == "元"
    assert first["doc"] == "yearbook.csv"
    assert first["record_id"] == "yearbook.csv:row2"
    assert (
        first["quote"]
        == "统计年鉴: 杭州市临安区 2024 技术交易额 16.06亿元 (《杭州统计年鉴2025》表3-1)"
    )
    assert (first["start"], first["end"]) == (0, len(first["quote"]))
    assert frame.iloc[1]["indicator"] == "gdp"
    assert frame.iloc[1]["value"] == 1023.5
    assert frame.iloc[2]["indicator"] == "hitech_enterprises"
    half = frame.iloc[3]
    assert half["record_id"] == "yearbook.csv:row6"  # the blank row 5 is skipped, rows kept
    assert half["months"] == "1-6"
    assert half["value"] == 512.0
    assert str(half["period_end"].date()) == "2025-06-30"


def test_an_xlsx_table_reads_the_same(tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["region", "indicator_text", "year", "value", "unit", "source"])
    sheet.append(["杭州市临安区", "技术交易额", 2024, 16.06, "亿元", "《杭州统计年鉴2025》"])
    path = tmp_path / "yearbook.xlsx"
    book.save(path)
    frame = read_observations(path)
    assert frame.iloc[0]["base_value"] == 1_606_000_000.0
    assert frame.iloc[0]["indicator"] == "tech_transaction_volume"


@pytest.mark.parametrize(
    ("column", "text", "problem"),
    [
        ("unit", "亿圆", "unknown unit '亿圆'"),
        ("indicator_text", "幸福指数值", "'幸福指数值' is not in the catalogue"),
        ("year", "明年", "'明年' is not a year"),
        ("value", "十六亿", "'十六亿' is not a number"),
    ],
)
def test_a_bad_cell_is_refused_in_one_line(
    tmp_path: Path, column: str, text: str, problem: str
) -> None:
    header = "region,indicator_text,year,value,unit,source"
    cells = dict(
        zip(
            header.split(","),
            ["临安区", "技术交易额", "2024", "16.06", "亿元", "年鉴"],
            strict=True,
        )
    )
    cells[column] = text
    path = _table(
        tmp_path, f"{header}\n临安区,技术交易额,2023,1,亿元,年鉴\n" + ",".join(cells.values())
    )
    with pytest.raises(SchemaError) as info:
        read_observations(path)
    assert str(info.value) == f"{path}, row 3, column {column}: {problem}"


def test_reconcile_judges_a_target_by_an_observation(tmp_path: Path) -> None:
    from targets import extract_text
    from targets.frames import to_frame
    from targets.reconcile import reconcile
    from targets.schemas import concat

    targets_frame = to_frame(
        extract_text("2025年工作计划\n技术交易额达到20亿元。", region="杭州市临安区")
    )
    assert targets_frame["kind"].tolist() == ["target"]
    outcomes = {}
    for value in ("21.3", "18.5"):
        table = _table(
            tmp_path,
            "region,indicator_text,year,value,unit,source\n"
            f"杭州市临安区,技术交易额,2025,{value},亿元,《杭州统计年鉴2026》\n",
        )
        records = concat([targets_frame, read_observations(table)])
        row = reconcile(records).iloc[0]
        outcomes[value] = (str(row["outcome"]), row["actual_value"], str(row["actual_doc"]))
    assert outcomes == {
        "21.3": ("met", 21.3, "yearbook.csv"),
        "18.5": ("missed", 18.5, "yearbook.csv"),
    }
