"""The workbook for Excel users (``targets.xlsx``).

Sheets, in the chosen language: a summary (outcomes counted per region and indicator), the
track record, the findings, the targets, the actuals and a legend. Headers and code values
(outcome, severity, kind, measure, comparator, progress, direction, finding code) are in the
language; the raw codes stay in hidden columns at the far right of each sheet, headed by their
column names, for scripts. Numbers are stored rounded to 10 significant digits (no float noise)
and formatted per cell by the row's unit.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final, cast

import pandas as pd

from targets.catalogue import catalogue
from targets.errors import DependencyError
from targets.io import atomic_write
from targets.reconcile import track_record
from targets.report.model import (
    OUTCOMES,
    SEVERITY_ORDER,
    SEVERITY_RANK,
    Lang,
    Report,
    check_lang,
    conformed,
    display_width,
    in_language,
    is_missing,
    labels,
    unit_factor,
)
from targets.series import indicator_key

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
_STRONG: Final = ("missed", "error")

PERCENT_FORMAT: Final = '0.0##"%"'
"""A value in % (the number of percent: 5.2 is 5.2 %, never multiplied)."""
POINTS_FORMAT: Final = "0.0##"
MONEY_FORMAT: Final = "#,##0.00##"
"""元, 万元, 亿元, 美元 …: at least two decimals, up to four when the report wrote them."""
WHOLE_FORMAT: Final = "#,##0"
"""A count (家, 个, 项, 人, 万人 …) or another quantity whose value is whole."""
FRACTION_FORMAT: Final = "#,##0.0##"
RATIO_FORMAT: Final = "0.0%"
"""``attainment``: actual over target, a plain ratio."""
YEAR_FORMAT: Final = "0"
DATE_FORMAT: Final = "yyyy-mm-dd"
_MONEY_BASES: Final = ("元", "美元")
_MAX_WIDTH: Final = 60
_WIDE: Final = 50  # quotes and messages


def number_format(value: float, unit: str) -> str:
    """The Excel number format of ``value`` written in ``unit``."""
    if unit == "%":
        return PERCENT_FORMAT
    if unit == "个百分点":
        return POINTS_FORMAT
    factor = unit_factor(unit)
    if factor is not None and factor[1] in _MONEY_BASES:
        return MONEY_FORMAT
    return WHOLE_FORMAT if float(value).is_integer() else FRACTION_FORMAT


def clean(value: Any) -> float | None:
    """A number rounded to 10 significant digits (0.009999999999999787 -> 0.01)."""
    if is_missing(value):
        return None
    number = float(value)
    if not math.isfinite(number):
        return None
    return float(f"{number:.10g}")


# --------------------------------------------------------------------------- columns


@dataclass(frozen=True, slots=True)
class Column:
    """One column of a sheet: its header, cell values and per-cell number formats."""

    header: str
    values: Sequence[Any]
    formats: Sequence[str | None] | None = None
    hidden: bool = False
    colour: str = ""  # the code group whose translated values are filled
    width: int | None = None


class _Columns:
    """Builds the columns of one sheet from a frame, in the sheet's language."""

    def __init__(self, frame: pd.DataFrame, lang: Lang) -> None:
        self.frame = frame
        self.lang = lang
        self.head = labels("column", lang)

    def _str(self, column: str) -> list[str]:
        values = self.frame[column]
        text = values.astype(str).tolist()
        if not values.hasnans:
            return text
        return ["" if gap else t for t, gap in zip(text, values.isna().tolist(), strict=True)]

    def text(self, column: str, key: str = "", *, wide: bool = False) -> Column:
        return Column(self.head[key or column], self._str(column), width=_WIDE if wide else None)

    def coded(self, column: str, group: str, *, colour: bool = False) -> Column:
        names = labels(group, self.lang)
        return Column(
            self.head[column],
            [names.get(v, v) for v in self._str(column)],
            colour=group if colour else "",
        )

    def indicator(self, column: str = "indicator", text: str = "indicator_text") -> Column:
        texts = self._str(text) if text in self.frame.columns else self._str(column)
        names = [
            indicator_name(code, words, self.lang)
            for code, words in zip(self._str(column), texts, strict=True)
        ]
        return Column(self.head["indicator"], names)

    def number(self, column: str, unit: str | None, key: str = "") -> Column:
        """``unit``: the frame's unit column for these values, or a fixed unit (``%``)."""
        values = [clean(v) for v in self.frame[column]]
        units = (
            self._str(unit)
            if unit is not None and unit in self.frame.columns
            else [unit or ""] * len(values)
        )
        formats = [
            None if v is None else number_format(v, u) for v, u in zip(values, units, strict=True)
        ]
        return Column(self.head[key or column], values, formats)

    def ratio(self, column: str) -> Column:
        values = [clean(v) for v in self.frame[column]]
        return Column(self.head[column], values, [RATIO_FORMAT] * len(values))

    def year(self, column: str, key: str = "") -> Column:
        values = [None if (v := clean(x)) is None else int(v) for x in self.frame[column]]
        return Column(self.head[key or column], values, [YEAR_FORMAT] * len(values))

    def date(self, column: str) -> Column:
        values = [None if is_missing(v) else pd.Timestamp(v).date() for v in self.frame[column]]
        return Column(self.head[column], values, [DATE_FORMAT] * len(values), width=12)

    def flag(self, column: str) -> Column:
        yes = self.head["yes"]
        return Column(self.head[column], [yes if bool(v) else "" for v in self.frame[column]])

    def reason(self, column: str = "reason") -> Column:
        """A bilingual ``en / zh`` text: the part in the language."""
        return Column(self.head[column], [in_language(v, self.lang) for v in self._str(column)])

    def code(self, column: str) -> Column:
        """The raw values under the frame's column name, hidden."""
        values: list[Any]
        if pd.api.types.is_numeric_dtype(self.frame[column]) and not pd.api.types.is_bool_dtype(
            self.frame[column]
        ):
            values = [clean(v) for v in self.frame[column]]
        else:
            values = self._str(column)
        return Column(column, values, hidden=True)


