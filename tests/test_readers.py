"""Report files in the formats they are published in: web pages, Word files and PDFs.

The cases under ``tests/cases/formats/`` are the seed report 000 written as a bureau's web page
(navigation, metadata table, share buttons, footer, scripts), as a Word file and as the PDF a
browser prints of that page (``tools/make_format_cases.py``).
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

import pytest

import targets
from targets.errors import DependencyError, DocumentError, EncodingError, FileError
from targets.readers import read_text, repair_radicals

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "data" / "reports" / "000_835873c35e75d7b1.txt"
CASES = ROOT / "tests" / "cases" / "formats"


def _key(record: targets.models.Record) -> tuple[object, ...]:
    return (
        type(record).__name__,
        record.indicator,
        record.indicator_text,
        float(record.value.magnitude),
        str(record.value.units),
        record.evidence.quote,
        record.region,
    )


@pytest.fixture(scope="module")
def seed_records() -> Counter[tuple[object, ...]]:
    return Counter(map(_key, targets.extract(SEED)))


@pytest.mark.parametrize("suffix", ["html", "docx", "pdf"])
def test_each_format_gives_the_records_of_the_text(
    suffix: str, seed_records: Counter[tuple[object, ...]]
) -> None:
    path = CASES / f"000.{suffix}"
    records = targets.extract(path)
    assert len(seed_records) == 54
    assert Counter(map(_key, records)) == seed_records
    text = read_text(path)
    assert all(text[r.evidence.start : r.evidence.end] == r.evidence.quote for r in records)
    assert {r.evidence.doc for r in records} == {path.name}
    transactions = {
        (type(r).__name__, float(r.value.magnitude), f"{r.value.units}")
        for r in records
        if r.indicator == "tech_transaction_volume"
    }
    assert transactions == {("Actual", 16.06, "yi_yuan"), ("Target", 10.0, "yi_yuan")}


def test_a_page_keeps_its_main_text_only() -> None:
    text = read_text(CASES / "000.html")
    assert "实现技术交易额16.06亿元" in text
    for furniture in ("请输入关键字", "版权所有", "浙ICP备", "_hmt", "querySelectorAll", "<p>"):
        assert furniture not in text


def test_a_page_that_shows_its_text_twice_counts_it_once(tmp_path: Path) -> None:
    page = (CASES / "000.html").read_text(encoding="utf-8")
    start = page.index('<div class="content">')
    end = page.index("</div>", start) + len("</div>")
    twice = page[:end] + page[start:end] + page[end:]
    path = tmp_path / "twice.html"
    path.write_text(twice, encoding="utf-8")
    assert len(targets.extract(path)) == 54


def test_a_page_saved_under_txt_is_read_as_a_page(tmp_path: Path) -> None:
    path = tmp_path / "page.txt"
    path.write_bytes((CASES / "000.html").read_bytes())
    assert "<p>" not in read_text(path)
    assert len(targets.extract(path)) == 54


def test_pdf_radicals_and_wrapped_lines_are_repaired() -> None:
    assert (
        repair_radicals("杭州市临安区⼈⺠政府 ⾸⻚ 部⻔⽂件")
        == "杭州市临安区人民政府 首页 部门文件"
    )
    text = read_text(CASES / "000.pdf")
    assert "杭州市临安区人民政府" in text
    # the page wraps 实现技术交易 / 额16.06亿元 across two lines: one sentence again
    assert "实现技术交易额16.06亿元,同比增长21.58%" in text
    assert "一、2024年工作总结\n" in text  # a heading stays its own line


_BLANK_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


def test_a_scanned_pdf_says_it_has_no_text_layer(tmp_path: Path) -> None:
    path = tmp_path / "scan.pdf"
    path.write_bytes(_BLANK_PDF)
    with pytest.raises(DocumentError, match=r"scan.pdf: a PDF without a text layer \(1 pages"):
        read_text(path)


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("broken.pdf", b"%PDF-1.4\nnot really", "not a readable PDF"),
        ("broken.docx", b"PK\x03\x04word/ not a zip", "not a readable .docx file"),
        ("old.doc", b"\xd0\xcf\x11\xe0", "an old Word .doc file: save it as .docx or PDF"),
        ("photo.jpg", b"\xff\xd8\xff", "an image: run OCR first"),
    ],
)
def test_unreadable_files_are_one_clear_error(
    tmp_path: Path, name: str, data: bytes, message: str
) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(DocumentError, match=message) as caught:
        read_text(path)
    assert isinstance(caught.value, FileError | OSError)
    assert str(caught.value).startswith(str(path))
    assert "\n" not in str(caught.value)


def test_a_bad_byte_after_a_bom_names_its_offset(tmp_path: Path) -> None:
    path = tmp_path / "bom.txt"
    good = "2024年技术交易额16亿元".encode()  # 30 bytes after the 3 of the mark
    path.write_bytes(b"\xef\xbb\xbf" + good + b"\xff\xfe\xfd")
    with pytest.raises(EncodingError, match=r"bad byte 0xff at offset 33 after a UTF-8"):
        read_text(path)


def test_a_missing_extra_names_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "trafilatura", None)  # import fails as if not installed
    with pytest.raises(DependencyError, match=r"pip install 'targets\[formats\]'") as caught:
        read_text(CASES / "000.html")
    assert isinstance(caught.value, ImportError)
