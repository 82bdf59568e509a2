"""targets: plan targets and reported results of Chinese work reports as typed, checkable data.

Quick use::

    import targets
    from targets.frames import to_frame

    records = targets.extract("data/reports/000_835873c35e75d7b1.txt")  # a report file
    records = targets.extract_text("2026年工作计划\n研发投入强度达到3.5%。")  # report text
    target = targets.parse_target("高企突破750家", deadline=2025)  # one phrase
    frame = to_frame(records)

``extract`` reads a file and takes a string as its path; report text already in a string goes
to ``extract_text``. A phrase that states no year (到2027年, 十五五末) needs ``deadline=``.
"""

from __future__ import annotations

__version__ = "0.1.0"

from targets.catalogue import catalogue, resolve_indicator
from targets.errors import (
    CatalogueError,
    DependencyError,
    DocumentError,
    EncodingError,
    FileError,
    ParseError,
    SchemaError,
    TargetsError,
    UnitError,
)
from targets.extract import extract, extract_text, parse_target, parse_targets, read_report
from targets.models import Actual, Comparator, Direction, Evidence, Indicator, Measure, Target
from targets.units import parse_quantity

__all__ = [
    "Actual",
    "CatalogueError",
    "Comparator",
    "DependencyError",
    "Direction",
    "DocumentError",
    "EncodingError",
    "Evidence",
    "FileError",
    "Indicator",
    "Measure",
    "ParseError",
    "SchemaError",
    "Target",
    "TargetsError",
    "UnitError",
    "__version__",
    "catalogue",
    "extract",
    "extract_text",
    "parse_quantity",
    "parse_target",
    "parse_targets",
    "read_report",
    "resolve_indicator",
]
