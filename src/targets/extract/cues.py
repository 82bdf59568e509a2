"""The cue words of report language as a validated data table, loaded once.

The table is ``resources/cue_words.yaml``: groups of words by what they signal (comparators
before and after a value, flow and stock words, growth and decline, qualifiers, period words,
and the words dropped from the series key of a figure outside the catalogue). The grammar of
:mod:`targets.extract.patterns` builds its expressions from it, so a word is added in one place
and read the same everywhere. Loading checks the groups and that no word is claimed by two
groups of one family; a problem raises :class:`~targets.errors.CatalogueError` naming the line.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import cache
from importlib import resources

import yaml

from targets.errors import CatalogueError

__all__ = ["GROUPS", "alternation", "cue_words", "load_cue_words"]

_RESOURCE = "cue_words.yaml"

GROUPS: dict[str, str] = {
    "comparator_gt": "comparator",
    "comparator_ge": "comparator",
    "comparator_le": "comparator",
    "comparator_lt": "comparator",
    "comparator_short_of": "comparator",
    "comparator_not_more": "comparator",
    "comparator_not_less": "comparator",
    "comparator_approx": "comparator",
    "comparator_planned_as": "comparator",
    "suffix_ge": "suffix",
    "suffix_le": "suffix",
    "suffix_approx": "suffix",
    "suffix_more": "suffix",
    "flow_strong": "measure",
    "stock": "measure",
    "flow_weak": "measure_weak",
    "flow_period": "measure_period",
    "growth": "change",
    "decline": "change",
    "qualifier": "qualifier",
    "period_this": "period",
    "period_next": "period",
    "period_last": "period",
    "period_months_1_6": "period",
    "period_months_1_9": "period",
    "period_months_1_3": "period",
    "scope_part": "scope",
    "key_region": "key",
    "key_verb": "key",
}
"""Every group and its family: a word belongs to at most one group of a family."""


def _fail(message: str, line: int | None, source: str) -> CatalogueError:
    return CatalogueError(message, source=source, line=line)


def load_cue_words(text: str, *, source: str = _RESOURCE) -> dict[str, tuple[str, ...]]:
    """Parse and validate a cue-word table given as YAML text: group → words in order.

    Raises:
        CatalogueError: malformed YAML, an unknown or missing group, an empty or non-string
            word, or a word in two groups of one family.
    """
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise _fail(f"not valid YAML: {exc}", mark.line + 1 if mark else None, source) from exc
    if not isinstance(node, yaml.MappingNode):
        raise _fail("the cue words must be a mapping of group to words", None, source)
    groups: dict[str, tuple[str, ...]] = {}
    owner: dict[tuple[str, str], str] = {}
    for key_node, value_node in node.value:
        line = key_node.start_mark.line + 1
        group = str(key_node.value)
        if group not in GROUPS:
            raise _fail(f"unknown group {group!r}", line, source)
        if group in groups:
            raise _fail(f"group {group!r} given twice", line, source)
        if not isinstance(value_node, yaml.SequenceNode) or not all(
            isinstance(w, yaml.ScalarNode) and str(w.value).strip() for w in value_node.value
        ):
            raise _fail(f"group {group!r} must be a list of words", line, source)
        words = tuple(str(w.value).strip() for w in value_node.value)
        for word_node, word in zip(value_node.value, words, strict=True):
            other = owner.setdefault((GROUPS[group], word), group)
            if other != group:
                raise _fail(
                    f"{word!r} is in {group!r} and already in {other!r}",
                    word_node.start_mark.line + 1,
                    source,
                )
        groups[group] = words
    missing = sorted(set(GROUPS) - set(groups))
    if missing:
        raise _fail(f"missing groups {', '.join(missing)}", None, source)
    return groups


@cache
def cue_words() -> Mapping[str, tuple[str, ...]]:
    """The packaged cue words (loaded and validated on first use, then cached)."""
    text = resources.files("targets.resources").joinpath(_RESOURCE).read_text(encoding="utf-8")
    return load_cue_words(text, source=f"targets/resources/{_RESOURCE}")


def alternation(*groups: str) -> str:
    """The words of ``groups`` as a regular-expression alternation, in table order."""
    words = cue_words()
    return "|".join(re.escape(w) for g in groups for w in words[g])
