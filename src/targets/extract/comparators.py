"""Comparators: how a target value constrains the actual, from the words right before
and after it (突破 >, 达到 ≥, 以内 ≤, 左右 ≈; negations first), and the direction of a bare
target."""

from __future__ import annotations

from targets.models import (
    Comparator,
    Direction,
)

from . import patterns as p
from .mentions import Mention

__all__ = ["COMPARATOR_REACH", "FLIP", "comparator_for"]


COMPARATOR_REACH = 8
"""How many characters before a value can hold its comparator word and what precedes it
(不低于 and the 不 of a negation: at most five)."""


def comparator_for(
    before: str, mention: Mention, kind: str, direction: Direction | None
) -> tuple[Comparator, str]:
    """Comparator and approximate-qualifier for a mention, from the words around it."""
    approx = mention.inner
    if mention.value_high is not None:
        return Comparator.RANGE, approx
    if mention.suffix in p.SUFFIX_GE:
        return Comparator.GE, approx
    if mention.suffix in p.SUFFIX_LE:
        return Comparator.LE, approx
    if mention.suffix in p.SUFFIX_APPROX:
        return Comparator.APPROX, approx
    tail = before.rstrip()[-COMPARATOR_REACH:]  # the words are read at its end only
    if approx:
        return Comparator.GT, approx
    if p.PREFIX_PLANNED_AS.search(tail):
        return Comparator.EQ, ""
    if p.PREFIX_NOT_MORE.search(tail):
        return Comparator.LE, ""
    if p.PREFIX_NOT_LESS.search(tail):
        return Comparator.GE, ""
    if p.PREFIX_GT.search(tail):
        word = p.PREFIX_GT.search(tail)
        return Comparator.GT, (word.group(0) if kind != "target" and word else "")
    if p.PREFIX_LE.search(tail):
        return Comparator.LE, ""
    if p.PREFIX_LT.search(tail):
        return Comparator.LT, ""
    if p.PREFIX_APPROX.search(tail):
        word = p.PREFIX_APPROX.search(tail)
        return Comparator.APPROX, (word.group(0) if word else "")
    if p.PREFIX_GE.search(tail) and kind == "target":
        return Comparator.GE, ""
    if kind == "target":
        if direction is not None and direction.sign < 0:
            return Comparator.LE, ""
        if direction is not None and direction.sign == 0:
            return Comparator.APPROX, ""
        return Comparator.GE, ""
    return Comparator.EQ, ""


FLIP = {
    Comparator.GE: Comparator.LE,
    Comparator.GT: Comparator.LT,
    Comparator.LE: Comparator.GE,
    Comparator.LT: Comparator.GT,
}
