"""Document identity of all 63 real reports, read from the text alone, and how users state it
(keyword arguments, --region/--year, a MANIFEST.csv beside the reports)."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from targets import extract, extract_text
from targets.cli import main
from targets.errors import ManifestError
from targets.extract import read_report
from targets.extract.document import read_manifest
from targets.regions import find_division

from .conftest import PROVINCIAL, REPORTS, ROOT

FOUND = ROOT / "data" / "found"

SEEDS = {  # file prefix: region, parent, issuer, results year, plan year
    "000": ("临安区", "杭州市", "临安区科技局", 2024, 2025),
    "001": ("余杭区", "杭州市", "余杭区科技局", 2024, 2025),
    "002": ("西湖区", "杭州市", "西湖区科技局", 2016, 2017),
    "003": ("临安区", "杭州市", "临安区科技局", 2020, 2021),
    "004": ("建德市", "杭州市", "建德市科学技术局", 2023, 2024),
}


@pytest.mark.parametrize("path", sorted(REPORTS.glob("*.txt")), ids=lambda p: p.name[:3])
def test_seed_identity(path: Path) -> None:
    r = read_report(path)
    assert (r.region, r.parent, r.issuer, r.results_year, r.plan_year) == SEEDS[path.name[:3]]
    assert r.level == "county"


@pytest.mark.parametrize("path", sorted(PROVINCIAL.glob("*.txt")), ids=lambda p: p.stem)
def test_provincial_identity(path: Path) -> None:
    r = read_report(path)
    assert (r.region, r.level, r.parent) == (path.stem, "province", "全国")
    assert (r.results_year, r.plan_year) == (2025, 2026)
    assert r.issuer == f"{path.stem}人民政府"
    assert r.region_code == find_division(path.stem).code  # type: ignore[union-attr]


def _found() -> list[dict[str, str]]:
    with (FOUND / "MANIFEST.csv").open(encoding="utf-8") as f:
        return list(csv.DictReader(f))


@pytest.mark.parametrize("row", _found(), ids=lambda r: r["file"][:-11])
def test_found_identity_from_the_text(row: dict[str, str]) -> None:
    """The text alone (not the manifest) gives the place and the years."""
    r = read_report(FOUND / row["file"])
    year = int(row["year"])
    assert (r.plan_year, r.results_year) == (year, year - 1)
    if row["file"].startswith("国务院"):
        assert (r.region, r.level, r.parent, r.issuer) == ("全国", "national", "", "国务院")
    else:
        assert (r.region, r.level, r.parent) == ("海拉尔区", "county", "呼伦贝尔市")


def test_keywords_state_region_and_year() -> None:
    text = (
        "一、过去一年工作回顾\n地区生产总值完成235.2亿元。\n二、今年工作安排\n地区生产总值增长8%。"
    )
    records = extract_text(text, region="呼伦贝尔市海拉尔区", year=2019)
    assert {r.region for r in records} == {"呼伦贝尔市海拉尔区"}
    assert sorted((r.kind, r.period_end.year) for r in records) == [
        ("actual", 2018),
        ("target", 2019),
    ]


def _folder(tmp_path: Path, manifest: str) -> Path:
    text = (
        "一、过去一年工作回顾\n地区生产总值完成235.2亿元。\n二、今年工作安排\n地区生产总值增长8%。"
    )
    (tmp_path / "a.txt").write_text(text, encoding="utf-8")
    (tmp_path / "MANIFEST.csv").write_text(manifest, encoding="utf-8")
    return tmp_path / "a.txt"


def test_manifest_describes_a_folder(tmp_path: Path) -> None:
    path = _folder(tmp_path, "file,region,year,source\na.txt,呼伦贝尔市海拉尔区,2019,web\n")
    records = extract(path)
    assert {(r.region, r.kind, r.period_end.year) for r in records} == {
        ("呼伦贝尔市海拉尔区", "actual", 2018),
        ("呼伦贝尔市海拉尔区", "target", 2019),
    }
    # a keyword argument wins over the manifest
    assert {r.period_end.year for r in extract(path, year=2020) if r.kind == "target"} == {2020}


@pytest.mark.parametrize(
    ("manifest", "message"),
    [
        ("name,region\na.txt,x\n", "has no 'file' column"),
        ("file,year\na.txt,19\n", "row 2: year '19' of a.txt is not a year"),
        ("file,year\na.txt,2019\n\na.txt,2020\n", "row 4: a.txt is listed twice"),
    ],
)
def test_bad_manifest_is_one_line_with_its_row(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], manifest: str, message: str
) -> None:
    path = _folder(tmp_path, manifest)
    with pytest.raises(ManifestError, match=message):
        read_manifest(tmp_path / "MANIFEST.csv")
    out = tmp_path / "out.csv"
    assert main(["extract", str(tmp_path), "-o", str(out)]) == 2
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0
    assert "MANIFEST.csv" in err
    assert message.rsplit(": ", maxsplit=1)[-1] in err
    assert not out.exists()
    assert path.exists()


def test_cli_region_and_year(tmp_path: Path) -> None:
    path = _folder(tmp_path, "file\n")
    out = tmp_path / "r.csv"
    args = ["extract", str(path), "-o", str(out), "-q", "--region", "海拉尔区", "--year", "2019"]
    assert main(args) == 0
    with out.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert {(r["region"], r["kind"], r["year"]) for r in rows} == {
        ("海拉尔区", "actual", "2018"),
        ("海拉尔区", "target", "2019"),
    }
