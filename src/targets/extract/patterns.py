"""Cue words and regular expressions of report language, in one place.

These are data about Chinese administrative prose, grouped by what they signal. The grammar in
:mod:`targets.extract.sentences` reads them; nothing here is specific to one document.
"""

from __future__ import annotations

import re
from functools import cache

from targets.extract.cues import alternation, cue_words
from targets.units import unit_spellings

__all__ = ["mention_regex"]

# --- numbers ---------------------------------------------------------------------------------
_ARABIC = r"\d+(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_CN_DIGIT = "一二两三四五六七八九十"
_CN_ANY = f"[零〇{_CN_DIGIT}百千万亿]"
_CHINESE = f"{_CN_ANY}*[{_CN_DIGIT}]{_CN_ANY}*(?:点[零〇一二三四五六七八九]+)?"
NUMBER = f"(?:{_ARABIC}|{_CHINESE})"
RANGE_SEP = r"(?:—{1,2}|–|-|~|〜|至|到)"
# A number does not continue a longer number, an ordinal (第二), a rank (前十) or a word (一批).
_NUMBER_START = r"(?<![\d.第前每届零〇一二两三四五六七八九十百千万亿A-Za-z])(?<!\d,)"

SCANNED: dict[str, tuple[str, str]] = {}
"""For each pattern built by :func:`_scanned`: its first characters and its plain form."""


def _scanned(name: str, first: str, pattern: str) -> re.Pattern[str]:
    """``pattern`` behind a lookahead on ``first``, the characters a match can start with.

    The lookahead changes no match. It lets ``re`` skip, in C, every position where no match
    can start; a pattern that opens with a lookbehind or an optional group is otherwise tried
    in full at every character (the mention regex runs about 4x faster over report text). The
    tests check each against its plain form on real reports and generated text.
    """
    SCANNED[name] = (first, pattern)
    return re.compile(f"(?=[{first}])(?:{pattern})")


@cache
def mention_regex() -> re.Pattern[str]:
    """A number with a known unit, optionally a range, with qualifiers before and after.

    Groups: ``lo`` and ``lounit`` (range start), ``num``, ``mult`` (万/亿 after Arabic
    digits), ``inner`` (余/多 between number and unit), ``unit``, ``suffix``.
    """
    units = "|".join(re.escape(u) for u in unit_spellings())
    return _scanned(
        "mention",
        rf"\d{_CN_ANY[1:-1]}",
        rf"{_NUMBER_START}(?:(?P<lo>{NUMBER})(?P<lounit>{units})?{RANGE_SEP})?"
        rf"(?P<num>{NUMBER})(?P<mult>万亿|万|亿|千)?(?P<inner>{alternation('suffix_more')})?"
        rf"(?P<unit>{units})"
        rf"(?P<suffix>{alternation('suffix_ge', 'suffix_le', 'suffix_approx', 'suffix_more')})?",
    )


# An index value has no unit: 创新指数为149.2
HAS_NUMBER = re.compile(rf"[\d{_CN_DIGIT}]")
"""A digit or a Chinese numeral. Every value, index, rank (第3位, 前十) and 保十 holds one, so a
sentence without one has nothing to read (about half the sentences of a report)."""

INDEX = re.compile(r"指数(?:为|达到|达|是)?(?P<num>\d+(?:\.\d+)?)(?![\d.%‰万亿千]|个百分点)")

# Ranks: 居全市第3位, 列全省第一, 全省前十, 七县(市、区)第1位, 分别居全省第6位和21位
RANK = _scanned(
    "RANK",
    "位稳居列排保进跻为均全杭浙一二三四五六七八九十省市",
    r"(?P<verb>位居|位列|稳居|居于|居|列|排名|排在|排|保持|进入|跻身|位于|为|均为)?"
    r"(?P<scope>全国|全省|全市|全区|全县|杭州市?|浙江省?|[一二三四五六七八九十]县[(（]市、区[)）]|省内|市内)"
    r"(?:第(?P<n>\d+|[一二三四五六七八九十]+)(?:位|名)?|前(?P<top>\d+|[一二三四五六七八九十]+)(?:位|名)?)"
    # not 第十四届 (read as 第十 by backtracking) or 第1批: the number must be whole
    r"(?![批届次期轮号条章节部项个家\d零〇一二三四五六七八九十百千])",
)
# 保十: keep a place in the top ten (a rank target)
KEEP_TOP = re.compile(r"保(?:前)?(?P<top>十|五|三|\d+)(?=[夺争进”\"位名]|$)")

