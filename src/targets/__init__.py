"""targets: plan targets and reported results of Chinese work reports as typed, checkable data.

Quick use::

    import targets

    records = targets.extract("data/reports/000_835873c35e75d7b1.txt")  # .txt .html .docx .pdf
    more = targets.extract_text("2026年工作计划\n研发投入强度达到3.5%。")  # report text
    target = targets.parse_target("高企突破750家", deadline=2025)  # one phrase
    frame = targets.to_frame(records)  # a RecordFrame
    reconciled = targets.reconcile(frame)  # met / missed / pending per target
    findings = targets.check(frame)  # targets that make no sense, with evidence
    targets.write_frame(frame, "records.csv")  # and targets.read_frame("records.csv")

``extract`` reads a file and takes a string as its path; report text already in a string goes
to ``extract_text``, and ``read_text(path)`` gives the text every quote of a file indexes into.
A phrase that states no year (到2027年, 十五五末) needs ``deadline=``. Every frame function
validates its inputs against the schemas (``targets.RecordFrame`` ...); ``validate=False``
skips that for frames just validated.

The frame functions and schemas load pandas, pandera and pint on first use, not on
``import targets``. ``targets.series`` and ``targets.reconcile`` are the functions; their
modules are reached by name (``from targets.reconcile import judge``), as
``import targets.reconcile as m`` gives the function too.
"""

from __future__ import annotations

import sys
import types
from typing import TYPE_CHECKING

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
from targets.readers import read_text
from targets.units import parse_quantity

if TYPE_CHECKING:  # the lazy names below, for type checkers and IDEs
    from targets.checks import check
    from targets.frames import from_frame, to_frame
    from targets.io import read_frame, read_observations, write_frame
    from targets.reconcile import reconcile, track_record
    from targets.report import write_report
    from targets.schemas import (
        ActualFrame,
        FindingFrame,
        ReconciledFrame,
        RecordFrame,
        SeriesFrame,
        TargetFrame,
        TrackRecordFrame,
    )
    from targets.series import series

_LAZY = {  # public names whose modules load pandas/pandera: imported on first use
    "to_frame": "targets.frames",
    "from_frame": "targets.frames",
    "read_frame": "targets.io",
    "write_frame": "targets.io",
    "read_observations": "targets.io",
    "series": "targets.series",
    "reconcile": "targets.reconcile",
    "track_record": "targets.reconcile",
    "check": "targets.checks",
    "write_report": "targets.report",
    "RecordFrame": "targets.schemas",
    "TargetFrame": "targets.schemas",
    "ActualFrame": "targets.schemas",
    "ReconciledFrame": "targets.schemas",
    "SeriesFrame": "targets.schemas",
    "TrackRecordFrame": "targets.schemas",
    "FindingFrame": "targets.schemas",
}


def __getattr__(name: str) -> object:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'targets' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))


class _Package(types.ModuleType):
    """The ``targets`` module: importing a submodule named like a public function
    (``targets.series``, ``targets.reconcile``) leaves ``targets.series`` the function; the
    modules stay reachable with ``from targets.series import ...`` and in ``sys.modules``."""

    def __setattr__(self, name: str, value: object) -> None:
        if isinstance(value, types.ModuleType) and _LAZY.get(name) == value.__name__:
            value = getattr(value, name)
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package


__all__ = [
    "Actual",
    "ActualFrame",
    "CatalogueError",
    "Comparator",
    "DependencyError",
    "Direction",
    "DocumentError",
    "EncodingError",
    "Evidence",
    "FileError",
    "FindingFrame",
    "Indicator",
    "Measure",
    "ParseError",
    "ReconciledFrame",
    "RecordFrame",
    "SchemaError",
    "SeriesFrame",
    "Target",
    "TargetFrame",
    "TargetsError",
    "TrackRecordFrame",
    "UnitError",
    "__version__",
    "catalogue",
    "check",
    "extract",
    "extract_text",
    "from_frame",
    "parse_quantity",
    "parse_target",
    "parse_targets",
    "read_frame",
    "read_observations",
    "read_report",
    "read_text",
    "reconcile",
    "resolve_indicator",
    "series",
    "to_frame",
    "track_record",
    "write_frame",
    "write_report",
]
