"""Fuzz the frame and observation readers: generated inputs through ``read_frame`` and
``read_observations``; anything but a ``TargetsError`` is printed (a bug).

    PYTHONPATH=src python benchmarks/fuzz_readers.py [COUNT]
"""

from __future__ import annotations

import random
import sys
import tempfile
import time
import traceback
from pathlib import Path

from targets.errors import TargetsError
from targets.io import read_frame, read_observations

WORDS = [
    "record_id",
    "doc",
    "kind",
    "value",
    "unit",
    "base_unit",
    "base_value",
    "year",
    "start",
    "end",
    "region",
    "indicator_text",
    "source",
    "period",
    "亿元",
    "家",
    "1.61E+09",
    "1,234",
    "",
    "2024",
    "NaN",
    "inf",
    "2024-01/2024-06",
    "技术交易额",
    '"',
    "-1",
    "target",
]


def generate(rng: random.Random) -> bytes:
    """Random bytes, or CSV-ish text of known words and random characters."""
    if rng.random() < 0.3:
        return rng.randbytes(rng.randrange(200))
    sep = rng.choice([",", ";", "\t"])
    lines = []
    for _ in range(rng.randrange(6)):
        cells = [
            rng.choice(WORDS) if rng.random() < 0.8 else chr(rng.randrange(0x20, 0x9FFF))
            for _ in range(rng.randrange(10))
        ]
        lines.append(sep.join(cells))
    return "\n".join(lines).encode(
        rng.choice(["utf-8", "utf-8-sig", "utf-16", "gb18030"]), errors="replace"
    )


def main(count: int) -> int:
    rng = random.Random(15)
    bugs = 0
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as folder:
        for i in range(count):
            path = Path(folder) / rng.choice(["x.csv", "x.jsonl", "x.parquet", "x.xlsx", "x.txt"])
            path.write_bytes(generate(rng))
            for reader in (read_frame, read_observations):
                try:
                    reader(path)
                except TargetsError:
                    pass
                except Exception:  # the bug this script looks for: report it, go on
                    bugs += 1
                    print(f"input {i} ({path.name}, {reader.__name__}):", file=sys.stderr)
                    traceback.print_exc()
    took = time.perf_counter() - started
    print(
        f"{count} inputs, {2 * count} reader calls, {bugs} non-TargetsError exceptions, "
        f"{took:.1f} s"
    )
    return 1 if bugs else 0


if __name__ == "__main__":
    sys.exit(main(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000))
