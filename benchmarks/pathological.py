"""Pathological inputs for the linear-time benchmark, and a timer for one of them.

Each generator returns a text of about ``size`` bytes of UTF-8. Run one measurement in a fresh
process (so that a super-linear case can be stopped by a time limit)::

    python benchmarks/pathological.py long_sentence 100000

prints ``{"seconds": ..., "bytes": ..., "records": ...}`` (extraction only, after a warm-up).
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable

_PLAN = "2025年工作计划\n"
_CLAUSE = "新增国家高新技术企业30家技术交易额16.06亿元同比增长21.58%力争达到"


def digits(size: int) -> str:
    """Digits only, ``1234567890`` repeated: one long number."""
    return ("1234567890" * (size // 10 + 1))[:size]


def yi(size: int) -> str:
    """``亿`` repeated, under a plan heading."""
    return _PLAN + "亿" * (size // 3)


def long_sentence(size: int) -> str:
    """One sentence without punctuation, with a value every ~30 characters."""
    return _PLAN + _CLAUSE * (size // len(_CLAUSE.encode("utf-8")))


def nested_brackets(size: int) -> str:
    """``（（（…研发投入1亿元…）））``: brackets nested ``size / 6`` deep around one value."""
    depth = size // 6
    return _PLAN + "（" * depth + "研发投入1亿元" + "）" * depth


def values_in_brackets(size: int) -> str:
    """Nested brackets with a value at every level (one long sentence again)."""
    piece = "（研发投入1亿元（新增企业3家"
    count = size // len(piece.encode("utf-8"))
    return _PLAN + piece * count + "）" * (2 * count)


def many_headings(size: int) -> str:
    """A section heading every two lines (a report of many short sections)."""
    unit = "一、2024年工作总结\n新增企业{a}家。\n二、2025年工作计划\n新增企业{b}家。\n"
    count = size // len(unit.format(a=10, b=11).encode("utf-8"))
    return "".join(unit.format(a=i, b=i + 1) for i in range(count))


INPUTS: dict[str, Callable[[int], str]] = {
    "digits": digits,
    "yi": yi,
    "long_sentence": long_sentence,
    "nested_brackets": nested_brackets,
    "values_in_brackets": values_in_brackets,
    "many_headings": many_headings,
}


def measure(name: str, size: int) -> dict[str, float]:
    """Time extraction of ``INPUTS[name](size)`` (best of three below 1 s, else once)."""
    import targets

    targets.extract_text(_PLAN + "新增企业30家。")  # load the catalogue and the unit registry
    text = INPUTS[name](size)
    times = []
    records = 0
    for _ in range(3):
        start = time.perf_counter()
        records = len(targets.extract_text(text))
        times.append(time.perf_counter() - start)
        if times[-1] > 1.0:
            break
    return {"seconds": min(times), "bytes": len(text.encode("utf-8")), "records": records}


if __name__ == "__main__":
    print(json.dumps(measure(sys.argv[1], int(sys.argv[2]))))
