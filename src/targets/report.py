"""Analyst surfaces: a self-contained HTML report, the same in Markdown, and an Excel workbook.

:func:`write_report` takes the three frames the pipeline produces — records
(:class:`~targets.schemas.RecordFrame`), reconciled targets
(:class:`~targets.schemas.ReconciledFrame`) and findings (:class:`~targets.schemas.FindingFrame`) —
and writes ``report.html``, ``report.md`` and ``targets.xlsx``.

The HTML opens offline: inline CSS, charts as inline SVG whose ``<text>`` is drawn by the
browser's own fonts (a CJK-capable family list, so no font file ships), no scripts and no
network loads. Every number carries its source quote and document, as a tooltip and in an
expandable ``<details>``. Nothing is computed here that the frames do not say: the report only
arranges, converts units for display (one factor per unit) and escapes.

Charts draw the records' own actuals, or, when given, a series frame (the points of
``targets.reconcile.series``) whose ``derived`` points — levels implied by a stated growth rate
— are drawn hollow. A records frame may also carry a boolean ``derived`` column; its absence is
fine. For notebooks, :func:`findings_html`, :func:`scorecard_html` and :func:`charts_html` give
HTML fragments whose styles apply only to themselves.
"""

from __future__ import annotations

import html
import math
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final, Literal, cast

import pandas as pd

from targets.catalogue import catalogue
from targets.errors import DependencyError, SchemaError, UnitError
from targets.io import atomic_write, write_files
from targets.reconcile import track_record
from targets.schemas import FindingFrame, ReconciledFrame, RecordFrame, concat, validate
from targets.units import unit_info

__all__ = [
    "FONT_FAMILY",
    "charts_html",
    "findings_html",
    "render_html",
    "render_markdown",
    "report_files",
    "scorecard_html",
    "write_excel",
    "write_report",
]

Lang = Literal["zh", "en"]

FONT_FAMILY: Final = (
    '"Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", "PingFang SC", '
    '"Hiragino Sans GB", "WenQuanYi Micro Hei", sans-serif'
)
"""Font families for chart text: common CJK fonts first, so Chinese renders without a shipped
font on Linux (Noto/Source Han, WenQuanYi), Windows (YaHei) and macOS (PingFang)."""

_UI_FONT: Final = 'system-ui, -apple-system, "Segoe UI", "Helvetica Neue", Arial, ' + FONT_FAMILY

_SEVERITY_ORDER: Final = ("error", "warning", "info")
_SEVERITY_RANK: Final = {s: i for i, s in enumerate(_SEVERITY_ORDER)}
_OUTCOMES: Final = ("met", "near", "missed", "pending", "not_comparable")
_EXTRA_RECORD_COLUMNS: Final = ("derived",)

_COMPARATOR_SYMBOL: Final = {">=": "≥", ">": ">", "=": "=", "<=": "≤", "<": "<", "~": "≈"}
_MINUS: Final = "\u2212"

_TEXT: Final[dict[str, dict[str, str]]] = {
    "zh": {
        "title": "目标与实绩核对报告",
        "subtitle": "政府工作报告中的计划目标、已报告实绩与一致性检查",
        "summary": "概要",
        "documents": "文件",
        "regions": "地区",
        "targets": "目标",
        "actuals": "实绩",
        "forecasts": "预计",
        "flagged": "被标记的目标",
        "findings": "发现",
        "worst": "最需关注",
        "no_findings": "未发现问题。",
        "outcomes": "结果",
        "scorecard": "目标记分卡",
        "track_record": "历年目标与实绩",
        "track_note": "每个目标与次年报告的实绩；悬停数字可见原文。",
        "charts": "走势",
        "indicator": "指标",
        "target": "目标",
        "deadline": "期限",
        "baseline": "基线",
        "actual": "实绩",
        "outcome": "结果 / 进度",
        "source": "来源",
        "quote": "原文",
        "target_quote": "目标原文",
        "baseline_quote": "基线原文",
        "actual_quote": "实绩原文",
        "reference_quote": "参照原文",
        "reference": "参照",
        "required": "需变化",
        "cagr": "年均需",
        "trend": "历史年均",
        "attainment": "完成度",
        "as_written": "原文写作",
        "no_targets": "本地区的报告中没有数值目标。",
        "reported": "已报告数字",
        "legend_actual": "实绩",
        "legend_forecast": "预计",
        "legend_derived": "推算（由增速倒推）",
        "legend_target": "目标（期限年）",
        "legend_path": "基线 → 目标",
        "growth": "同比",
        "kind": "类别",
        "value": "数值",
        "year": "年份",
        "not_in_catalogue": "未收录指标",
        "partial": "非全年",
        "about": (
            "每个数字均可追溯：悬停查看原文，或展开“原文”。单位按目标所用单位换算显示；"
            "推算点为空心。"
        ),
        "generated": "由 targets 生成",
        "none": "—",
    },
    "en": {
        "title": "Targets and results",
        "subtitle": "Plan targets, reported results and consistency checks from work reports",
        "summary": "Summary",
        "documents": "Documents",
        "regions": "Regions",
        "targets": "Targets",
        "actuals": "Actuals",
        "forecasts": "forecasts",
        "flagged": "Targets flagged",
        "findings": "Findings",
        "worst": "Most serious",
        "no_findings": "No findings.",
        "outcomes": "Outcomes",
        "scorecard": "Target scorecard",
        "track_record": "Track record",
        "track_note": "Each target against the actual of the following report; hover a number "
        "for its sentence.",
        "charts": "Trajectories",
        "indicator": "Indicator",
        "target": "Target",
        "deadline": "Deadline",
        "baseline": "Baseline",
        "actual": "Actual",
        "outcome": "Outcome / progress",
        "source": "Source",
        "quote": "Quote",
        "target_quote": "Target quote",
        "baseline_quote": "Baseline quote",
        "actual_quote": "Actual quote",
        "reference_quote": "Reference quote",
        "reference": "Reference",
        "required": "Required change",
        "cagr": "Required per year",
        "trend": "Historical per year",
        "attainment": "Attainment",
        "as_written": "As written",
        "no_targets": "The reports of this region state no numeric target.",
        "reported": "Reported figures",
        "legend_actual": "actual",
        "legend_forecast": "forecast",
        "legend_derived": "derived (implied by growth)",
        "legend_target": "target (at deadline)",
        "legend_path": "baseline → target",
        "growth": "YoY",
        "kind": "Kind",
        "value": "Value",
        "year": "Year",
        "not_in_catalogue": "not in catalogue",
        "partial": "partial year",
        "about": (
            "Every number is traceable: hover for its quote or open “Quote”. Values are shown "
            "in the unit of the target; derived points are hollow."
        ),
        "generated": "generated by targets",
        "none": "—",
    },
}

_SEVERITY_LABEL: Final = {
    "zh": {"error": "严重", "warning": "警告", "info": "提示"},
    "en": {"error": "error", "warning": "warning", "info": "info"},
}
_OUTCOME_LABEL: Final = {
    "zh": {
        "met": "达成",
        "near": "接近",
        "missed": "未达成",
        "pending": "待评估",
        "not_comparable": "不可比",
    },
    "en": {
        "met": "met",
        "near": "near",
        "missed": "missed",
        "pending": "pending",
        "not_comparable": "n/c",
    },
}
_PROGRESS_LABEL: Final = {
    "zh": {
        "already_met": "基线已达标",
        "on_track": "进展顺利",
        "moderate": "进展一般",
        "limited": "进展有限",
        "deteriorating": "倒退",
    },
    "en": {
        "already_met": "baseline meets it",
        "on_track": "on track",
        "moderate": "moderate progress",
        "limited": "limited progress",
        "deteriorating": "deteriorating",
    },
}
_MEASURE_LABEL: Final = {
    "zh": {
        "stock": "存量",
        "flow": "流量",
        "ratio": "比重",
        "growth": "增速",
        "rank": "位次",
        "index": "指数",
    },
    "en": {
        "stock": "stock",
        "flow": "flow",
        "ratio": "ratio",
        "growth": "growth",
        "rank": "rank",
        "index": "index",
    },
}
_KIND_LABEL: Final = {
    "zh": {"actual": "实绩", "forecast": "预计", "target": "目标"},
    "en": {"actual": "actual", "forecast": "forecast", "target": "target"},
}


# --------------------------------------------------------------------------- inputs


def _conform(
    frame: pd.DataFrame, model: Any, what: str, extras: Sequence[str] = ()
) -> pd.DataFrame:
    """Validate the schema's columns of ``frame`` and keep the tolerated ``extras``."""
    kept = [c for c in frame.columns if c not in extras]
    checked = validate(frame[kept].reset_index(drop=True), model, what=what)
    for extra in extras:
        if extra in frame.columns:
            checked[extra] = frame[extra].to_numpy()
    return checked


