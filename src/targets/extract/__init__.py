"""Extraction: report text to typed records with evidence.

``read_report`` reads and structures a document, ``extract`` returns the records of a report
file, ``extract_text`` those of report text in a string, and ``parse_target`` parses a short
analyst phrase such as ``"高企突破750家"``.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from targets.errors import ParseError
from targets.models import Record, Target
from targets.readers import check_path

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

    A string is always a path: report text in a string goes to :func:`extract_text`.

    Raises:
        DocumentError: the file is missing (for a string that reads like report text, the
            message says to use :func:`extract_text`), a directory, binary or empty.
        EncodingError: the file is neither UTF-8 nor GB18030/GBK.
        ManifestError: the folder's manifest cannot be read.
    """
    if isinstance(source, Report):
        return extract_records(source)
    check_path(source)  # before the manifest beside it is looked for
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


_NO_YEAR = "no year stated: pass deadline=2025 (the year the target is due)"


def _phrase_report(text: str, year: int | None, region: str | None) -> Report:
    # A phrase is a one-sentence plan: frame it as the plan section of its deadline year, or,
    # with none given, as a plan of no year, where only a year the phrase states dates a target.
    framed = f"{year}年工作计划\n{text}" if year is not None else f"工作计划\n{text}"
    return read_report("<phrase>", doc="<phrase>", region=region or "", text=framed)


def _phrase_targets(text: str, year: int | None, region: str | None) -> list[Target]:
    from dataclasses import replace

    report = _phrase_report(text, year, region)
    offset = len(report.text) - len(text)
    out: list[Target] = []
    for record in extract_records(report):
        if not isinstance(record, Target):
            continue
        ev = record.evidence
        evidence = replace(ev, doc="<phrase>", start=ev.start - offset, end=ev.end - offset)
        out.append(replace(record, evidence=evidence, region=region or "", issuer=""))
    return out


def parse_targets(
    text: str, *, deadline: date | int | None = None, region: str | None = None
) -> list[Target]:
    """All targets in a short phrase (arguments as in :func:`parse_target`).

    Raises:
        ParseError: no target could be read from ``text``, or the phrase states no year
            and no ``deadline`` is given.
    """
    if not text.strip():
        raise ParseError("empty target phrase", text=text)
    year = deadline.year if isinstance(deadline, date) else deadline
    out = _phrase_targets(text, year, region)
    if not out and year is None and _phrase_targets(text, 2000, region):
        raise ParseError(_NO_YEAR, text=text)  # a target, but nothing says when it is due
    if not out:
        raise ParseError("no target with a number and a known unit", text=text)
    return out


def parse_target(
    text: str, *, deadline: date | int | None = None, region: str | None = None
) -> Target:
    """Parse one target phrase as analysts write it.

    ``parse_target("高企突破750家", deadline=2025)`` → hitech_enterprises, stock, ``>``,
    750 家, due 2025-12-31.

    The deadline is the year the phrase states (到2027年, 2030年前, 十五五末, a bracketed
    （2027年） after the value); ``deadline`` gives it when the phrase states none. It never
    comes from the machine's clock: a phrase without a year and without ``deadline`` is an
    error rather than a target due "this year".

    Args:
        text: the phrase, e.g. ``"城镇调查失业率5%以内"``.
        deadline: the deadline year (or a date in it) when the phrase does not state one.
        region: the region the target belongs to.

    Raises:
        ParseError: nothing in ``text`` reads as a target, or it states no year and no
            ``deadline`` is given (``no year stated: pass deadline=2025``).
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