# A change from one level to another: 从4.16万亿元增加到5.67万亿元, 由2020年的7.2%提升至7.4%.
_TO = (
    r"(?:增加|增长|增|提高|提升|跃升|上升|扩大|拓展|降低|下降|降|减少|压减|缩减|整合|回落)?"
    r"(?:到|至)"
)
TO_LINK = re.compile(rf"^(?:分别)?{_TO}(?:(?P<year>(?:19|20)\d\d)年(?:底|末)?的?)?$")
"""What joins the two levels (增加到, 提升至2025年的)."""

# What may follow a value: punctuation, a connector, or a word that starts a new predicate.
FOLLOW_OK = re.compile(
    r"$|[,.;:!?。、)\]}”\"》」/(（\[〔【\n]|和|及|与|或|同比|比上年|较上年|比去年|较去年|增长|增速|增幅|下降|提高|"
    rf"居|位居|位列|列|排名|排|占|其中|安排|为|均|分别|创|是|总量|总数|以上|左右|等|{_TO}"
)

# A count before what it counts, in a task list: 新建10家省级概念验证中心、30家标杆孵化器.
COUNT_VERB = re.compile(
    r"(?:新建|建设|建成|新开工|开工|实施|推进|培育|新培育|新增|打造|改造|新改建|改建|引进|招引|认定|"
    r"新认定|创建|布局|抓好|办好|举办|开展|完成|建好|设立|新发现|治理|消除|改造提升)$"
)
COUNTED = re.compile(
    r"[^\d，。；、,;:!?！？()（）\[\]\n]{2,20}?(?=[，。；、,;]|$|和[\d零〇一二两三四五六七八九十])"
)
"""What a count counts: the words after it, up to the end of the clause (at most 20)."""
COUNTED_NOT = re.compile(
    r"实现|获得|参与|投资|转型|升级|提档|入选|成为|达到|增长|提高|覆盖|惠及|带动|享受|落户|签约|以上|左右|"
    r"全部|达标|落地|通过|验收|超|并|^方面"
)
"""Words that make the words after a count a predicate (帮助8万户群众实现安居梦), not a name;
推进十个方面重点任务 counts the parts of a plan."""

AGE_WORDS = re.compile(r"寿命|年龄")
"""An age (岁) is a value only of these (人均预期寿命达到79岁), not in 60岁以上老年人."""