def _rows(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """The rows of ``frame`` as dicts keyed by column name."""
    return cast("list[dict[str, Any]]", frame.to_dict(orient="records"))


def _lang(lang: str) -> Lang:
    if lang not in ("zh", "en"):
        raise ValueError(f"lang must be 'zh' or 'en', not {lang!r}")
    return "zh" if lang == "zh" else "en"


@dataclass(frozen=True, slots=True)
class _Names:
    zh: str
    en: str
    in_catalogue: bool


def _names(code: str, text: str) -> _Names:
    ind = catalogue().get(code) if code else None
    if ind is None:
        return _Names(text or code, "", False)
    return _Names(ind.name_zh, ind.name_en, True)


def _is_missing(value: Any) -> bool:
    if value is None:
        return True
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def _float(value: Any) -> float | None:
    if _is_missing(value):
        return None
    out = float(value)
    return out if math.isfinite(out) else None


def _start(record_id: str) -> int:
    tail = record_id.rsplit(":", 1)[-1]
    return int(tail) if tail.isdigit() else 0


# --------------------------------------------------------------------------- formatting


def _num(value: float | None) -> str:
    """A number as a reader writes it: ``16.06``, ``750``, ``8,500``, ``−37.7``."""
    if value is None or not math.isfinite(value):
        return "—"
    text = f"{value:,.2f}" if abs(value) >= 1000 else f"{value:.6g}"
    if "e" not in text and "." in text:
        text = text.rstrip("0").rstrip(".")
    if text in ("-0", "−0"):
        text = "0"
    return text.replace("-", _MINUS)


def _signed(value: float | None) -> str:
    if value is None:
        return "—"
    text = _num(value)
    return text if text.startswith(_MINUS) or text == "0" else "+" + text


def _pct(value: float | None) -> str:
    """A signed percentage, rounded for reading: ``+21.6%``, ``−37.7%``, ``+0.26%``."""
    if value is None:
        return "—"
    digits = 2 if 0 < abs(value) < 1 else 1
    return f"{_signed(round(value, digits))}%"


def _change(value: float, unit: str, lang: Lang) -> str:
    """A signed change in ``unit``; a change of a percentage is in percentage points."""
    if unit == "%":
        return f"{_signed(round(value, 2))}{'个百分点' if lang == 'zh' else ' pp'}"
    return f"{_signed(value)}{unit}"


def _qty(value: float | None, unit: str) -> str:
    if value is None:
        return "—"
    return f"{_num(value)}{unit}"


def _target_text(comparator: str, value: float | None, high: float | None, unit: str) -> str:
    if comparator == "range" and high is not None:
        return f"{_num(value)}–{_num(high)}{unit}"
    symbol = _COMPARATOR_SYMBOL.get(comparator, comparator)
    return f"{symbol} {_qty(value, unit)}"


def _period(year: Any, months: str, lang: Lang) -> str:
    y = _float(year)
    if y is None:
        return "—"
    text = str(int(y))
    if months:
        text += f"年{months}月" if lang == "zh" else f" ({months})"
    return text


def _source_line(quote: str, doc: str) -> str:
    """Tooltip text: the quote and its document."""
    return f"“{quote}” — {doc}" if doc else f"“{quote}”"


def _e(text: Any) -> str:
    return html.escape(str(text), quote=True)


def _display_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


# --------------------------------------------------------------------------- the model


@dataclass(frozen=True, slots=True)
class _Finding:
    index: int
    row: Mapping[str, Any]

    @property
    def severity(self) -> str:
        return str(self.row["severity"])

    @property
    def code(self) -> str:
        return str(self.row["code"])

    def message(self, lang: Lang) -> tuple[str, str]:
        zh = str(self.row["message_zh"]) or str(self.row["message"])
        en = str(self.row["message_en"]) or str(self.row["message"])
        return (zh, en) if lang == "zh" else (en, zh)

    def deviation(self) -> float:
        target = _float(self.row["target_value"])
        ref = _float(self.row["reference_value"])
        if target is None or ref is None or ref == 0:
            return 0.0
        return abs(target - ref) / abs(ref)


@dataclass(slots=True)
class _Point:
    x: float
    value: float
    kind: str
    derived: bool
    label: str
    sources: list[str] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class _Mark:
    year: int
    value: float
    high: float | None
    comparator: str
    label: str
    source: str
    baseline: tuple[float, float] | None


@dataclass(frozen=True, slots=True)
class _Chart:
    region: str
    indicator: str
    measure: str
    names: _Names
    unit: str
    points: tuple[_Point, ...]
    marks: tuple[_Mark, ...]


@dataclass(frozen=True, slots=True)
class _Report:
    records: pd.DataFrame
    reconciled: pd.DataFrame
    findings: tuple[_Finding, ...]
    regions: tuple[str, ...]
    lang: Lang
    series: pd.DataFrame | None = None
    by_record: dict[tuple[str, str], list[_Finding]] = field(default_factory=dict)
    kinds: dict[str, str] = field(default_factory=dict)
    qualifiers: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for f in self.findings:
            key = (str(f.row["record_id"]), str(f.row["indicator"]))
            self.by_record.setdefault(key, []).append(f)
        self.kinds.update(zip(self.records["record_id"], self.records["kind"], strict=True))
        self.kinds.update((rid, "target") for rid in self.reconciled["record_id"])
        self.qualifiers.update(
            zip(self.records["record_id"], self.records["qualifiers"], strict=True)
        )

    def t(self, key: str) -> str:
        return _TEXT[self.lang][key]

    def findings_for(self, record_id: str, indicator: str) -> list[_Finding]:
        """The findings about one target. Keyed with the indicator too: one table cell
        (``8500/4800``) can hold two targets that share a ``record_id``."""
        return self.by_record.get((record_id, indicator), [])

    def targets_flagged(self) -> tuple[set[tuple[str, str]], set[tuple[str, str]]]:
        """Every target, and those with a finding, as (record_id, indicator) keys."""
        recs = self.records[self.records["kind"] == "target"]
        targets = set(zip(self.reconciled["record_id"], self.reconciled["indicator"], strict=True))
        targets |= set(zip(recs["record_id"], recs["indicator"], strict=True))
        found = {(str(f.row["record_id"]), str(f.row["indicator"])) for f in self.findings}
        return targets, found & targets

    def subject(self, f: _Finding) -> str:
        """What a finding's own value is: ``target`` or the kind of the record it is about."""
        return self.kinds.get(str(f.row["record_id"]), "")


def _region_of_doc(*frames: pd.DataFrame) -> dict[str, str]:
    """Each document's region as reconciliation named it (it normalises region spellings)."""
    out: dict[str, str] = {}
    for frame in frames:
        for doc, region in zip(frame["doc"], frame["region"], strict=True):
            if doc and region:
                out.setdefault(str(doc), str(region))
    return out


def _prepare(
    records: pd.DataFrame,
    reconciled: pd.DataFrame,
    findings: pd.DataFrame,
    lang: str,
    series: pd.DataFrame | None = None,
) -> _Report:
    language = _lang(lang)
    recs = _conform(records, RecordFrame, "records frame", _EXTRA_RECORD_COLUMNS)
    if "derived" not in recs.columns:
        recs["derived"] = False
    recs["derived"] = recs["derived"].fillna(False).astype(bool)
    rec = _conform(reconciled, ReconciledFrame, "reconciled frame")
    fnd = _conform(findings, FindingFrame, "findings frame")
    regions = _region_of_doc(rec, fnd)
    recs["region"] = [regions.get(d, r) for d, r in zip(recs["doc"], recs["region"], strict=True)]
    order = sorted(
        _rows(fnd),
        key=lambda r: (
            _SEVERITY_RANK.get(str(r["severity"]), 9),
            -_Finding(0, r).deviation(),
            str(r["region"]),
            str(r["doc"]),
            _start(str(r["record_id"])),
            str(r["code"]),
        ),
    )
    found = tuple(_Finding(i, row) for i, row in enumerate(order, start=1))
    seen: dict[str, None] = {}
    for frame in (recs.sort_values(["doc", "start"]), rec.sort_values("doc")):
        for region in frame["region"]:
            seen.setdefault(str(region), None)
    for f in found:
        seen.setdefault(str(f.row["region"]), None)
    points = None if series is None else _series_points(series, regions)
    return _Report(recs, rec, found, tuple(seen), language, points)


def _factor(unit: str) -> tuple[float, str] | None:
    """Factor to the base unit and the base unit, or ``None`` for an unknown unit."""
    if not unit:
        return 1.0, ""
    try:
        info = unit_info(unit)
    except UnitError:
        return None
    return float(info.factor), info.base


def _convert(value: float, unit: str, to: str) -> float | None:
    """``value`` in ``unit`` expressed in ``to`` (``None`` when the units do not convert)."""
    if unit == to:
        return value
    src, dst = _factor(unit), _factor(to)
    if src is None or dst is None or src[1] != dst[1]:
        return None
    return value * src[0] / dst[0]


_SERIES_COLUMNS: Final = ("region", "measure", "year", "months", "value", "unit", "doc", "quote")


def _series_points(series: pd.DataFrame, regions: Mapping[str, str]) -> pd.DataFrame:
    """Chart points from a series frame (``targets.reconcile.series``), derived ones included."""
    missing = [c for c in _SERIES_COLUMNS if c not in series.columns]
    if "indicator" not in series.columns and "indicator_key" not in series.columns:
        missing.append("indicator_key")
    if missing:
        raise SchemaError(f"series frame lacks columns {', '.join(missing)}")
    if "indicator" in series.columns:
        indicator = series["indicator"].astype(str)
    else:
        key = series["indicator_key"].astype(str)
        indicator = key.where(~key.str.startswith("text:"), "")
    derived = (
        series["derived"].fillna(False).astype(bool)
        if "derived" in series.columns
        else pd.Series(False, index=series.index)
    )
    text = series["indicator_text"] if "indicator_text" in series.columns else indicator
    return pd.DataFrame(
        {
            "region": [
                regions.get(str(d), str(r))
                for d, r in zip(series["doc"], series["region"], strict=True)
            ],
            "indicator": indicator,
            "indicator_text": text.astype(str),
            "measure": series["measure"].astype(str),
            "kind": "actual",
            "derived": derived,
            "year": series["year"].astype(int),
            "months": series["months"].fillna("").astype(str),
            "value": series["value"].astype(float),
            "unit": series["unit"].fillna("").astype(str),
            "doc": series["doc"].astype(str),
            "quote": series["quote"].astype(str),
        }
    )


def _point_frame(rep: _Report) -> pd.DataFrame:
    """Actual (and forecast) points to chart: a given series, or the records' own actuals."""
    recs = rep.records
    usable = (recs["indicator"] != "") & (recs["part_of"] == "")
    columns = ["region", "indicator", "indicator_text", "measure", "kind", "derived", "year"]
    columns += ["months", "value", "unit", "doc", "quote"]
    if rep.series is None:
        return recs.loc[usable & (recs["kind"] != "target"), columns]
    forecasts = recs.loc[usable & (recs["kind"] == "forecast"), columns]
    points = rep.series[rep.series["indicator"] != ""]
    return concat([points, forecasts]) if len(forecasts) else points


def _x(year: Any, months: str) -> float:
    """A period's position on a year axis: its end (1-11月 of 2020 sits just before 2020)."""
    end_month = int(months.split("-")[1]) if months else 12
    return float(year) - 1 + end_month / 12


def _charts(rep: _Report) -> list[_Chart]:
    """One chart per (region, indicator, measure) with at least two points or marks."""
    recs = rep.records
    targets_all = recs[(recs["kind"] == "target") & (recs["indicator"] != "")]
    targets_all = targets_all[targets_all["part_of"] == ""]
    points_all = _point_frame(rep)
    baselines = {(str(r["record_id"]), str(r["indicator"])): r for r in _rows(rep.reconciled)}
    groups: dict[tuple[str, str, str], tuple[list[dict[str, Any]], list[dict[str, Any]]]] = {}
    for row in _rows(targets_all.sort_values(["year", "doc", "start"])):
        groups.setdefault((row["region"], row["indicator"], row["measure"]), ([], []))[0].append(
            row
        )
    for row in _rows(points_all.sort_values(["year", "doc"])):
        groups.setdefault((row["region"], row["indicator"], row["measure"]), ([], []))[1].append(
            row
        )
    out: list[_Chart] = []
    for (region, indicator, measure), (targets, actuals) in groups.items():
        reported = [r for r in actuals if not r["derived"]] or actuals
        units = Counter(str(r["unit"]) for r in reported)
        unit = str(targets[0]["unit"]) if targets else units.most_common(1)[0][0]
        points: dict[tuple[float, float, str, bool], _Point] = {}
        for r in actuals:
            value = _convert(float(r["value"]), str(r["unit"]), unit)
            if value is None:
                continue
            months = str(r["months"])
            x = _x(r["year"], months)
            key = (x, round(value, 9), str(r["kind"]), bool(r["derived"]))
            source = _source_line(str(r["quote"]), str(r["doc"]))
            if key in points:
                if source not in points[key].sources:
                    points[key].sources.append(source)
                continue
            points[key] = _Point(
                x=x,
                value=value,
                kind=str(r["kind"]),
                derived=bool(r["derived"]),
                label=f"{_qty(value, unit)} · {_period(r['year'], months, rep.lang)}",
                sources=[source],
            )
        marks: list[_Mark] = []
        for r in targets:
            value = _convert(float(r["value"]), str(r["unit"]), unit)
            if value is None:
                continue
            high_raw = _float(r["value_high"])
            high = None if high_raw is None else _convert(high_raw, str(r["unit"]), unit)
            baseline = None
            rec = baselines.get((str(r["record_id"]), str(r["indicator"])))
            if rec is not None:
                b_value = _float(rec["baseline_value"])
                b_year = _float(rec["baseline_year"])
                if b_value is not None and b_year is not None:
                    converted = _convert(b_value, _baseline_unit(rec), unit)
                    if converted is not None:
                        baseline = (_x(b_year, str(rec["baseline_months"])), converted)
            marks.append(
                _Mark(
                    year=int(r["year"]),
                    value=value,
                    high=high,
                    comparator=str(r["comparator"]),
                    label=_target_text(str(r["comparator"]), value, high, unit),
                    source=_source_line(str(r["quote"]), str(r["doc"])),
                    baseline=baseline,
                )
            )
        if len(points) + len(marks) < 2:
            continue
        first = (targets or actuals)[0]
        out.append(
            _Chart(
                region=str(region),
                indicator=str(indicator),
                measure=str(measure),
                names=_names(str(indicator), str(first["indicator_text"])),
                unit=unit,
                points=tuple(sorted(points.values(), key=lambda p: (p.x, p.value))),
                marks=tuple(marks),
            )
        )
    return out


def _baseline_unit(row: Mapping[str, Any]) -> str:
    """The unit ``baseline_value``, ``actual_value`` and ``gap`` are stated in (the target's)."""
    return str(row["target_unit"])


# --------------------------------------------------------------------------- SVG charts


def _nice_step(span: float, count: int) -> float:
    raw = span / max(count, 1)
    magnitude = 10 ** math.floor(math.log10(raw)) if raw > 0 else 1.0
    for mult in (1, 2, 2.5, 5, 10):
        if raw <= mult * magnitude:
            return mult * magnitude
    return 10 * magnitude


def _ticks(lo: float, hi: float, count: int = 4) -> list[float]:
    if hi <= lo:
        pad = abs(lo) * 0.1 or 1.0
        lo, hi = lo - pad, hi + pad
    step = _nice_step(hi - lo, count)
    start = math.floor(lo / step) * step
    stop = math.ceil(hi / step) * step
    n = round((stop - start) / step)
    return [start + i * step for i in range(n + 1)]


_CHART_W: Final = 380
_CHART_H: Final = 230
_PAD_L: Final = 56
_PAD_R: Final = 20
_PAD_T: Final = 44
_PAD_B: Final = 30
_ACTUAL: Final = "#2f5d8c"
_FORECAST_FILL: Final = "#b9cde3"
_TARGET: Final = "#b45309"
_GRID: Final = "#e6e9ee"
_INK: Final = "#1f2933"
_MUTED: Final = "#6b7785"


def _trajectory_svg(chart: _Chart, *, lang: str = "zh") -> str:
    """One chart as an inline ``<svg>``: actuals as points (derived hollow), targets as
    diamonds at their deadline, a dashed line from baseline to target, every mark with a
    ``<title>`` tooltip holding its source quote and document."""
    language = _lang(lang)
    xs = [p.x for p in chart.points] + [float(m.year) for m in chart.marks]
    xs += [m.baseline[0] for m in chart.marks if m.baseline]
    ys = [p.value for p in chart.points] + [m.value for m in chart.marks]
    ys += [m.high for m in chart.marks if m.high is not None]
    ys += [m.baseline[1] for m in chart.marks if m.baseline]
    x_lo, x_hi = math.floor(min(xs)), math.ceil(max(xs))
    if x_hi == x_lo:
        x_lo, x_hi = x_lo - 1, x_hi + 1
    # room on the right for the labels of targets at the last year
    label_px = [_label_px(m.label) for m in chart.marks if m.year >= x_hi]
    pad_r = max([_PAD_R] + [px + 16 for px in label_px])
    y_min, y_max = min(ys), max(ys)
    if y_min > 0 and y_min < 0.25 * y_max:
        y_min = 0.0
    ticks = _ticks(y_min, y_max)
    y_lo, y_hi = ticks[0], ticks[-1]
    plot_w = _CHART_W - _PAD_L - pad_r
    plot_h = _CHART_H - _PAD_T - _PAD_B

    def sx(x: float) -> float:
        return _PAD_L + (x - x_lo + 0.35) / (x_hi - x_lo + 0.7) * plot_w

    def sy(y: float) -> float:
        return _PAD_T + plot_h - (y - y_lo) / (y_hi - y_lo) * plot_h

    measure = _MEASURE_LABEL[language].get(chart.measure, chart.measure)
    primary = chart.names.zh if language == "zh" or not chart.names.en else chart.names.en
    subtitle = f"{measure} · {chart.unit}" if chart.unit else measure
    parts = [
        f'<svg class="chart" viewBox="0 0 {_CHART_W} {_CHART_H}" width="{_CHART_W}" '
        f'height="{_CHART_H}" role="img" font-family="{_e(FONT_FAMILY)}" font-size="11">',
        f"<title>{_e(chart.region)} · {_e(chart.names.zh)} {_e(chart.names.en)} "
        f"({_e(subtitle)})</title>",
        f'<text x="{_PAD_L - 44}" y="17" font-size="13" font-weight="600" fill="{_INK}">'
        f"{_e(_clip(primary, 26))}</text>",
        f'<text x="{_PAD_L - 44}" y="33" font-size="11" fill="{_MUTED}">{_e(subtitle)}</text>',
    ]
    for tick in ticks:
        y = sy(tick)
        parts.append(
            f'<line x1="{_PAD_L}" x2="{_PAD_L + plot_w}" y1="{y:.1f}" y2="{y:.1f}" '
            f'stroke="{_GRID}" stroke-width="1"/>'
        )
        parts.append(
            f'<text x="{_PAD_L - 6}" y="{y + 3.5:.1f}" text-anchor="end" fill="{_MUTED}">'
            f"{_e(_num(tick))}</text>"
        )
    years = list(range(x_lo, x_hi + 1))
    stride = max(1, math.ceil(len(years) / 7))
    for year in years[::stride]:
        parts.append(
            f'<text x="{sx(year):.1f}" y="{_CHART_H - 10}" text-anchor="middle" '
            f'fill="{_MUTED}">{year}</text>'
        )
    base_y = _PAD_T + plot_h
    parts.append(
        f'<line x1="{_PAD_L}" x2="{_PAD_L + plot_w}" y1="{base_y}" y2="{base_y}" '
        f'stroke="#c4cbd4" stroke-width="1"/>'
    )
    for mark in chart.marks:
        if mark.baseline is None:
            continue
        bx, by = mark.baseline
        parts.append(
            f'<line x1="{sx(bx):.1f}" y1="{sy(by):.1f}" x2="{sx(mark.year):.1f}" '
            f'y2="{sy(mark.value):.1f}" stroke="{_TARGET}" stroke-width="1.5" '
            f'stroke-dasharray="5 4" opacity="0.8"/>'
        )
    for run in _runs(chart.points):
        path = " ".join(f"{sx(x):.1f},{sy(y):.1f}" for x, y in run)
        parts.append(
            f'<polyline points="{path}" fill="none" stroke="{_ACTUAL}" stroke-width="1.6" '
            f'opacity="0.7"/>'
        )
    for point in chart.points:
        fill = (
            "#ffffff" if point.derived else _FORECAST_FILL if point.kind == "forecast" else _ACTUAL
        )
        kind = _KIND_LABEL[language].get(point.kind, point.kind)
        if point.derived:
            kind = _TEXT[language]["legend_derived"]
        tip = f"{kind}: {point.label}\n" + "\n".join(point.sources)
        parts.append(
            f'<g class="pt"><title>{_e(tip)}</title><circle cx="{sx(point.x):.1f}" '
            f'cy="{sy(point.value):.1f}" r="4.5" fill="{fill}" stroke="{_ACTUAL}" '
            f'stroke-width="1.8"/></g>'
        )
    for mark in chart.marks:
        x, y = sx(mark.year), sy(mark.value)
        tip = f"{_KIND_LABEL[language]['target']} {mark.year}: {mark.label}\n{mark.source}"
        shape = (
            f'<path d="M{x:.1f},{y - 6.5:.1f} L{x + 6.5:.1f},{y:.1f} L{x:.1f},{y + 6.5:.1f} '
            f'L{x - 6.5:.1f},{y:.1f} Z" fill="{_TARGET}" stroke="#ffffff" stroke-width="1"/>'
        )
        if mark.high is not None:
            yh = sy(mark.high)
            shape = (
                f'<rect x="{x - 5:.1f}" y="{yh:.1f}" width="10" height="{max(y - yh, 2):.1f}" '
                f'fill="{_TARGET}" opacity="0.35"/>' + shape
            )
        parts.append(
            f'<g class="target"><title>{_e(tip)}</title>{shape}<text x="{x + 10:.1f}" '
            f'y="{y + 4:.1f}" fill="{_TARGET}" font-weight="600">{_e(mark.label)}</text></g>'
        )
    parts.append("</svg>")
    return "".join(parts)


def _label_px(text: str) -> float:
    """Rough width in pixels of ``text`` at 11 px (CJK characters count double)."""
    return _display_width(text) * 6.2


def _runs(points: Sequence[_Point]) -> list[list[tuple[float, float]]]:
    """Runs of consecutive reported years to join with a line.

    Forecasts stay unjoined, and a year with two different values breaks the line: which one
    continues the series is for reconciliation to say, not for the drawing to guess.
    """
    by_x: dict[float, set[float]] = {}
    for p in points:
        if p.kind == "actual":
            by_x.setdefault(p.x, set()).add(round(p.value, 9))
    runs: list[list[tuple[float, float]]] = [[]]
    for x in sorted(by_x):
        values = by_x[x]
        if len(values) == 1:
            runs[-1].append((x, next(iter(values))))
        elif runs[-1]:
            runs.append([])
    return [run for run in runs if len(run) >= 2]


def _clip(text: str, width: int) -> str:
    out = ""
    for ch in text:
        if _display_width(out + ch) > width * 2 - 2:
            return out + "…"
        out += ch
    return out


def _legend(lang: Lang) -> str:
    t = _TEXT[lang]
    items = [
        (
            f'<circle cx="8" cy="8" r="4.5" fill="{_ACTUAL}" stroke="{_ACTUAL}" '
            'stroke-width="1.8"/>',
            t["legend_actual"],
        ),
        (
            f'<circle cx="8" cy="8" r="4.5" fill="{_FORECAST_FILL}" stroke="{_ACTUAL}" '
            'stroke-width="1.8"/>',
            t["legend_forecast"],
        ),
        (
            f'<circle cx="8" cy="8" r="4.5" fill="#fff" stroke="{_ACTUAL}" stroke-width="1.8"/>',
            t["legend_derived"],
        ),
        (f'<path d="M8,1.5 L14.5,8 L8,14.5 L1.5,8 Z" fill="{_TARGET}"/>', t["legend_target"]),
        (
            f'<line x1="0" y1="8" x2="16" y2="8" stroke="{_TARGET}" stroke-width="1.5" '
            'stroke-dasharray="4 3"/>',
            t["legend_path"],
        ),
    ]
    return (
        '<div class="legend">'
        + "".join(
            f'<span><svg width="16" height="16" viewBox="0 0 16 16" aria-hidden="true">{icon}'
            f"</svg>{_e(label)}</span>"
            for icon, label in items
        )
        + "</div>"
    )


# --------------------------------------------------------------------------- HTML pieces


def _badge(kind: str, text: str, *, title: str = "", href: str = "") -> str:
    attr = f' title="{_e(title)}"' if title else ""
    if href:
        return f'<a class="badge {kind}" href="#{_e(href)}"{attr}>{_e(text)}</a>'
    return f'<span class="badge {kind}"{attr}>{_e(text)}</span>'


def _severity_badge(f: _Finding, lang: Lang, *, link: bool = True) -> str:
    label = _SEVERITY_LABEL[lang].get(f.severity, f.severity)
    return _badge(
        f"sev-{f.severity}",
        f"{label} · {f.code}",
        title=f.message(lang)[0],
        href=f"finding-{f.index}" if link else "",
    )


def _traced(text: str, source: str) -> str:
    """A number with its source as a tooltip."""
    if not source:
        return f'<span class="num">{_e(text)}</span>'
    return f'<span class="num traced" title="{_e(source)}">{_e(text)}</span>'


def _quote_block(label: str, quote: str, doc: str) -> str:
    if not quote:
        return ""
    return (
        f'<blockquote><div class="cite">{_e(label)}'
        f"{' · ' + _e(doc) if doc else ''}</div><q>{_e(quote)}</q></blockquote>"
    )


def _indicator_cell(names: _Names, text: str, measure: str, lang: Lang) -> str:
    t = _TEXT[lang]
    first, second = (names.zh, names.en) if lang == "zh" else (names.en or names.zh, names.zh)
    if not names.in_catalogue:
        second = t["not_in_catalogue"]
    measure_label = _MEASURE_LABEL[lang].get(measure, measure)
    written = ""
    if text and text not in (names.zh, names.en):
        written = f'<div class="written">{_e(t["as_written"])}：{_e(text)}</div>'
    return (
        f'<div class="ind-zh">{_e(first)}</div><div class="ind-en">{_e(second)}'
        f' <span class="measure">{_e(measure_label)}</span></div>{written}'
    )


def _scorecard_rows(rep: _Report, frame: pd.DataFrame) -> list[str]:
    t = rep.t
    lang = rep.lang
    rows = sorted(
        _rows(frame),
        key=lambda r: (-int(r["year"]), str(r["doc"]), _start(str(r["record_id"]))),
    )
    out: list[str] = []
    for r in rows:
        rid = str(r["record_id"])
        unit = str(r["target_unit"])
        names = _names(str(r["indicator"]), str(r["indicator_text"]))
        target = _target_text(
            str(r["comparator"]),
            _float(r["target_value"]),
            _float(r["target_value_high"]),
            unit,
        )
        hedges = "".join(
            f'<span class="hedge">{_e(q)}</span>'
            for q in rep.qualifiers.get(rid, "").split("|")
            if q
        )
        target_cell = _traced(target, _source_line(str(r["quote"]), str(r["doc"]))) + hedges
        b_unit = _baseline_unit(r)
        b_value = _float(r["baseline_value"])
        if b_value is None:
            baseline_cell = f'<span class="none">{t("none")}</span>'
        else:
            months = str(r["baseline_months"])
            year = _period(r["baseline_year"], months, lang)
            baseline_cell = (
                _traced(
                    _qty(b_value, b_unit),
                    _source_line(str(r["baseline_quote"]), str(r["baseline_doc"])),
                )
                + f'<div class="sub">{_e(year)}</div>'
            )
            if bool(r["partial_period"]):
                baseline_cell += f'<div class="sub warn">{_e(t("partial"))}</div>'
        a_value = _float(r["actual_value"])
        actual_cell = ""
        if a_value is not None:
            actual_cell = _traced(_qty(a_value, b_unit), f"“{r['actual_quote']}”")
            attain = _float(r["attainment"])
            if attain is not None:
                actual_cell += (
                    f'<div class="sub">{_e(t("attainment"))} {_e(_num(round(attain * 100, 1)))}%'
                    "</div>"
                )
        outcome = str(r["outcome"])
        outcome_cell = _badge(
            f"out-{outcome}",
            _OUTCOME_LABEL[lang].get(outcome, outcome),
            title=str(r["reason"]),
        )
        progress = str(r["progress"])
        if progress:
            outcome_cell += " " + _badge(
                f"prog-{progress}", _PROGRESS_LABEL[lang].get(progress, progress)
            )
        details: list[str] = []
        change = _float(r["required_change"])
        change_pct = _float(r["required_change_pct"])
        if change is not None:
            pct = f" ({_pct(change_pct)})" if change_pct is not None and unit != "%" else ""
            details.append(f"{t('required')} {_change(change, unit, lang)}{pct}")
        cagr = _float(r["required_cagr_pct"])
        if cagr is not None:
            details.append(f"{t('cagr')} {_pct(cagr)}")
        hist = _float(r["historical_cagr_pct"])
        if hist is not None:
            details.append(f"{t('trend')} {_pct(hist)}")
        outcome_cell += "".join(f'<div class="sub">{_e(d)}</div>' for d in details)
        if actual_cell:
            outcome_cell = f'<div class="actual">{actual_cell}</div>' + outcome_cell
        found = rep.findings_for(rid, str(r["indicator"]))
        badges = " ".join(_severity_badge(f, lang) for f in found)
        evidence = (
            _quote_block(t("target_quote"), str(r["quote"]), str(r["doc"]))
            + _quote_block(t("baseline_quote"), str(r["baseline_quote"]), str(r["baseline_doc"]))
            + _quote_block(t("actual_quote"), str(r["actual_quote"]), "")
        )
        flagged = f" flagged flag-{found[0].severity}" if found else ""
        out.append(
            f'<tr id="target-{_e(rid)}-{_e(r["indicator"])}" class="row{flagged}">'
            f"<td>{_indicator_cell(names, str(r['indicator_text']), str(r['measure']), lang)}</td>"
            f'<td class="n">{target_cell}</td>'
            f'<td class="n">{_e(int(r["year"]))}</td>'
            f'<td class="n">{baseline_cell}</td>'
            f"<td>{outcome_cell}</td>"
            f'<td class="badges">{badges}</td>'
            f'<td class="src"><details><summary>{_e(t("quote"))}</summary>'
            f'<div class="evidence">{evidence}</div></details>'
            "</td></tr>"
        )
    return out


def _head(rep: _Report, *columns: str) -> str:
    """Header cells for label keys; a key ending in ``:n`` is a right-aligned number column."""
    cells = []
    for column in columns:
        key, _, kind = column.partition(":")
        cls = ' class="n"' if kind == "n" else ""
        cells.append(f"<th{cls}>{_e(rep.t(key))}</th>")
    return "".join(cells)


def _scorecard_table(rep: _Report, frame: pd.DataFrame) -> str:
    head = _head(
        rep, "indicator", "target:n", "deadline:n", "baseline:n", "outcome", "findings", "source"
    )
    body = "".join(_scorecard_rows(rep, frame))
    return f'<table class="scorecard"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


def _finding_card(f: _Finding, rep: _Report, comparators: Mapping[str, str]) -> str:
    t = rep.t
    lang = rep.lang
    row = f.row
    names = _names(str(row["indicator"]), str(row["indicator_text"]))
    name = names.zh if lang == "zh" else (names.en or names.zh)
    other = names.en if lang == "zh" else names.zh
    where = " · ".join(
        x
        for x in (str(row["region"]), name + (f" ({other})" if other else ""), str(row["year"]))
        if x
    )
    primary, secondary = f.message(lang)
    comparator = comparators.get(str(row["record_id"]), "")
    kind = rep.subject(f)
    subject = _KIND_LABEL[lang].get(kind, t("value"))
    subject_quote = t(f"{kind}_quote") if kind in ("target", "actual") else t("quote")
    target_value = _float(row["target_value"])
    values: list[str] = []
    if target_value is not None:
        text = (
            _target_text(comparator, target_value, None, str(row["target_unit"]))
            if comparator and comparator != "range"
            else _qty(target_value, str(row["target_unit"]))
        )
        values.append(
            f'<span class="k">{_e(subject)}</span> '
            + _traced(f"{text} ({row['year']})", _source_line(str(row["quote"]), str(row["doc"])))
        )
    ref_value = _float(row["reference_value"])
    if ref_value is not None:
        ref_year = _float(row["reference_year"])
        year = f" ({int(ref_year)})" if ref_year is not None else ""
        values.append(
            f'<span class="k">{_e(t("reference"))}</span> '
            + _traced(
                f"{_qty(ref_value, str(row['reference_unit']))}{year}",
                _source_line(str(row["reference_quote"]), str(row["reference_doc"])),
            )
        )
    compare = f'<div class="values">{" <span class=vs>vs</span> ".join(values)}</div>'
    quotes = _quote_block(subject_quote, str(row["quote"]), str(row["doc"])) + _quote_block(
        t("reference_quote"), str(row["reference_quote"]), str(row["reference_doc"])
    )
    second = f'<p class="msg2" lang="{"en" if lang == "zh" else "zh-CN"}">{_e(secondary)}</p>'
    return (
        f'<article class="finding sev-{_e(f.severity)}" id="finding-{f.index}">'
        f'<header>{_severity_badge(f, lang, link=False)}<span class="where">{_e(where)}</span>'
        f'</header><p class="msg">{_e(primary)}</p>{second if secondary else ""}{compare}'
        f'<div class="quotes">{quotes}</div></article>'
    )


def _findings_section(rep: _Report) -> str:
    t = rep.t
    if not rep.findings:
        return f'<p class="empty">{_e(t("no_findings"))}</p>'
    comparators = dict(zip(rep.reconciled["record_id"], rep.reconciled["comparator"], strict=True))
    parts: list[str] = []
    for severity in _SEVERITY_ORDER:
        group = [f for f in rep.findings if f.severity == severity]
        if not group:
            continue
        label = _SEVERITY_LABEL[rep.lang][severity]
        parts.append(
            f'<h3 class="sev-head sev-{severity}">{_e(label)} <span class="count">'
            f"{len(group)}</span></h3>"
        )
        parts.extend(_finding_card(f, rep, comparators) for f in group)
    return "".join(parts)


def _reported_table(rep: _Report, frame: pd.DataFrame) -> str:
    t = rep.t
    lang = rep.lang
    rows = _rows(frame.sort_values(["year", "doc", "start"]))
    body: list[str] = []
    for r in rows:
        names = _names(str(r["indicator"]), str(r["indicator_text"]))
        value = _target_text(str(r["comparator"]), float(r["value"]), None, str(r["unit"]))
        if str(r["comparator"]) == "=":
            value = _qty(float(r["value"]), str(r["unit"]))
        growth = _float(r["growth_pct"])
        growth_pp = _float(r["growth_pp"])
        growth_text = (
            f"{_signed(growth)}%"
            if growth is not None
            else f"{_signed(growth_pp)}pp"
            if growth_pp is not None
            else ""
        )
        kind = _KIND_LABEL[lang].get(str(r["kind"]), str(r["kind"]))
        if bool(r["derived"]):
            kind += f" ({t('legend_derived')})"
        name = names.zh if lang == "zh" else names.en or names.zh
        part = " part" if r["part_of"] else ""
        written = str(r["indicator_text"])
        second = f'<div class="ind-en">{_e(written)}</div>' if written != name else ""
        body.append(
            f'<tr class="{part.strip()}"><td>{_e(name)}{second}</td>'
            f'<td class="kind">{_e(kind)}</td>'
            f'<td class="n">{_traced(value, _source_line(str(r["quote"]), str(r["doc"])))}</td>'
            f'<td class="n">{_e(_period(r["year"], str(r["months"]), lang))}</td>'
            f'<td class="n">{_e(growth_text)}</td>'
            f'<td class="q">{_e(str(r["quote"]))}<div class="ind-en">{_e(str(r["doc"]))}</div></td>'
            "</tr>"
        )
    head = "".join(
        f"<th{cls}>{_e(label)}</th>"
        for label, cls in (
            (t("indicator"), ""),
            (t("kind"), ""),
            (t("value"), ' class="n"'),
            (t("year"), ' class="n"'),
            (t("growth"), ' class="n"'),
            (t("quote"), ""),
        )
    )
    return (
        f'<details class="reported"><summary>{_e(t("reported"))} ({len(rows)})</summary>'
        f'<table class="plain"><thead><tr>{head}</tr></thead><tbody>{"".join(body)}</tbody>'
        "</table></details>"
    )


def _summary(rep: _Report) -> str:
    t = rep.t
    lang = rep.lang
    recs = rep.records
    docs = sorted(
        set(recs["doc"]) | set(rep.reconciled["doc"]) | {str(f.row["doc"]) for f in rep.findings}
    )
    kinds = Counter(recs["kind"])
    target_ids, flagged = rep.targets_flagged()
    severities = Counter(f.severity for f in rep.findings)
    tiles = [
        (t("documents"), str(len(docs)), ""),
        (t("regions"), str(len(rep.regions)), ""),
        (t("targets"), str(len(target_ids)), ""),
        (
            t("actuals"),
            str(kinds.get("actual", 0)),
            f"+ {kinds.get('forecast', 0)} {t('forecasts')}" if kinds.get("forecast") else "",
        ),
        (t("flagged"), f"{len(flagged)}", f"/ {len(target_ids)}"),
    ]
    tile_html = "".join(
        f'<div class="tile"><div class="tile-n">{_e(n)}<span class="tile-sub">{_e(sub)}</span>'
        f'</div><div class="tile-l">{_e(label)}</div></div>'
        for label, n, sub in tiles
    )
    sev_html = " ".join(
        _badge(f"sev-{s}", f"{_SEVERITY_LABEL[lang][s]} {severities.get(s, 0)}")
        for s in _SEVERITY_ORDER
    )
    outcomes = Counter(rep.reconciled["outcome"])
    total = sum(outcomes.values())
    bar = "".join(
        f'<span class="seg out-{o}" style="flex:{outcomes[o]}" '
        f'title="{_e(_OUTCOME_LABEL[lang][o])}: {outcomes[o]}"></span>'
        for o in _OUTCOMES
        if outcomes.get(o)
    )
    bar_legend = " ".join(
        _badge(f"out-{o}", f"{_OUTCOME_LABEL[lang][o]} {outcomes.get(o, 0)}")
        for o in _OUTCOMES
        if outcomes.get(o)
    )
    outcome_html = (
        f'<div class="outcomes"><div class="label">{_e(t("outcomes"))}</div>'
        f'<div class="bar">{bar}</div><div>{bar_legend}</div></div>'
        if total
        else ""
    )
    worst = rep.findings[:5]
    worst_html = ""
    if worst:
        items = []
        for f in worst:
            names = _names(str(f.row["indicator"]), str(f.row["indicator_text"]))
            name = names.zh if lang == "zh" else names.en or names.zh
            items.append(
                f"<li>{_severity_badge(f, lang)} <strong>{_e(f.row['region'])} · {_e(name)} · "
                f"{_e(f.row['year'])}</strong> — {_e(f.message(lang)[0])}</li>"
            )
        worst_html = f'<h3>{_e(t("worst"))}</h3><ol class="worst">{"".join(items)}</ol>'
    return (
        f'<section class="summary" id="summary"><h2>{_e(t("summary"))}</h2>'
        f'<div class="tiles">{tile_html}</div>'
        f'<div class="sevs"><span class="label">{_e(t("findings"))}</span> {sev_html}</div>'
        f"{outcome_html}{worst_html}</section>"
    )


def _track_record_table(rep: _Report, frame: pd.DataFrame) -> str:
    """Indicator × year: target, actual and outcome, both sentences on hover (the targets of
    catalogue indicators that have been judged)."""
    t = rep.t
    record = track_record(frame)
    judged = record[record["outcome"].isin(("met", "near", "missed"))]
    if judged.empty:
        return ""
    rows = []
    for r in _rows(judged):
        names = _names(str(r["indicator"]), str(r["indicator_text"]))
        name = names.zh if rep.lang == "zh" else (names.en or names.zh)
        unit = str(r["target_unit"])
        target = _target_text(
            str(r["comparator"]), _float(r["target_value"]), _float(r["target_value_high"]), unit
        )
        actual = _qty(_float(r["actual_value"]), unit)
        outcome = str(r["outcome"])
        rows.append(
            f'<tr><td>{_e(name)}</td><td class="n">{int(r["year"])}</td>'
            f'<td class="n">{_traced(target, _source_line(r["target_quote"], r["target_doc"]))}'
            "</td>"
            f'<td class="n">'
            f"{_traced(actual, _source_line(str(r['actual_quote']), str(r['actual_doc'])))}</td>"
            f"<td>{_badge(f'out-{outcome}', _OUTCOME_LABEL[rep.lang][outcome])}</td></tr>"
        )
    head = _head(rep, "indicator", "year:n", "target:n", "actual:n", "outcome")
    return (
        f'<h3>{_e(t("track_record"))}</h3><p class="note">{_e(t("track_note"))}</p>'
        f'<table class="track"><thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody>'
        "</table>"
    )


def _region_section(rep: _Report, region: str, charts: Sequence[_Chart], number: int) -> str:
    t = rep.t
    frame = rep.reconciled[rep.reconciled["region"] == region]
    recs = rep.records[rep.records["region"] == region]
    docs = sorted(set(recs["doc"]) | set(frame["doc"]))
    doc_lines = []
    for doc in docs:
        years = recs.loc[recs["doc"] == doc, "year"]
        span = f" ({years.min()}–{years.max()})" if len(years) else ""
        doc_lines.append(f"<span>{_e(doc)}{_e(span)}</span>")
    scorecard = (
        _scorecard_table(rep, frame)
        if len(frame)
        else f'<p class="empty">{_e(t("no_targets"))}</p>'
    )
    mine = [c for c in charts if c.region == region]
    chart_html = ""
    if mine:
        figures = "".join(
            f'<figure id="chart-{number}-{i}">{_trajectory_svg(c, lang=rep.lang)}</figure>'
            for i, c in enumerate(mine)
        )
        chart_html = (
            f'<h3>{_e(t("charts"))}</h3>{_legend(rep.lang)}<div class="charts">{figures}</div>'
        )
    actuals = recs[recs["kind"] != "target"]
    reported = _reported_table(rep, actuals) if len(actuals) else ""
    return (
        f'<section class="region" id="region-{number}"><h2>{_e(region)}</h2>'
        f'<div class="docs">{"".join(doc_lines)}</div>'
        f"{_track_record_table(rep, frame)}"
        f"<h3>{_e(t('scorecard'))}</h3>{scorecard}{chart_html}{reported}</section>"
    )


_CSS: Final = """
:root{--ink:#1f2933;--muted:#6b7785;--line:#e3e7ec;--bg:#f7f8fa;--card:#fff;
--err:#b42318;--err-bg:#fdeceb;--warn:#a15c07;--warn-bg:#fdf3dc;--info:#3e5f80;--info-bg:#e8eff6;
--met:#1e7a46;--met-bg:#e2f4e9;--miss:#b42318;--miss-bg:#fdeceb;--pend:#5f6b7a;--pend-bg:#eef0f3;
--nc:#6a5a8c;--nc-bg:#efecf6;--accent:#2f5d8c}
*{box-sizing:border-box}
html{font-family:UIFONT;color:var(--ink);background:var(--bg);font-size:15px;line-height:1.55}
body{margin:0}
main{max-width:1240px;margin:0 auto;padding:0 28px 64px}
header.top{background:#fff;border-bottom:1px solid var(--line);margin-bottom:28px}
header.top .inner{max-width:1240px;margin:0 auto;padding:28px 28px 18px}
h1{font-size:26px;margin:0 0 4px;font-weight:650;letter-spacing:.01em}
.subtitle{color:var(--muted);margin:0}
nav{margin-top:14px;display:flex;flex-wrap:wrap;gap:6px 16px;font-size:14px}
nav a{color:var(--accent);text-decoration:none}
nav a:hover{text-decoration:underline}
h2{font-size:21px;margin:0 0 6px;font-weight:650}
h3{font-size:15px;margin:26px 0 10px;color:#364452;font-weight:650;text-transform:none}
section{background:var(--card);border:1px solid var(--line);border-radius:10px;
padding:22px 26px;margin:0 0 24px}
.tiles{display:grid;grid-template-columns:repeat(auto-fit,minmax(150px,1fr));gap:12px;margin:14px 0}
.tile{border:1px solid var(--line);border-radius:8px;padding:12px 14px;background:#fbfcfd}
.tile-n{font-size:26px;font-weight:650;font-variant-numeric:tabular-nums}
.tile-sub{font-size:13px;color:var(--muted);font-weight:400;margin-left:6px}
.tile-l{color:var(--muted);font-size:13px}
.sevs,.outcomes{display:flex;align-items:center;gap:10px;flex-wrap:wrap;margin:10px 0}
.label{color:var(--muted);font-size:13px;min-width:48px}
.bar{display:flex;height:10px;width:260px;border-radius:5px;overflow:hidden;background:#eee}
.seg.out-met{background:var(--met)}.seg.out-missed{background:var(--miss)}.seg.out-near{background:#d9a521}
.seg.out-pending{background:#aab3bf}.seg.out-not_comparable{background:#a99cc6}
ol.worst{margin:0;padding-left:22px}ol.worst li{margin:6px 0}
.docs{display:flex;flex-wrap:wrap;gap:4px 18px;color:var(--muted);font-size:13px}
table{border-collapse:collapse;width:100%;font-size:14px}
th{text-align:left;font-weight:600;color:#4b5866;font-size:12.5px;letter-spacing:.02em;
border-bottom:2px solid var(--line);padding:8px 10px;background:#fff;position:sticky;top:0}
td{border-bottom:1px solid var(--line);padding:10px 10px;vertical-align:top}
tr.flag-error td:first-child{box-shadow:inset 3px 0 0 var(--err)}
tr.flag-warning td:first-child{box-shadow:inset 3px 0 0 #d99a1e}
tr.flag-info td:first-child{box-shadow:inset 3px 0 0 #8fa7c0}
.scorecard th:first-child{width:29%}
.track td{padding:6px 10px}p.note{color:var(--muted);font-size:13px;margin:0 0 8px}
td.n,th.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
.ind-zh{font-weight:600}
.ind-en{color:var(--muted);font-size:12.5px}
.measure{display:inline-block;border:1px solid var(--line);border-radius:4px;padding:0 5px;
font-size:11px;margin-left:4px;color:var(--muted)}
.written{color:var(--muted);font-size:12px}
.sub{color:var(--muted);font-size:12.5px;white-space:nowrap}
.sub.warn{color:var(--warn)}
.none{color:#b0b8c2}
.num.traced{border-bottom:1px dotted #9aa5b1;cursor:help}
.hedge{display:inline-block;margin-left:6px;font-size:11px;color:var(--muted);
border:1px solid var(--line);border-radius:4px;padding:0 4px}
.actual{margin-bottom:4px;font-variant-numeric:tabular-nums}
.badge{display:inline-block;border-radius:999px;padding:1px 9px;font-size:12px;line-height:1.6;
font-weight:550;text-decoration:none;white-space:nowrap;margin:1px 0}
.badges .badge{margin:1px 2px 3px 0}
.sev-error.badge{background:var(--err-bg);color:var(--err);border:1px solid #f4c1bd}
.sev-warning.badge{background:var(--warn-bg);color:var(--warn);border:1px solid #f1d59a}
.sev-info.badge{background:var(--info-bg);color:var(--info);border:1px solid #c9d7e6}
.out-met.badge{background:var(--met-bg);color:var(--met)}
.out-missed.badge{background:var(--miss-bg);color:var(--miss)}
.out-near.badge{background:#fdf3dc;color:#8a5a00}
.out-pending.badge{background:var(--pend-bg);color:var(--pend)}
.out-not_comparable.badge{background:var(--nc-bg);color:var(--nc)}
.prog-already_met.badge,.prog-on_track.badge{background:var(--met-bg);color:var(--met)}
.prog-moderate.badge{background:var(--warn-bg);color:var(--warn)}
.prog-limited.badge{background:#fde8d7;color:#a2480f}
.prog-deteriorating.badge{background:var(--err-bg);color:var(--err)}
details summary{cursor:pointer;color:var(--accent);font-size:13px}
td.src{width:72px;position:relative;white-space:nowrap}
td.src details[open] .evidence{position:absolute;right:6px;top:36px;width:460px;z-index:5;
background:#fff;border:1px solid var(--line);border-radius:8px;padding:6px 12px;
box-shadow:0 10px 28px rgba(16,24,40,.14)}
blockquote{margin:8px 0;padding:6px 10px;border-left:3px solid var(--line);background:#fafbfc;
border-radius:0 6px 6px 0}
blockquote .cite{color:var(--muted);font-size:12px}
blockquote q{quotes:"“" "”";white-space:pre-wrap}
.charts{display:grid;grid-template-columns:repeat(auto-fill,minmax(330px,1fr));gap:14px}
figure{margin:0;border:1px solid var(--line);border-radius:8px;padding:6px 6px 0;background:#fff}
svg.chart{display:block;width:100%;height:auto}
svg.chart text{font-family:CJKFONT}
.legend{display:flex;flex-wrap:wrap;gap:6px 18px;color:var(--muted);font-size:12.5px;
margin:0 0 10px}
.legend span{display:inline-flex;align-items:center;gap:6px}
details.reported{margin-top:20px}
table.plain td{padding:6px 10px;font-size:13px}
table.plain td.q{color:#4b5866}
td.kind{white-space:nowrap}
tr.part td:first-child{padding-left:26px}
.finding{border:1px solid var(--line);border-left:4px solid var(--info);border-radius:8px;
padding:12px 16px;margin:10px 0;background:#fff}
.finding.sev-error{border-left-color:var(--err)}
.finding.sev-warning{border-left-color:#d99a1e}
.finding header{display:flex;gap:10px;align-items:center;flex-wrap:wrap}
.finding .where{font-weight:600}
.finding .msg{margin:8px 0 2px}
.finding .msg2{margin:0 0 6px;color:var(--muted);font-size:13.5px}
.values{font-variant-numeric:tabular-nums;margin:6px 0}
.values .k{color:var(--muted);font-size:12.5px}
.values .vs{color:var(--muted);margin:0 8px}
.quotes{display:grid;grid-template-columns:1fr 1fr;gap:0 12px}
h3.sev-head{display:flex;align-items:center;gap:8px}
h3.sev-head.sev-error{color:var(--err)}h3.sev-head.sev-warning{color:var(--warn)}
h3.sev-head.sev-info{color:var(--info)}
.count{font-size:12px;background:var(--bg);border-radius:999px;padding:0 8px;color:var(--muted)}
.empty{color:var(--muted)}
footer{color:var(--muted);font-size:12.5px;text-align:center;margin-top:8px}
@media (max-width:800px){.quotes{grid-template-columns:1fr}main{padding:0 12px 40px}}
@media print{section{break-inside:avoid-page;border:none}th{position:static}}
""".replace("UIFONT", _UI_FONT).replace("CJKFONT", FONT_FAMILY)


def _page(title: str, body: str, lang: Lang) -> str:
    html_lang = "zh-CN" if lang == "zh" else "en"
    css = re.sub(r"\n", "", _CSS)
    return (
        f'<!DOCTYPE html><html lang="{html_lang}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{_e(title)}</title><style>{css}</style></head><body>{body}</body></html>\n"
    )


def render_html(
    records: pd.DataFrame,
    reconciled: pd.DataFrame,
    findings: pd.DataFrame,
    *,
    lang: str = "zh",
    series: pd.DataFrame | None = None,
) -> str:
    """The whole report as one self-contained HTML document (see :func:`write_report`).

    Raises:
        SchemaError: a frame does not match its schema.
        ValueError: ``lang`` is not ``"zh"`` or ``"en"``.
    """
    return _html(_prepare(records, reconciled, findings, lang, series))


def _html(rep: _Report) -> str:
    t = rep.t
    charts = _charts(rep)
    nav = "".join(f'<a href="#region-{i}">{_e(region)}</a>' for i, region in enumerate(rep.regions))
    nav += f'<a href="#findings">{_e(t("findings"))} ({len(rep.findings)})</a>'
    header = (
        f'<header class="top"><div class="inner"><h1>{_e(t("title"))}</h1>'
        f'<p class="subtitle">{_e(t("subtitle"))}</p><nav>{nav}</nav></div></header>'
    )
    regions = "".join(
        _region_section(rep, region, charts, i) for i, region in enumerate(rep.regions)
    )
    findings_part = (
        f'<section id="findings"><h2>{_e(t("findings"))}</h2>{_findings_section(rep)}</section>'
    )
    footer = f"<footer>{_e(t('about'))} · {_e(t('generated'))}</footer>"
    body = f"{header}<main>{_summary(rep)}{regions}{findings_part}{footer}</main>"
    return _page(t("title"), body, rep.lang)


_SCOPE: Final = ".targets-report"


def _scope_css(css: str, scope: str = _SCOPE) -> str:
    """Prefix every selector of ``css`` with ``scope`` (page-level ones become the scope).

    A fragment shown in a notebook then styles only itself, never the notebook around it.
    """
    out: list[str] = []
    i = 0
    while (brace := css.find("{", i)) >= 0:
        head = css[i:brace].strip()
        if head.startswith("@"):
            depth, j = 1, brace + 1
            while depth:
                depth += {"{": 1, "}": -1}.get(css[j], 0)
                j += 1
            out.append(f"{head}{{{_scope_css(css[brace + 1 : j - 1], scope)}}}")
            i = j
            continue
        end = css.index("}", brace)
        selectors = []
        for selector in (s.strip() for s in head.split(",")):
            if selector in ("html", ":root", "body"):
                selectors.append(scope)
            else:
                selectors.append(f"{scope} {selector}")
        out.append(",".join(selectors) + css[brace : end + 1])
        i = end + 1
    return "".join(out)


def _fragment_css() -> str:
    return _scope_css(_CSS.replace("\n", ""))


def findings_html(findings: pd.DataFrame, *, lang: str = "zh") -> str:
    """Findings as an HTML fragment, most serious first (for ``IPython.display.HTML``).

    Raises:
        SchemaError: the frame does not match :class:`~targets.schemas.FindingFrame`.
    """
    empty_records = pd.DataFrame({c: [] for c in RecordFrame.to_schema().columns})
    empty_reconciled = pd.DataFrame({c: [] for c in ReconciledFrame.to_schema().columns})
    rep = _prepare(empty_records, empty_reconciled, findings, lang)
    return (
        f'<div class="targets-report"><style>{_fragment_css()}</style>'
        f"{_findings_section(rep)}</div>"
    )


def charts_html(
    records: pd.DataFrame,
    reconciled: pd.DataFrame | None = None,
    *,
    region: str | None = None,
    series: pd.DataFrame | None = None,
    lang: str = "zh",
) -> str:
    """Trajectory charts (inline SVG) as an HTML fragment, for notebooks.

    One chart per (region, indicator, measure) with at least two points: actuals filled,
    derived points hollow, targets as diamonds at their deadline with a dashed line from the
    baseline in ``reconciled`` (when given).

    Args:
        records: a :class:`~targets.schemas.RecordFrame`.
        reconciled: its :class:`~targets.schemas.ReconciledFrame`, for baselines.
        region: only this region (as named in the frames); all regions by default.
        series: actual points with ``derived`` ones (``targets.reconcile.series``).
        lang: ``"zh"`` or ``"en"``.

    Raises:
        SchemaError: a frame does not match its schema.
    """
    if reconciled is None:
        reconciled = pd.DataFrame({c: [] for c in ReconciledFrame.to_schema().columns})
    findings = pd.DataFrame({c: [] for c in FindingFrame.to_schema().columns})
    rep = _prepare(records, reconciled, findings, lang, series)
    charts = [c for c in _charts(rep) if region is None or c.region == region]
    figures = "".join(f"<figure>{_trajectory_svg(c, lang=rep.lang)}</figure>" for c in charts)
    return (
        f'<div class="targets-report"><style>{_fragment_css()}</style>{_legend(rep.lang)}'
        f'<div class="charts">{figures}</div></div>'
    )


def scorecard_html(
    reconciled: pd.DataFrame, findings: pd.DataFrame | None = None, *, lang: str = "zh"
) -> str:
    """Reconciled targets as scorecard tables per region, an HTML fragment for notebooks.

    Raises:
        SchemaError: a frame does not match its schema.
    """
    empty_records = pd.DataFrame({c: [] for c in RecordFrame.to_schema().columns})
    if findings is None:
        findings = pd.DataFrame({c: [] for c in FindingFrame.to_schema().columns})
    rep = _prepare(empty_records, reconciled, findings, lang)
    parts = [
        f"<h3>{_e(region)}</h3>"
        + _scorecard_table(rep, rep.reconciled[rep.reconciled["region"] == region])
        for region in rep.regions
        if (rep.reconciled["region"] == region).any()
    ]
    return f'<div class="targets-report"><style>{_fragment_css()}</style>{"".join(parts)}</div>'


# --------------------------------------------------------------------------- Markdown


def _md(text: Any) -> str:
    """Text safe inside a Markdown table cell or list item."""
    out = str(text).replace("\r", " ").replace("\n", " ")
    out = out.replace("\\", "\\\\").replace("|", "\\|")
    return re.sub(r"([*`<\[\]])", r"\\\1", out)


def render_markdown(
    records: pd.DataFrame,
    reconciled: pd.DataFrame,
    findings: pd.DataFrame,
    *,
    lang: str = "zh",
) -> str:
    """The report in Markdown: summary, per-region scorecards and findings by severity.

    Raises:
        SchemaError: a frame does not match its schema.
        ValueError: ``lang`` is not ``"zh"`` or ``"en"``.
    """
    return _markdown(_prepare(records, reconciled, findings, lang))


def _markdown(rep: _Report) -> str:
    t = rep.t
    lang_ = rep.lang
    recs = rep.records
    kinds = Counter(recs["kind"])
    docs = sorted(
        set(recs["doc"]) | set(rep.reconciled["doc"]) | {str(f.row["doc"]) for f in rep.findings}
    )
    target_ids, flagged = rep.targets_flagged()
    severities = Counter(f.severity for f in rep.findings)
    outcomes = Counter(rep.reconciled["outcome"])
    lines = [f"# {t('title')}", "", t("subtitle"), "", f"## {t('summary')}", ""]
    lines += [
        f"- {t('documents')}: {len(docs)}",
        f"- {t('regions')}: {len(rep.regions)}",
        f"- {t('targets')}: {len(target_ids)}",
        f"- {t('actuals')}: {kinds.get('actual', 0)}"
        f" ({t('forecasts')}: {kinds.get('forecast', 0)})",
        f"- {t('flagged')}: {len(flagged)} / {len(target_ids)}",
        f"- {t('findings')}: "
        + ", ".join(f"{_SEVERITY_LABEL[lang_][s]} {severities.get(s, 0)}" for s in _SEVERITY_ORDER),
    ]
    if outcomes:
        lines.append(
            f"- {t('outcomes')}: "
            + ", ".join(
                f"{_OUTCOME_LABEL[lang_][o]} {outcomes[o]}" for o in _OUTCOMES if outcomes.get(o)
            )
        )
    if rep.findings:
        lines += ["", f"### {t('worst')}", ""]
        for i, f in enumerate(rep.findings[:5], start=1):
            lines.append(f"{i}. {_md_finding_head(f, lang_)} — {_md(f.message(lang_)[0])}")
    for region in rep.regions:
        lines += ["", f"## {_md(region)}", ""]
        frame = rep.reconciled[rep.reconciled["region"] == region]
        if not len(frame):
            lines.append(t("no_targets"))
            continue
        head = [
            t("indicator"),
            "Indicator" if lang_ == "zh" else "指标",
            t("target"),
            t("deadline"),
            t("baseline"),
            t("outcome"),
            t("findings"),
            t("target_quote"),
        ]
        lines.append("| " + " | ".join(head) + " |")
        lines.append("|" + "|".join(["---", "---", "--:", "--:", "--:", "---", "---", "---"]) + "|")
        rows = sorted(
            _rows(frame),
            key=lambda r: (-int(r["year"]), str(r["doc"]), _start(str(r["record_id"]))),
        )
        for r in rows:
            names = _names(str(r["indicator"]), str(r["indicator_text"]))
            first, second = (names.zh, names.en) if lang_ == "zh" else (names.en, names.zh)
            unit = str(r["target_unit"])
            target = _target_text(
                str(r["comparator"]),
                _float(r["target_value"]),
                _float(r["target_value_high"]),
                unit,
            )
            hedge = " ".join(q for q in rep.qualifiers.get(r["record_id"], "").split("|") if q)
            if hedge:
                target += f" ({hedge})"
            b_value = _float(r["baseline_value"])
            baseline = (
                f"{_qty(b_value, _baseline_unit(r))} "
                f"({_period(r['baseline_year'], str(r['baseline_months']), lang_)})"
                if b_value is not None
                else "—"
            )
            outcome = _OUTCOME_LABEL[lang_].get(str(r["outcome"]), str(r["outcome"]))
            if r["progress"]:
                outcome += " / " + _PROGRESS_LABEL[lang_].get(
                    str(r["progress"]), str(r["progress"])
                )
            flags = ", ".join(
                f"{_SEVERITY_LABEL[lang_].get(f.severity, f.severity)} `{f.code}`"
                for f in rep.findings_for(str(r["record_id"]), str(r["indicator"]))
            )
            cells = [
                _md(first or r["indicator_text"]),
                _md(second or t("not_in_catalogue")),
                _md(target),
                str(int(r["year"])),
                _md(baseline),
                _md(outcome),
                flags,
                _md(f"{r['quote']} ({r['doc']})"),
            ]
            lines.append("| " + " | ".join(cells) + " |")
    lines += ["", f"## {t('findings')}", ""]
    if not rep.findings:
        lines.append(t("no_findings"))
    for severity in _SEVERITY_ORDER:
        group = [f for f in rep.findings if f.severity == severity]
        if not group:
            continue
        lines += [f"### {_SEVERITY_LABEL[lang_][severity]} ({len(group)})", ""]
        for f in group:
            primary, secondary = f.message(lang_)
            row = f.row
            lines.append(f"- {_md_finding_head(f, lang_)}")
            lines.append(f"  - {_md(primary)}")
            if secondary:
                lines.append(f"  - {_md(secondary)}")
            kind = rep.subject(f)
            label = t(f"{kind}_quote") if kind in ("target", "actual") else t("quote")
            lines.append(f"  - {label}: “{_md(row['quote'])}” ({_md(row['doc'])})")
            if row["reference_quote"]:
                lines.append(
                    f"  - {t('reference_quote')}: “{_md(row['reference_quote'])}” "
                    f"({_md(row['reference_doc'])})"
                )
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def _md_finding_head(f: _Finding, lang: Lang) -> str:
    row = f.row
    names = _names(str(row["indicator"]), str(row["indicator_text"]))
    name = names.zh if lang == "zh" else names.en or names.zh
    label = _SEVERITY_LABEL[lang].get(f.severity, f.severity)
    return f"**{label}** `{f.code}` {_md(row['region'])} · {_md(name)} · {row['year']}"


# --------------------------------------------------------------------------- Excel

_HEADER_UNITS: Final = {
    "value": "unit",
    "value_high": "unit",
    "base_value": "base_unit",
    "base_value_high": "base_unit",
    "target_value": "target_unit",
    "target_value_high": "target_unit",
    "baseline_value": "target_unit",
    "actual_value": "target_unit",
    "gap": "target_unit",
    "required_change": "target_unit",
    "projected_value": "target_unit",
    "reference_value": "reference_unit",
}
_FIXED_UNITS: Final = {
    "growth_pct": "%",
    "growth_pp": "pp",
    "required_change_pct": "%",
    "required_cagr_pct": "%/yr",
    "historical_cagr_pct": "%/yr",
    "attainment": "ratio",
}
_FILLS: Final = {
    "met": ("E2F4E9", "1E7A46"),
    "missed": ("FDECEB", "B42318"),
    "near": ("FDF3DC", "8A5A00"),
    "pending": ("EEF0F3", "5F6B7A"),
    "not_comparable": ("EFECF6", "6A5A8C"),
    "error": ("FDECEB", "B42318"),
    "warning": ("FDF3DC", "A15C07"),
    "info": ("E8EFF6", "3E5F80"),
}


def _header(column: str) -> str:
    if column in _HEADER_UNITS:
        return f"{column} [in {_HEADER_UNITS[column]}]"
    if column in _FIXED_UNITS:
        return f"{column} [{_FIXED_UNITS[column]}]"
    return column


def _cell(value: Any) -> Any:
    if _is_missing(value):
        return None
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    if hasattr(value, "item"):
        return value.item()
    return value


def _sheet(
    book: Any,
    title: str,
    frame: pd.DataFrame,
    *,
    rules: Iterable[tuple[str, Iterable[str]]] = (),
) -> None:
    from openpyxl.formatting.rule import CellIsRule
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter

    sheet = book.create_sheet(title)
    columns = [str(c) for c in frame.columns]
    sheet.append([_header(c) for c in columns])
    for row in frame.itertuples(index=False, name=None):
        sheet.append([_cell(v) for v in row])
    bold = Font(bold=True, color="1F2933")
    fill = PatternFill("solid", start_color="EEF1F5", end_color="EEF1F5")
    line = Border(bottom=Side(style="thin", color="9AA5B1"))
    for cell in sheet[1]:
        cell.font = bold
        cell.fill = fill
        cell.border = line
        cell.alignment = Alignment(vertical="center", wrap_text=True)
    sheet.row_dimensions[1].height = 32  # room for a unit on a second header line
    last = get_column_letter(max(len(columns), 1))
    n = len(frame) + 1
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{last}{n}"
    for i, column in enumerate(columns, start=1):
        letter = get_column_letter(i)
        values = ["" if _is_missing(v) else str(v) for v in frame[column].head(500)]
        # the header wraps at spaces; +3 leaves room for the filter button
        header_width = max(_display_width(w) for w in _header(column).split(" ")) + 3
        width = max([header_width] + [_display_width(v) + 2 for v in values])
        sheet.column_dimensions[letter].width = min(max(width, 8), 60)
        if pd.api.types.is_datetime64_any_dtype(frame[column]):
            for (cell,) in sheet.iter_rows(min_row=2, min_col=i, max_col=i):
                cell.number_format = "yyyy-mm-dd"
            sheet.column_dimensions[letter].width = 12
    for column, values_ in rules:
        if column not in columns:
            continue
        letter = get_column_letter(columns.index(column) + 1)
        target = f"{letter}2:{letter}{max(n, 2)}"
        for value in values_:
            bg, fg = _FILLS[value]
            sheet.conditional_formatting.add(
                target,
                CellIsRule(  # type: ignore[no-untyped-call]
                    operator="equal",
                    formula=[f'"{value}"'],
                    fill=PatternFill("solid", start_color=bg, end_color=bg),
                    font=Font(color=fg, bold=value in ("missed", "error")),
                ),
            )


def write_excel(
    records: pd.DataFrame,
    reconciled: pd.DataFrame,
    findings: pd.DataFrame,
    path: str | Path,
) -> Path:
    """Write ``targets.xlsx``: sheets ``targets``, ``actuals``, ``track_record``, ``reconciled``,
    ``findings``.

    Columns are the frames' own; a header names the unit column of its values
    (``value [in unit]``) or the unit itself (``growth_pct [%]``). Header rows are frozen and
    filtered, widths follow the content, and ``outcome`` / ``severity`` are coloured by
    conditional formatting.

    Returns:
        The path written.

    Raises:
        SchemaError: a frame does not match its schema.
        DependencyError: openpyxl is not installed (``pip install 'targets[excel]'``).
    """
    try:
        from openpyxl import Workbook
    except ImportError as exc:  # pragma: no cover - the excel extra is installed in dev
        raise DependencyError("writing Excel needs openpyxl: pip install 'targets[excel]'") from exc
    recs = _conform(records, RecordFrame, "records frame", _EXTRA_RECORD_COLUMNS)
    rec = _conform(reconciled, ReconciledFrame, "reconciled frame")
    fnd = _conform(findings, FindingFrame, "findings frame")
    fnd = fnd.assign(_rank=fnd["severity"].astype(str).map(_SEVERITY_RANK)).sort_values(
        ["_rank", "region", "doc"], kind="stable"
    )
    book = Workbook()
    if book.active is not None:
        book.remove(book.active)
    _sheet(book, "targets", recs[recs["kind"] == "target"])
    _sheet(book, "actuals", recs[recs["kind"] != "target"])
    _sheet(book, "track_record", track_record(rec), rules=[("outcome", _OUTCOMES)])
    _sheet(book, "reconciled", rec, rules=[("outcome", _OUTCOMES)])
    _sheet(book, "findings", fnd.drop(columns="_rank"), rules=[("severity", _SEVERITY_ORDER)])
    target = Path(path)
    atomic_write(target, book.save)
    return target


# --------------------------------------------------------------------------- entry point


def write_report(
    records: pd.DataFrame,
    reconciled: pd.DataFrame,
    findings: pd.DataFrame,
    out_dir: str | Path,
    *,
    lang: str = "zh",
    series: pd.DataFrame | None = None,
) -> dict[str, Path]:
    """Write ``report.html``, ``report.md`` and ``targets.xlsx`` into ``out_dir``, all three
    or none (:func:`targets.io.write_files`).

    Args:
        records: extracted records (:class:`~targets.schemas.RecordFrame`; an extra boolean
            ``derived`` column is allowed).
        reconciled: one row per target (:class:`~targets.schemas.ReconciledFrame`).
        findings: one row per finding (:class:`~targets.schemas.FindingFrame`).
        out_dir: the folder to write into (created if missing).
        lang: ``"zh"`` (default) or ``"en"``: the language of labels and of the first message.
        series: optional actual points per series (``targets.reconcile.series(records)``),
            with ``derived`` points implied by stated growth; charts then draw these (derived
            ones hollow) instead of the records' own actuals.

    Returns:
        ``{"html": ..., "md": ..., "xlsx": ...}``, the paths written.

    Raises:
        SchemaError: a frame does not match its schema.
        ValueError: ``lang`` is not ``"zh"`` or ``"en"``.
    """
    files = report_files(records, reconciled, findings, out_dir, lang=lang, series=series)
    write_files(dict(files.values()))
    return {name: path for name, (path, _) in files.items()}


def report_files(
    records: pd.DataFrame,
    reconciled: pd.DataFrame,
    findings: pd.DataFrame,
    out_dir: str | Path,
    *,
    lang: str = "zh",
    series: pd.DataFrame | None = None,
) -> dict[str, tuple[Path, Callable[[Path], object]]]:
    """The report's files, rendered but not written: for ``html``, ``md`` and ``xlsx`` the
    path in ``out_dir`` and a function that writes the file at the path it is given (so that
    a caller writes them, with files of its own, as one set: :func:`targets.io.write_files`).
    Arguments as :func:`write_report`."""
    folder = Path(out_dir)
    rep = _prepare(records, reconciled, findings, lang, series)
    page = _html(rep)
    markdown = _markdown(rep)

    def text(content: str) -> Callable[[Path], object]:
        return lambda path: path.write_text(content, encoding="utf-8")

    def workbook(path: Path) -> object:
        return write_excel(records, reconciled, findings, path)

    return {
        "html": (folder / "report.html", text(page)),
        "md": (folder / "report.md", text(markdown)),
        "xlsx": (folder / "targets.xlsx", workbook),
    }
