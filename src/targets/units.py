"""The one unit registry of ``targets`` and the unit table the extractor reads.

The registry is pint's standard one (its default definitions file: ``m``, ``kg``, ``km``,
``kW``, ``h``, ``%`` ...) plus our definitions from ``resources/units.txt`` (pint syntax, Chinese
spellings as symbols and aliases). Physical units are defined from pint's, so a quantity converts
to any standard unit with pint's own API::

    >>> parse_quantity("12万方").to("m**2").magnitude
    120000.0
    >>> parse_quantity("3万吨").to("kg").magnitude
    30000000.0

Money (元, 美元) and every count word (家, 项, 个, 人 ...) are dimensions of their own, and a
percentage point is not a percent: ``0.5个百分点`` does not convert to ``%``. The registry is
pint's application registry, so ``pint.Quantity(1, "km")`` or
``pint.get_application_registry().Quantity(1, "km")`` in a user's code adds to
``parse_quantity("3公里")``. Our names never shadow pint's: a name, spelling or dimension pint
already has is a load error, unless the line says what pint says (``percent``, ``permille``).

The registry is built on first use (about a quarter of a second, mostly pint reading its
definitions file), never at import, and without pint's disk cache, which would write pickles
to the user's cache folder.

pint is used at the edges, for parsing and display; frames carry a plain float ``value`` and a
``unit`` string, and convert with :func:`unit_info` factors, one per unit, to the base unit of
the unit's dimension: the first unit units.txt defines in it (元, 斤, 平方米, 公里, %), not
pint's SI base.

Floating point: ``16.06亿元`` is ``1605999999.9999998`` 元 in binary floating point. Scalar
conversions here go through :class:`decimal.Decimal` (``to_base_value``) so that a value written
in decimal converts exactly (``1606000000.0``). Vectorised conversions in frames multiply floats
and are compared with the documented relative tolerance :data:`REL_TOL` (1e-9).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, Any

from targets.errors import CatalogueError, ParseError, UnitError
from targets.normalize import to_halfwidth
from targets.numerals import parse_number

if TYPE_CHECKING:
    import pint

__all__ = [
    "REL_TOL",
    "UnitInfo",
    "convert_value",
    "format_quantity",
    "parse_quantity",
    "quantity",
    "registry",
    "scaled",
    "to_base_value",
    "unit_info",
    "unit_spellings",
]

REL_TOL = 1e-9
"""Relative tolerance for comparing values after unit conversion."""

_RESOURCE = "units.txt"
_DIMENSIONLESS = "[dimensionless]"


@dataclass(frozen=True, slots=True)
class UnitInfo:
    """One spelling of a unit and how it converts to the base unit of its dimension.

    ``dimension`` is pint's dimensionality as sorted text: ``"[money]"``, ``"[enterprise]"``,
    ``"[length]**2"`` (area), ``"[dimensionless]"`` (%, ‰); ``base`` is the spelling of the base
    unit and ``factor`` the exact decimal factor to it (亿元: 1E+8 to 元).
    """

    spelling: str
    name: str
    dimension: str
    factor: Decimal
    base: str


def _definition_lines(text: str) -> list[tuple[int, str]]:
    lines = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.split("#", 1)[0].strip()
        if line:
            lines.append((number, line))
    return lines


def _dimension_label(dims: Any) -> str:
    """``[money]``, ``[length]**2``, ``[length]**2 * [mass] * [time]**-3``: sorted, stable."""
    if not dims:
        return _DIMENSIONLESS
    return " * ".join(d if e == 1 else f"{d}**{e:g}" for d, e in sorted(dict(dims).items()))


def _is_dimension(ureg: Any, dimension: str) -> bool:
    try:
        ureg.get_dimensionality(dimension)
    except ValueError:  # pint: "[money] is not defined as dimension"
        return False
    return True


def _reuse_standard(ureg: Any, name: str, definition: str, names: list[str], where: str) -> None:
    """Check that a line naming one of pint's own units says what pint says (``percent``).

    Raises:
        ValueError: it does not (another meaning, another symbol, a spelling of another unit).
    """
    if ureg.get_name(name) != name:
        raise ValueError(f"{name!r} is pint's {ureg.get_name(name)!r}{where}")
    ours = ureg.parse_expression(definition).to_base_units()
    theirs = ureg.Quantity(1, name).to_base_units()
    if ours.units != theirs.units or ours.magnitude != theirs.magnitude:
        raise ValueError(f"{name!r} is pint's unit {theirs:~} (not {ours:~}){where}")
    if ureg.get_symbol(name) != names[0]:
        raise ValueError(f"pint's symbol of {name!r} is {ureg.get_symbol(name)!r}{where}")
    for spelling in names:
        if ureg.parse_unit_name(spelling) and ureg.get_name(spelling) != name:
            raise ValueError(f"{spelling!r} is pint's {ureg.get_name(spelling)!r}{where}")
        if not ureg.parse_unit_name(spelling):
            ureg.define(f"@alias {name} = {spelling}")


def _build(text: str, source: str) -> tuple[Any, dict[str, UnitInfo]]:
    import pint

    ureg: Any = pint.UnitRegistry(
        autoconvert_offset_to_baseunit=False, on_redefinition="raise", cache_folder=None
    )
    where = "; pick another name (see the header of units.txt)"
    spellings: dict[str, str] = {}
    roots: dict[str, str] = {}
    for number, line in _definition_lines(text):
        parts = [p.strip() for p in line.split("=")]
        if len(parts) < 2 or not all(parts):
            raise CatalogueError(f"malformed unit definition {line!r}", source=source, line=number)
        name, definition, *names = parts
        if not re.fullmatch(r"[a-z][a-z_]*", name):
            raise CatalogueError(
                f"unit name {name!r} is not ASCII snake_case", source=source, line=number
            )
        for spelling in names:
            if spelling in spellings:
                raise CatalogueError(
                    f"spelling {spelling!r} defined twice", source=source, line=number
                )
        try:
            if ureg.parse_unit_name(name):
                _reuse_standard(ureg, name, definition, names, where)
            else:
                for spelling in names:
                    if ureg.parse_unit_name(spelling):
                        raise ValueError(f"{spelling!r} is pint's {ureg.get_name(spelling)!r}")
                if definition.startswith("[") and _is_dimension(ureg, definition):
                    raise ValueError(f"{definition} is pint's dimension, not a new one")
                ureg.define(line)
        except (pint.errors.PintError, ValueError, TypeError, KeyError) as exc:
            raise CatalogueError(
                f"bad unit definition {line!r}: {exc}", source=source, line=number
            ) from exc
        for spelling in names:
            spellings[spelling] = name
        roots.setdefault(_dimension_label(ureg.get_dimensionality(name)), name)
    table: dict[str, UnitInfo] = {}
    for spelling, name in spellings.items():
        dimension = _dimension_label(ureg.get_dimensionality(name))
        base_name = roots[dimension]
        factor = Decimal(repr(float(ureg.Quantity(1, name).to(base_name).magnitude)))
        factor = Decimal(str(round(factor, 12))).normalize()
        base_spelling = next(s for s, n in spellings.items() if n == base_name)
        table[spelling] = UnitInfo(spelling, name, dimension, factor, base_spelling)
    return ureg, table


@cache
def _loaded() -> tuple[Any, dict[str, UnitInfo]]:
    import pint

    text = resources.files("targets.resources").joinpath(_RESOURCE).read_text(encoding="utf-8")
    ureg, table = _build(text, f"targets/resources/{_RESOURCE}")
    pint.set_application_registry(ureg)  # type: ignore[no-untyped-call]
    return ureg, table


def registry() -> Any:
    """The application-wide pint registry (built on first use, then cached)."""
    return _loaded()[0]


def unit_spellings() -> tuple[str, ...]:
    """Every unit spelling the extractor recognises, longest first."""
    return tuple(sorted(_loaded()[1], key=lambda s: (-len(s), s)))


def unit_info(spelling: str) -> UnitInfo:
    """Conversion facts for one unit spelling (``"亿元"``, ``"%"``, ``"个百分点"``).

    Raises:
        UnitError: the spelling is not a known unit.
    """
    table = _loaded()[1]
    info = table.get(spelling)
    if info is None:
        info = table.get(to_halfwidth(spelling).strip())
    if info is None:
        raise UnitError(f"unknown unit {spelling!r}", unit=spelling)
    return info


def quantity(value: float, unit: str) -> pint.Quantity[Any]:
    """Build a Quantity from a number and a unit spelling (``quantity(16.06, "亿元")``)."""
    built: pint.Quantity[Any] = registry().Quantity(value, _unit(unit))
    return built


@cache
def _unit(spelling: str) -> Any:
    """The pint Unit of a spelling, parsed once (a Quantity from a Unit skips the parser)."""
    return registry().Unit(unit_info(spelling).name)


_QUANTITY = re.compile(
    r"^\s*(?P<num>[-+]?[\d.,]+|[零〇一二两三四五六七八九十百千万亿点]+)\s*(?P<unit>.+?)\s*$"
)


def parse_quantity(text: str) -> pint.Quantity[Any]:
    """Parse ``"16.06亿元"``, ``"3.88%"``, ``"１２万方"``, ``"750 家"``, ``"0.5个百分点"``.

    Raises:
        UnitError: the unit is unknown (the message names it).
        ParseError: there is no number.
    """
    s = to_halfwidth(text)
    m = _QUANTITY.match(s)
    if not m:
        raise ParseError("not a quantity", text=text)
    unit = m.group("unit")
    value = parse_number(m.group("num"))
    return quantity(value, unit)


def to_base_value(value: float, unit: str) -> float:
    """Convert ``value`` in ``unit`` to the base unit of its dimension, exactly for decimals."""
    return scaled(value, unit_info(unit).factor)


def scaled(value: float, factor: Decimal) -> float:
    """``value × factor`` exactly for the decimal the float was written as (16.06 亿 is
    1606000000.0, not 1606000000.0000002)."""
    return float(Decimal(repr(value)) * factor)


def convert_value(value: float, from_unit: str, to_unit: str) -> float:
    """Convert a plain number between unit spellings of the same dimension.

    Raises:
        UnitError: unknown unit, or different dimensions (家 to 亿元, % to 个百分点).
    """
    a, b = unit_info(from_unit), unit_info(to_unit)
    if a.dimension != b.dimension:
        raise UnitError(
            f"cannot convert {from_unit!r} ({a.dimension}) to {to_unit!r} ({b.dimension})",
            unit=to_unit,
        )
    return float(Decimal(repr(value)) * a.factor / b.factor)


def format_quantity(value: float, unit: str) -> str:
    """Render ``16.06`` and ``"亿元"`` as ``"16.06亿元"`` (no trailing ``.0``)."""
    text = f"{value:.10g}" if value != int(value) or abs(value) >= 1e15 else str(int(value))
    return f"{text}{unit}"
