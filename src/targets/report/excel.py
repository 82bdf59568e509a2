"""The workbook for Excel users (``targets.xlsx``)."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any, Final

import pandas as pd

from targets.errors import DependencyError
from targets.io import atomic_write
from targets.reconcile import track_record
from targets.report.model import (
    EXTRA_RECORD_COLUMNS,
    OUTCOMES,
    SEVERITY_ORDER,
    SEVERITY_RANK,
    conform,
    display_width,
    is_missing,
)
from targets.schemas import FindingFrame, ReconciledFrame, RecordFrame

# --------------------------------------------------------------------------- Excel

_HEADER_UNITS: Final = {
    "value": "unit",
    "value_high": "unit",
    "base_value": "base_unit",
    "base_value_high": "base_unit",
    "target_value": "target_unit",
    "target_value_high": "target_unit",
    "baseline_value": "target_unit",
    "actual_value": "target_unit",
    "gap": "target_unit",
    "required_change": "target_unit",
    "projected_value": "target_unit",
    "reference_value": "reference_unit",
}
_FIXED_UNITS: Final = {
    "growth_pct": "%",
    "growth_pp": "pp",
    "required_change_pct": "%",
    "required_cagr_pct": "%/yr",
    "historical_cagr_pct": "%/yr",
    "attainment": "ratio",
}
_FILLS: Final = {
    "met": ("E2F4E9", "1E7A46"),
    "missed": ("FDECEB", "B42318"),
    "near": ("FDF3DC", "8A5A00"),
    "pending": ("EEF0F3", "5F6B7A"),
    "not_comparable": ("EFECF6", "6A5A8C"),
    "error": ("FDECEB", "B42318"),
    "warning": ("FDF3DC", "A15C07"),
    "info": ("E8EFF6", "3E5F80"),
}


def _header(column: str) -> str:
    if column in _HEADER_UNITS:
        return f"{column} [in {_HEADER_UNITS[column]}]"
    if column in _FIXED_UNITS:
        return f"{column} [{_FIXED_UNITS[column]}]"
    return column


def _cell(value: Any) -> Any:
    if is_missing(value):
        return None
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    if hasattr(value, "item"):
        return value.item()
    return value


def _sheet(
    book: Any,
    title: str,
    frame: pd.DataFrame,
    *,
    rules: Iterable[tuple[str, Iterable[str]]] = (),
) -> None:
    from openpyxl.formatting.rule import CellIsRule
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter

    sheet = book.create_sheet(title)
    columns = [str(c) for c in frame.columns]
    sheet.append([_header(c) for c in columns])
    for row in frame.itertuples(index=False, name=None):
        sheet.append([_cell(v) for v in row])
    bold = Font(bold=True, color="1F2933")
    fill = PatternFill("solid", start_color="EEF1F5", end_color="EEF1F5")
    line = Border(bottom=Side(style="thin", color="9AA5B1"))
    for cell in sheet[1]:
        cell.font = bold
        cell.fill = fill
        cell.border = line
        cell.alignment = Alignment(vertical="center", wrap_text=True)
    sheet.row_dimensions[1].height = 32  # room for a unit on a second header line
    last = get_column_letter(max(len(columns), 1))
    n = len(frame) + 1
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{last}{n}"
    for i, column in enumerate(columns, start=1):
        letter = get_column_letter(i)
        values = ["" if is_missing(v) else str(v) for v in frame[column].head(500)]
        # the header wraps at spaces; +3 leaves room for the filter button
        header_width = max(display_width(w) for w in _header(column).split(" ")) + 3
        width = max([header_width] + [display_width(v) + 2 for v in values])
        sheet.column_dimensions[letter].width = min(max(width, 8), 60)
        if pd.api.types.is_datetime64_any_dtype(frame[column]):
            for (cell,) in sheet.iter_rows(min_row=2, min_col=i, max_col=i):
                cell.number_format = "yyyy-mm-dd"
            sheet.column_dimensions[letter].width = 12
    for column, values_ in rules:
        if column not in columns:
            continue
        letter = get_column_letter(columns.index(column) + 1)
        target = f"{letter}2:{letter}{max(n, 2)}"
        for value in values_:
            bg, fg = _FILLS[value]
            sheet.conditional_formatting.add(
                target,
                CellIsRule(  # type: ignore[no-untyped-call]
                    operator="equal",
                    formula=[f'"{value}"'],
                    fill=PatternFill("solid", start_color=bg, end_color=bg),
                    font=Font(color=fg, bold=value in ("missed", "error")),
                ),
            )


def write_excel(
    records: pd.DataFrame,
    reconciled: pd.DataFrame,
    findings: pd.DataFrame,
    path: str | Path,
) -> Path:
    """Write ``targets.xlsx``: sheets ``targets``, ``actuals``, ``track_record``, ``reconciled``,
    ``findings``.

    Columns are the frames' own; a header names the unit column of its values
    (``value [in unit]``) or the unit itself (``growth_pct [%]``). Header rows are frozen and
    filtered, widths follow the content, and ``outcome`` / ``severity`` are coloured by
    conditional formatting.

    Returns:
        The path written.

    Raises:
        SchemaError: a frame does not match its schema.
        DependencyError: openpyxl is not installed (``pip install 'targets[excel]'``).
    """
    try:
        from openpyxl import Workbook
    except ImportError as exc:  # pragma: no cover - the excel extra is installed in dev
        raise DependencyError("writing Excel needs openpyxl: pip install 'targets[excel]'") from exc
    recs = conform(records, RecordFrame, "records frame", EXTRA_RECORD_COLUMNS)
    rec = conform(reconciled, ReconciledFrame, "reconciled frame")
    fnd = conform(findings, FindingFrame, "findings frame")
    fnd = fnd.assign(_rank=fnd["severity"].astype(str).map(SEVERITY_RANK)).sort_values(
        ["_rank", "region", "doc"], kind="stable"
    )
    book = Workbook()
    if book.active is not None:
        book.remove(book.active)
    _sheet(book, "targets", recs[recs["kind"] == "target"])
    _sheet(book, "actuals", recs[recs["kind"] != "target"])
    _sheet(book, "track_record", track_record(rec), rules=[("outcome", OUTCOMES)])
    _sheet(book, "reconciled", rec, rules=[("outcome", OUTCOMES)])
    _sheet(book, "findings", fnd.drop(columns="_rank"), rules=[("severity", SEVERITY_ORDER)])
    target = Path(path)
    atomic_write(target, book.save)
    return target
