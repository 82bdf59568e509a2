"""targets: plan targets and reported results of Chinese work reports as typed, checkable data.

Quick use::

    import targets
    records = targets.extract("data/reports/000_835873c35e75d7b1.txt")
    frame = targets.to_frame(records)
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