# --- time -------------------------------------------------------------------------------------
YEAR = _scanned(
    "YEAR",
    "12",
    r"(?<!\d)(?P<y>(?:19|20)\d\d)(?:\s*[-—~至到]\s*(?P<y2>(?:19|20)\d\d))?年(?P<tail>底|末|度|初)?",
)
MONTHS = _scanned("MONTHS", r"\d", r"(?<!\d)(?P<m1>\d{1,2})\s*[-—~〜至到]\s*(?P<m2>\d{1,2})月")
NAMED_PERIODS = {
    word: (1, int(group.rsplit("_", 1)[1]))
    for group in ("period_months_1_6", "period_months_1_9", "period_months_1_3")
    for word in cue_words()[group]
}
NAMED_PERIOD = re.compile("|".join(NAMED_PERIODS))
FROM_CUE = re.compile(
    r"[从由](?:(?P<last>上年)|(?P<year>(?:19|20)\d\d)年(?:底|末)?|(?P<period>"
    + "|".join(NAMED_PERIODS)
    + r"))?的?$"
)
"""What opens the first level of a change, at the end of the words before it (从, 由上年,
从2020年的, 从上半年)."""
RELATIVE_THIS = re.compile(alternation("period_this"))
RELATIVE_NEXT = re.compile(alternation("period_next"))
RELATIVE_LAST = _scanned(
    "RELATIVE_LAST",
    "".join(sorted({w[0] for w in cue_words()["period_last"]})),
    rf"(?<![比较])(?:{alternation('period_last')})",
)
PAST_YEAR = re.compile(r"过去的?一年")
"""The year under review, wherever it is named (过去一年，我们…): a summary's own year."""
SINCE = re.compile(r"以来")
# A figure for a multi-year period: 十四五时期累计, 五年来, 年均 (five-year plan periods)
# How a paragraph opens says which period its results cover: 过去的五年极不寻常 / “十四五”时期是…
# / ——这是…的五年 against 各位代表，刚刚过去的2025年 / 2025年是…. Only the opening counts (十五五
# further on is a plan, 2025年 further on a detail of a five-year review).
PERIOD_LEAD = _scanned(
    "PERIOD_LEAD",
    "各——这五过经“十12一今去刚",
    r"(?:各位代表[!！,，:：]?)?(?:——)?"
    r"(?:(?P<multi>这五年|五年来|五年间|过去的?五年|经过五年|“?十[三四]五”?(?:时期|期间|以来)|这是[^。]{0,40}?的五年"
    r"|(?:19|20)\d\d\s*[-—~至到]\s*(?:19|20)\d\d年)"
    r"|(?P<single>(?:刚刚)?过去的(?:19|20)\d\d年|(?:19|20)\d\d年(?!以来)|过去一年|过去的一年|一年来|今年|去年))",
)
# A level reached (地区生产总值达到13697.5亿元) is the figure of the period's last year, also
# in a five-year review; a figure without such a word there is a total over the five years.
LEVEL_REACHED = re.compile(
    r"(?:达到|达|突破|超过|超|增至|增加到|提高到|提高至|提升到|提升至|跃升至|跃升到|升至|降至|降到)$"
)
CUMULATIVE = re.compile(r"累计|合计|总计|共计|五年|年均|每年|新增|新认定|新培育|新引进|净增")
"""Words that make a figure of a five-year review a total or an average over the five years
(城镇新增就业603.7万人, 年均增长6.8%)."""
BUILT = re.compile(r"新建|改建|新改建|改造提升")
"""Works counted by what was built (新建改建农村公路127万公里, 新建高标准农田4.56亿亩): in a
five-year review or plan, a flow so named is a total over the years (a ratio so named,
新建建筑比重, is not)."""
MULTI_YEAR = re.compile(
    r"五年来|五年间|过去五年|五年累计|五年共|十[三四五]五”?(?:时期|期间|以来)|年均(?:分别)?(?:增长|增速|递增|新增|提高|下降)"
    r"|(?<![\d年])[5五]年(?:累计)?(?:增长|提高|下降)"
)

# --- kind -------------------------------------------------------------------------------------
# Cues that make a statement in a summary section a target (争取 is left out: in a summary,
# 争取资金 means funds obtained).
SUMMARY_TARGET_CUE = _scanned(
    "SUMMARY_TARGET_CUE",
    "力确目预计将",
    r"力争|确保|目标是|目标为|预期目标|计划到|将(?:达到|实现|突破|超过|新增|力争)",
)
TARGET_CUE = _scanned(
    "TARGET_CUE",
    "力确争目预努计将到至",
    r"力争|确保|争取|目标是|目标为|预期目标|努力实现|计划到|计划在|将(?:达到|实现|突破|超过|新增|力争)|"
    r"(?:到|至)(?:19|20)\d\d年",
)
FORECAST_CUE = re.compile(r"预计")
QUALIFIER = re.compile(alternation("qualifier"))