def indicator_name(code: str, text: str, lang: Lang) -> str:
    """The catalogue name of ``code`` in ``lang``, else the words as written."""
    entry = catalogue().get(code) if code else None
    if entry is None:
        return text or code
    return (entry.name_en or entry.name_zh) if lang == "en" else entry.name_zh


# --------------------------------------------------------------------------- sheets


def summary_columns(reconciled: pd.DataFrame, lang: Lang) -> tuple[list[Column], list[int]]:
    """Outcomes counted per region and indicator, a total row per region and one for all.

    Returns the columns and the (0-based) data rows that are totals."""
    head = labels("column", lang)
    names = labels("outcome", lang)
    rows: list[dict[str, Any]] = []
    totals: list[int] = []
    if len(reconciled):
        frame = pd.DataFrame(
            {
                "region": reconciled["region"].astype(str).to_numpy(),
                "indicator": [
                    indicator_key(i, "", m) if i else ""
                    for i, m in zip(
                        reconciled["indicator"].astype(str),
                        reconciled["measure"].astype(str),
                        strict=True,
                    )
                ],
                "indicator_text": reconciled["indicator_text"].astype(str).to_numpy(),
                "outcome": reconciled["outcome"].astype(str).to_numpy(),
            }
        )
        # a target outside the catalogue is counted under its words as written
        frame["name"] = [
            indicator_name(c, t, lang)
            for c, t in zip(frame["indicator"], frame["indicator_text"], strict=True)
        ]
        frame["uncoded"] = frame["indicator"] == ""
        counts = pd.crosstab(
            [frame["region"], frame["uncoded"], frame["name"], frame["indicator"]],
            frame["outcome"],
        ).reindex(columns=list(OUTCOMES), fill_value=0)
        for region, block in counts.groupby(level=0, sort=True):
            for key, row in block.iterrows():
                _, uncoded, name, code = cast("tuple[str, bool, str, str]", key)
                rows.append(
                    {
                        "region": region,
                        "name": name,
                        "indicator": code,
                        "indicator_text": name if uncoded else "",
                        "row": "indicator",
                        **{o: int(row[o]) for o in OUTCOMES},
                    }
                )
            totals.append(len(rows))
            rows.append(_total_row(str(region), head["total"], block.sum()))
        totals.append(len(rows))
        rows.append(_total_row(head["all_regions"], head["all_indicators"], counts.sum(), "all"))
    table = pd.DataFrame(
        rows,
        columns=["region", "name", "indicator", "indicator_text", "row", *OUTCOMES],
    )
    judged = table["met"] + table["near"] + table["missed"]
    total = table[list(OUTCOMES)].sum(axis=1)
    rate = [
        None if j == 0 else clean(100 * m / j) for m, j in zip(table["met"], judged, strict=True)
    ]
    columns = [
        Column(head["region"], table["region"].tolist()),
        Column(head["indicator"], table["name"].tolist()),
        *(
            Column(names[o], [int(v) for v in table[o]], [WHOLE_FORMAT] * len(table))
            for o in OUTCOMES
        ),
        Column(head["total"], [int(v) for v in total], [WHOLE_FORMAT] * len(table)),
        Column(head["met_rate"], rate, ['0.0"%"'] * len(table)),
        Column("region", table["region"].tolist(), hidden=True),
        Column("indicator", table["indicator"].tolist(), hidden=True),
        Column("indicator_text", table["indicator_text"].tolist(), hidden=True),
        Column("row", table["row"].tolist(), hidden=True),
    ]
    return columns, totals


