"""Reading a report: bytes to text, metadata, and the summary/plan sections with their years.

A :class:`Report` keeps the original text (every quote indexes into it), the normalised text
with its offset map, and the sections found from headings. Years are resolved as follows:

1. A heading that names a year and a summary word (总结/成效/回顾/完成情况/成就...) or a plan
   word (计划/思路/安排/目标/重点工作/未来...) opens a section for that year. ``十四五`` and
   ``十五五`` name the plan periods ending 2025 and 2030.
2. A section heading without a year takes it from its counterpart: a plan follows the summary
   year (下年度工作计划 after a 2023 summary is 2024), a summary precedes the plan year.
3. Failing both, the document date decides: a report dated in the first half of a year reviews
   the previous year and plans the current one (建德's 今年以来 report dated 2024-02-26
   describes 2023); one dated later reviews the current year and plans the next.
"""

from __future__ import annotations

import bisect
import csv
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path

from targets.errors import DocumentError, ManifestError
from targets.normalize import Normalized, fold_characters, normalize
from targets.readers import read_text
from targets.regions import NATIONAL, Division, find_division, gazetteer

__all__ = [
    "MANIFEST_NAMES",
    "Described",
    "Report",
    "Section",
    "described",
    "read_manifest",
    "read_report",
]

SUMMARY = "summary"
PLAN = "plan"
MIXED = "mixed"
UNKNOWN = "unknown"

_SUMMARY_WORDS = re.compile(
    r"总结|成效|回顾|完成情况|成就|成绩|工作做法|取得|过去|今年以来|硕果|战役"
)
# A heading such as "三、2026年主要工作" names a year but not which part: the year decides.
_NEUTRAL_WORDS = re.compile(r"工作")
_PLAN_WORDS = re.compile(
    r"计划|思路|打算|安排|目标|重点工作|重点任务|主要任务|未来|展望|要点|进发|部署|下一步|总体要求|政策取向|建议"
)
_STRONG_PLAN_WORDS = re.compile(r"计划|思路|打算|安排|目标|未来|展望|进发|下一步|建议")
_HEADING = re.compile(
    r"^(?:[一二三四五六七八九十]+、|\d{4}\s*年?|[（(][一二三四五六七八九十]+[)）]|第[一二三四五六七八九十]+部分)"
)
_YEAR = re.compile(r"(?<!\d)(19[89]\d|20\d\d)(?!\d)")
FIVE_YEAR_PLANS = {  # the name of a five-year plan: its last year
    "十一五": 2010,
    "十二五": 2015,
    "十三五": 2020,
    "十四五": 2025,
    "十五五": 2030,
    "十六五": 2035,
}
_THIS_YEAR = re.compile(r"今年|本年|当年")
_DATE_LABELED = re.compile(
    r"(?:发文日期|成文日期|发布日期|发布时间|时间|日期)\s*[:：|]*\s*\|?\s*"
    r"(20\d\d)[-年./](\d{1,2})[-月./](\d{1,2})"
)
_DATE_ANY = re.compile(r"(20\d\d)年(\d{1,2})月(\d{1,2})日")
_ISSUER_LABELED = re.compile(r"(?:发布单位|发布机构|信息来源|来源)[\s:：|]*([\u4e00-\u9fff]{2,20})")
_BUREAU = re.compile(r"([\u4e00-\u9fff]{2,6}?(?:区|市|县))?(科学技术局|科技局)")
_BUREAU_WORD = re.compile(r"科学技术局|科技局")
_BUREAU_REACH = 7
"""How far before its 科技局 a ``_BUREAU`` match can start (six characters and 区/市/县)."""
_TITLE_REGION = re.compile(
    r"(?:20\d\d年)?([\u4e00-\u9fff]{2,8}?(?:自治区|省|市|区|县))(?:人民)?政府工作报告"
)


