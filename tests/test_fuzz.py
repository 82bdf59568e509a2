"""Property tests of extraction on arbitrary and on report-like text (issue 6, fuzzing).

Three properties:

* on any text, :func:`targets.extract_text` raises nothing but :class:`targets.TargetsError`;
* on text assembled from report fragments it does not raise either, and every record's quote is
  ``text[start:end]``;
* locality: appending an *unrelated* paragraph does not change the records of the text before it.

"Unrelated" is defined by what the extractor reads from a whole document, so that locality holds
by design rather than by luck:

* the paragraph is separated by a blank line (``\\n\\n`` is always a hard break, so it cannot be
  joined to the last sentence as a soft wrap);
* it holds no number at all, after NFKC: no digit of any script and no Chinese numeral
  (一, 十, 万, 〇 ...) — so it contains no value, year, date, ``十四五`` period, rank or ``保十``,
  and it cannot change the document date, the summary year or a record's period;
* each of its lines ends with ``。`` (so no line is a section heading, a table header ``序号`` or a
  title) and is shorter than 12 characters, the length from which the line-wrap detector in
  :mod:`targets.normalize` counts a line (so the decision "this text is hard-wrapped" and the
  wrap width, which apply to the whole text, stay the same).

It may change the detected region and issuer (they are read from the whole text), so the
comparison covers indicator, kind, value, unit, quote and span, not region and issuer.
"""

from __future__ import annotations

import unicodedata

from hypothesis import assume, example, given, settings
from hypothesis import strategies as st

import targets
from targets import TargetsError

from .helpers import record_key

# --- fragments of report language -------------------------------------------------------------

_NUMBERS = st.one_of(
    st.integers(min_value=0, max_value=100_000).map(str),
    st.decimals(min_value=0, max_value=10_000, places=2, allow_nan=False).map(str),
    st.sampled_from(
        [
            "1,234",
            "12,345.6",
            "三",
            "十二",
            "二十五",
            "一百",
            "两千",
            "三千万",
            "一亿",
            "五点五",
            "〇",
            "１２",  # full-width digits
            "３．８８",
            "２０２５",
            "1.5万",
            "3亿",
            "5—5.5",
            "4.5-5",
            "10至20",
        ]
    ),
)
_UNITS = st.sampled_from(
    ["亿元", "万元", "元", "家", "项", "%", "％", "个百分点", "万方", "个", "人", "件", "位", ""]
)
_COMPARATORS_BEFORE = st.sampled_from(
    ["", "达到", "达", "突破", "超", "超过", "约", "近", "控制在", "不低于", "提高到"]
)
_COMPARATORS_AFTER = st.sampled_from(["", "以上", "以内", "左右", "余", "多", "及以上"])
_CUES = st.sampled_from(
    [
        "",
        "新增",
        "累计",
        "其中",
        "分别",
        "同比增长",
        "力争",
        "预计",
        "确保",
        "全年",
        "比上年下降",
        "居全市第",
        "全省前十",
        "保十",
    ]
)
_NAMES = st.sampled_from(
    [
        "",
        "国家高新技术企业",
        "高企",
        "技术交易额",
        "技术交易总额",
        "R&D经费投入",
        "研发投入强度",
        "规上工业增加值",
        "地区生产总值",
        "城镇调查失业率",
        "居民消费价格涨幅",
        "科技型中小企业",
        "专利授权量",
        "孵化载体面积",
        "省级研发中心",
        "“3个60%”",
        "《实施意见》",
        "创新指数为",
    ]
)
_PUNCTUATION = st.sampled_from(
    [
        "",
        "，",
        "。",
        "；",
        "、",
        "（",
        "）",
        "“",
        "”",
        ",",
        ".",
        ":",
        "：",
        "和",
        "及",
        "\n",
        "\n\n",
    ]
)
_YEARS = st.sampled_from(
    [
        "",
        "2024年",
        "2025年",
        "2025年底",
        "2023-2025年",
        "到2025年",
        "今年",
        "明年",
        "去年",
        "1-11月",
    ]
)
_HEADINGS = st.sampled_from(
    [
        "一、2024年工作总结",
        "二、2025年工作计划",
        "（一）主要成效",
        "三、下一步工作思路",
        "2023年工作回顾",
        "十四五规划目标",
        "序号",
        "临安区科学技术局",
        "发布日期：2025-03-25",
    ]
)


@st.composite
def _clauses(draw: st.DrawFn) -> str:
    """One clause: time, cue, indicator words, comparator, number, unit, qualifier."""
    return "".join(
        [
            draw(_YEARS),
            draw(_CUES),
            draw(_NAMES),
            draw(_COMPARATORS_BEFORE),
            draw(_NUMBERS),
            draw(_UNITS),
            draw(_COMPARATORS_AFTER),
            draw(_PUNCTUATION),
        ]
    )