def _total_row(region: str, name: str, sums: pd.Series, row: str = "region") -> dict[str, Any]:
    return {
        "region": region,
        "name": name,
        "indicator": "",
        "indicator_text": "",
        "row": row,
        **{o: int(sums[o]) for o in OUTCOMES},
    }


def _target_lead(c: _Columns) -> list[Column]:
    """The columns a sheet of targets opens with: outcome, place, indicator, year, target."""
    return [
        c.coded("outcome", "outcome", colour=True),
        c.text("region"),
        c.indicator(),
        c.year("year"),
        c.coded("comparator", "comparator"),
        c.number("target_value", "target_unit"),
        c.number("target_value_high", "target_unit"),
    ]


def track_columns(track: pd.DataFrame, lang: Lang) -> list[Column]:
    c = _Columns(track, lang)
    return [
        *_target_lead(c),
        c.number("actual_value", "target_unit"),
        c.text("target_unit"),
        c.text("actual_note", wide=True),
        c.coded("direction", "direction"),
        c.text("target_quote", wide=True),
        c.text("target_doc"),
        c.text("actual_quote", wide=True),
        c.text("actual_doc"),
        c.code("outcome"),
        c.code("indicator"),
        c.code("indicator_text"),
        c.code("comparator"),
        c.code("direction"),
        c.code("record_id"),
    ]


def findings_columns(findings: pd.DataFrame, lang: Lang) -> list[Column]:
    other = "en" if lang == "zh" else "zh"
    frame = findings.assign(
        _message=[
            str(own) or str(both)
            for own, both in zip(findings[f"message_{lang}"], findings["message"], strict=True)
        ],
        _other=findings[f"message_{other}"].astype(str),
    )
    c = _Columns(frame, lang)
    return [
        c.coded("severity", "severity", colour=True),
        c.coded("code", "finding"),
        c.text("_message", "message", wide=True),
        c.text("region"),
        c.indicator(),
        c.year("year"),
        c.number("target_value", "target_unit"),
        c.text("target_unit"),
        c.number("reference_value", "reference_unit"),
        c.text("reference_unit"),
        c.year("reference_year"),
        c.coded("measure", "measure"),
        c.text("quote", wide=True),
        c.text("doc"),
        c.text("reference_quote", wide=True),
        c.text("reference_doc"),
        c.text("_other", "message_other", wide=True),
        c.code("severity"),
        c.code("code"),
        c.code("indicator"),
        c.code("indicator_text"),
        c.code("measure"),
        c.code("record_id"),
    ]


