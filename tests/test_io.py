"""Frames on disk: atomic writes that never lose an output, and faithful reading of frames that
were edited and re-saved in Excel or WPS (issue 15)."""

from __future__ import annotations

import os
import stat
import threading
from pathlib import Path

import pandas as pd
import pytest

from targets.errors import FileError
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