@dataclass(frozen=True, slots=True)
class Section:
    """A stretch ``[start, end)`` of the normalised text with its kind and year."""

    kind: str
    year: int | None
    start: int
    end: int
    heading: str
    target_year: int | None = None
    """In a mixed section, the year its targets are for (十四五 goals after 十三五 results:
    2025); ``None`` when that is the year after ``year``."""


@dataclass(frozen=True, slots=True)
class Report:
    """A report ready for extraction."""

    doc: str
    text: str
    normalized: Normalized
    title: str = ""
    region: str = ""
    issuer: str = ""
    date: date | None = None
    sections: tuple[Section, ...] = field(default=())
    level: str = ""
    """national, province, prefecture or county (the gazetteer's level; "" when unknown)."""
    parent: str = ""
    """The region directly above (呼伦贝尔市 for 海拉尔区, 全国 for a province; "" for 全国
    itself or when unknown)."""
    region_code: str = ""
    """The six-digit division code of the region ("" when the gazetteer does not decide)."""
    results_year: int | None = None
    """The year the report's results cover (2018 for a report given in 2019)."""
    plan_year: int | None = None
    """The year its annual plan covers."""

    def section_at(self, pos: int) -> Section | None:
        """The section containing normalised offset ``pos`` (``None`` before the first)."""
        i = bisect.bisect_right(self.sections, pos, key=lambda s: s.start) - 1
        return self.sections[i] if i >= 0 else None


def _title(lines: list[str]) -> str:
    for line in lines[:40]:
        s = line.strip()
        if (
            8 <= len(s) <= 40
            and not _HEADING.match(s)
            and not re.search(r"[,。;:!?]", s)
            and re.search(r"工作(?:总结|计划|思路|报告)|政府工作报告", s)
        ):
            return s
    return ""


_NATIONAL = re.compile(
    r"我代表国务院|国务院总理|在第[一二三四五六七八九十]+届全国人民代表大会|全国人民代表大会第[一二三四五六七八九十]+次会议"
)
_SESSION = re.compile(r"在([\u4e00-\u9fff]{2,20}?)第[一二三四五六七八九十]+届人民代表大会")
_REGION_PATTERNS = (
    # 浙江省省长 / 杭州市临安区科学技术局 / 余杭区科技工作 / 海拉尔区人民政府区长
    re.compile(r"([\u4e00-\u9fff]{2,8}?(?:自治区|省|市))(?:人民政府)?(?:省长|市长|主席)"),
    re.compile(
        r"([\u4e00-\u9fff]{2,3}(?:区|县|市|旗))(?:科学技术局|科技局|科技工作|人民政府|政府工作报告)"
    ),
)


def _region(text: str, title: str, issuer_label: str = "") -> tuple[str, Division | None]:
    """The reporting body's place name and its division in the gazetteer.

    In order: the national government (我代表国务院, a session of 全国人民代表大会), the
    session line (在呼伦贝尔市海拉尔区第十五届人民代表大会), the title, the issuer's label,
    then the bureau or government named most often in the text. A name counts only when the
    gazetteer knows it; when nothing is found the region is left empty.
    """
    head = text[:5000]
    if _NATIONAL.search(head):
        national = gazetteer().get(NATIONAL)
        return "全国", national
    for source, pattern in (
        (head, _SESSION),
        (title, _TITLE_REGION),
        (issuer_label, _TITLE_REGION),
    ):
        for m in pattern.finditer(source):
            division = find_division(m.group(1), context=text)
            if division is not None or gazetteer().candidates(m.group(1)):
                return _written_name(m.group(1), division), division
    for source in (title, issuer_label):
        for m in _BUREAU.finditer(source):
            if m.group(1) and gazetteer().candidates(m.group(1)):
                division = find_division(m.group(1), context=text)
                return _written_name(m.group(1), division), division
    for i, pattern in enumerate(_REGION_PATTERNS):
        counts = Counter(m.group(1) for m in pattern.finditer(head if i == 0 else text))
        for written, _ in counts.most_common():
            if gazetteer().candidates(written):
                division = find_division(written, context=text)
                return _written_name(written, division), division
    # the place named most often in the text, when it clearly leads (西湖区 in a bureau report
    # whose header says only 区科技局)
    ranked = Counter(gazetteer().mentions(text)).most_common(2)
    if ranked and ranked[0][1] >= 2 and (len(ranked) == 1 or ranked[0][1] > ranked[1][1]):
        division = find_division(ranked[0][0], context=text)
        return _written_name(ranked[0][0], division), division
    return "", None