def target_rows(records: pd.DataFrame, reconciled: pd.DataFrame) -> pd.DataFrame:
    """The reconciled frame, with the target records it lacks (outcome left empty)."""
    rec = reconciled.astype({"record_id": str, "indicator": str})
    done = set(zip(rec["record_id"], rec["indicator"], strict=True))
    targets = records[records["kind"].astype(str) == "target"].astype(
        {"record_id": str, "indicator": str}
    )
    keys = zip(targets["record_id"], targets["indicator"], strict=True)
    missing = targets[[key not in done for key in keys]]
    if not len(missing):
        return rec.reset_index(drop=True)
    extra = missing.rename(
        columns={"value": "target_value", "value_high": "target_value_high", "unit": "target_unit"}
    )
    extra = extra[[c for c in rec.columns if c in extra.columns]]
    both = [f.astype(object) for f in (rec, extra) if len(f)]
    return pd.concat(both, ignore_index=True).reindex(columns=rec.columns)


def targets_columns(table: pd.DataFrame, lang: Lang) -> list[Column]:
    c = _Columns(table, lang)
    return [
        *_target_lead(c),
        c.text("target_unit"),
        c.number("actual_value", "target_unit"),
        c.reason(),
        c.coded("progress", "progress"),
        c.coded("measure", "measure"),
        c.number("baseline_value", "target_unit"),
        c.year("baseline_year"),
        c.text("baseline_months"),
        c.ratio("attainment"),
        c.number("gap", "target_unit"),
        c.number("required_change", "target_unit"),
        c.number("required_change_pct", "%"),
        c.number("required_cagr_pct", "%"),
        c.number("historical_cagr_pct", "%"),
        c.number("projected_value", "target_unit"),
        c.coded("direction", "direction"),
        c.text("indicator_text"),
        c.text("quote", wide=True),
        c.text("doc"),
        c.text("baseline_quote", wide=True),
        c.text("baseline_doc"),
        c.flag("partial_period"),
        c.text("actual_quote", wide=True),
        c.text("actual_doc"),
        c.text("actual_note", wide=True),
        c.code("outcome"),
        c.code("indicator"),
        c.code("measure"),
        c.code("comparator"),
        c.code("progress"),
        c.code("direction"),
        c.code("reason"),
        c.code("base_unit"),
        c.code("record_id"),
    ]


def actuals_columns(actuals: pd.DataFrame, lang: Lang) -> list[Column]:
    c = _Columns(actuals, lang)
    return [
        c.coded("kind", "kind"),
        c.text("region"),
        c.indicator(),
        c.year("year"),
        c.text("months"),
        c.coded("comparator", "comparator"),
        c.number("value", "unit"),
        c.number("value_high", "unit"),
        c.text("unit"),
        c.number("growth_pct", "%"),
        c.number("growth_pp", "个百分点"),
        c.coded("measure", "measure"),
        c.text("rank"),
        c.flag("derived"),
        c.text("indicator_text"),
        c.text("quote", wide=True),
        c.text("doc"),
        c.text("issuer"),
        c.date("period_start"),
        c.date("period_end"),
        c.number("base_value", "base_unit"),
        c.text("base_unit"),
        c.text("approx"),
        c.text("qualifiers"),
        c.text("part_of"),
        c.code("kind"),
        c.code("indicator"),
        c.code("measure"),
        c.code("comparator"),
        c.code("record_id"),
        c.code("start"),
        c.code("end"),
    ]


def legend_columns(lang: Lang) -> list[Column]:
    """Three columns (section, term, meaning) and the code of each term, hidden."""
    text = labels("legend", lang)
    sheets = labels("sheet", lang)
    rows: list[tuple[str, str, str, str]] = []
    for key in ("summary", "track_record", "findings", "targets", "actuals", "legend"):
        rows.append((text["section_sheets"], sheets[key], text[f"sheet_{key}"], key))
    comparators = {"ge": ">=", "gt": ">", "le": "<=", "lt": "<", "approx": "~", "eq": "="}
    comparators["range"] = "range"
    groups: list[tuple[str, Mapping[str, str]]] = [
        ("outcome", {o: o for o in OUTCOMES}),
        ("progress", {k: k for k in labels("progress", lang)}),
        ("severity", {s: s for s in SEVERITY_ORDER}),
        ("finding", {k: k for k in labels("finding", lang)}),
        ("measure", {k: k for k in labels("measure", lang)}),
        ("comparator", comparators),
        ("direction", {k: k for k in labels("direction", lang)}),
    ]
    for group, keys in groups:
        names = labels(group, lang)
        for key, code in keys.items():
            rows.append((text[f"section_{group}"], names[code], text[f"{group}_{key}"], code))
    for key in ("evidence", "kind", "period", "units", "formats", "derived", "codes"):
        rows.append((text["section_reading"], "", text[f"reading_{key}"], key))
    head = labels("column", lang)
    return [
        Column(head["section"], [r[0] for r in rows]),
        Column(head["term"], [r[1] for r in rows]),
        Column(head["meaning"], [r[2] for r in rows], width=100),
        Column("code", [r[3] for r in rows], hidden=True),
    ]


