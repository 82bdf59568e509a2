"""Fast paths agree with the plain definitions they replace (hypothesis properties)."""

from __future__ import annotations

import itertools
import re

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from targets.catalogue import catalogue
from targets.extract import comparators, mentions, resolve
from targets.normalize import normalize

from .conftest import PROVINCIAL, REPORTS
from .test_fuzz import report_texts as fuzz_report_texts

_PIECES = st.sampled_from(
    [
        "达到",
        "达",
        "均",
        "人均",
        "以上",
        "在全省",
        "全国",
        "继续保持",
        "技术交易额",
        "高新技术企业",
        "国家高新技术企业",
        "研发投入",
        "，",
        ",",
        "、",
        " ",
        "（",
        "）",
        ":",
        "。",
        "\n",
        "第",
        "１２",
        "亿元",
    ]
)
_TEXT = st.lists(st.one_of(_PIECES, st.text(max_size=3)), max_size=12).map("".join)


@given(_TEXT)
@example("技术交易额达到\n")  # $ also matches before a final line break
def test_strip_cmp_is_the_edge_regex(text: str) -> None:
    assert resolve.strip_cmp(text) == resolve.CMP_EDGES.sub("", text)


@given(_TEXT, st.integers(0, 40), st.integers(0, 40))
def test_clause_start_is_the_last_boundary(text: str, lo: int, pos: int) -> None:
    pos = min(pos, len(text))
    lo = min(lo, pos)

    def reference() -> int:
        for i in range(pos - 1, max(lo, pos - mentions.WINDOW) - 1, -1):
            if text[i] in ",:()（）[];。!?\n":  # the character-by-character definition
                return i + 1
        return max(lo, pos - mentions.WINDOW)

    assert mentions.clause_begin(text, lo, pos) == reference()


@given(_TEXT)
def test_alias_search_finds_every_alias_at_every_start(text: str) -> None:
    cat = catalogue()
    keys = sorted(cat._by_alias, key=lambda k: (-len(k), k))  # the catalogue's own order
    lookahead = re.compile("(?=(" + "|".join(re.escape(k) for k in keys) + "))")
    expected = [(m.start(1), m.group(1)) for m in lookahead.finditer(text.upper())]
    assert [(a.start, a.alias) for a in cat.find(text)] == expected


_WORDS = st.lists(st.text(alphabet="科技局创新AB.(", min_size=1, max_size=5), max_size=12)


@given(_WORDS, st.text(alphabet="科技局创新AB.(x", max_size=30))
@example(["科技", "科技局", "科技创新", "技"], "科技创科技局")
def test_trie_pattern_is_the_longest_first_alternation(words: list[str], text: str) -> None:
    """The catalogue's trie matches what a longest-first alternation of its words matches,
    at every start (words inside words, shared prefixes, regex metacharacters)."""
    from targets.catalogue import trie_pattern

    if not words:
        return
    keys = sorted(set(words), key=lambda k: (-len(k), k))
    plain = re.compile("(?=(" + "|".join(re.escape(k) for k in keys) + "))")
    trie = re.compile(trie_pattern(words))
    got = [trie.match(text, i) for i in range(len(text))]
    assert [(i, m.group(0)) for i, m in enumerate(got) if m] == [
        (m.start(1), m.group(1)) for m in plain.finditer(text)
    ]


@given(
    st.lists(st.sampled_from(["科技局", "科学技术局", "临安区", "区", "市", "余杭", "。", "的"]))
)
def test_bureau_search_from_the_first_bureau_word(pieces: list[str]) -> None:
    """The issuer's bureau is searched from a few characters before the first 科技局: the
    same match as a search of the whole text."""
    from targets.extract import document

    text = "".join(pieces)
    word = document._BUREAU_WORD.search(text)
    start = max(0, word.start() - document._BUREAU_REACH) if word else 0
    fast = document._BUREAU.search(text, start) if word else None
    whole = document._BUREAU.search(text)
    assert (fast and (fast.span(), fast.groups())) == (whole and (whole.span(), whole.groups()))


@given(_TEXT)
def test_normalize_keeps_an_exact_offset_map(text: str) -> None:
    norm = normalize(text)
    assert len(norm.offsets) == len(norm.text) + 1
    assert all(0 <= o < len(text) for o in norm.offsets[:-1])
    assert list(norm.offsets[:-1]) == sorted(norm.offsets[:-1])
    assert norm.offsets[-1] == len(text)
    assert [norm.offset(i) for i in range(len(norm.text) + 1)] == list(norm.offsets)
    # stretches are stored only where the shift changes
    assert list(norm.stretch_starts) == sorted(set(norm.stretch_starts))
    shifts = norm.stretch_shifts
    assert all(a != b for a, b in itertools.pairwise(shifts))