def _written_name(written: str, division: Division | None) -> str:
    """The region's name: the gazetteer's for a known division (临安市 → 临安区), else the most
    specific level as written (西湖区, when several places bear the name)."""
    if division is not None:
        return division.name
    for candidate in gazetteer().candidates(written):
        if written.endswith(candidate.name):
            return candidate.name
    return written


def _issuer(header: str, text: str, region: str) -> str:
    m = _ISSUER_LABELED.search(header)
    label = m.group(1) if m else ""
    if (
        label
        and region
        and not label.startswith(region[:2])
        and label.startswith(("区", "市", "县"))
    ):
        label = region + label[1:]
    if label and re.search(r"局|委|办|政府|管委会|中心", label):
        return label
    # _BUREAU tries its optional prefix at every character; a match ends in the bureau word,
    # so it starts at most _BUREAU_REACH characters before the first one
    word = _BUREAU_WORD.search(text)
    bureau = _BUREAU.search(text, max(0, word.start() - _BUREAU_REACH)) if word else None
    if bureau:
        prefix = bureau.group(1) or region
        if prefix and not prefix.startswith(region[:2]) and region:
            prefix = region
        return (prefix or "") + bureau.group(2)
    if region and ("政府工作报告" in text[:2000] or f"{region}人民政府" in text[:3000]):
        return f"{region}人民政府"
    return label


def _date(header: str, text: str) -> date | None:
    for pattern, source in ((_DATE_LABELED, header), (_DATE_ANY, header), (_DATE_ANY, text)):
        m = pattern.search(source)
        if m:
            y, mo, d = (int(g) for g in m.groups())
            try:
                return date(y, mo, d)
            except ValueError:
                continue
    return None


def _heading_kind(line: str) -> tuple[str, int | None] | None:
    """Kind and year of a heading line, or ``None`` when the line is not a section heading."""
    s = line.strip()
    if not s or len(s) > 50 or s.endswith(("。", "；", ";")):
        return None
    if "工作报告" in s:
        return None  # the document's title, not a section
    if (
        not _HEADING.match(s)
        and len(s) > 14
        and (re.search(r"[,，。;；:：!?]", s) or not (_YEAR.search(s) or re.search(r"十.五", s)))
    ):
        return None  # an unnumbered line is a heading only when short, or names a period
    if not _HEADING.match(s) and re.search(r"纲要|草案", s):
        return None  # the name of a plan document (…2035年远景目标纲要(草案)), not a section
    summary = bool(_SUMMARY_WORDS.search(s))
    plan = bool(_PLAN_WORDS.search(s))
    years = [int(y) for y in _YEAR.findall(s)]
    if not (summary or plan):
        if years and _NEUTRAL_WORDS.search(s):
            return UNKNOWN, years[0]
        return None
    five = [v for k, v in FIVE_YEAR_PLANS.items() if k in s]
    if summary and plan and not _STRONG_PLAN_WORDS.search(s):
        plan = False
    if summary and plan:
        if re.search(r"总结.*计划|总结.*思路|总结和|总结及", s):
            return None  # a title covering both parts, not a section
        return MIXED, (years[0] if years else (min(five) if five else None))
    if plan:
        return PLAN, (years[0] if years else (max(five) if five else None))
    return SUMMARY, (years[0] if years else (max(five) if five else None))