# --------------------------------------------------------------------------- writing


def _cell(value: Any) -> Any:
    if value is None or isinstance(value, str):
        return value
    if is_missing(value):
        return None
    if hasattr(value, "item"):
        return value.item()
    return value


def _width(column: Column) -> float:
    if column.width is not None:
        return column.width
    sample = [v for v in column.values[:500] if v is not None]
    texts = [f"{v:,}" if isinstance(v, (int, float)) else str(v) for v in sample]
    # the header wraps at spaces; +3 leaves room for the filter button
    header = max(display_width(w) for w in column.header.split(" ")) + 3
    return float(min(max([header, 6] + [display_width(t) + 2 for t in texts]), _MAX_WIDTH))


class _Styles:
    """xlsxwriter formats of one workbook, made once per distinct look."""

    def __init__(self, book: Any) -> None:
        self.book = book
        self.made: dict[tuple[str, bool], Any] = {}
        self.header = book.add_format(
            {
                "bold": True,
                "font_color": "#1F2933",
                "bg_color": "#EEF1F5",
                "bottom": 1,
                "bottom_color": "#9AA5B1",
                "text_wrap": True,
                "valign": "vcenter",
            }
        )

    def cell(self, number_format: str | None, bold: bool = False) -> Any:
        key = (number_format or "", bold)
        if key not in self.made:
            spec: dict[str, object] = {"bold": True} if bold else {}
            if number_format:
                spec["num_format"] = number_format
            self.made[key] = self.book.add_format(spec) if spec else None
        return self.made[key]


def write_sheet(
    book: Any,
    title: str,
    columns: Sequence[Column],
    *,
    freeze: str = "A2",
    bold_rows: Sequence[int] = (),
    lang: Lang = "zh",
    styles: _Styles | None = None,
) -> Any:
    """One sheet: a bold header row, frozen and filtered, readable widths, number formats per
    cell, hidden code columns and fills for the translated outcome or severity.

    Rows are streamed (the workbook is opened with ``constant_memory``): a sheet of a million
    cells costs the memory of one row."""
    from xlsxwriter.utility import xl_cell_to_rowcol

    styles = styles or _Styles(book)
    sheet = book.add_worksheet(title)
    n_rows = max((len(c.values) for c in columns), default=0)
    for j, column in enumerate(columns):
        options = {"hidden": True} if column.hidden else None
        sheet.set_column(j, j, _width(column), None, options)
    sheet.set_row(0, 32)  # room for a header on two lines
    for j, column in enumerate(columns):
        sheet.write_string(0, j, column.header, styles.header)
    bold = set(bold_rows)
    formats = [c.formats for c in columns]
    for i in range(n_rows):
        strong = i in bold
        for j, column in enumerate(columns):
            value = _cell(column.values[i])
            fmts = formats[j]
            style = styles.cell(fmts[i] if fmts is not None else None, strong)
            if value is None or value == "":  # nothing to write unless the cell is styled
                if style is not None:
                    sheet.write_blank(i + 1, j, None, style)
            elif isinstance(value, str):
                sheet.write_string(i + 1, j, value, style)
            elif isinstance(value, bool):
                sheet.write_boolean(i + 1, j, value, style)
            elif isinstance(value, int | float):
                sheet.write_number(i + 1, j, value, style)
            else:
                sheet.write_datetime(i + 1, j, value, style)
    for j, column in enumerate(columns):
        if not column.colour:
            continue
        codes = OUTCOMES if column.colour == "outcome" else SEVERITY_ORDER
        names = labels(column.colour, lang)
        for code in codes:
            bg, fg = _FILLS[code]
            look = book.add_format(
                {"bg_color": f"#{bg}", "font_color": f"#{fg}", "bold": code in _STRONG}
            )
            sheet.conditional_format(
                1,
                j,
                max(n_rows, 1),
                j,
                {"type": "cell", "criteria": "==", "value": f'"{names[code]}"', "format": look},
            )
    row, col = xl_cell_to_rowcol(freeze)
    sheet.freeze_panes(row, col)
    sheet.autofilter(0, 0, n_rows, max(len(columns) - 1, 0))
    return sheet


