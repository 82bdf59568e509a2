"""Text normalisation that remembers where every character came from.

Reports arrive with full-width digits and punctuation, hard line breaks in the middle of a
phrase, stray spaces between a number and its unit, and page furniture. Extraction works on a
*normalised* text, but every record must quote the *original* text by offset. :func:`normalize`
therefore returns the normalised string together with, for each normalised character, the index
of the original character it came from.

Rules, applied character by character (so the offset map stays exact):

* NFKC per character (``１２３`` → ``123``, ``，`` → ``,``, ``％`` → ``%``).
* A run of white space is removed when it sits between two characters that are not both ASCII
  letters or digits (Chinese needs no spaces; ``FIND HZ`` keeps its space as one ``" "``).
* A single line break is a *soft wrap* and is removed when the line before it does not end a
  sentence and the next line does not start a heading or list item. Otherwise line breaks are
  kept as ``"\\n"``, which the extractor treats as a boundary.
* U+FFFD replacement characters and zero-width characters are dropped; a line of nothing but
  zero-width characters inside a sentence (markup residue of a web page) joins the lines around
  it.
"""

from __future__ import annotations

import bisect
import functools
import itertools
import re
import unicodedata
from dataclasses import dataclass

__all__ = ["Normalized", "fold_characters", "normalize", "to_halfwidth"]

_SENTENCE_END = frozenset("。！？；;!?:：")
_DROP = frozenset("\ufffd\u200b\u200c\u200d\ufeff\u00ad")
# A line that starts like this is a heading or a list item, never the tail of a wrapped line.
_HEADING_START = re.compile(
    r"^\s*(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十\d]+[)）]|\d{1,2}[.、．](?!\d)"
    r"|[一二三四五六七八九十]是|第[一二三四五六七八九十]+[章节部分]|——)"
)
_MIN_WRAPPED_LINE = 12
_HEADING_PREFIX = 40
"""How many characters of a line (after its indent) are read for a heading or list marker."""
_MARKER_RUN = re.compile(r"[第（(一二三四五六七八九十\d]+")
"""Characters that a marker of ``_HEADING_START`` can hold before its last one."""
_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


@dataclass(frozen=True, slots=True)
class Normalized:
    """A normalised text and the original offset of each of its characters.

    ``offsets[i]`` is the index in the original text of the character that produced
    ``text[i]``; ``offsets`` has one extra final entry, the original length, so that a span
    ``[i, j)`` of the normalised text maps to ``[offsets[i], offsets[j - 1] + 1)``.

    The map is stored by stretches: from ``stretch_starts[k]`` up to the next start, the
    characters of ``text`` come from ``stretch_shifts[k]`` places further on in the original.
    A stretch begins only where a character is dropped, white space is removed or one
    character folds into several; the rest of a report is copied or folded one for one, so a
    report needs a handful of stretches instead of one offset per character
    (``docs/scaling.md`` gives the memory this saves on a large report).
    """

    text: str
    stretch_starts: tuple[int, ...]
    stretch_shifts: tuple[int, ...]

    def offset(self, i: int) -> int:
        """The original index of ``text[i]`` (the original length for ``i == len(text)``).

        Raises:
            IndexError: ``i`` is negative or beyond ``len(text)``.
        """
        if not 0 <= i <= len(self.text):
            raise IndexError(f"offset {i} is outside the normalised text (0..{len(self.text)})")
        return i + self.stretch_shifts[bisect.bisect_right(self.stretch_starts, i) - 1]

    @property
    def offsets(self) -> tuple[int, ...]:
        """The original index of every character of ``text``, and the original length.

        Built on each access; :meth:`offset` maps one index without building it.
        """
        bounds = (*self.stretch_starts[1:], len(self.text) + 1)
        return tuple(
            itertools.chain.from_iterable(
                range(a + shift, b + shift)
                for a, b, shift in zip(
                    self.stretch_starts, bounds, self.stretch_shifts, strict=True
                )
            )
        )

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """Map the half-open span ``[start, end)`` of ``text`` back to the original text."""
        if end <= start:
            pos = self.offset(start)
            return pos, pos
        return self.offset(start), self.offset(end - 1) + 1


