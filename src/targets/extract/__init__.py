"""Extraction: report text to typed records with evidence.

``read_report`` reads and structures a document, ``extract`` returns its records, and
``parse_target`` parses a short analyst phrase such as ``"高企突破750家"``.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from targets.errors import ParseError
from targets.models import Record, Target

from .document import Report, described, read_report
from .records import extract_records

__all__ = [
    "Report",
    "extract",
    "extract_text",
    "parse_target",
    "parse_targets",
    "read_report",
    "render_target",
]


def extract(
    source: str | Path | Report,
    *,
    region: str | None = None,
    year: int | None = None,
    doc: str | None = None,
) -> list[Record]:
    """Targets, actuals and forecasts of one report (a path or a :class:`Report`).

    Args:
        source: the report file, or a report already read.
        region: the place the report belongs to (呼伦贝尔市海拉尔区, 全国), when the text does not
            say it or says it wrongly.
        year: the year the report's plan covers (2019 for the 2019 report).
        doc: the document id its records carry (default: the file name).

    What is not given is taken from a ``MANIFEST.csv`` beside the file (columns ``file``,
    ``region``, ``year``) when there is one, else read from the text.

    Raises:
        DocumentError: the file is missing, a directory, binary or empty.
        EncodingError: the file is neither UTF-8 nor GB18030/GBK.
        ManifestError: the folder's manifest cannot be read.
    """
    if isinstance(source, Report):
        return extract_records(source)
    if region is None or year is None:
        stated = described(source)
        region = region if region is not None else stated.region
        year = year if year is not None else stated.year
    return extract_records(read_report(source, doc=doc, region=region, year=year))


def extract_text(
    text: str, *, doc: str = "<text>", region: str | None = None, year: int | None = None
) -> list[Record]:
    """Records of a report given as a string (``doc`` names it in the evidence; ``region``
    and ``year`` as in :func:`extract`)."""
    if not text.strip():
        return []
    return extract_records(read_report(doc, doc=doc, region=region, year=year, text=text))


def _phrase_report(text: str, deadline: date | int | None, region: str | None) -> Report:
    year = deadline.year if isinstance(deadline, date) else deadline
    if year is None:
        year = date.today().year
    # A phrase is a one-sentence plan: frame it as the plan section of its deadline year.
    framed = f"{year}年工作计划\n{text}"
    return read_report("<phrase>", doc="<phrase>", region=region or "", text=framed)


def parse_targets(
    text: str, *, deadline: date | int | None = None, region: str | None = None
) -> list[Target]:
    """All targets in a short phrase; the deadline year defaults to the current year.

    Raises:
        ParseError: no target could be read from ``text``.
    """
    if not text.strip():
        raise ParseError("empty target phrase", text=text)
    report = _phrase_report(text, deadline, region)
    offset = len(report.text) - len(text)
    out: list[Target] = []
    for record in extract_records(report):
        if not isinstance(record, Target):
            continue
        ev = record.evidence
        from dataclasses import replace

        evidence = replace(ev, doc="<phrase>", start=ev.start - offset, end=ev.end - offset)
        out.append(replace(record, evidence=evidence, region=region or "", issuer=""))
    if not out:
        raise ParseError("no target with a number and a known unit", text=text)
    return out


def parse_target(
    text: str, *, deadline: date | int | None = None, region: str | None = None
) -> Target:
    """Parse one target phrase as analysts write it.

    ``parse_target("高企突破750家")`` → hitech_enterprises, stock, ``>``, 750 家.

    Args:
        text: the phrase, e.g. ``"城镇调查失业率5%以内"``.
        deadline: the deadline year or date when the phrase does not state one
            (default: the current year).
        region: the region the target belongs to.

    Raises:
        ParseError: nothing in ``text`` reads as a target.
    """
    return parse_targets(text, deadline=deadline, region=region)[0]


_PREFIX = {">=": "达", ">": "突破", "<": "低于", "=": "", "<=": "", "~": "", "range": ""}
_SUFFIX = {"<=": "以内", "~": "左右"}


def render_target(target: Target) -> str:
    """A target as Chinese plan prose that :func:`parse_target` reads back to the same target.

    ``render_target(parse_target("高企突破750家", deadline=2025))`` →
    ``"至2025年底,国家高新技术企业突破750家"``. The ``=`` comparator has no plan wording and
    renders like ``>=``; values are written as positive numbers.
    """
    from targets.catalogue import catalogue
    from targets.models import Measure
    from targets.units import format_quantity

    ind = catalogue().get(target.indicator) if target.indicator else None
    name = ind.name_zh if ind is not None else target.indicator_text
    measure_word = ""
    if ind is not None and ind.measure in (Measure.STOCK, Measure.FLOW):
        if target.measure is Measure.FLOW and ind.measure is Measure.STOCK:
            measure_word = "新增"
        elif target.measure is Measure.STOCK and ind.measure is Measure.FLOW:
            measure_word = "累计"
    unit = f"{target.value.units:~}" if str(target.value.units) != "dimensionless" else ""
    value = float(target.value.magnitude)
    if target.value_high is not None:
        high = float(target.value_high.to(target.value.units).magnitude)
        amount = f"{format_quantity(value, unit)}—{format_quantity(high, unit)}"
    else:
        amount = format_quantity(value, unit)
    comparator = target.comparator.value
    prefix = _PREFIX[comparator]
    suffix = _SUFFIX.get(comparator, "")
    if target.measure is Measure.GROWTH and not name.endswith(("增长", "涨幅", "增速")):
        prefix = "增长" + prefix
    year = target.deadline.year
    return f"至{year}年底,{measure_word}{name}{prefix}{amount}{suffix}"
