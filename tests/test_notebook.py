"""The analyst notebook runs top to bottom in a fresh kernel, shows what a reader needs, and is
saved with the outputs of such a run (a reader on the web sees them without running it).

The notebook runs once per session, through ``tools/run_notebook.py`` (the script that saves
it), so the test and the saved file see the same kernel, path and working directory.
"""

from __future__ import annotations

import base64
import difflib
import importlib.util
import re
import tempfile
import warnings
from types import ModuleType
from typing import Any

import nbformat
import pytest

from .conftest import ROOT

NOTEBOOK = ROOT / "notebooks" / "analyst_walkthrough.ipynb"
RUNNER = ROOT / "tools" / "run_notebook.py"
REGENERATE = ".venv/bin/python tools/run_notebook.py"


def _runner() -> ModuleType:
    spec = importlib.util.spec_from_file_location("run_notebook", RUNNER)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def fresh() -> nbformat.NotebookNode:
    """The notebook as a fresh kernel leaves it (the saved file is not touched)."""
    with warnings.catch_warnings():
        # jupyter_client and zmq warn about their own deprecations; not the notebook's output
        warnings.simplefilter("ignore", DeprecationWarning)
        return _runner().execute(NOTEBOOK)


@pytest.fixture(scope="module")
def saved() -> nbformat.NotebookNode:
    return nbformat.read(NOTEBOOK, as_version=4)


def _code_cells(nb: nbformat.NotebookNode) -> list[Any]:
    return [cell for cell in nb.cells if cell.cell_type == "code"]


def _tagged(nb: nbformat.NotebookNode, tag: str) -> list[Any]:
    cells = [c for c in _code_cells(nb) if tag in c.metadata.get("tags", [])]
    assert cells, f"no code cell tagged {tag!r} in {NOTEBOOK.name}"
    return cells


def _data(cells: list[Any], mime: str) -> list[str]:
    return [o.data[mime] for c in cells for o in c.outputs if mime in o.get("data", {})]


def _html(nb: nbformat.NotebookNode) -> str:
    return "".join(_data(_code_cells(nb), "text/html"))


_ADDRESS = re.compile(r"0x[0-9a-fA-F]{6,}")
_TEMP = re.compile(re.escape(tempfile.gettempdir()) + r"""[^\s'"<>]*""")


def _normal(text: str) -> str:
    """Output text without what differs between two runs of an unchanged notebook."""
    text = text.replace(str(ROOT), "<root>")
    text = _TEMP.sub("<tmp>", text)
    text = _ADDRESS.sub("0x?", text)
    return "\n".join(line.rstrip() for line in text.splitlines())


def _shown(cell: Any) -> list[str]:
    """What a reader sees of one code cell: text and HTML outputs, and that an image is there."""
    shown = []
    for out in cell.outputs:
        if out.output_type == "stream":
            shown.append(f"[{out.name}]\n{_normal(out.text)}")
        elif out.output_type == "error":
            shown.append(f"[error] {out.ename}: {_normal(out.evalue)}")
        else:
            for mime in sorted(out.data):
                if mime.startswith("image/"):
                    shown.append(f"[{mime}]")
                else:
                    shown.append(f"[{mime}]\n{_normal(out.data[mime])}")
    return shown


def test_notebook_runs_without_errors_or_warnings(fresh: nbformat.NotebookNode) -> None:
    outputs = [o for c in _code_cells(fresh) for o in c.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    warned = [o.text for o in outputs if o.output_type == "stream" and o.name == "stderr"]
    assert not warned, f"the reader would see warnings: {warned}"


def test_national_track_record_shows_gdp_growth_plan_against_actual(
    fresh: nbformat.NotebookNode,
) -> None:
    (table,) = _data(_tagged(fresh, "national-gdp"), "text/plain")
    # year-indexed rows that end with the outcome column
    rows = re.findall(r"^(\d{4})\s.*?\s(met|near|missed|pending|not_comparable)\s*$", table, re.M)
    outcome = dict(rows)
    assert len(outcome) == len(rows), "one row per year"
    assert set(outcome) == {str(y) for y in range(2008, 2027)} - {"2020"}  # 2020 set no target
    judged = {y: o for y, o in outcome.items() if y != "2026"}
    assert set(judged.values()) == {"met", "near", "missed"}
    # the cases the notebook's text explains
    assert (outcome["2014"], outcome["2015"], outcome["2022"]) == ("near", "near", "missed")
    assert outcome["2026"] == "pending"


def test_plots_are_png_images(fresh: nbformat.NotebookNode) -> None:
    images = _data(_tagged(fresh, "plot"), "image/png")
    assert len(images) == 2
    assert all(base64.b64decode(image).startswith(b"\x89PNG\r\n\x1a\n") for image in images)


def test_html_fragments_show_findings_and_charts(fresh: nbformat.NotebookNode) -> None:
    findings = "".join(_data(_tagged(fresh, "findings-html"), "text/html"))
    assert "技术交易额" in findings
    assert "16.06" in findings
    charts = "".join(_data(_tagged(fresh, "charts-html"), "text/html"))
    assert charts.count("<svg") >= 2


def test_frames_saved_and_reloaded_are_listed(fresh: nbformat.NotebookNode) -> None:
    (listing,) = _data(_tagged(fresh, "save-reload"), "text/plain")
    assert {"records.csv", "records.parquet", "reconciled.csv"} <= set(listing.split())


def test_saved_outputs_are_those_of_a_fresh_run(
    fresh: nbformat.NotebookNode, saved: nbformat.NotebookNode
) -> None:
    how = f"regenerate them with `{REGENERATE}` and commit {NOTEBOOK.relative_to(ROOT)}"
    now, before = _code_cells(fresh), _code_cells(saved)
    assert len(now) == len(before)
    for number, (cell, kept) in enumerate(zip(now, before, strict=True), start=1):
        shown, stored = _shown(cell), _shown(kept)
        if shown != stored:
            diff = difflib.unified_diff(
                "\n".join(stored).splitlines(),
                "\n".join(shown).splitlines(),
                "saved",
                "fresh run",
                lineterm="",
                n=1,
            )
            detail = "\n".join(list(diff)[:40])
            pytest.fail(
                f"code cell {number} of {NOTEBOOK.name} shows other outputs than a fresh run "
                f"(the saved outputs are stale): {how}.\n{detail}"
            )