def test_offset_map_of_a_report_is_a_few_stretches() -> None:
    text = "全年实现技术交易额１６.０６亿元，同比增长２１.５８％。\n" * 40_000  # 1.2 M characters
    norm = normalize(text)
    assert norm.text.startswith("全年实现技术交易额16.06亿元,同比增长21.58%。\n")
    assert len(norm.stretch_starts) == 1  # every character folds one for one
    spaced = normalize("技术交易额　１６亿元，\n\n  增长５％ 。")
    assert spaced.text == "技术交易额16亿元,\n增长5%。"
    assert spaced.offsets == (0, 1, 2, 3, 4, 6, 7, 8, 9, 10, 11, 15, 16, 17, 18, 20, 21)
    assert len(spaced.stretch_starts) == 4
    with pytest.raises(IndexError, match="outside the normalised text"):
        spaced.offset(len(spaced.text) + 1)


@given(st.text(alphabet=st.characters(max_codepoint=0xFFFF, exclude_categories=["Cs"])))
def test_basic_plane_class_is_the_per_character_rule(text: str) -> None:
    from targets.normalize import _is_special, _special_runs_bmp

    runs = _special_runs_bmp()
    assert [bool(runs.fullmatch(c)) for c in text] == [_is_special(c) for c in text]


def test_characters_beyond_the_basic_plane_are_normalised() -> None:
    text = "研发投入𝟏𝟐亿元，增长𝟓%。𠀀"  # mathematical bold digits fold to 12 and 5
    norm = normalize(text)
    assert norm.text == "研发投入12亿元,增长5%。𠀀"
    start = norm.text.index("12")
    assert norm.original_span(start, start + 2) == (4, 6)


def test_header_is_the_first_25_lines_however_long() -> None:
    from datetime import date

    from targets.extract.document import read_report

    text = (
        "科技工作情况。" * 600
        + "\n2021年3月2日\n一、工作总结\n全年实现技术交易额16.06亿元。\n二、工作计划\n"
        + "明年技术交易额达到20亿元。"
    )
    assert read_report("r.txt", text=text).date == date(2021, 3, 2)


def test_numbers_in_messages() -> None:
    import numpy as np
    import pandas as pd

    from targets.checks import _qty
    from targets.formatting import format_numbers as _num

    values = pd.Series([16.06, 7227.0, 1234567.0, 81.385739, 0.0123456789, 774394481266.66])
    assert _num(values).to_pylist() == [
        "16.06",
        "7227",
        "1234567",
        "81.3857",
        "0.0123457",
        "774394481267",
    ]
    odd = pd.Series([np.nan, np.inf, -np.inf, -0.04])
    assert _num(odd).to_pylist() == ["?", "inf", "-inf", "-0.04"]
    assert _num(odd, ".1f").to_pylist() == ["?", "inf", "-inf", "0.0"]
    assert _num(pd.Series([37.84, 21.0, 2024.0]), ".1f").to_pylist() == ["37.8", "21.0", "2024.0"]
    assert _qty(odd, pd.Series(["亿元"] * 4)).to_pylist() == [
        "?",
        "inf亿元",
        "-inf亿元",
        "-0.04亿元",
    ]


def _scanned_pairs() -> list[tuple[str, re.Pattern[str], re.Pattern[str]]]:
    from targets.extract import patterns

    patterns.mention_regex()  # built on first use
    return [
        (name, re.compile(f"(?=[{first}])(?:{plain})"), re.compile(plain))
        for name, (first, plain) in sorted(patterns.SCANNED.items())
    ]


def _matches(rx: re.Pattern[str], text: str) -> list[tuple[tuple[int, int], dict[str, str]]]:
    return [(m.span(), m.groupdict()) for m in rx.finditer(text)]


def test_every_scanned_pattern_is_the_one_in_use() -> None:
    from targets.extract import patterns

    in_use = {name: getattr(patterns, name, None) for name in patterns.SCANNED}
    in_use["mention"] = patterns.mention_regex()
    assert sorted(in_use) == [
        "MONTHS",
        "PERIOD_LEAD",
        "RANK",
        "RELATIVE_LAST",
        "SUMMARY_TARGET_CUE",
        "TARGET_CUE",
        "YEAR",
        "mention",
    ]
    for name, fast, _plain in _scanned_pairs():
        assert in_use[name].pattern == fast.pattern, name


