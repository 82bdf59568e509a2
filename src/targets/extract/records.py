"""Records: drafts frozen into typed, traceable records (quotes mapped back to the
original text), duplicates dropped; :func:`extract_records` runs the whole grammar."""

from __future__ import annotations

from datetime import date
from typing import Any

from targets.models import (
    Actual,
    Comparator,
    Evidence,
    Record,
    Target,
)
from targets.units import quantity

from .document import Report
from .mentions import Draft
from .sentences import DocumentExtractor
from .tables import read_tables

__all__ = ["extract_records", "freeze"]


# --- freezing -------------------------------------------------------------------------------
def freeze(report: Report, drafts: list[Draft]) -> list[Record]:
    norm = report.normalized
    ids: list[str] = []
    spans: list[tuple[int, int]] = []
    used: dict[str, int] = {}
    for d in drafts:
        a, b = norm.original_span(d.start, d.end)
        spans.append((a, b))
        rid = f"{report.doc}:{a}"
        if rid in used:  # two values in one span (a table cell 8500/4800)
            used[rid] += 1
            rid = f"{rid}.{used[rid]}"
        else:
            used[rid] = 0
        ids.append(rid)
    out: list[Record] = []
    for index, (d, (a, b)) in enumerate(zip(drafts, spans, strict=True)):
        evidence = Evidence(doc=report.doc, quote=report.text[a:b], start=a, end=b)
        part_of = ids[d.part_of] if d.part_of is not None else ""
        if d.months is not None:
            m1, m2 = d.months
            period_start = date(d.year, max(1, min(m1, 12)), 1)
            last = max(1, min(m2, 12))
            period_end = date(d.year + 1, 1, 1) if last == 12 else date(d.year, last + 1, 1)
            period_end = date.fromordinal(period_end.toordinal() - 1)
        else:
            period_start = date(d.year - d.span_years + 1, 1, 1)
            period_end = date(d.year, 12, 31)
        value = quantity(d.value, d.unit) if d.unit else _dimensionless(d.value)
        if d.kind == "target":
            out.append(
                Target(
                    indicator=d.indicator,
                    indicator_text=d.indicator_text,
                    measure=d.measure,
                    comparator=d.comparator,
                    value=value,
                    value_high=(
                        quantity(d.value_high, d.unit)
                        if d.value_high is not None and d.unit
                        else None
                    ),
                    deadline=period_end,
                    period_start=period_start,
                    period_end=period_end,
                    region=report.region,
                    issuer=report.issuer,
                    evidence=evidence,
                    qualifiers=d.qualifiers,
                    part_of=part_of,
                    record_id=ids[index],
                )
            )
        else:
            comparator, approx = d.comparator, d.approx
            if comparator is Comparator.RANGE and d.value_high is not None:
                # a reported range (年均增长4.5%-5%): its midpoint, with the range kept as text
                comparator = Comparator.APPROX
                approx = f"{d.value:g}-{d.value_high:g}"
                value = quantity((d.value + d.value_high) / 2, d.unit) if d.unit else value
            out.append(
                Actual(
                    indicator=d.indicator,
                    indicator_text=d.indicator_text,
                    measure=d.measure,
                    comparator=comparator,
                    value=value,
                    period_start=period_start,
                    period_end=period_end,
                    growth=d.growth,
                    growth_unit=d.growth_unit,
                    rank=d.rank,
                    approx=approx,
                    is_forecast=d.kind == "forecast",
                    region=report.region,
                    issuer=report.issuer,
                    evidence=evidence,
                    part_of=part_of,
                    record_id=ids[index],
                )
            )
    return out


def _dimensionless(value: float) -> Any:
    from targets.units import registry

    return registry().Quantity(value, "")


def _dedupe(drafts: list[Draft]) -> list[Draft]:
    """Drop a record that repeats one of an earlier paragraph (a table row restated in the
    text, a page printed twice). Equal values within one paragraph are distinct facts
    (省级众创空间2家、市级众创空间2家). Of two equal figures the one stating a growth is kept
    (a five-year review's 287.9亿元, restated as 287.9亿元，同比增长8.9%). Parts keep pointing at
    their (kept) whole."""
    keep: list[int] = []
    seen: dict[tuple[object, ...], int] = {}
    remap: dict[int, int] = {}
    for i, d in enumerate(drafts):
        key = (
            d.kind,
            d.indicator or d.indicator_text,
            d.measure,
            d.value,
            d.value_high,
            d.unit,
            d.year,
            d.months,
            d.part_of is not None,
        )
        if key in seen and drafts[seen[key]].para != d.para:
            first = seen[key]
            if d.growth is not None and drafts[first].growth is None and d.part_of is None:
                # the restatement says more (its growth): it is the one kept
                keep.remove(first)
                keep.append(i)
                remap[first] = seen[key] = i
                for j, other in remap.items():
                    if other == first:
                        remap[j] = i
                continue
            remap[i] = first
            continue
        seen.setdefault(key, i)
        keep.append(i)
    new_index = {old: new for new, old in enumerate(keep)}
    out = []
    for old in keep:
        d = drafts[old]
        if d.part_of is not None:
            whole = remap.get(d.part_of, d.part_of)
            d.part_of = new_index.get(whole)
        out.append(d)
    return out


def extract_records(report: Report) -> list[Record]:
    """Every target, actual and forecast in ``report``, in document order.

    Returns:
        Records whose evidence quotes the original text: ``report.text[start:end] == quote``.
    """
    extractor = DocumentExtractor(report)
    table_spans = read_tables(extractor)
    extractor.run(table_spans)
    drafts = sorted(enumerate(extractor.drafts), key=lambda x: (x[1].start, x[0]))
    order = {old: new for new, (old, _) in enumerate(drafts)}
    ordered = []
    for _, d in drafts:
        if d.part_of is not None:
            d.part_of = order[d.part_of]
        ordered.append(d)
    return freeze(report, _dedupe(ordered))