class _Builder:
    """The normalised text in pieces, and the stretches of its offset map."""

    __slots__ = ("length", "out", "shifts", "starts")

    def __init__(self) -> None:
        self.out: list[str] = []
        self.starts: list[int] = []
        self.shifts: list[int] = []
        self.length = 0

    def mark(self, origin: int) -> None:
        """The next character of the normalised text comes from ``original[origin]``."""
        shift = origin - self.length
        if self.shifts and self.shifts[-1] == shift:
            return
        if self.starts and self.starts[-1] == self.length:  # an empty stretch: replace it
            self.starts.pop()
            self.shifts.pop()
            if self.shifts and self.shifts[-1] == shift:
                return
        self.starts.append(self.length)
        self.shifts.append(shift)

    def copy(self, piece: str, origin: int) -> None:
        """Append ``piece``, whose characters come from ``original[origin:]`` one for one."""
        self.mark(origin)
        self.out.append(piece)
        self.length += len(piece)

    def put(self, piece: str, origin: int) -> None:
        """Append ``piece``, every character of which comes from ``original[origin]``."""
        for c in piece:
            self.copy(c, origin)

    def last_char(self) -> str:
        return self.out[-1][-1] if self.out and self.out[-1] else ""

    def build(self, original_length: int) -> Normalized:
        self.mark(original_length)  # the final entry: the end of the text maps to the end
        return Normalized("".join(self.out), tuple(self.starts), tuple(self.shifts))


def to_halfwidth(text: str) -> str:
    """NFKC-normalise ``text`` (full-width digits, letters and punctuation become ASCII)."""
    return unicodedata.normalize("NFKC", text)


def fold_characters(text: str) -> str:
    """NFKC of each character of ``text``, as :func:`normalize` folds them, without its rules
    for white space and line breaks.

    Equal to :func:`to_halfwidth` except where NFKC would compose a letter with a combining
    mark. About 2.5x faster on report text: only the runs of changing characters are touched,
    and each distinct character is folded once per process.
    """
    runs = _special_runs(text)
    if runs is None:
        return text
    return runs.sub(lambda m: "".join(map(_fold, m.group())), text)


def _is_ascii_word(ch: str) -> bool:
    return ch.isascii() and ch.isalnum()