_SCAN_TEXT = st.one_of(
    fuzz_report_texts(),
    st.lists(
        st.one_of(
            _PIECES,
            st.sampled_from(
                [
                    "2024年",
                    "1-11月",
                    "去年",
                    "上年度",
                    "比去年",
                    "力争",
                    "到2025年",
                    "居全市第3位",
                    "全省前十",
                    "十四五",
                    "两百万",
                    "三点五",
                    "1,234.5",
                    "万",
                    "亿",
                    "余",
                    "至",
                    "—",
                ]
            ),
            st.text(max_size=3),
        ),
        max_size=20,
    ).map("".join),
)


@given(_SCAN_TEXT)
def test_scanned_patterns_match_as_their_plain_form(text: str) -> None:
    # the lookahead on the first characters only skips positions where no match can start
    for name, fast, plain in _scanned_pairs():
        assert _matches(fast, text) == _matches(plain, text), name


def test_scanned_patterns_match_as_their_plain_form_on_real_reports() -> None:
    paths = sorted(REPORTS.glob("*.txt")) + sorted(PROVINCIAL.glob("*.txt"))
    assert len(paths) >= 30
    texts = [normalize(p.read_text(encoding="utf-8")).text for p in paths]
    counts = {}
    for name, fast, plain in _scanned_pairs():
        counts[name] = 0
        for text in texts:
            found = _matches(fast, text)
            assert found == _matches(plain, text), name
            counts[name] += len(found)
    assert all(n > 0 for n in counts.values()), counts  # each pattern was exercised


_HEADING_LINE = st.lists(
    st.one_of(
        st.sampled_from(
            [
                "第",
                "一",
                "十",
                "三",
                "章",
                "节",
                "是",
                "、",
                "．",
                ".",
                "（",
                "(",
                "）",
                ")",
                "⑶",
                "㈠",
                "①",
                "１",
                "2",
                "　",
                " ",
                "——",
                "—",
                "技术交易额",
                "。",
            ]
        ),
        st.text(max_size=2),
        st.sampled_from(["一", "十", "1", "１"]).map(lambda c: c * 20),
    ),
    max_size=30,
).map("".join)


@given(_HEADING_LINE)
@example("　（三）加强科技创新")
@example("⑶技术交易额")
@example("  第十三章  科技创新")
@example("一" * 40 + "、乙")  # a marker longer than the prefix that is read first
@example("（" + "1" * 39 + "）技术交易额")
@example("第" + "十" * 45 + "章")
@example("一" * 60)
@example("——技术交易额16.06亿元")
def test_heading_test_reads_the_start_of_the_line_as_the_whole_line(line: str) -> None:
    from targets.normalize import _HEADING_START, _is_heading, to_halfwidth

    assert _is_heading(line) == bool(_HEADING_START.match(to_halfwidth(line)))


@given(st.text())
@example("ｅ\u0301１２３，技术交易额⽇期\u200b　")
def test_fold_characters_is_nfkc_character_by_character(text: str) -> None:
    from targets.normalize import fold_characters, to_halfwidth

    assert fold_characters(text) == "".join(to_halfwidth(c) for c in text)


def test_fold_characters_is_nfkc_on_real_reports() -> None:
    from targets.normalize import fold_characters, to_halfwidth

    paths = sorted(REPORTS.glob("*.txt")) + sorted(PROVINCIAL.glob("*.txt"))
    for path in paths:
        text = path.read_text(encoding="utf-8")
        assert fold_characters(text) == to_halfwidth(text), path.name


_CMP_WORDS = st.sampled_from(
    [
        "不低于",
        "不少于",
        "不超过",
        "不突破",
        "低于等于",
        "控制在",
        "提高到",
        "达到",
        "突破",
        "超过",
        "签约",
        "节约",
        "约",
        "将近",
        "最近",
        "不足",
        "低于",
        "按增长",
        "按",
        "增长",
        "下降",
    ]
)


@given(st.lists(st.one_of(_PIECES, _CMP_WORDS, st.text(max_size=3)), max_size=12).map("".join))
@example("新增政府债务不突破")
@example("单位能耗低于等于")
def test_comparator_window_reads_as_the_whole_text(before: str) -> None:
    """The comparator is read in the last COMPARATOR_REACH characters; with no limit it is
    the same (every comparator pattern is anchored at the end and short)."""
    mention = mentions.Mention(0, 1, 1.0, None, "%", "", "")
    for kind in ("target", "actual"):
        window = comparators.comparator_for(before, mention, kind, None)
        reach = comparators.COMPARATOR_REACH
        try:
            comparators.COMPARATOR_REACH = 10**9
            whole = comparators.comparator_for(before, mention, kind, None)
        finally:
            comparators.COMPARATOR_REACH = reach
        assert window == whole
