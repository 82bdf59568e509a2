"""Frames on disk: atomic writes that never lose an output, and faithful reading of frames that
were edited and re-saved in Excel or WPS (issue 15)."""

from __future__ import annotations

import contextlib
import os
import stat
import threading
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from targets.errors import FileError, SchemaError
from targets.frames import to_frame
from targets.io import atomic_write, read_frame, write_files, write_frame

from .conftest import SEED_000


@pytest.fixture(scope="module")
def seed_frame() -> pd.DataFrame:
    from targets import extract

    return to_frame(extract(SEED_000))


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if ".targets-tmp-" in p.name)


# --- writing -----------------------------------------------------------------------------------


def test_temporary_files_are_named_after_the_target_and_removed_on_interrupt(
    tmp_path: Path,
) -> None:
    out = tmp_path / "records.csv"
    out.write_text("old", encoding="utf-8")
    seen: list[str] = []

    def interrupted(tmp: Path) -> None:
        seen.append(tmp.name)
        assert tmp.parent == tmp_path
        tmp.write_text("half a fi", encoding="utf-8")
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        atomic_write(out, interrupted)
    assert seen[0].startswith(".records.csv.targets-tmp-")
    assert out.read_text(encoding="utf-8") == "old"
    assert _leftovers(tmp_path) == []


def test_a_symlinked_output_keeps_its_link_and_replaces_its_target(
    tmp_path: Path, seed_frame: pd.DataFrame
) -> None:
    real_dir = tmp_path / "real"
    real_dir.mkdir()
    real = real_dir / "records.csv"
    real.write_text("old", encoding="utf-8")
    link = tmp_path / "link.csv"
    link.symlink_to(real)
    write_frame(seed_frame, link)
    assert link.is_symlink()
    assert os.readlink(link) == str(real)
    assert len(read_frame(real)) == len(seed_frame)
    assert _leftovers(tmp_path) == []
    assert _leftovers(real_dir) == []


def test_a_fifo_output_is_written_into_not_replaced(
    tmp_path: Path, seed_frame: pd.DataFrame
) -> None:
    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()), daemon=True)
    reader.start()
    write_frame(seed_frame, fifo)
    reader.join(timeout=30)
    assert stat.S_ISFIFO(fifo.stat().st_mode)
    assert got
    assert got[0].decode("utf-8-sig").startswith("record_id,doc,region")
    assert _leftovers(tmp_path) == []


def test_dev_null_stays_a_device(seed_frame: pd.DataFrame) -> None:
    write_frame(seed_frame, "/dev/null")
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)


