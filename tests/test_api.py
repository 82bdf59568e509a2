"""The public surface: what ``import targets`` offers, how it loads, and how it is typed."""

from __future__ import annotations

import inspect
import itertools
import subprocess
import sys
import textwrap

import pytest

import targets
from tests.conftest import ROOT

FRAME_FUNCTIONS = {
    "to_frame": "DataFrame[RecordFrame]",
    "read_observations": "DataFrame[RecordFrame]",
    "series": "DataFrame[SeriesFrame]",
    "reconcile": "DataFrame[ReconciledFrame]",
    "track_record": "DataFrame[TrackRecordFrame]",
    "check": "DataFrame[FindingFrame]",
}


def test_every_public_name_resolves() -> None:
    missing = [name for name in targets.__all__ if not hasattr(targets, name)]
    assert missing == []
    for name in (*FRAME_FUNCTIONS, "from_frame", "read_frame", "write_frame", "write_report"):
        assert name in targets.__all__
    for name in ("RecordFrame", "ReconciledFrame", "FindingFrame", "SeriesFrame"):
        assert name in targets.__all__
    assert set(targets.__all__) <= set(dir(targets))


def test_a_submodule_named_like_a_function_does_not_replace_it() -> None:
    import importlib

    for name in ("series", "reconcile"):
        importlib.import_module(f"targets.{name}")
        assert callable(getattr(targets, name)), name
        assert getattr(targets, name).__module__ == f"targets.{name}"


def test_an_unknown_name_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="no attribute 'reconcile_all'"):
        _ = targets.reconcile_all  # type: ignore[attr-defined]


@pytest.mark.parametrize(("name", "annotation"), FRAME_FUNCTIONS.items())
def test_frame_functions_say_which_frame_they_return(name: str, annotation: str) -> None:
    assert inspect.signature(getattr(targets, name)).return_annotation == annotation


def test_one_spelling_skips_validation() -> None:
    for name in ("to_frame", "series", "reconcile", "check"):
        params = inspect.signature(getattr(targets, name)).parameters
        assert params["validate"].default is True, name
        assert params["validate"].kind is inspect.Parameter.KEYWORD_ONLY, name
        assert not {"validate_input", "validate_output", "validate_frame"} & set(params), name


def test_the_quick_use_of_the_package_docstring_runs_without_pandas_at_import(
    tmp_path: object,
) -> None:
    doc = (ROOT / "src" / "targets" / "__init__.py").read_text(encoding="utf-8")  # as written
    lines = doc.split("Quick use::\n\n", 1)[1].splitlines()
    block = "\n".join(
        line for line in itertools.takewhile(lambda x: not x.strip() or x[0] == " ", lines)
    )
    code = textwrap.dedent(block).replace('"records.csv"', f'r"{tmp_path}/records.csv"')
    script = (
        "import sys\nimport targets\nassert 'pandas' not in sys.modules\n"
        + code
        + "\nprint(len(frame), len(targets.read_frame(r'"
        + f"{tmp_path}/records.csv"
        + "')))\n"
    )
    run = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout.split() == ["54", "54"]
