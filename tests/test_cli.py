from __future__ import annotations

import csv
import io
import subprocess
import sys
from pathlib import Path

import pytest

from targets.cli import main
from targets.frames import CONTRACT_COLUMNS

from .conftest import REPORTS, SEED_000


def test_help_lists_commands_with_examples(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--help"]) == 0
    out = capsys.readouterr().out
    assert "extract" in out
    assert "targets extract data/reports --output" in out


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    from targets import __version__

    assert main(["--version"]) == 0
    assert __version__ in capsys.readouterr().out


def test_console_script_entry_point_runs() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "targets.cli", "--version"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0
    assert result.stdout.startswith("targets ")


def test_extract_writes_the_contract(tmp_path: Path) -> None:
    out = tmp_path / "records.csv"
    assert main(["extract", str(REPORTS), "--output", str(out), "--quiet"]) == 0
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    assert set(CONTRACT_COLUMNS) <= set(rows[0])
    text = SEED_000.read_text(encoding="utf-8")
    mine = [r for r in rows if r["doc"] == SEED_000.name]
    assert all(text[int(r["start"]) : int(r["end"])] == r["quote"] for r in mine)
    row = next(
        r for r in mine if r["indicator"] == "tech_transaction_volume" and r["kind"] == "target"
    )
    got = (row["comparator"], float(row["value"]), row["unit"], row["year"])
    assert got == (">=", 10.0, "亿元", "2025")


@pytest.mark.parametrize("fmt", ["jsonl", "parquet"])
def test_extract_other_formats(tmp_path: Path, fmt: str) -> None:
    out = tmp_path / f"records.{fmt}"
    assert main(["extract", str(SEED_000), "--output", str(out), "--quiet"]) == 0
    from targets.io import read_frame

    assert len(read_frame(out)) > 40


def test_bad_file_is_reported_and_skipped(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    binary = tmp_path / "scan.txt"
    binary.write_bytes(b"\x00\x01\x02binary")
    out = tmp_path / "records.csv"
    code = main(
        [
            "extract",
            str(binary),
            str(SEED_000),
            str(tmp_path / "missing.txt"),
            "--output",
            str(out),
            "--quiet",
        ]
    )
    assert code == 2
    err = capsys.readouterr().err
    assert "scan.txt: binary file" in err
    assert "missing.txt: no such file" in err
    assert "Traceback" not in err
    assert "nothing written: 2 inputs could not be read" in err
    assert not out.exists()  # a partial run writes nothing unless asked to
    args = ["extract", str(binary), str(SEED_000), "-o", str(out), "-q", "--partial"]
    assert main(args) == 2
    from targets.io import read_frame

    assert len(read_frame(out)) == 54


def test_no_command_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([]) == 2
    assert main(["extract"]) == 2


@pytest.mark.parametrize(
    ("output", "message"),
    [
        ("records.xlsx", "unknown format 'xlsx'"),
        ("outdir", "is a directory"),
        ("afile/records.csv", "afile is a file, not a folder"),
    ],
)
def test_bad_output_is_refused_before_any_work(
    tmp_path: Path, output: str, message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "outdir").mkdir()
    (tmp_path / "afile").write_text("x")
    code = main(["extract", str(SEED_000), "--output", str(tmp_path / output), "--quiet"])
    assert code == 2
    err = capsys.readouterr().err
    assert message in err
    assert "Traceback" not in err
    assert "/." not in err  # no temporary file name


@pytest.fixture(scope="module")
def seeds_parquet(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("frames") / "records.parquet"
    assert main(["extract", str(REPORTS), "--output", str(path), "--quiet"]) == 0
    return path


def test_reconcile_of_a_frame_missing_a_column_is_one_clear_error(
    tmp_path: Path, seeds_parquet: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import pandas as pd

    broken = tmp_path / "broken.parquet"
    pd.read_parquet(seeds_parquet).drop(columns=["unit"]).to_parquet(broken)
    code = main(["reconcile", str(broken), "--output", str(tmp_path / "r.csv"), "--quiet"])
    err = capsys.readouterr().err
    assert code == 2
    assert f"{broken}: missing column 'unit'" in err
    assert "Traceback" not in err
    assert not (tmp_path / "r.csv").exists()


def test_check_of_a_frame_with_a_wrong_type_names_the_cell(
    tmp_path: Path, seeds_parquet: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import pandas as pd

    frame = pd.read_parquet(seeds_parquet)
    frame["year"] = frame["year"].astype(str)
    frame.loc[3, "year"] = "明年"
    broken = tmp_path / "broken.csv"
    frame.to_csv(broken, index=False)
    code = main(["check", str(broken), "--output", str(tmp_path / "f.csv"), "--quiet"])
    err = capsys.readouterr().err
    assert code == 2
    assert f"{broken}, row 5, column year: '明年' is not a year" in err
    assert "Traceback" not in err


def test_check_fail_on_and_report_from_a_saved_frame(
    tmp_path: Path, seeds_parquet: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import pandas as pd

    findings = tmp_path / "findings.csv"
    assert main(["check", str(seeds_parquet), "--output", str(findings), "--fail-on", "error"]) == 1
    assert "wrote 15 findings (error 7, info 2, warning 6)" in capsys.readouterr().out
    assert main(["check", str(seeds_parquet), "--output", str(findings), "-q"]) == 0
    codes = pd.read_csv(findings)["code"].value_counts().to_dict()
    assert codes == {"target_below_baseline": 14, "target_equals_baseline": 1}
    out = tmp_path / "out"
    assert main(["report", str(seeds_parquet), "--output", str(out), "--quiet"]) == 0
    assert sorted(p.name for p in out.iterdir()) == [
        "findings.csv",
        "reconciled.csv",
        "records.csv",
        "report.html",
        "report.md",
        "targets.xlsx",
    ]
