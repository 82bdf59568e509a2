"""Analyst surfaces: a self-contained HTML report, the same in Markdown, and an Excel workbook.

:func:`write_report` takes the three frames the pipeline produces — records
(:class:`~targets.schemas.RecordFrame`), reconciled targets
(:class:`~targets.schemas.ReconciledFrame`) and findings (:class:`~targets.schemas.FindingFrame`) —
and writes ``report.html``, ``report.md`` and ``targets.xlsx``.

The package: :mod:`~targets.report.model` (the frames checked once and arranged, labels,
number formats), :mod:`~targets.report.charts` (SVG), :mod:`~targets.report.html`,
:mod:`~targets.report.markdown` and :mod:`~targets.report.excel`; labels and styles are the
resources ``labels.yaml`` and ``report.css``. For notebooks, :func:`findings_html`,
:func:`scorecard_html` and :func:`charts_html` give HTML fragments whose styles apply only to
themselves.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pandas as pd

from targets.io import write_files
from targets.report.excel import write_excel, write_workbook
from targets.report.html import charts_html, findings_html, page_html, render_html, scorecard_html
from targets.report.markdown import markdown_text, render_markdown
from targets.report.model import FONT_FAMILY, prepare

__all__ = [
    "FONT_FAMILY",
    "charts_html",
    "findings_html",
    "render_html",
    "render_markdown",
    "report_files",
    "scorecard_html",
    "write_excel",
    "write_report",
]

# --------------------------------------------------------------------------- entry point


def write_report(
    records: pd.DataFrame,
    reconciled: pd.DataFrame,
    findings: pd.DataFrame,
    out_dir: str | Path,
    *,
    lang: str = "zh",
    series: pd.DataFrame | None = None,
    validate: bool = True,
) -> dict[str, Path]:
    """Write ``report.html``, ``report.md`` and ``targets.xlsx`` into ``out_dir``, all three
    or none (:func:`targets.io.write_files`).

    Args:
        records: extracted records (:class:`~targets.schemas.RecordFrame`; an extra boolean
            ``derived`` column is allowed).
        reconciled: one row per target (:class:`~targets.schemas.ReconciledFrame`).
        findings: one row per finding (:class:`~targets.schemas.FindingFrame`).
        out_dir: the folder to write into (created if missing).
        lang: ``"zh"`` (default) or ``"en"``: the language of labels and of the first message.
        series: optional actual points per series (``targets.reconcile.series(records)``),
            with ``derived`` points implied by stated growth; charts then draw these (derived
            ones hollow) instead of the records' own actuals.
        validate: ``False`` skips checking frames just validated (as ``targets report`` does).

    Returns:
        ``{"html": ..., "md": ..., "xlsx": ...}``, the paths written.

    Raises:
        SchemaError: a frame does not match its schema.
        ValueError: ``lang`` is not ``"zh"`` or ``"en"``.
    """
    files = report_files(
        records, reconciled, findings, out_dir, lang=lang, series=series, validate=validate
    )
    write_files(dict(files.values()))
    return {name: path for name, (path, _) in files.items()}


def report_files(
    records: pd.DataFrame,
    reconciled: pd.DataFrame,
    findings: pd.DataFrame,
    out_dir: str | Path,
    *,
    lang: str = "zh",
    series: pd.DataFrame | None = None,
    validate: bool = True,
) -> dict[str, tuple[Path, Callable[[Path], object]]]:
    """The report's files, rendered but not written: for ``html``, ``md`` and ``xlsx`` the
    path in ``out_dir`` and a function that writes the file at the path it is given (so that
    a caller writes them, with files of its own, as one set: :func:`targets.io.write_files`).
    Arguments as :func:`write_report`."""
    folder = Path(out_dir)
    rep = prepare(records, reconciled, findings, lang, series, validate=validate)
    page = page_html(rep)
    markdown = markdown_text(rep)

    def text(content: str) -> Callable[[Path], object]:
        return lambda path: path.write_text(content, encoding="utf-8")

    def workbook(path: Path) -> object:
        return write_workbook(rep, path)

    return {
        "html": (folder / "report.html", text(page)),
        "md": (folder / "report.md", text(markdown)),
        "xlsx": (folder / "targets.xlsx", workbook),
    }
