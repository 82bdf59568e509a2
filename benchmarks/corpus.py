"""A synthetic corpus of report-like documents assembled from real sentences.

Sentences are taken from the seed reports (``data/reports``) and the 31 provincial reports
(``data/provincial-2026``), then recombined with a fixed seed into documents shaped like a
county bureau's annual report: a title, a publication date, a summary section and a plan
section, each a few paragraphs of real sentences. Sizes follow a log-normal distribution
around 15 KB (county reports run 9-30 KB, provincial ones 30-95 KB).
"""

from __future__ import annotations

import math
import random
import re
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCES = (ROOT / "data" / "reports", ROOT / "data" / "provincial-2026")

_SENTENCE = re.compile(r"[^。！？；\n]+[。！？；]?")
_REGIONS = tuple(
    re.findall(
        r"\S+",
        "临安区 余杭区 西湖区 建德市 淳安县 桐庐县 富阳区 萧山区 上城区 拱墅区 滨江区 钱塘区 "
        "临平区 海曙区 江北区 北仑区 镇海区 鄞州区 奉化区 余姚市 慈溪市 象山县 宁海县 鹿城区 "
        "龙湾区 瓯海区 洞头区 瑞安市 乐清市 永嘉县 平阳县 苍南县 文成县 泰顺县 南湖区 秀洲区",
    )
)


@dataclass(frozen=True, slots=True)
class Corpus:
    """Documents as ``(file name, text)`` pairs and where their sentences came from."""

    documents: tuple[tuple[str, str], ...]
    source_files: int
    source_sentences: int

    @property
    def nbytes(self) -> int:
        return sum(len(text.encode("utf-8")) for _, text in self.documents)

    def write(self, folder: Path) -> list[Path]:
        """Write every document as UTF-8 into ``folder``; returns the paths in order."""
        folder.mkdir(parents=True, exist_ok=True)
        paths = []
        for name, text in self.documents:
            path = folder / name
            path.write_text(text, encoding="utf-8")
            paths.append(path)
        return paths


def sentences() -> tuple[list[str], int]:
    """Every sentence (4+ characters) of the source reports, and the number of files read."""
    out: list[str] = []
    files = 0
    for folder in SOURCES:
        for path in sorted(folder.glob("*.txt")):
            files += 1
            text = path.read_text(encoding="utf-8")
            out.extend(s.strip() for s in _SENTENCE.findall(text) if len(s.strip()) >= 4)
    return out, files


def build(n_documents: int = 2000, *, seed: int = 6, mean_kb: float = 15.0) -> Corpus:
    """``n_documents`` report-like documents, the same for the same arguments."""
    pool, files = sentences()
    rng = random.Random(seed)
    documents = []
    for i in range(n_documents):
        region = rng.choice(_REGIONS)
        year = rng.randint(2015, 2025)
        size = min(80_000, max(3_000, int(rng.lognormvariate(math.log(mean_kb * 1000), 0.5))))
        half = size // 2
        lines = [
            f"{region}科学技术局{year}年工作总结和{year + 1}年工作计划",
            f"发布日期：{year + 1}-0{rng.randint(1, 3)}-{rng.randint(10, 28)}",
            f"一、{year}年工作总结",
        ]
        lines += _paragraphs(pool, rng, half)
        lines.append(f"二、{year + 1}年工作计划")
        lines += _paragraphs(pool, rng, size - half)
        documents.append((f"{i:04d}_{region}_{year}.txt", "\n".join(lines) + "\n"))
    return Corpus(tuple(documents), files, len(pool))


def _paragraphs(pool: list[str], rng: random.Random, nbytes: int) -> list[str]:
    out: list[str] = []
    size = 0
    while size < nbytes:
        paragraph = "".join(rng.choice(pool) for _ in range(rng.randint(1, 6)))
        out.append(paragraph)
        size += len(paragraph.encode("utf-8")) + 1
    return out