@st.composite
def report_texts(draw: st.DrawFn, *, max_lines: int = 12) -> str:
    """Text that looks like a work report: headings and lines of clauses, some of them
    broken in odd places, with occasional arbitrary characters in between."""
    lines = []
    for _ in range(draw(st.integers(min_value=1, max_value=max_lines))):
        if draw(st.booleans()) and draw(st.booleans()):
            lines.append(draw(_HEADINGS))
            continue
        clauses = draw(st.lists(_clauses(), min_size=1, max_size=5))
        noise = draw(st.text(max_size=3)) if draw(st.integers(0, 4)) == 0 else ""
        lines.append("".join(clauses) + noise)
    return draw(st.sampled_from(["\n", "\r\n", "\n\n"])).join(lines)


def _has_number(text: str) -> bool:
    return any(unicodedata.numeric(ch, None) is not None or ch == "两" for ch in text)


@st.composite
def unrelated_paragraphs(draw: st.DrawFn) -> str:
    """A paragraph that cannot change the records of a text it is appended to (module doc)."""
    words = st.text(
        alphabet=st.characters(
            categories=("Lo", "Ll", "Lu", "Pd", "Ps", "Pe", "Po", "Zs"),
            exclude_characters="\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029",
        ),
        max_size=10,
    ).filter(lambda s: not _has_number(unicodedata.normalize("NFKC", s)))
    phrases = st.sampled_from(["加强科技创新", "优化营商环境", "深化改革开放", "推进共同富裕"])
    lines = draw(st.lists(st.one_of(phrases, words), min_size=1, max_size=8))
    return "\n\n" + "\n".join(line + "。" for line in lines)


_key = record_key


# --- properties --------------------------------------------------------------------------------


@given(st.text())
@example("")
@example("\x00")
@example("\ufeff\u200b")
@example("１２３４５６７８９０" * 3 + "亿元")
@example("9" * 400 + "%")
@example("一" * 50 + "家")
def test_arbitrary_text_raises_only_our_errors(text: str) -> None:
    try:
        records = targets.extract_text(text)
    except TargetsError:
        return
    for record in records:
        assert text[record.evidence.start : record.evidence.end] == record.evidence.quote


@given(report_texts())
@example("二、2025年工作计划\n新增国家高新技术企业30家，技术交易额达到16.06亿元。")
@example("一、2024年工作总结\n技术交易额16.06亿元，同比增长21.58%，增幅居全市第1位。")
@example("2025年底高企突破750家以上（其中省级研发中心分别3家和5家）")
def test_report_like_text_quotes_are_exact(text: str) -> None:
    try:
        records = targets.extract_text(text)
    except TargetsError:
        return
    for record in records:
        ev = record.evidence
        assert 0 <= ev.start <= ev.end <= len(text)
        assert text[ev.start : ev.end] == ev.quote


@given(report_texts(), unrelated_paragraphs())
@example("二、2025年工作计划\n新增国家高新技术企业30家", "\n\n加强科技创新。")
def test_extraction_is_local(text: str, appended: str) -> None:
    try:
        before = targets.extract_text(text)
    except TargetsError:
        assume(False)
        return
    after = targets.extract_text(text + appended)
    assert [_key(r) for r in after] == [_key(r) for r in before]


@given(unrelated_paragraphs())
def test_unrelated_paragraphs_hold_no_records(paragraph: str) -> None:
    assert targets.extract_text("二、2025年工作计划" + paragraph) == []


_TIME_PIECES = (
    [str(d) for d in range(10)]
    + ["１", "１２", "〇", "十一", "年", "月", "日", "~", "～", "-", "—", "至", "到", "季度"]
    + ["上半年", "前三季度", "一季度", "今年", "去年", "以来", "底", "末", "(", ")", "（", "）"]
    + ["2024年", "2025年", "11~1月", "1~13月", "0月", "十五五末", "，", "。", "\n"]
    + [
        "技术交易额",
        "达到",
        "20亿元",
        "增长",
        "5%",
        "高新技术企业",
        "1000家",
        "工作计划",
        "工作总结",
    ]
)


@given(st.lists(st.sampled_from(_TIME_PIECES), max_size=40).map("".join))
@settings(max_examples=500)
@example("2024年11~1月，技术交易额达到20亿元。")
@example("2024年1~13月，技术交易额达到20亿元。")
@example("2024年0~3月，技术交易额达到20亿元。")
@example("2025年工作计划\n2025年11~1月，高新技术企业1000家。")
def test_times_in_report_text_never_raise(text: str) -> None:
    """An unreadable period (11~1月, 1~13月) costs at most that figure, never the report."""
    for record in targets.extract_text(text):
        assert record.period_start <= record.period_end
