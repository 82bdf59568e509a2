"""Fuzz run of extraction: generated inputs through ``targets.extract_text`` and, as files,
through ``targets.extract`` (bytes: BOMs, bad bytes, UTF-16, NUL bytes, HTML- and PDF-like
heads). Nothing may raise but the library's own errors (``TargetsError``).

    python benchmarks/fuzz_extract.py [N]     # N inputs per family (default 25,500: 102,000)

The suite runs the same properties with a few hundred examples (``tests/test_fuzz.py``); this
is the long run whose count the closing notes of issue 15 state.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.test_fuzz import report_texts  # noqa: E402

import targets  # noqa: E402
from targets.errors import TargetsError  # noqa: E402

_PERIOD_PIECES = st.sampled_from(
    ["2024年", "2025", "年", "月", "日", "1", "11", "13", "0", "~", "-", "—", "至", "季度",
     "上半年", "前三季度", "1-", "底", "末", "十四五", "十五五", "（2027年）", "同比增长", "5%",
     "技术交易额", "达到", "16亿元", "，", "。", "\n"]
)  # fmt: skip
periods = st.lists(_PERIOD_PIECES, max_size=30).map("".join)
_HEADS = st.sampled_from(
    [b"", b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", b"%PDF-1.4\n", b"<html>", b"PK\x03\x04word/"]
)
raw_bytes = st.tuples(_HEADS, st.binary(max_size=300), report_texts(max_lines=4)).map(
    lambda t: t[0] + t[2].encode("utf-8")[:200] + t[1]
)
_SUFFIXES = st.sampled_from([".txt", ".html", ".htm", ".docx", ".pdf"])


class Counter:
    def __init__(self) -> None:
        self.runs = 0
        self.errors = 0


def run(n: int) -> int:
    count = Counter()
    profile = settings(
        max_examples=n,
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )

    def text_case(text: str) -> None:
        count.runs += 1
        try:
            targets.extract_text(text)
        except TargetsError:
            count.errors += 1

    folder = Path(tempfile.mkdtemp(prefix="targets-fuzz-"))

    def file_case(data: bytes, suffix: str) -> None:
        count.runs += 1
        path = folder / f"report{suffix}"
        path.write_bytes(data)
        try:
            targets.extract(path)
        except TargetsError:
            count.errors += 1

    started = time.perf_counter()
    for strategy in (st.text(max_size=400), report_texts(), periods):
        profile(given(strategy)(text_case))()
    profile(given(raw_bytes, _SUFFIXES)(file_case))()
    took = time.perf_counter() - started
    print(
        f"{count.runs} inputs, {count.errors} refused with the library's own errors, "
        f"no other exception, in {took:.0f} s"
    )
    return count.runs


if __name__ == "__main__":
    run(int(sys.argv[1]) if len(sys.argv) > 1 else 25_500)
