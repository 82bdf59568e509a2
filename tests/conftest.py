"""Shared fixtures and hypothesis profiles (``dev`` by default, ``ci`` when CI is set)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

settings.register_profile("dev", max_examples=60, deadline=None)
settings.register_profile(
    "ci", max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile("ci" if os.environ.get("CI") else "dev")

ROOT = Path(__file__).resolve().parent.parent
REPORTS = ROOT / "data" / "reports"
PROVINCIAL = ROOT / "data" / "provincial-2026"
CASES = Path(__file__).resolve().parent / "cases"

SEED_000 = REPORTS / "000_835873c35e75d7b1.txt"
SEED_001 = REPORTS / "001_7f49dd51237a0e91.txt"
SEED_002 = REPORTS / "002_e7d658b82453ec00.txt"
SEED_003 = REPORTS / "003_5692fd641dac6f34.txt"
SEED_004 = REPORTS / "004_fc67e6954e58fea0.txt"


@pytest.fixture(scope="session")
def seed_records() -> dict[str, list]:
    from targets import extract

    return {path.name: extract(path) for path in sorted(REPORTS.glob("*.txt"))}