# --- measure ----------------------------------------------------------------------------------
STRONG_FLOW = re.compile(alternation("flow_strong"))
STOCK = re.compile(alternation("stock"))
WEAK_FLOW = re.compile(alternation("flow_weak"))
PERIOD_FLOW = frozenset(cue_words()["flow_period"])
"""Period words (全年) that make a figure a flow even beside a stock word (全年累计)."""
GROWTH_WORDS = re.compile(rf"(?:{alternation('growth')})(?![到至])")
RAISED_BY = re.compile(rf"(?:{alternation('growth')})了?$")
"""A rise stated right before its amount (提高1岁, 增加500公里): a change of a level by that
amount, not the level itself (提高到79岁 is a level)."""
LIST_GAP = re.compile(r"[和及与、，,\s]{1,2}")
"""What stands between two values of one list (30元和5元, 20元、15元)."""
DECLINE_WORDS = re.compile(rf"(?:{alternation('decline')})(?![到至])|降幅")
"""A fall by a rate (下降3.8%); 回落到2.6% states the level a rate fell to, not a fall."""
SHARE_WORDS = re.compile(r"占.{0,16}(?:比重|比例|比)|占比")
RATIO_WORDS = re.compile(r"率|比重|占比|比例|强度|覆盖率")
DENSITY = re.compile(r"每万|每千|每百|每亿|人均|每平方")
GROWTH_TAIL = re.compile(r"(?:同比)?(?:增长|增速|增幅)$")
"""The growth word that ends a growth's name (地区生产总值增长 names the level 地区生产总值)."""
GROWTH_ONLY = re.compile(
    r"^(?:同比|比上年|较上年|比去年|较去年|比上年同期|较上年同期|比去年同期)?(?:分别)?(?:按?(?:可比|同)口径)?"
    r"(?:增长|增加|提高|提升|上升|上涨|下降|降低|减少|回落|下滑)(?:了)?$"
)

# --- comparators ------------------------------------------------------------------------------
# A negated comparator is read first: 不超过 is ≤ although it ends in 超过, 不低于 is ≥.
PREFIX_NOT_MORE = re.compile(rf"(?:{alternation('comparator_not_more')})$")
PREFIX_NOT_LESS = re.compile(rf"(?:{alternation('comparator_not_less')})$")
PREFIX_GT = re.compile(rf"(?<!不)(?:{alternation('comparator_gt')})$")
PREFIX_GE = re.compile(rf"(?:{alternation('comparator_ge')})$")
PREFIX_LE = re.compile(rf"(?:{alternation('comparator_le')})$")
PREFIX_LT = re.compile(
    rf"(?:(?<!不)(?:{alternation('comparator_lt')})|{alternation('comparator_short_of')})$"
)
ABOUT = r"(?<![签合节制预协条公契])约"  # not 签约 (signed), 节约 (saved), 预约 (booked)
NEGATED = alternation("comparator_not_less", "comparator_not_more", "comparator_short_of")
"""The negated comparator words (not less than, not more than, short of)."""
PREFIX_APPROX = re.compile(rf"(?:{ABOUT}|{alternation('comparator_approx')}|(?<![最附临就])近)$")
# 地区生产总值按增长5%安排: the figure the plan is drawn up on
PREFIX_PLANNED_AS = re.compile(rf"(?:{alternation('comparator_planned_as')})$")
SUFFIX_GE = frozenset(cue_words()["suffix_ge"])
SUFFIX_LE = frozenset(cue_words()["suffix_le"])
SUFFIX_APPROX = frozenset(cue_words()["suffix_approx"])
SUFFIX_MORE = frozenset(cue_words()["suffix_more"])
"""Words after a value: at least (以上), at most (以内), about (左右), more than (余, 多)."""

