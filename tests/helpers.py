"""Small builders for reconciliation tests: report texts in the seeds' own phrasing."""

from __future__ import annotations

import pandas as pd

from targets.extract import extract_text
from targets.frames import to_frame
from targets.models import Record


def frame_of(*docs: tuple[str, str], region: str = "临安区") -> pd.DataFrame:
    """Records frame of several small reports given as (doc name, text)."""
    records = []
    for name, text in docs:
        records.extend(extract_text(text, doc=name, region=region))
    return to_frame(records)


def record_key(record: Record) -> tuple[object, ...]:
    """What two extractions of the same text must agree on for a record."""
    ev = record.evidence
    return (
        record.kind,
        record.indicator,
        record.measure,
        record.comparator,
        float(record.value.magnitude),
        f"{record.value.units}",
        record.period_end,
        ev.quote,
        ev.start,
        ev.end,
    )
