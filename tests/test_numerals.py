from __future__ import annotations

import cn2an
import pytest
from hypothesis import given
from hypothesis import strategies as st

from targets.errors import ParseError
from targets.numerals import parse_number


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("三十", 30),
        ("两千三百", 2300),
        ("十二万五", 125_000),
        ("一百零五", 105),
        ("三千五", 3500),
        ("一千零一", 1001),
        ("十", 10),
        ("一点五", 1.5),
        ("3万", 30_000),
        ("1,234", 1234),
        ("16.06", 16.06),
        ("一亿二千万", 120_000_000),
    ],
)
def test_examples(text: str, value: float) -> None:
    assert parse_number(text) == value


@pytest.mark.parametrize("text", ["", "二十届", "四川", "十四五规划", "点五"])
def test_not_numbers(text: str) -> None:
    with pytest.raises(ParseError):
        parse_number(text)


@given(st.integers(min_value=0, max_value=10**9))
def test_agrees_with_cn2an_on_its_own_renderings(n: int) -> None:
    assert parse_number(cn2an.an2cn(n)) == n
