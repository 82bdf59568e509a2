"""targets.dask: the records frame of many reports from a dask.bag, on the local scheduler."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

pytest.importorskip("dask.bag")

import dask
import dask.bag as db

import targets
from targets import DocumentError
from targets.dask import (
    ERROR_COLUMNS,
    SkippedDocumentsWarning,
    extract_bag,
    extract_frames,
    records_frame,
)
from targets.frames import to_frame

from .conftest import REPORTS

SEEDS = sorted(REPORTS.glob("*.txt"))


@pytest.fixture(scope="module")
def expected() -> pd.DataFrame:
    return to_frame([r for path in SEEDS for r in targets.extract(path)])


@pytest.fixture
def corpus(tmp_path: Path) -> list[Path]:
    """The five seeds with two bad files between them."""
    paths = []
    for i, seed in enumerate(SEEDS):
        path = tmp_path / seed.name
        path.write_bytes(seed.read_bytes())
        paths.append(path)
        if i == 1:
            bad = tmp_path / "scan.txt"
            bad.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
            paths.append(bad)
    paths.append(tmp_path / "missing.txt")
    return paths


@pytest.mark.parametrize("npartitions", [1, 2, 5, 50])
def test_records_frame_equals_to_frame_of_all_records(
    expected: pd.DataFrame, npartitions: int
) -> None:
    got = records_frame(SEEDS, npartitions=npartitions, scheduler="sync")
    pd.testing.assert_frame_equal(got, expected)


def test_a_bag_of_paths_and_the_configured_scheduler(expected: pd.DataFrame) -> None:
    bag = db.from_sequence([str(p) for p in SEEDS], npartitions=3)
    with dask.config.set(scheduler="sync"):
        got = records_frame(bag)
    pd.testing.assert_frame_equal(got, expected)


def test_threads_scheduler(expected: pd.DataFrame) -> None:
    got = records_frame(SEEDS, npartitions=2, scheduler="threads")
    pd.testing.assert_frame_equal(got, expected)


def test_bad_documents_are_kept_as_error_rows(corpus: list[Path], expected: pd.DataFrame) -> None:
    result = extract_frames(corpus, npartitions=3, scheduler="sync")
    pd.testing.assert_frame_equal(result.records, expected)
    assert list(result.errors.columns) == ERROR_COLUMNS
    assert result.errors[["doc", "error"]].to_dict(orient="records") == [
        {"doc": "scan.txt", "error": "DocumentError"},
        {"doc": "missing.txt", "error": "DocumentError"},
    ]
    assert result.errors["message"].tolist() == [
        "binary file (NUL bytes), not a text report",
        "no such file",
    ]
    assert result.errors["path"].tolist() == [str(corpus[2]), str(corpus[-1])]


def test_records_frame_warns_by_default(corpus: list[Path], expected: pd.DataFrame) -> None:
    with pytest.warns(SkippedDocumentsWarning, match=r"skipped 2 document.*scan\.txt"):
        got = records_frame(corpus, npartitions=2, scheduler="sync")
    pd.testing.assert_frame_equal(got, expected)


def test_records_frame_skips_quietly(corpus: list[Path], expected: pd.DataFrame) -> None:
    got = records_frame(corpus, scheduler="sync", on_error="skip")
    pd.testing.assert_frame_equal(got, expected)


def test_records_frame_raises_after_the_whole_bag(corpus: list[Path]) -> None:
    with pytest.raises(DocumentError, match=r"scan\.txt: DocumentError: binary file.*1 more"):
        records_frame(corpus, scheduler="sync", on_error="raise")
    with pytest.raises(ValueError, match="on_error"):
        records_frame(corpus, scheduler="sync", on_error="ignore")  # type: ignore[arg-type]


def test_empty_input_gives_an_empty_valid_frame(tmp_path: Path) -> None:
    result = extract_frames([], scheduler="sync")
    assert result.records.empty
    assert list(result.records.columns) == list(to_frame([]).columns)
    assert result.errors.empty
    bad = tmp_path / "empty.txt"
    bad.write_bytes(b"")
    only_bad = extract_frames([bad], scheduler="sync")
    assert only_bad.records.empty
    assert only_bad.errors["message"].tolist() == ["empty report (no text)"]


def test_extract_bag_is_lazy_with_one_pair_per_partition(corpus: list[Path]) -> None:
    bag = extract_bag(corpus, npartitions=4)
    assert bag.npartitions == 4
    parts = bag.compute(scheduler="sync")
    assert len(parts) == 4
    assert sum(len(rows) for _, rows in parts) == 2


def test_an_unexpected_error_names_the_document(
    monkeypatch: pytest.MonkeyPatch, corpus: list[Path]
) -> None:
    import sys

    def broken(source: object, **kwargs: object) -> object:
        raise KeyError("grammar bug")

    monkeypatch.setattr(sys.modules["targets.extract"], "extract", broken)
    with pytest.raises(KeyError) as info:
        extract_frames(corpus[:1], scheduler="sync")
    assert any(corpus[0].name in note for note in info.value.__notes__)


def test_reconcile_runs_on_the_result(expected: pd.DataFrame) -> None:
    reconcile = pytest.importorskip("targets.reconcile").reconcile
    got = reconcile(records_frame(SEEDS, npartitions=3, scheduler="sync"))
    pd.testing.assert_frame_equal(got, reconcile(expected))


def test_processes_scheduler(corpus: list[Path], expected: pd.DataFrame) -> None:
    """Across processes: records and error rows come back as plain data."""
    result = extract_frames(corpus, npartitions=2, scheduler="processes")
    pd.testing.assert_frame_equal(result.records, expected)
    assert result.errors["doc"].tolist() == ["scan.txt", "missing.txt"]


def test_a_local_cluster_of_two_worker_processes(tmp_path: Path) -> None:
    """targets.dask on a dask.distributed cluster (two worker processes, one thread each,
    no dashboard): the seeds three times over under other names give the records of one
    process, in path order."""
    distributed = pytest.importorskip("distributed")
    paths = []
    for copy in range(3):
        for seed in SEEDS:
            path = tmp_path / f"copy{copy}_{seed.name}"
            path.write_bytes(seed.read_bytes())
            paths.append(path)
    expected = to_frame([r for path in paths for r in targets.extract(path)])
    with (
        distributed.LocalCluster(
            n_workers=2,
            threads_per_worker=1,
            processes=True,
            dashboard_address=None,
            silence_logs=True,
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        assert len(client.scheduler_info()["workers"]) == 2
        result = extract_frames(paths, npartitions=4)  # the client is the scheduler
    pd.testing.assert_frame_equal(result.records, expected)
    assert result.errors.empty
