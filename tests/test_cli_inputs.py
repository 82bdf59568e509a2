"""What the command line reads: folders of reports in every format, each document once, under
an id that keeps same-named files apart; saved frames where a report is expected are refused."""

from __future__ import annotations

import csv
import io
import os
import shutil
import sys
from collections import Counter
from pathlib import Path

import pytest

from targets.cli import main

from .conftest import SEED_000, SEED_004

CASES = Path(__file__).resolve().parent / "cases" / "formats"


def _rows(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"))))


def _run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = main(args)
    return code, capsys.readouterr().err


def test_a_folder_reads_every_format_and_lists_what_it_skipped(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "downloads"
    folder.mkdir()
    shutil.copy(CASES / "000.docx", folder / "linan.docx")
    shutil.copy(SEED_004, folder / "jiande.txt")
    (folder / "scan.jpg").write_bytes(b"\xff\xd8\xff")
    (folder / "notes.md").write_text("# notes", encoding="utf-8")
    out = tmp_path / "records.csv"
    code, err = _run(["extract", str(folder), "-o", str(out)], capsys)
    assert code == 0, err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith(f"targets: note: {folder}: skipped 2 files:")
    assert "notes.md (not a report format" in lines[0]
    assert "scan.jpg (an image: run OCR first" in lines[0]
    docs = {row["doc"] for row in _rows(out)}
    assert docs == {"linan.docx", "jiande.txt"}
    linan = [r for r in _rows(out) if r["doc"] == "linan.docx"]
    assert len(linan) == 54


def test_the_same_report_twice_is_read_once(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "reports"
    folder.mkdir()
    shutil.copy(SEED_000, folder / "a.txt")
    shutil.copy(SEED_000, folder / "copy_of_a.txt")
    out = tmp_path / "records.csv"
    # a folder, a file inside it, and a copy under another name
    code, err = _run(["extract", str(folder), str(folder / "a.txt"), "-o", str(out)], capsys)
    assert code == 0, err
    assert f"note: {folder / 'copy_of_a.txt'} has the same content as {folder / 'a.txt'}" in err
    rows = _rows(out)
    assert len(rows) == 54
    assert {r["doc"] for r in rows} == {"a.txt"}


def test_same_named_files_in_two_folders_stay_two_documents(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for name, seed in (("linan", SEED_000), ("jiande", SEED_004)):
        (tmp_path / name).mkdir()
        shutil.copy(seed, tmp_path / name / "report.txt")
    out = tmp_path / "records.csv"
    code, err = _run(
        ["extract", str(tmp_path / "linan"), str(tmp_path / "jiande"), "-o", str(out), "-q"],
        capsys,
    )
    assert code == 0, err
    rows = _rows(out)
    assert {r["doc"] for r in rows} == {"linan/report.txt", "jiande/report.txt"}
    assert len({r["record_id"] for r in rows}) == len(rows)
    assert {r["region"] for r in rows if r["doc"] == "linan/report.txt"} == {"临安区"}


@pytest.mark.parametrize("command", ["check", "report"])
def test_a_saved_frame_and_its_source_count_once(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], command: str
) -> None:
    saved = tmp_path / "records.csv"
    assert main(["extract", str(SEED_000), "-o", str(saved), "-q"]) == 0
    once = tmp_path / "once"
    twice = tmp_path / "twice"
    output = ["-o", str(once / "findings.csv")] if command == "check" else ["-o", str(once)]
    assert main([command, str(SEED_000), *output, "-q"]) == 0
    output = ["-o", str(twice / "findings.csv")] if command == "check" else ["-o", str(twice)]
    code, err = _run([command, str(saved), str(SEED_000), str(saved), *output], capsys)
    assert code == 0, err
    assert f"the records of {SEED_000.name} are given twice: counted once" in err
    name = "findings.csv"
    assert _rows(twice / name) == _rows(once / name)


def test_two_versions_of_one_record_are_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    saved = tmp_path / "records.csv"
    assert main(["extract", str(SEED_000), "-o", str(saved), "-q"]) == 0
    edited = tmp_path / "edited.csv"
    # an analyst's edited copy beside the original: one rank corrected
    text = saved.read_text(encoding="utf-8-sig").replace("增幅居全市第1位", "增幅居全市第2位")
    edited.write_text(text, encoding="utf-8-sig")
    code, err = _run(["check", str(saved), str(edited), "-o", str(tmp_path / "f.csv")], capsys)
    assert code == 2
    assert err.count("\n") == 1
    assert "is given twice with different content" in err
    assert not (tmp_path / "f.csv").exists()


def test_extract_of_a_saved_frame_says_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    saved = tmp_path / "records.csv"
    assert main(["extract", str(SEED_000), "-o", str(saved), "-q"]) == 0
    out = tmp_path / "again.csv"
    code, err = _run(["extract", str(saved), "-o", str(out)], capsys)
    assert code == 2
    assert err == (
        f"targets: {saved}: is a table (a saved frame or observations), not a report: extract "
        "reads reports (.txt .html .docx .pdf); give tables to reconcile, check or report\n"
    )
    assert not out.exists()


def test_a_mistyped_input_keeps_the_previous_output(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "records.csv"
    assert main(["extract", str(SEED_000), "-o", str(out), "-q"]) == 0
    before = out.read_bytes()
    code, err = _run(["extract", str(tmp_path / "reprots"), "-o", str(out)], capsys)
    assert code == 2
    assert err == f"targets: {tmp_path / 'reprots'}: no such file (nothing written)\n"
    assert out.read_bytes() == before
    code, err = _run(["extract", str(SEED_004), str(tmp_path / "reprots"), "-o", str(out)], capsys)
    assert code == 2
    assert out.read_bytes() == before


@pytest.mark.parametrize("step", ["reconcile", "check"])
def test_a_frame_holding_a_record_twice_is_one_clear_error(step: str) -> None:
    import pandas as pd

    import targets
    from targets.checks import check
    from targets.errors import SchemaError
    from targets.frames import to_frame
    from targets.reconcile import reconcile

    frame = to_frame(targets.extract(SEED_000))
    doubled = pd.concat([frame, frame], ignore_index=True)
    run = reconcile if step == "reconcile" else check
    with pytest.raises(SchemaError, match=r"row 54: the same record again \(record_id, indicator"):
        run(doubled)


def test_observations_from_a_yearbook_table_reconcile_a_report_target(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # seed 000 plans 技术交易额 of 10亿元 for 2025; a yearbook row gives the 2025 figure
    table = tmp_path / "yearbook.csv"
    table.write_text(
        "region,indicator_text,year,value,unit,source\n"
        "杭州市临安区,技术交易额,2025,12.5,亿元,统计年鉴2026 表3-1\n",
        encoding="utf-8",
    )
    out = tmp_path / "reconciled.csv"
    code, err = _run(["reconcile", str(SEED_000), str(table), "-o", str(out), "-q"], capsys)
    assert code == 0, err
    row = next(r for r in _rows(out) if r["indicator"] == "tech_transaction_volume")
    assert (row["target_value"], row["actual_value"], row["outcome"]) == ("10.0", "12.5", "met")
    assert row["actual_doc"] == "yearbook.csv"
    assert row["actual_quote"].startswith("统计年鉴")


def test_a_bad_observation_row_is_one_line_naming_the_excel_row(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    table = tmp_path / "yearbook.csv"
    table.write_text(
        "region,indicator_text,year,value,unit,source\n"
        "杭州市临安区,技术交易额,2025,12.5,亿元,年鉴\n"
        "杭州市临安区,技术交易额,2025,十二,亿元,年鉴\n",
        encoding="utf-8",
    )
    out = tmp_path / "reconciled.csv"
    code, err = _run(["reconcile", str(SEED_000), str(table), "-o", str(out)], capsys)
    assert code == 2
    assert err.count("\n") == 1, err
    assert f"{table}, row 3, column value: '十二' is not a number" in err
    assert not out.exists()


def test_stdout_output_carries_only_the_frame(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["extract", str(SEED_000), "-o", "-"]) == 0
    captured = capsys.readouterr()
    rows = list(csv.DictReader(io.StringIO(captured.out)))
    assert len(rows) == 54
    assert captured.err.startswith("wrote 54 records")


def test_report_replaces_its_files_together_or_not_at_all(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import targets.report

    out = tmp_path / "out"
    assert main(["report", str(SEED_000), "-o", str(out), "-q"]) == 0
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    assert set(before) == {
        "report.html", "report.md", "targets.xlsx", "records.csv", "reconciled.csv", "findings.csv"
    }  # fmt: skip

    def broken(*args: object, **kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(targets.report, "write_workbook", broken)
    code, err = _run(["report", str(SEED_000), str(SEED_004), "-o", str(out), "-q"], capsys)
    assert code == 2
    assert "No space left on device" in err
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before  # no temporaries either


def test_an_output_behind_a_link_keeps_the_link(tmp_path: Path) -> None:
    real = tmp_path / "shared" / "records.csv"
    real.parent.mkdir()
    real.write_text("old", encoding="utf-8")
    link = tmp_path / "records.csv"
    link.symlink_to(real)
    assert main(["extract", str(SEED_000), "-o", str(link), "-q"]) == 0
    assert link.is_symlink()
    assert len(_rows(real)) == 54


def test_one_report_in_two_formats_is_counted_once(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "reports"
    folder.mkdir()
    shutil.copy(SEED_000, folder / "linan.txt")
    shutil.copy(CASES / "000.docx", folder / "linan-2025.docx")
    shutil.copy(SEED_004, tmp_path / "jiande.txt")
    out = tmp_path / "records.csv"
    code, err = _run(["extract", str(folder), str(tmp_path / "jiande.txt"), "-o", str(out)], capsys)
    assert code == 0
    assert err == (
        "targets: note: reports/linan.txt reads as the same report as reports/linan-2025.docx: "
        "counted once\n"
    )
    docs = Counter(row["doc"] for row in _rows(out))
    assert docs == {"reports/linan-2025.docx": 54, "jiande.txt": 35}


def test_a_reader_that_stops_early_ends_the_run_quietly(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    class ClosedPipe(io.StringIO):  # `targets extract ... -o - | head -1`
        def write(self, text: str) -> int:
            raise BrokenPipeError(32, "Broken pipe")

        def fileno(self) -> int:
            return devnull

    devnull = os.open(os.devnull, os.O_WRONLY)
    monkeypatch.setattr(sys, "stdout", ClosedPipe())
    try:
        code = main(["extract", str(SEED_000), "-o", "-"])
    finally:
        os.close(devnull)
    assert code == 141
    assert capsys.readouterr().err == ""


def test_two_places_reports_in_the_same_words_stay_two_reports(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "reports"
    folder.mkdir()
    shutil.copy(SEED_000, folder / "linan.txt")
    # the same body under another bureau's header: another place's report, not a copy
    text = SEED_000.read_text(encoding="utf-8")
    (folder / "xihu.txt").write_text(text.replace("临安区", "西湖区"), encoding="utf-8")
    out = tmp_path / "records.csv"
    code, err = _run(["extract", str(folder), "-o", str(out)], capsys)
    assert code == 0
    assert "counted once" not in err
    regions = Counter(row["region"] for row in _rows(out))
    assert regions == {"临安区": 54, "西湖区": 54}