def write_excel(
    records: pd.DataFrame,
    reconciled: pd.DataFrame,
    findings: pd.DataFrame,
    path: str | Path,
    *,
    lang: str = "zh",
    validate: bool = True,
) -> Path:
    """Write ``targets.xlsx`` for Excel users, in ``lang`` (``"zh"`` or ``"en"``);
    ``validate=False`` skips checking frames just validated.

    Sheets: 汇总 / Summary (first and active: targets per region and indicator counted by
    outcome, a total row per region), 历年目标与实绩 / Track record, 发现 / Findings,
    目标 / Targets (the reconciled targets), 实绩 / Actuals and 说明 / Legend. Outcome,
    values, unit, year and message come first, quotes and documents to the right, the raw
    codes in hidden columns at the far right. Numbers carry a format by unit (% as
    ``0.0##"%"`` on the number of percent, money ``#,##0.00##``, whole counts ``#,##0``),
    years ``0``, dates ``yyyy-mm-dd``; outcome and severity are coloured.

    Returns:
        The path written.

    Raises:
        SchemaError: a frame does not match its schema.
        ValueError: ``lang`` is not ``"zh"`` or ``"en"``.
        DependencyError: xlsxwriter is not installed (``pip install 'targets[excel]'``).
    """
    language = check_lang(lang)
    recs, rec, fnd = conformed(records, reconciled, findings, validate=validate)
    return _workbook(recs, rec, fnd, track_record(rec), Path(path), language)


def write_workbook(rep: Report, path: str | Path) -> Path:
    """:func:`write_excel` from the report's model, whose frames are already checked and
    whose track record is already built (``targets report`` writes page and workbook from
    one model)."""
    return _workbook(
        rep.records, rep.reconciled, rep.finding_frame, rep.track_all(), Path(path), rep.lang
    )


def _workbook(
    recs: pd.DataFrame,
    rec: pd.DataFrame,
    fnd: pd.DataFrame,
    track: pd.DataFrame,
    target: Path,
    language: Lang,
) -> Path:
    try:
        import xlsxwriter
    except ImportError as exc:  # pragma: no cover - the excel extra is installed in dev
        raise DependencyError(
            "writing Excel needs xlsxwriter: pip install 'targets[excel]'"
        ) from exc
    fnd = fnd.assign(_rank=fnd["severity"].astype(str).map(SEVERITY_RANK)).sort_values(
        ["_rank", "region", "doc"], kind="stable"
    )
    names = labels("sheet", language)
    summary, totals = summary_columns(rec, language)
    sheets: list[tuple[str, Callable[[], list[Column]], str]] = [
        ("track_record", lambda: track_columns(track, language), "E2"),
        ("findings", lambda: findings_columns(fnd, language), "B2"),
        ("targets", lambda: targets_columns(target_rows(recs, rec), language), "D2"),
        ("actuals", lambda: actuals_columns(recs[recs["kind"] != "target"], language), "D2"),
        ("legend", lambda: legend_columns(language), "A2"),
    ]

    def save(tmp: Path) -> None:
        book = xlsxwriter.Workbook(str(tmp), {"constant_memory": True, "strings_to_numbers": False})
        styles = _Styles(book)
        first = write_sheet(
            book,
            names["summary"],
            summary,
            freeze="C2",
            bold_rows=totals,
            lang=language,
            styles=styles,
        )
        for key, build, freeze in sheets:
            write_sheet(book, names[key], build(), freeze=freeze, lang=language, styles=styles)
        first.activate()
        book.close()

    atomic_write(target, save)
    return target