def _wrap_width(lines: list[str]) -> int | None:
    """The line width of a hard-wrapped text, or ``None`` when lines are whole paragraphs.

    A text is hard-wrapped when most of its longer lines stop without ending a sentence (a
    newspaper column wrapped at ~30 characters); a web page whose lines are paragraphs is not.
    """
    long_lines = [s.strip() for s in lines if len(s.strip()) >= _MIN_WRAPPED_LINE]
    if len(long_lines) < 5:
        return None
    open_ended = [s for s in long_lines if _fold(s[-1]) not in _SENTENCE_END and s[-1] != "。"]
    if len(open_ended) < 0.6 * len(long_lines):
        return None
    widths = sorted(len(s) for s in open_ended)
    return widths[len(widths) // 2]


def _soft_breaks(original: str) -> set[int]:
    """Indices of ``\\n`` characters in ``original`` that are soft wraps inside a sentence."""
    soft: set[int] = set()
    lines = original.split("\n")
    if "\u200b" in original:
        soft |= _markup_breaks(lines)
    width = _wrap_width(lines)
    if width is None:
        return soft
    pos = 0
    for i, line in enumerate(lines[:-1]):
        nl = pos + len(line)
        nxt = lines[i + 1]
        stripped = line.rstrip()
        if (
            stripped
            and nxt.strip()
            and len(stripped.strip()) >= max(_MIN_WRAPPED_LINE, int(0.75 * width))
            and _fold(stripped[-1]) not in _SENTENCE_END
            and stripped[-1] not in "。"
            and not _is_heading(nxt)
        ):
            soft.add(nl)
        pos = nl + 1
    return soft


def _markup_breaks(lines: list[str]) -> set[int]:
    """The line breaks around a line that holds only zero-width characters, inside a sentence
    (a web page's markup left ``74.4\\n\\u200b\\n万亿元``): the three lines are one."""
    soft: set[int] = set()
    pos = 0
    for i, line in enumerate(lines[:-1]):
        nl = pos + len(line)
        if (
            i > 0
            and line
            and all(c in _DROP for c in line)
            and lines[i - 1].strip()
            and lines[i + 1].strip()
            and _fold(lines[i - 1].rstrip()[-1]) not in _SENTENCE_END
            and lines[i - 1].rstrip()[-1] != "。"
            and not _is_heading(lines[i + 1])
        ):
            soft.update((pos - 1, nl))
        pos = nl + 1
    return soft


def _is_heading(line: str) -> bool:
    """Whether ``line`` starts like a heading or a list item (一、 (二) ⑶ 3. 第一章 ——).

    Only the start of the line is normalised: a marker is a few characters long, and
    normalising every line in full would fold a hard-wrapped report a second time. When the
    whole start could still be the beginning of a marker (forty numerals), the whole line is.
    """
    text = line.lstrip()
    start = to_halfwidth(text[:_HEADING_PREFIX])
    if _HEADING_START.match(start):
        return True
    if len(text) > _HEADING_PREFIX and _MARKER_RUN.fullmatch(start):
        return _HEADING_START.match(to_halfwidth(text)) is not None
    return False


@functools.cache
def _fold(c: str) -> str:
    """NFKC of one character (a corpus has a few thousand distinct ones: each is asked once)."""
    return unicodedata.normalize("NFKC", c)


@functools.cache
def _is_special(c: str) -> bool:
    """Whether normalisation changes or drops the character ``c``."""
    return c in _DROP or c.isspace() or _fold(c) != c


@functools.cache
def _special_runs_bmp() -> re.Pattern[str]:
    """Runs of characters of the basic plane that normalisation changes or drops: white
    space, the dropped characters, and every character whose NFKC form differs from itself.

    Built once per process (a few hundredths of a second); a character class of the basic
    plane compiles to a bitmap, so a document is scanned at C speed.
    """
    ranges: list[tuple[int, int]] = []
    for cp in range(0x10000):
        if 0xD800 <= cp <= 0xDFFF:
            continue  # surrogates are not characters of a decoded text
        c = chr(cp)
        if c in _DROP or c.isspace() or unicodedata.normalize("NFKC", c) != c:
            if ranges and ranges[-1][1] == cp - 1:
                ranges[-1] = (ranges[-1][0], cp)
            else:
                ranges.append((cp, cp))
    members = "".join(
        re.escape(chr(a)) if a == b else f"{re.escape(chr(a))}-{re.escape(chr(b))}"
        for a, b in ranges
    )
    return re.compile(f"[{members}]+")


def _special_runs(original: str) -> re.Pattern[str] | None:
    """A pattern matching the runs of ``original`` that normalisation changes or drops."""
    if _ASTRAL.search(original) is None:
        return _special_runs_bmp()
    # characters beyond the basic plane (rare: CJK extension B, mathematical letters): a
    # class of this document's own changing characters
    special = "".join(filter(_is_special, set(original)))
    return re.compile("[" + re.escape(special) + "]+") if special else None


def normalize(original: str) -> Normalized:
    """Normalise ``original`` for extraction, keeping an exact offset map.

    Runs of characters that normalisation leaves alone are copied in one piece; only the
    characters it changes (full-width forms, white space, dropped characters) are walked.

    Args:
        original: the text as read from the file.

    Returns:
        A :class:`Normalized` whose ``text`` is what the extractor reads.
    """
    soft = _soft_breaks(original)
    built = _Builder()
    pos = 0
    runs = _special_runs(original)
    for m in runs.finditer(original) if runs is not None else ():
        start, end = m.span()
        if start > pos:
            built.copy(original[pos:start], pos)
        if end - start == 1 and (folded := _one_for_one(original[start])) is not None:
            built.copy(folded, start)  # most runs: one full-width comma or bracket
        else:
            _walk(original, start, end, soft, built)
        pos = end
    if pos < len(original):
        built.copy(original[pos:], pos)
    return built.build(len(original))


@functools.cache
def _one_for_one(c: str) -> str | None:
    """The fold of ``c`` when it is one character that is kept (not space, not dropped)."""
    if c in _DROP or c.isspace():
        return None
    folded = _fold(c)
    return folded if len(folded) == 1 else None


def _walk(original: str, i: int, end: int, soft: set[int], built: _Builder) -> None:
    """Normalise ``original[i:end]``, a run of characters that change, appending to ``built``."""
    n = len(original)
    while i < end:
        ch = original[i]
        if ch in _DROP:
            i += 1
            continue
        if ch.isspace():
            j = i
            has_hard_break = False
            while j < n and (original[j].isspace() or original[j] in _DROP):
                if original[j] in "\n\r" and j not in soft:  # CR alone ends a line too
                    has_hard_break = True
                j += 1
            prev = built.last_char()
            nxt = _fold(original[j]) if j < n else ""
            if has_hard_break:
                if prev != "\n" and built.out:
                    built.put("\n", i)
            elif prev and nxt and _is_ascii_word(prev) and _is_ascii_word(nxt[0]):
                built.put(" ", i)
            i = j
            continue
        built.put(_fold(ch), i)
        i += 1
