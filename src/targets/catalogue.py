"""The indicator catalogue: a validated data table, loaded once.

The table is ``resources/indicators.yaml`` (see its header for the format). Loading checks that
codes are unique ASCII snake_case, that no alias is claimed by two indicators, that measures and
directions are known and that every unit is defined in the unit registry; a problem raises
:class:`~targets.errors.CatalogueError` naming the file and line.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import yaml

from targets.errors import CatalogueError, UnitError
from targets.models import Direction, Indicator, Measure
from targets.normalize import to_halfwidth
from targets.units import unit_info

__all__ = [
    "AliasMatch",
    "Catalogue",
    "catalogue",
    "load_catalogue",
    "resolve_indicator",
    "trie_pattern",
]

_RESOURCE = "indicators.yaml"
_CODE = re.compile(r"[a-z][a-z0-9_]*")
_REQUIRED = ("code", "name_zh", "name_en", "measure", "unit", "direction", "category", "aliases")
_RELATIONS = ("growth_of", "share_of", "share_in", "per_capita_of")
"""Optional keys naming another entry; each must exist (and suit the entry's measure)."""
_RELATION_MEASURES = {
    "growth_of": (Measure.GROWTH,),
    "share_of": (Measure.RATIO,),
    "share_in": (Measure.RATIO,),
    "per_capita_of": tuple(Measure),
}
_SCOPES = {
    "population": frozenset({"", "urban", "rural", "all"}),
    "enterprise_scope": frozenset({"", "above_size", "all"}),
}


def _alias_key(text: str) -> str:
    """Matching key: half-width, upper-case Latin letters, no spaces."""
    return to_halfwidth(text).upper().replace(" ", "")


def trie_pattern(words: Iterable[str]) -> str:
    """A regular expression matching the longest of ``words`` at each position.

    It matches what the alternation of ``words`` sorted longest first matches (the same span
    at the same start), but as a trie: ``科技(?:创新|局)?`` rather than ``科技创新|科技局|科技``,
    so a match costs the length of the word, not the number of words.
    """
    trie: dict[str, Any] = {}
    for word in words:
        if not word:
            continue
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}
    return _trie_branch(trie)


def _trie_branch(node: dict[str, Any]) -> str:
    # children first (longer words), the end of a word (the empty branch) last
    options = [
        re.escape(char) + _trie_branch(child) for char, child in sorted(node.items()) if char
    ]
    if "" in node:
        if not options:
            return ""
        return f"(?:{'|'.join(options)})?"
    if len(options) == 1:
        return options[0]
    return f"(?:{'|'.join(options)})"


class _LineLoader(yaml.SafeLoader):
    """A YAML loader that records the line of each mapping as ``__line__``."""


class _FastLineLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """The same on libyaml's parser (about six times faster) when PyYAML has it."""


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> dict[str, Any]:
    raw = loader.construct_mapping(node, deep=True)
    mapping: dict[str, Any] = {str(key): value for key, value in raw.items()}
    mapping["__line__"] = node.start_mark.line + 1
    return mapping


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_FastLineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


@dataclass(frozen=True, slots=True)
class AliasMatch:
    """An alias found in a text: ``text[start:end]`` names ``indicator``."""

    start: int
    end: int
    alias: str
    indicator: Indicator
    candidates: tuple[Indicator, ...] = ()
    """Every indicator with this alias, one per unit dimension (人均地区生产总值 in 元 and in
    美元); ``indicator`` is the first."""


