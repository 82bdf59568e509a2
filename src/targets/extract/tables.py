"""Tables: rows of 序号 / 指标 / 目标 tables read as records."""

from __future__ import annotations

import re

from targets.errors import ParseError
from targets.models import (
    Measure,
)
from targets.numerals import parse_number
from targets.units import unit_info

from . import patterns as p
from .comparators import comparator_for
from .document import SUMMARY
from .mentions import Draft, Mention, unit_table
from .resolve import clean, count_measure
from .sentences import DocumentExtractor

__all__ = ["read_tables"]


_TABLE_HEADER = re.compile(r"^序号$")
_UNIT_IN_BRACKETS = re.compile(r"[(（]([^()（）]{1,6})[)）]")


def read_tables(extractor: DocumentExtractor) -> list[tuple[int, int]]:
    """Find 序号 / 指标 / 目标 tables and add their rows; return the spans they occupy."""
    text = extractor.text
    report = extractor.report
    lines: list[tuple[int, str]] = []
    pos = 0
    for line in text.split("\n"):
        if line.strip():
            lines.append((pos, line.strip()))
        pos += len(line) + 1
    spans: list[tuple[int, int]] = []
    i = 0
    while i < len(lines):
        if not _TABLE_HEADER.match(lines[i][1]):
            i += 1
            continue
        header = [lines[i][1]]
        j = i + 1
        while j < len(lines) and len(lines[j][1]) <= 8 and not re.match(r"^\d+$", lines[j][1]):
            header.append(lines[j][1])
            j += 1
        ncols = len(header)
        if ncols < 3 or not any("指标" in h for h in header):
            i += 1
            continue
        name_col = next(k for k, h in enumerate(header) if "指标" in h)
        value_col = ncols - 1
        section = report.section_at(lines[i][0])
        title = lines[i - 1][1] if i > 0 else ""
        tm = p.YEAR.search(title)
        year = int(tm.group("y")) if tm else extractor.periods.section_year(section, "target")
        kind = "target" if (section is None or section.kind != SUMMARY) else "actual"
        start_pos = lines[i][0]
        k = j
        while k + ncols - 1 < len(lines) and re.match(r"^\d+$", lines[k][1]):
            cells = lines[k : k + ncols]
            _table_row(extractor, cells[name_col], cells[value_col], kind, year)
            k += ncols
        spans.append((start_pos, lines[k - 1][0] + len(lines[k - 1][1]) if k > j else start_pos))
        i = k
    return spans


def _table_row(
    extractor: DocumentExtractor,
    name_cell: tuple[int, str],
    value_cell: tuple[int, str],
    kind: str,
    year: int | None,
) -> None:
    if year is None:
        return
    names = name_cell[1].split("/")
    values = value_cell[1].split("/")
    if len(names) != len(values):
        names = [name_cell[1]] * len(values)
    for name, raw in zip(names, values, strict=True):
        units = [u for u in _UNIT_IN_BRACKETS.findall(name) if u in unit_table()]
        if not units:
            continue
        unit = units[-1]
        words = _UNIT_IN_BRACKETS.sub("", name)
        try:
            value = parse_number(raw)
        except ParseError:
            continue
        mention = Mention(
            value_cell[0], value_cell[0] + len(value_cell[1]), value, None, unit, "", ""
        )
        resolved = extractor.resolver.resolve(words, unit)
        if resolved is None:
            squeezed = p.SQUEEZE.sub("", words)
            resolved = extractor.resolver.resolve(squeezed, unit)
        if resolved is not None:
            ind, measure, _alias = resolved
            code, direction = ind.code, ind.direction
            if measure in (Measure.STOCK, Measure.FLOW) and unit_info(unit).dimension != "[money]":
                measure = count_measure(words, ind.measure)
        else:
            code, direction = "", None
            measure = DocumentExtractor._unknown_measure(mention, words)
        comparator, _ = comparator_for("", mention, kind, direction)
        extractor.add(
            Draft(
                kind=kind,
                indicator=code,
                indicator_text=clean(words),
                measure=measure,
                comparator=comparator,
                value=value,
                value_high=None,
                unit=unit,
                year=year,
                months=None,
                start=name_cell[0],
                end=value_cell[0] + len(value_cell[1]),
            )
        )