def _sections(
    norm: str, doc_date: date | None, *, plan_year: int | None = None, hint: int | None = None
) -> tuple[tuple[Section, ...], int | None]:
    """The sections and the year the results cover.

    The results year is, in order: the stated ``plan_year`` minus one; the first summary
    heading's year (a five-year review, 十一五时期的回顾, gives its last year); the first
    annual plan heading's year minus one; the document date; ``hint``, a year of publication
    from elsewhere (the file name), minus one.
    """
    raw: list[tuple[str, int | None, int, str]] = []
    pos = 0
    for line in norm.split("\n"):
        found = _heading_kind(line)
        if found:
            raw.append((found[0], found[1], pos, line.strip()))
        pos += len(line) + 1
    summary_years = [y for k, y, _, _ in raw if k == SUMMARY and y]
    plan_years = [y for k, y, _, h in raw if k == PLAN and y and not re.search(r"十.五", h)]
    if plan_year is not None:
        base_summary: int | None = plan_year - 1
    elif summary_years:
        base_summary = summary_years[0]
    elif plan_years:
        base_summary = plan_years[0] - 1
    elif doc_date is not None:
        base_summary = doc_date.year - 1 if doc_date.month <= 6 else doc_date.year
    elif hint is not None:
        base_summary = hint - 1
    else:
        base_summary = None
    sections = []
    for i, (raw_kind, raw_year, start, heading) in enumerate(raw):
        end = raw[i + 1][2] if i + 1 < len(raw) else len(norm)
        kind, year = raw_kind, raw_year
        if kind == UNKNOWN and year is not None and base_summary is not None:
            kind = PLAN if year > base_summary else SUMMARY
        if _THIS_YEAR.search(heading) and not raw_year and base_summary is not None:
            year = base_summary + 1  # 今年经济社会发展的总体要求; 2019年和今年以来 keeps 2019
        if year is None and base_summary is not None:
            year = base_summary + 1 if kind == PLAN else base_summary
        five = [v for k, v in FIVE_YEAR_PLANS.items() if k in heading]
        target_year = max(five) if kind == MIXED and len(five) > 1 else None
        sections.append(Section(kind, year, start, end, heading, target_year))
    return tuple(sections), base_summary


_FILE_YEAR = re.compile(r"(?<!\d)(19[89]\d|20\d\d)(?!\d)")


def _file_year(name: str) -> int | None:
    """The one year a file name states (国务院-2013-政府工作报告.txt), or ``None``."""
    years = set(_FILE_YEAR.findall(Path(name).name))
    return int(years.pop()) if len(years) == 1 else None


def _first_lines(text: str, n: int) -> str:
    """The first ``n`` lines of ``text`` (without splitting the rest of it)."""
    end = -1
    for _ in range(n):
        end = text.find("\n", end + 1)
        if end < 0:
            return text
    return text[:end]


def read_report(
    source: str | Path,
    *,
    doc: str | None = None,
    region: str | None = None,
    year: int | None = None,
    text: str | None = None,
) -> Report:
    """Read a report from a path (or from ``text``) and find its metadata and sections.

    Args:
        source: a report file (.txt, .html, .docx or .pdf, see :func:`targets.readers.read_text`);
            with ``text`` given, only a name for the document.
        doc: document id used in evidence (default: the file name).
        region: the region the report belongs to, when known (overrides what the text says;
            a name the gazetteer knows also gives its level and parent).
        year: the year the report's plan covers (2019 for the 2019 政府工作报告, whose
            results are 2018's), when known; overrides what the headings say.
        text: the report text itself, when it does not come from a file.

    Raises:
        DocumentError: the path is missing, a directory, binary or empty.
        EncodingError: the encoding is not UTF-8 or GB18030/GBK.
    """
    path = Path(source)
    name = doc or path.name
    if text is None:
        text = read_text(source)
    if not text.strip():
        raise DocumentError("empty report (no text)", path=str(source))
    norm = normalize(text)
    lines = norm.text.split("\n")
    header = fold_characters(_first_lines(text, 25))
    title = _title(lines)
    labeled = _ISSUER_LABELED.search(header)
    if region is not None:
        division = find_division(region, context=norm.text) if region else None
        found_region = region
    else:
        found_region, division = _region(norm.text, title, labeled.group(1) if labeled else "")
    up = gazetteer().parent(division) if division is not None else None
    doc_date = _date(header, norm.text[:3000])
    sections, results_year = _sections(norm.text, doc_date, plan_year=year, hint=_file_year(name))
    issuer = (
        "国务院" if division is not None and division.code == NATIONAL and region is None else ""
    )
    return Report(
        doc=name,
        text=text,
        normalized=norm,
        title=title,
        region=found_region,
        issuer=issuer or _issuer(header, norm.text, found_region),
        date=doc_date,
        sections=sections,
        level=division.level if division is not None else "",
        parent=up.name if up is not None else "",
        region_code=division.code if division is not None else "",
        results_year=results_year,
        plan_year=results_year + 1 if results_year is not None else None,
    )