class Catalogue(Mapping[str, Indicator]):
    """Indicators by code, with alias lookup and in-text alias search."""

    def __init__(self, indicators: list[Indicator]) -> None:
        self._by_code = {ind.code: ind for ind in indicators}
        self._by_alias: dict[str, tuple[Indicator, ...]] = {}
        for ind in indicators:
            for alias in dict.fromkeys(_alias_key(a) for a in (ind.name_zh, *ind.aliases)):
                self._by_alias[alias] = (*self._by_alias.get(alias, ()), ind)
        # the aliases as a trie (one branch per next character): the engine skips to the
        # positions where some alias could start, then follows one path instead of trying
        # every alias in turn; the longest alias at a position wins, as in a longest-first
        # alternation of all of them
        self._search = re.compile(trie_pattern(self._by_alias))
        shares: dict[str, list[Indicator]] = {}
        for ind in indicators:
            if ind.share_of:
                shares.setdefault(ind.share_of, []).append(ind)
        self._share = {part: found[0] for part, found in shares.items() if len(found) == 1}

    def __getitem__(self, code: str) -> Indicator:
        return self._by_code[code]

    def __iter__(self) -> Iterator[str]:
        return iter(self._by_code)

    def __len__(self) -> int:
        return len(self._by_code)

    def lookup(self, text: str) -> Indicator | None:
        """The indicator whose code, name or alias is exactly ``text`` (or ``None``)."""
        if text in self._by_code:
            return self._by_code[text]
        found = self._by_alias.get(_alias_key(text))
        return found[0] if found else None

    def share_of(self, code: str) -> Indicator | None:
        """The one ratio entry that is the share of ``code`` (``share_of``), or ``None``."""
        return self._share.get(code)

    def find(self, text: str) -> list[AliasMatch]:
        """Every alias occurring in ``text`` (the longest one at each start position).

        ``text`` must already be normalised (half-width); Latin letters match any case.
        """
        key = text.upper()
        found = []
        m = self._search.search(key)
        while m is not None:  # overlapping matches: the next search starts one further on
            alias = m.group(0)
            start = m.start()
            owners = self._by_alias[alias]
            found.append(AliasMatch(start, start + len(alias), alias, owners[0], owners))
            m = self._search.search(key, start + 1)
        return found


def _fail(message: str, line: int | None) -> CatalogueError:
    return CatalogueError(message, source=f"targets/resources/{_RESOURCE}", line=line)


def _indicator(row: Any) -> Indicator:
    if not isinstance(row, dict):
        raise _fail(f"entry must be a mapping, got {row!r}", None)
    line = row.pop("__line__", None)
    missing = [key for key in _REQUIRED if key not in row]
    if missing:
        raise _fail(f"entry {row.get('code', '?')!r} lacks {', '.join(missing)}", line)
    not_after = row.pop("not_after", [])
    if not isinstance(not_after, list) or not all(isinstance(a, str) and a for a in not_after):
        raise _fail(f"entry {row.get('code', '?')!r}: not_after must be a list of strings", line)
    links = {}
    for key in _RELATIONS:
        links[key] = row.pop(key, "")
        if not isinstance(links[key], str):
            raise _fail(f"entry {row.get('code', '?')!r}: {key} must be a code", line)
    scopes = {}
    for key, allowed in _SCOPES.items():
        scopes[key] = row.pop(key, "")
        if scopes[key] not in allowed:
            raise _fail(
                f"entry {row.get('code', '?')!r}: {key} must be one of "
                f"{', '.join(sorted(a for a in allowed if a))}, got {scopes[key]!r}",
                line,
            )
    also_units = row.pop("also_units", [])
    if not isinstance(also_units, list) or not all(isinstance(u, str) and u for u in also_units):
        raise _fail(f"entry {row.get('code', '?')!r}: also_units must be a list of units", line)
    for spelling in also_units:
        try:
            unit_info(spelling)
        except UnitError as exc:
            raise _fail(f"entry {row.get('code', '?')!r}: unknown unit {spelling!r}", line) from exc
    extra = sorted(set(row) - set(_REQUIRED))
    if extra:
        raise _fail(f"entry {row['code']!r} has unknown keys {', '.join(extra)}", line)
    code = row["code"]
    if not isinstance(code, str) or not _CODE.fullmatch(code):
        raise _fail(f"code {code!r} is not ASCII snake_case", line)
    try:
        measure = Measure(row["measure"])
        direction = Direction(row["direction"])
    except ValueError as exc:
        raise _fail(f"entry {code!r}: {exc}", line) from exc
    unit = row["unit"]
    if not isinstance(unit, str):
        raise _fail(f"entry {code!r}: unit must be a string", line)
    if unit:
        try:
            unit_info(unit)
        except UnitError as exc:
            raise _fail(f"entry {code!r}: unknown unit {unit!r}", line) from exc
    aliases = row["aliases"]
    if not isinstance(aliases, list) or not all(isinstance(a, str) and a for a in aliases):
        raise _fail(f"entry {code!r}: aliases must be a list of non-empty strings", line)
    for key in ("name_zh", "name_en", "category"):
        if not isinstance(row[key], str) or not row[key]:
            raise _fail(f"entry {code!r}: {key} must be a non-empty string", line)
    return Indicator(
        code=code,
        name_zh=row["name_zh"],
        name_en=row["name_en"],
        measure=measure,
        unit=unit,
        direction=direction,
        category=row["category"],
        aliases=tuple(aliases),
        not_after=tuple(not_after),
        **links,
        **scopes,
        also_units=tuple(also_units),
    )


