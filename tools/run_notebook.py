"""Execute the analyst notebook top to bottom and save it with its outputs.

Run from the repository root, with the project's environment::

    .venv/bin/python tools/run_notebook.py [NOTEBOOK]

``NOTEBOOK`` defaults to ``notebooks/analyst_walkthrough.ipynb``. The kernel is ``python3`` of
the running interpreter's environment; it sees this checkout's ``src`` first on its path (over
any installed ``targets``) and runs in the notebook's folder. ``tests/test_notebook.py`` runs
the notebook the same way, through :func:`execute`, and fails when the saved outputs differ
from a fresh run's: run this script and commit the notebook.

Cells carry no timing metadata, so a run that changes nothing changes no line of the file
apart from the PNG images (their bytes depend on matplotlib's version and fonts).
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK = ROOT / "notebooks" / "analyst_walkthrough.ipynb"
TIMEOUT = 300  # seconds per cell


def kernel_env() -> dict[str, str]:
    """The environment of the kernel: this one, with this checkout's ``src`` first on the path."""
    path = [str(ROOT / "src"), *filter(None, os.environ.get("PYTHONPATH", "").split(os.pathsep))]
    return {**os.environ, "PYTHONPATH": os.pathsep.join(path)}


def execute(notebook: Path = NOTEBOOK) -> nbformat.NotebookNode:
    """Run ``notebook`` in a fresh ``python3`` kernel and return it with its outputs.

    The file is not changed. Errors in a cell stop the run (``CellExecutionError``).
    """
    nb = nbformat.read(notebook, as_version=4)
    client = NotebookClient(
        nb,
        timeout=TIMEOUT,
        kernel_name="python3",
        record_timing=False,
        resources={"metadata": {"path": str(notebook.resolve().parent)}},
    )
    client.execute(env=kernel_env())
    return nb


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("notebook", nargs="?", type=Path, default=NOTEBOOK)
    args = parser.parse_args(argv)
    nb = execute(args.notebook)
    nbformat.write(nb, args.notebook)
    size = args.notebook.stat().st_size
    print(f"{args.notebook}: executed and saved with outputs ({size:,} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