# --- cleaning indicator text ------------------------------------------------------------------
LEADING_NOISE = re.compile(
    r"^(?:[、和及与,]|其中|分别|全区|全市|全省|全县|我区|我市|我省|本区|该区|全年|年度|今年|当年|累计|共计|合计|总计|"
    r"共|新增|新认定|实现|完成|力争|确保|争取|努力|推动|积极|预计|同比|已|并|还|再|均|此外|另外|"
    r"(?:19|20)\d\d年(?:度|底|末)?|\d{1,2}[-~至到]\d{1,2}月|到|至|在|,)+"
)
_SCOPE_WORDS = sorted(cue_words()["scope_part"], key=len, reverse=True)
SCOPE_WORD = re.compile("|".join(re.escape(w) for w in _SCOPE_WORDS))
SCOPE_PART = re.compile(rf"(?:{SCOPE_WORD.pattern})[)）”\"]?$")
"""A word right before an alias that makes the figure a part of that indicator (对东盟进出口)."""
LEVEL_OPENING = re.compile(r"[省市区县]级")
"""An alias opening with a level (市级及以上企业研发机构): the place before it names the level."""
PARTNER = re.compile(r"(?:^|[,、和与])对[^,、]{1,12}$")
PARTNER_FLOW = re.compile(r"进出口|出口|进口|外贸|贸易|投资")
"""对东盟进出口 (before a trade or investment alias): the figure with one partner, not the
total; 对现有市研发中心 is not a partner."""
COUNTED_LIST = re.compile(r"[、和及与][^\d，。；、,;:!?！？]{2}")
"""After the words a count counts, another noun joined to them (…专项、重点研发专项)."""
PART_LEVEL = re.compile(r"^(?:国家|省|自治区|市|区|县)级?(?:及?以上)?$")
"""A 其中 part named by its level only (其中国家级5家): the whole's indicator at that level."""
COMPARATOR_WORDS = "|".join(
    re.escape(w)
    for w in sorted(
        {w for g in cue_words() if g.startswith("comparator_") for w in cue_words()[g]},
        key=lambda w: (-len(w), w),
    )
)
"""Every comparator word of the cue table, longest first: trimmed from indicator words."""
LINKLESS_COMPARATOR_WORDS = "|".join(
    w for w in COMPARATOR_WORDS.split("|") if not w.endswith(("到", "至"))
)
"""The comparator words that cannot join two levels (提高到 does: 从A提高到B)."""
TRAILING_NOISE = re.compile(
    rf"(?:{COMPARATOR_WORDS}|达到|达|突破|超过|超|为|至|到|{ABOUT}|近|共计|合计|总计|累计|实现|完成|增长|提高|提升|下降|降低|控制在|"
    r"保持在|年均|每年|按|稳步|持续|不断|大幅|显著|"
    rf"稳定在|继续保持|保持|{NEGATED}|高于|低于|是|分别|"
    r"均为|均|共|了|再|又|继续|预计|今年|每月|每人每月|每人每年|新增|净增|"
    r"[从由](?:上年|(?:19|20)\d\d年(?:底|末)?)?的?|,)+$"
)
BARE_NOUN = re.compile(
    r"^(?:面积|数量|金额|规模|总量|总额|总数|增加值|产值|投资|营收|收入|产量|总产量|总产值|单产)$"
)
GROWTH_PHRASE = re.compile(
    rf"(?:年均|(?:[1-9一二三四五]|十)年(?:累计)?|累计|同比|比上年|较上年)*(?:分别)?"
    rf"(?:{alternation('growth', 'decline')})"
)
"""A growth named by its period only (年均增长, 5年增长): the growth of the level before it."""
# The alias must be the head of the phrase: what may follow it before the value.
HEAD_RESIDUE = re.compile(
    r"^(?:总|累计|年度|全年)?(?:数|量|数量|总量|总数|总额|金额|规模|额|值|总值|数目)?(?:平均)?"
    r"(?:增速|增幅|降幅|涨幅)?(?:要|将|拟|拟按|力争)?(?:按?(?:可比|同)口径)?$"
)
# 申报国高企173家 counts applications, not enterprises
APPLICATION = re.compile(r"申报|推荐|上报|申请认定|拟|备案")
SQUEEZE = re.compile(r"实现|完成|达到|累计|全区|全市|领域企业")
CLAUSE_END = re.compile(r"[,:()（）\[\];。!?\n]")
"""A character that ends a clause: a comma, colon or bracket, or the end of a sentence."""
SUB_SPLIT = re.compile(r"[;]")
SENTENCE_SPLIT = re.compile(r"[。!?]")
QUOTED = re.compile(r"“[^”]{0,24}”|\"[^\"]{0,24}\"|《[^》]{0,40}》|‘[^’]{0,24}’")
QIZHONG = re.compile(r"其中")
FENBIE = re.compile(r"分别")
SHARED_RATE = re.compile(r"(?:分别|(?<![人平年])均)(?=(?:同比)?(?:增长|提高|提升|上涨|下降|降低))")
"""分别/均 before a single rate shared by the names before it (A、B均增长8%)."""
SECTORS = re.compile(r"^(?P<which>[一二三]{2,3})(?P<rest>产.*)$")
"""The sectors named by number (一二三产增加值): one name per sector."""
LIST_GAP = re.compile(r"^[、和及与,]?$")
NAME_SPLIT = re.compile(r"[、和及与]")