def load_catalogue(text: str) -> Catalogue:
    """Parse and validate a catalogue table given as YAML text.

    Raises:
        CatalogueError: malformed YAML, a bad entry, a duplicate code or a shared alias.
    """
    try:
        try:
            rows = yaml.load(text, Loader=_FastLineLoader)
        except yaml.YAMLError:  # the pure-Python parser's message: it quotes the line
            rows = yaml.load(text, Loader=_LineLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise _fail(f"not valid YAML: {exc}", mark.line + 1 if mark else None) from exc
    if not isinstance(rows, list):
        raise _fail("the catalogue must be a list of entries", None)
    indicators: list[Indicator] = []
    owner: dict[tuple[str, str], str] = {}
    lines: dict[str, int | None] = {}
    for row in rows:
        line = row.get("__line__") if isinstance(row, dict) else None
        ind = _indicator(row)
        if ind.code in lines:
            raise _fail(f"code {ind.code!r} defined twice (first at line {lines[ind.code]})", line)
        lines[ind.code] = line
        dimension = unit_info(ind.unit).dimension if ind.unit else ""
        for alias in {_alias_key(a) for a in (ind.name_zh, *ind.aliases)}:
            # one alias may name entries in different dimensions (元 and 美元), never two
            # entries a value could fit alike
            other = owner.setdefault((alias, dimension), ind.code)
            if other != ind.code:
                raise _fail(
                    f"alias {alias!r} of {ind.code!r} is already claimed by {other!r}", line
                )
        indicators.append(ind)
    for ind in indicators:
        for key in _RELATIONS:
            target = getattr(ind, key)
            if not target:
                continue
            if target not in lines or target == ind.code:
                raise _fail(
                    f"entry {ind.code!r}: {key} {target!r} names no other entry", lines[ind.code]
                )
            if ind.measure not in _RELATION_MEASURES[key]:
                needed = " or ".join(m.value for m in _RELATION_MEASURES[key])
                raise _fail(
                    f"entry {ind.code!r}: {key} needs measure {needed}, not {ind.measure.value}",
                    lines[ind.code],
                )
    return Catalogue(indicators)


@cache
def catalogue() -> Catalogue:
    """The packaged catalogue (loaded and validated on first use, then cached)."""
    text = resources.files("targets.resources").joinpath(_RESOURCE).read_text(encoding="utf-8")
    return load_catalogue(text)


def resolve_indicator(text: str) -> str:
    """The catalogue code for an indicator name or alias: ``resolve_indicator("国高企")`` →
    ``"hitech_enterprises"``.

    Raises:
        KeyError: no indicator has that name or alias.
    """
    ind = catalogue().lookup(text)
    if ind is None:
        raise KeyError(f"no indicator is called {text!r}")
    return ind.code
