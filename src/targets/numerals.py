"""Numbers as written in reports: Arabic with decimals and grouping, and Chinese numerals.

Only a span that a pattern has already matched is converted: whole-text rewriting damages words
(四川 is not 4川, 十四五 is not 55). :func:`parse_number` accepts ``"16.06"``, ``"1,234"``,
``"三十"``, ``"两千三百"``, ``"十二万五"``, ``"一点五"`` and ``"3万"`` (Arabic digits with a
Chinese multiplier).
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from targets.errors import ParseError

__all__ = ["CHINESE_DIGITS", "parse_chinese_numeral", "parse_number"]

CHINESE_DIGITS = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_SMALL_UNITS = {"十": 10, "百": 100, "千": 1000}
_LARGE_UNITS = {"万": 10_000, "亿": 100_000_000}
_ARABIC = re.compile(r"^\d{1,3}(?:,\d{3})+(?:\.\d+)?$|^\d+(?:\.\d+)?$")
_ARABIC_WITH_MULTIPLIER = re.compile(r"^(\d+(?:\.\d+)?)(万亿|万|亿|千)$")


def _section(text: str, whole: str) -> int:
    """Value of a numeral below 万 such as 两千三百零五 (an elided last unit, 三千五, is 3500)."""
    total = 0
    digit: int | None = None
    last_unit = 1
    for ch in text:
        if ch in CHINESE_DIGITS:
            digit = CHINESE_DIGITS[ch]
        elif ch in _SMALL_UNITS:
            unit = _SMALL_UNITS[ch]
            if unit >= last_unit and total:
                raise ParseError("malformed Chinese numeral", text=whole)
            total += (1 if digit is None else digit) * unit
            last_unit = unit
            digit = None
        else:
            raise ParseError("not a Chinese numeral", text=whole)
    if digit is not None:
        # 三千五 means 3500: a trailing digit takes the unit one below the last one written.
        elided = len(text) > 1 and text[-2] in _SMALL_UNITS and last_unit >= 10
        total += digit * (last_unit // 10 if elided else 1)
    return total


def parse_chinese_numeral(text: str) -> int:
    """Convert a Chinese integer numeral (``三十``, ``两千三百``, ``十二万五``) to an int.

    Raises:
        ParseError: the text is empty or not a well-formed numeral.
    """
    if not text:
        raise ParseError("empty numeral", text=text)
    total = 0
    rest = text
    for char, factor in (("亿", _LARGE_UNITS["亿"]), ("万", _LARGE_UNITS["万"])):
        if char in rest:
            head, _, rest = rest.partition(char)
            if char in rest:
                raise ParseError("malformed Chinese numeral", text=text)
            head_value = 1 if head == "" else parse_chinese_numeral(head)
            total += head_value * factor
            if rest and len(rest) == 1 and rest in CHINESE_DIGITS:
                # 十二万五 = 125000: a lone trailing digit takes the next unit down.
                return total + CHINESE_DIGITS[rest] * factor // 10
            if rest.startswith(("零", "〇")):
                rest = rest[1:]
    return total + (_section(rest, text) if rest else 0)


def parse_number(text: str) -> float:
    """Parse a number as written in a report.

    Args:
        text: Arabic (``16.06``, ``1,234``), Arabic with a Chinese multiplier (``3万``), or a
            Chinese numeral, optionally with a decimal part (``一点五``).

    Returns:
        The value as a float.

    Raises:
        ParseError: the text is not a number.
    """
    s = text.strip()
    if _ARABIC.match(s):
        return float(s.replace(",", ""))
    m = _ARABIC_WITH_MULTIPLIER.match(s)
    if m:
        factor = {"千": 1_000, "万": 10_000, "亿": 100_000_000, "万亿": 10**12}[m.group(2)]
        try:
            return float(Decimal(m.group(1)) * factor)
        except InvalidOperation as exc:  # pragma: no cover - the regex admits only digits
            raise ParseError("not a number", text=text) from exc
    integer, sep, frac = s.partition("点")
    if sep:
        if not integer or not frac or any(ch not in CHINESE_DIGITS for ch in frac):
            raise ParseError("not a number", text=text)
        digits = "".join(str(CHINESE_DIGITS[ch]) for ch in frac)
        return float(Decimal(parse_chinese_numeral(integer or "零")) + Decimal("0." + digits))
    if (
        s
        and all(ch in CHINESE_DIGITS or ch in _SMALL_UNITS or ch in _LARGE_UNITS for ch in s)
        and any(ch in CHINESE_DIGITS or ch == "十" for ch in s)
    ):
        return float(parse_chinese_numeral(s))
    raise ParseError("not a number", text=text)