MANIFEST_NAMES = ("MANIFEST.csv", "manifest.csv")
"""A folder of downloads is described once by a CSV of that name beside the reports."""
_MIN_YEAR, _MAX_YEAR = 1949, 2100


@dataclass(frozen=True, slots=True)
class Described:
    """What a manifest states about one report: its region and plan year (None: unstated)."""

    region: str | None = None
    year: int | None = None


def read_manifest(path: str | Path) -> dict[str, Described]:
    """The reports a manifest describes, by file name.

    The CSV needs a ``file`` column; ``region`` (a place name such as 呼伦贝尔市海拉尔区 or
    全国) and ``year`` (the year the report's plan covers: 2019 for the 2019 report) are read
    when present, an empty cell meaning "read it from the text". Other columns (source,
    notes …) are left alone.

    Raises:
        ManifestError: no ``file`` column, a year that is not one, a file listed twice.
    """
    where = str(path)
    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        raise ManifestError(f"cannot be read ({exc.strerror or exc})", path=where) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = raw.decode("gb18030")
        except UnicodeDecodeError:
            raise ManifestError("is neither UTF-8 nor GB18030 text", path=where) from None
    rows = csv.DictReader(text.splitlines())
    if rows.fieldnames is None or "file" not in [f.strip() for f in rows.fieldnames]:
        raise ManifestError("has no 'file' column (file, region, year …)", path=where)
    out: dict[str, Described] = {}
    for raw_row in rows:
        number = rows.line_num  # the line of the file, as a spreadsheet numbers its rows
        row = {(k or "").strip(): (v or "").strip() for k, v in raw_row.items()}
        name = row.get("file", "")
        if not name:
            if any(row.values()):
                raise ManifestError("a row without a file name", path=where, row=number)
            continue  # a blank row
        year_text = row.get("year", "")
        year = None
        if year_text:
            if not year_text.isdigit() or not _MIN_YEAR <= int(year_text) <= _MAX_YEAR:
                raise ManifestError(
                    f"year {year_text!r} of {name} is not a year between {_MIN_YEAR} and "
                    f"{_MAX_YEAR}",
                    path=where,
                    row=number,
                )
            year = int(year_text)
        key = Path(name).name
        if key in out:
            raise ManifestError(f"{name} is listed twice", path=where, row=number)
        out[key] = Described(region=row.get("region") or None, year=year)
    return out


@lru_cache(maxsize=256)
def _folder_manifest(folder: Path, stamp: float) -> dict[str, Described]:
    for name in MANIFEST_NAMES:
        candidate = folder / name
        if candidate.is_file():
            return read_manifest(candidate)
    return {}


def described(path: str | Path) -> Described:
    """What the manifest beside ``path`` (``MANIFEST.csv`` in its folder) says about it."""
    file = Path(path)
    folder = file.parent
    try:
        stamp = max((folder / n).stat().st_mtime for n in MANIFEST_NAMES if (folder / n).is_file())
    except ValueError:  # no manifest
        return Described()
    return _folder_manifest(folder.resolve(), stamp).get(file.name, Described())