@pytest.mark.parametrize("fmt", ["csv", "jsonl"])
def test_dash_writes_to_stdout(
    fmt: str,
    seed_frame: pd.DataFrame,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(tmp_path)
    write_frame(seed_frame, "-", fmt)
    out = capsys.readouterr().out
    assert "技术交易额16.06亿元" in out
    assert len(out.splitlines()) == len(seed_frame) + (fmt == "csv")
    assert not Path("-").exists()


def test_write_files_replaces_all_or_none(tmp_path: Path) -> None:
    names = ["records.csv", "reconciled.csv", "report.html"]
    for name in names:
        (tmp_path / name).write_text(f"old {name}", encoding="utf-8")

    def text(content: str) -> object:
        return lambda tmp: tmp.write_text(content, encoding="utf-8")

    def broken(tmp: Path) -> None:
        tmp.write_text("partial", encoding="utf-8")
        raise OSError(28, "No space left on device")

    writes = {
        tmp_path / "records.csv": text("new records"),
        tmp_path / "reconciled.csv": broken,
        tmp_path / "report.html": text("new report"),
    }
    with pytest.raises(OSError, match="No space left"):
        write_files(writes)  # type: ignore[arg-type]
    assert [(tmp_path / n).read_text(encoding="utf-8") for n in names] == [
        f"old {n}" for n in names
    ]
    assert _leftovers(tmp_path) == []

    writes[tmp_path / "reconciled.csv"] = text("new reconciled")
    writes[tmp_path / "sub" / "findings.csv"] = text("new findings")
    written = write_files(writes)  # type: ignore[arg-type]
    assert written == list(writes)
    assert (tmp_path / "reconciled.csv").read_text(encoding="utf-8") == "new reconciled"
    assert (tmp_path / "sub" / "findings.csv").read_text(encoding="utf-8") == "new findings"
    assert _leftovers(tmp_path) == []


def test_write_files_refuses_one_file_twice(tmp_path: Path) -> None:
    real = tmp_path / "a.csv"
    real.write_text("old", encoding="utf-8")
    (tmp_path / "b.csv").symlink_to(real)

    def write(tmp: Path) -> None:
        tmp.write_text("new", encoding="utf-8")

    with pytest.raises(FileError, match="twice"):
        write_files({real: write, tmp_path / "b.csv": write})
    assert real.read_text(encoding="utf-8") == "old"


# --- reading frames re-saved by Excel or WPS ----------------------------------------------------

JARGON = (
    "column_in_schema",
    "column_in_dataframe",
    "coerce_dtype",
    "span_is_ordered",
    "range_has_high",
    "DataFrameSchema",
    "isin(",
    "str_matches",
    "failed for",
)


def _cells(frame: pd.DataFrame, tmp_path: Path) -> pd.DataFrame:
    """The frame as the text cells of its CSV file."""
    path = write_frame(frame, tmp_path / "plain.csv")
    return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")


def _excel(cells: pd.DataFrame, path: Path, *, encoding: str = "utf-8-sig", sep: str = ",") -> Path:
    """Save text cells the way Excel or WPS does: an empty unnamed column at the end and a few
    blank rows (rows emptied in the sheet) in the middle and at the end."""
    out = cells.copy()
    out[""] = ""
    blank = pd.DataFrame([[""] * out.shape[1]] * 2, columns=out.columns)
    out = pd.concat([out.iloc[:4], blank, out.iloc[4:], blank], ignore_index=True)
    text = out.to_csv(index=False, sep=sep, lineterminator="\r\n")
    path.write_bytes(text.encode(encoding))
    return path


def _reformatted(cells: pd.DataFrame, *, thousands: bool) -> pd.DataFrame:
    """Numbers and dates as Excel writes them: large numbers in scientific notation (where
    that keeps the value), thousands separators, dates as 2024/1/1."""
    out = cells.copy()

    def number(text: str) -> str:
        if not text:
            return text
        value = float(text)
        if abs(value) >= 1e10 and float(f"{value:E}") == value:
            return f"{value:.6E}".replace("000E", "E")
        if thousands and abs(value) >= 1000 and value == int(value):
            return f"{int(value):,}"
        return text

    for column in ("value", "base_value", "value_high", "base_value_high"):
        out[column] = out[column].map(number)
    for column in ("period_start", "period_end"):
        out[column] = pd.to_datetime(out[column]).map(lambda d: f"{d.year}/{d.month}/{d.day}")
    return out


@pytest.mark.parametrize(
    ("encoding", "sep", "thousands"),
    [
        ("utf-8-sig", ",", True),
        ("utf-8", ",", False),
        ("gb18030", ",", True),
        ("utf-16", "\t", False),
        ("utf-8-sig", ";", False),
    ],
)
def test_a_frame_resaved_by_excel_reads_back_equal(
    tmp_path: Path, seed_frame: pd.DataFrame, encoding: str, sep: str, thousands: bool
) -> None:
    """Blank rows used to give spurious span errors (start and end of a blank row are NaN, so
    the columns stayed text and were compared as text); now blank rows are dropped."""
    cells = _reformatted(_cells(seed_frame, tmp_path), thousands=thousands)
    assert cells["base_value"].str.contains("E+", regex=False).any()
    if thousands:
        assert cells["base_value"].str.contains(",").any()
    path = _excel(cells, tmp_path / "records.csv", encoding=encoding, sep=sep)
    back = read_frame(path)
    pd.testing.assert_frame_equal(back, seed_frame)


def test_reconciled_and_findings_frames_resaved_by_excel(
    tmp_path: Path, seed_frame: pd.DataFrame
) -> None:
    from targets.checks import check
    from targets.reconcile import reconcile
    from targets.schemas import FindingFrame, ReconciledFrame

    for frame, model in (
        (reconcile(seed_frame), ReconciledFrame),
        (check(seed_frame), FindingFrame),
    ):
        cells = _cells(frame, tmp_path)
        path = _excel(cells, tmp_path / f"{model.__name__}.txt", encoding="utf-16", sep="\t")
        back = read_frame(path, "csv", model=model)
        pd.testing.assert_frame_equal(back, frame)


def _broken(tmp_path: Path, seed_frame: pd.DataFrame, **cells: tuple[int, str]) -> Path:
    table = _cells(seed_frame, tmp_path)
    for column, (row, text) in cells.items():
        table.loc[row, column] = text
    path = tmp_path / "records.csv"
    table.to_csv(path, index=False, encoding="utf-8-sig")
    return path


def _refusal(path: Path, **kwargs: object) -> str:
    with pytest.raises(SchemaError) as info:
        read_frame(path, **kwargs)  # type: ignore[arg-type]
    message = str(info.value)
    assert "\n" not in message
    assert not [word for word in JARGON if word in message]
    return message


def test_a_number_that_is_not_one_is_refused_on_its_excel_row(
    tmp_path: Path, seed_frame: pd.DataFrame
) -> None:
    path = _broken(tmp_path, seed_frame, value=(5, "12,3.4"))
    assert _refusal(path) == f"{path}, row 7, column value: '12,3.4' is not a number"


def test_an_emptied_unit_is_refused(tmp_path: Path, seed_frame: pd.DataFrame) -> None:
    row = int(seed_frame.index[seed_frame["unit"] != ""][1])
    path = _broken(tmp_path, seed_frame, unit=(row, ""))
    assert _refusal(path) == f"{path}, row {row + 2}, column unit: empty (required)"


def test_a_unit_that_disagrees_with_its_base_is_refused(
    tmp_path: Path, seed_frame: pd.DataFrame
) -> None:
    row = int(seed_frame.index[seed_frame["unit"] == "亿元"][0])
    path = _broken(tmp_path, seed_frame, unit=(row, "家"))
    assert _refusal(path) == (
        f"{path}, row {row + 2}, columns unit and base_unit: '家' and '元' disagree "
        "(the base unit of 家 is 家)"
    )


def test_a_base_value_rounded_by_excel_is_refused_and_an_exact_one_read(
    tmp_path: Path, seed_frame: pd.DataFrame
) -> None:
    row = int(
        seed_frame.index[
            (seed_frame["indicator"] == "tech_transaction_volume")
            & (seed_frame["kind"] == "actual")
        ][0]
    )
    assert seed_frame.loc[row, "base_value"] == 1_606_000_000.0
    path = _broken(tmp_path, seed_frame, base_value=(row, "1.61E+09"))
    assert _refusal(path) == (
        f"{path}, row {row + 2}, columns value and base_value: 16.06 亿元 is 1606000000 元, "
        "not 1610000000"
    )
    path = _broken(tmp_path, seed_frame, base_value=(row, "1.606E+09"))
    assert read_frame(path).loc[row, "base_value"] == 1_606_000_000.0


@pytest.mark.parametrize(
    ("column", "text", "problem"),
    [
        ("kind", "plan", "'plan' is not one of target, actual, forecast"),
        ("kind", "", "empty (required)"),
        ("year", "明年", "'明年' is not a year"),
        ("year", "1850", "1850 is below 1900"),
        ("start", "12.5", "'12.5' is not a whole number"),
        ("period_end", "12/31/2024", "'12/31/2024' is not a date such as 2024-12-31"),
        ("months", "11-Jan", "'11-Jan' is not a month range such as 1-11, or empty"),
    ],
)
def test_cells_are_refused_in_plain_words(
    tmp_path: Path, seed_frame: pd.DataFrame, column: str, text: str, problem: str
) -> None:
    path = _broken(tmp_path, seed_frame, **{column: (2, text)})
    assert _refusal(path) == f"{path}, row 4, column {column}: {problem}"


def test_a_reversed_span_names_both_cells(tmp_path: Path, seed_frame: pd.DataFrame) -> None:
    path = _broken(tmp_path, seed_frame, start=(2, "999999"))
    assert _refusal(path) == (
        f"{path}, row 4, columns start and end: start is after end (the evidence span is reversed)"
    )


def test_missing_and_unknown_columns(tmp_path: Path, seed_frame: pd.DataFrame) -> None:
    path = tmp_path / "records.csv"
    _cells(seed_frame, tmp_path).drop(columns=["unit"]).to_csv(path, index=False)
    assert _refusal(path) == f"{path}: missing column 'unit'"
    _cells(seed_frame, tmp_path).assign(foo="x").to_csv(path, index=False)
    assert _refusal(path) == f"{path}: unknown column 'foo' (not a records frame column)"


def test_a_report_is_not_a_saved_frame(tmp_path: Path, seed_frame: pd.DataFrame) -> None:
    from targets.io import looks_like_frame

    with pytest.raises(FileError) as info:
        read_frame(SEED_000, "csv")
    assert str(info.value) == (
        f"{SEED_000}: is not a saved frame (no header with the columns of a records frame)"
    )
    assert not looks_like_frame(SEED_000)
    assert looks_like_frame(write_frame(seed_frame, tmp_path / "r.csv"))
    assert looks_like_frame(write_frame(seed_frame, tmp_path / "r.parquet"))
    assert looks_like_frame(write_frame(seed_frame, tmp_path / "r.jsonl"))
    excel = _excel(_cells(seed_frame, tmp_path), tmp_path / "u.csv", encoding="utf-16", sep="\t")
    assert looks_like_frame(excel)
    assert not looks_like_frame(tmp_path / "missing.csv")


# --- nothing but our errors on arbitrary input ---------------------------------------------------

_CSVISH = st.lists(
    st.lists(
        st.one_of(
            st.sampled_from(
                [
                    "record_id",
                    "value",
                    "unit",
                    "亿元",
                    "1.61E+09",
                    "1,234",
                    "",
                    "2024",
                    "NaN",
                    "region",
                    "year",
                    "source",
                    "indicator_text",
                    "技术交易额",
                    '"',
                    "\t",
                    ";",
                ]
            ),
            st.text(max_size=6),
        ),
        max_size=8,
    ).map(",".join),
    max_size=5,
).map("\n".join)


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.one_of(st.binary(max_size=200), _CSVISH.map(lambda t: t.encode("utf-8"))),
    st.sampled_from(["x.csv", "x.jsonl", "x.parquet", "x.xlsx"]),
)
def test_readers_raise_only_our_errors(tmp_path: Path, data: bytes, name: str) -> None:
    from targets.errors import TargetsError
    from targets.io import read_observations

    path = tmp_path / name
    path.write_bytes(data)
    for reader in (read_frame, read_observations):
        with contextlib.suppress(TargetsError):
            reader(path)
