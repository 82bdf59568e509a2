from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from targets.normalize import normalize

from .conftest import SEED_003


def test_full_width_digits_and_punctuation() -> None:
    n = normalize("实现技术交易额１６．０６亿元，同比增长２１．５８％")
    assert n.text == "实现技术交易额16.06亿元,同比增长21.58%"


def test_space_between_number_and_unit_is_dropped_but_latin_words_keep_theirs() -> None:
    assert normalize("强度 3.42% ").text == "强度3.42%"
    assert normalize("FIND HZ活动").text == "FIND HZ活动"


def test_hard_wrapped_column_is_joined() -> None:
    original = SEED_003.read_text(encoding="utf-8")
    n = normalize(original)
    assert "规上企业研发费用投入总量28.33亿元,绝对值居全市第5位" in n.text.replace("，", ",")
    i = n.text.index("28.33亿元")
    a, b = n.original_span(i, i + len("28.33亿元"))
    assert original[a:b] == "28.33亿\n元"


def test_paragraph_lines_are_not_joined() -> None:
    text = "一、2024年工作总结\n(一)主要指标完成情况\n1-12月,全区完成投资73.71亿元。\n"
    assert normalize(text).text.split("\n")[:2] == ["一、2024年工作总结", "(一)主要指标完成情况"]


@given(
    st.text(
        alphabet=st.sampled_from(list("一二三四五亿元万家%，。 \n１２3.ＡB\r\ufffd")), max_size=80
    )
)
def test_offsets_point_at_the_source_character(text: str) -> None:
    n = normalize(text)
    assert len(n.offsets) == len(n.text) + 1
    assert list(n.offsets[:-1]) == sorted(n.offsets[:-1])
    for ch, pos in zip(n.text, n.offsets, strict=False):
        if ch not in " \n":
            import unicodedata

            assert ch in unicodedata.normalize("NFKC", text[pos])
