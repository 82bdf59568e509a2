"""The report's model: the three frames checked once and arranged for the renderers (HTML,
Markdown, Excel), the labels in both languages, and the number formats every surface shares.

Nothing is computed here that the frames do not say: the model only arranges, converts units
for display (one factor per unit) and formats.
"""

from __future__ import annotations

import html
import math
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any, Final, Literal, cast

import numpy as np
import pandas as pd
import yaml

from targets.catalogue import catalogue
from targets.errors import CatalogueError, SchemaError, UnitError
from targets.formatting import format_number
from targets.reconcile import track_record
from targets.regions import NATIONAL, find_division
from targets.schemas import FindingFrame, ReconciledFrame, RecordFrame, concat, validate
from targets.units import unit_info

Lang = Literal["zh", "en"]

FONT_FAMILY: Final = (
    '"Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", "PingFang SC", '
    '"Hiragino Sans GB", "WenQuanYi Micro Hei", sans-serif'
)
"""Font families for chart text: common CJK fonts first, so Chinese renders without a shipped
font on Linux (Noto/Source Han, WenQuanYi), Windows (YaHei) and macOS (PingFang)."""

UI_FONT: Final = 'system-ui, -apple-system, "Segoe UI", "Helvetica Neue", Arial, ' + FONT_FAMILY

SEVERITY_ORDER: Final = ("error", "warning", "info")
SEVERITY_RANK: Final = {s: i for i, s in enumerate(SEVERITY_ORDER)}
OUTCOMES: Final = ("met", "near", "missed", "pending", "not_comparable")
EXTRA_RECORD_COLUMNS: Final = ("derived",)
BASELINE_CODES: Final = frozenset(
    {"target_below_baseline", "target_equals_baseline", "target_already_met"}
)
"""Finding codes that already say how a target stands to its baseline (a progress badge
beside them would repeat or contradict them)."""

LARGE_TARGETS: Final = 3000
"""Above this many targets the page and report.md summarise each region (a page of every
target of a national corpus would not open); every row stays in targets.xlsx."""
ROWS_PER_REGION: Final = 50
FINDINGS_PER_REGION: Final = 20

_COMPARATOR_SYMBOL: Final = {">=": "≥", ">": ">", "=": "=", "<=": "≤", "<": "<", "~": "≈"}
_MINUS: Final = "\u2212"


LABEL_GROUPS: Final = (
    "text",
    "severity",
    "outcome",
    "progress",
    "measure",
    "kind",
    "sheet",
    "column",
    "comparator",
    "direction",
    "finding",
    "legend",
)


@cache
def _label_table() -> dict[str, dict[str, dict[str, str]]]:
    text = resources.files("targets.report").joinpath("labels.yaml").read_text("utf-8")
    return parse_labels(text, source="targets/report/labels.yaml")


def parse_labels(text: str, *, source: str) -> dict[str, dict[str, dict[str, str]]]:
    """A labels table (``labels.yaml``): group -> language -> key -> label.

    Raises:
        CatalogueError: a group missing or unknown, or a key without both ``zh`` and ``en``
            text; the message names ``source`` and the key.
    """
    try:
        raw = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise CatalogueError(f"not YAML: {exc}", source=source) from None
    if not isinstance(raw, dict) or sorted(raw) != sorted(LABEL_GROUPS):
        raise CatalogueError(f"groups must be {', '.join(LABEL_GROUPS)}", source=source)
    table: dict[str, dict[str, dict[str, str]]] = {}
    for group, entries in raw.items():
        by_lang: dict[str, dict[str, str]] = {"zh": {}, "en": {}}
        for key, texts in (entries or {}).items():
            if not isinstance(texts, dict) or sorted(texts) != ["en", "zh"]:
                raise CatalogueError(f"{group}.{key}: needs exactly zh and en", source=source)
            for lang, label in texts.items():
                if not isinstance(label, str) or not label:
                    raise CatalogueError(f"{group}.{key}.{lang}: empty or not text", source=source)
                by_lang[lang][str(key)] = label
        table[group] = by_lang
    return table


def code_label(code: str, lang: Lang) -> str:
    """A finding code in the page's language (``目标低于基线``); the code itself if unknown."""
    return labels("finding", lang).get(code, code)


def in_language(text: str, lang: Lang) -> str:
    """The part of a bilingual ``english / 中文`` text (a reconciled ``reason``) in ``lang``;
    a text in one language as it is."""
    if " / " not in text:
        return text
    en, zh = text.split(" / ", 1)
    return zh if lang == "zh" else en


def labels(group: str, lang: str) -> dict[str, str]:
    """The labels of ``group`` (``text``, ``severity``, ``outcome``, ...) in ``lang``."""
    return _label_table()[group][lang]


# --------------------------------------------------------------------------- inputs


def conform(
    frame: pd.DataFrame,
    model: Any,
    what: str,
    extras: Sequence[str] = (),
    *,
    check: bool = True,
) -> pd.DataFrame:
    """Validate the schema's columns of ``frame`` (unless ``check`` is false: a frame just
    validated) and keep the tolerated ``extras``."""
    kept = [c for c in frame.columns if c not in extras]
    plain = frame[kept].reset_index(drop=True)
    checked = validate(plain, model, what=what) if check else plain.copy()
    for extra in extras:
        if extra in frame.columns:
            checked[extra] = frame[extra].to_numpy()
    return checked


def frame_rows(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """The rows of ``frame`` as dicts keyed by column name."""
    return cast("list[dict[str, Any]]", frame.to_dict(orient="records"))


def check_lang(lang: str) -> Lang:
    if lang not in ("zh", "en"):
        raise ValueError(f"lang must be 'zh' or 'en', not {lang!r}")
    return "zh" if lang == "zh" else "en"


@dataclass(frozen=True, slots=True)
class Names:
    zh: str
    en: str
    in_catalogue: bool


def names_of(code: str, text: str) -> Names:
    ind = catalogue().get(code) if code else None
    if ind is None:
        return Names(text or code, "", False)
    return Names(ind.name_zh, ind.name_en, True)


def is_missing(value: Any) -> bool:
    if value is None:
        return True
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def as_float(value: Any) -> float | None:
    if is_missing(value):
        return None
    out = float(value)
    return out if math.isfinite(out) else None


def start_of(record_id: str) -> int:
    tail = record_id.rsplit(":", 1)[-1]
    return int(tail) if tail.isdigit() else 0


# --------------------------------------------------------------------------- formatting


def fmt_num(value: float | None) -> str:
    """A number as a reader writes it: ``16.06``, ``750``, ``8,500``, ``−37.7`` (the rule of
    the finding messages, :func:`targets.formatting.format_number`, with thousands separators
    and a minus sign)."""
    return format_number(value, grouping=True, typographic=True)


def fmt_signed(value: float | None) -> str:
    if value is None:
        return "—"
    text = fmt_num(value)
    return text if text.startswith(_MINUS) or text == "0" else "+" + text


def fmt_pct(value: float | None) -> str:
    """A signed percentage, rounded for reading: ``+21.6%``, ``−37.7%``, ``+0.26%``."""
    if value is None:
        return "—"
    digits = 2 if 0 < abs(value) < 1 else 1
    return f"{fmt_signed(round(value, digits))}%"


def fmt_change(value: float, unit: str, lang: Lang) -> str:
    """A signed change in ``unit``; a change of a percentage is in percentage points."""
    if unit == "%":
        return f"{fmt_signed(round(value, 2))}{labels('text', lang)['points']}"
    return f"{fmt_signed(value)}{unit}"


def fmt_qty(value: float | None, unit: str) -> str:
    if value is None:
        return "—"
    return f"{fmt_num(value)}{unit}"


def target_text(comparator: str, value: float | None, high: float | None, unit: str) -> str:
    if comparator == "range" and high is not None:
        return f"{fmt_num(value)}–{fmt_num(high)}{unit}"
    symbol = _COMPARATOR_SYMBOL.get(comparator, comparator)
    return f"{symbol} {fmt_qty(value, unit)}"


def row_target_text(row: Mapping[str, Any]) -> str:
    """The target of a reconciled or track-record row as written: ``≥ 10亿元``, ``6.5–7%``."""
    return target_text(
        str(row["comparator"]),
        as_float(row["target_value"]),
        as_float(row["target_value_high"]),
        str(row["target_unit"]),
    )


def fmt_period(year: Any, months: str, lang: Lang) -> str:
    y = as_float(year)
    if y is None:
        return "—"
    if not months:
        return str(int(y))
    form = labels("text", lang)["year_months"]
    return form.replace("{year}", str(int(y))).replace("{months}", months)


def source_line(quote: str, doc: str) -> str:
    """Tooltip text: the quote and its document."""
    return f"“{quote}” — {doc}" if doc else f"“{quote}”"


def esc(text: Any) -> str:
    return html.escape(str(text), quote=True)


def display_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


# --------------------------------------------------------------------------- the model


@dataclass(frozen=True, slots=True)
class Finding:
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
        target = as_float(self.row["target_value"])
        ref = as_float(self.row["reference_value"])
        if target is None or ref is None or ref == 0:
            return 0.0
        return abs(target - ref) / abs(ref)


@dataclass(slots=True)
class Point:
    x: float
    value: float
    kind: str
    derived: bool
    label: str
    sources: list[str] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Mark:
    year: int
    value: float
    high: float | None
    comparator: str
    label: str
    source: str
    baseline: tuple[float, float] | None


@dataclass(frozen=True, slots=True)
class Chart:
    region: str
    indicator: str
    measure: str
    names: Names
    unit: str
    points: tuple[Point, ...]
    marks: tuple[Mark, ...]
    written: str = ""
    """The name as written when one indicator code holds several series (else empty)."""


@dataclass(frozen=True, slots=True)
class Report:
    records: pd.DataFrame
    reconciled: pd.DataFrame
    findings: tuple[Finding, ...]
    regions: tuple[str, ...]
    lang: Lang
    series: pd.DataFrame | None = None
    by_record: dict[tuple[str, str], list[Finding]] = field(default_factory=dict)
    kinds: dict[str, str] = field(default_factory=dict)
    qualifiers: dict[str, str] = field(default_factory=dict)
    comparators: dict[str, str] = field(default_factory=dict)
    finding_frame: pd.DataFrame = field(default_factory=pd.DataFrame)
    """The findings frame the cards were made from (checked), for the workbook."""
    _track: list[pd.DataFrame] = field(default_factory=list)

    def __post_init__(self) -> None:
        for f in self.findings:
            key = (str(f.row["record_id"]), str(f.row["indicator"]))
            self.by_record.setdefault(key, []).append(f)
        self.kinds.update(zip(self.records["record_id"], self.records["kind"], strict=True))
        self.kinds.update((rid, "target") for rid in self.reconciled["record_id"])
        self.qualifiers.update(
            zip(self.records["record_id"], self.records["qualifiers"], strict=True)
        )
        self.comparators.update(
            zip(self.reconciled["record_id"], self.reconciled["comparator"], strict=True)
        )

    def track_all(self) -> pd.DataFrame:
        """The track record (:func:`targets.reconcile.track_record`), built once."""
        if not self._track:
            self._track.append(track_record(self.reconciled))
        return self._track[0]

    def track(self, region: str) -> pd.DataFrame:
        """The track record of one region."""
        whole = self.track_all()
        return whole[whole["region"] == region]

    def t(self, key: str) -> str:
        return labels("text", self.lang)[key]

    def findings_for(self, record_id: str, indicator: str) -> list[Finding]:
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

    def subject(self, f: Finding) -> str:
        """What a finding's own value is: ``target`` or the kind of the record it is about."""
        return self.kinds.get(str(f.row["record_id"]), "")

    def region_name(self, region: str) -> str:
        """``region`` as shown: a report whose place could not be read is 未识别地区."""
        return region or self.t("region_unknown")

    def more_in_workbook(self, count: int, sheet: str) -> str:
        """``另有 12 项未在此列出，全部见 targets.xlsx 的“目标”表。`` in the report's language."""
        where = labels("sheet", self.lang)[sheet]
        return self.t("more_in_workbook").replace("{n}", str(count)).replace("{sheet}", where)

    @property
    def large(self) -> bool:
        """A corpus too large to list every target on one page (:data:`LARGE_TARGETS`)."""
        return len(self.reconciled) > LARGE_TARGETS

    def targets_shown(self, frame: pd.DataFrame) -> tuple[pd.DataFrame, int]:
        """The rows of ``frame`` (one region's reconciled targets) a page lists, and how many
        it leaves to the workbook: all of them, or on a large corpus the judged (met, near,
        missed) and the flagged (an error or warning), missed and errors first, at most
        :data:`ROWS_PER_REGION`."""
        if not self.large:
            return frame, 0
        judged = frame["outcome"].isin(("met", "near", "missed")).to_numpy()
        serious = [
            any(f.severity != "info" for f in self.findings_for(str(rid), str(ind)))
            for rid, ind in zip(frame["record_id"], frame["indicator"], strict=True)
        ]
        keep = frame[judged | np.asarray(serious, dtype=bool)]
        rank = keep["outcome"].map({"missed": 0, "near": 1, "met": 2}).fillna(3)
        chosen = keep.assign(_rank=rank.to_numpy()).sort_values("_rank", kind="stable")
        chosen = chosen.drop(columns="_rank").head(ROWS_PER_REGION)
        return chosen, len(frame) - len(chosen)

    def findings_shown(self, found: Sequence[Finding]) -> tuple[list[Finding], int]:
        """The findings a page shows as cards, and how many it leaves to the workbook: all of
        them, or on a large corpus the errors and warnings, at most
        :data:`FINDINGS_PER_REGION` (``found`` is most serious first)."""
        if not self.large:
            return list(found), 0
        chosen = [f for f in found if f.severity != "info"][:FINDINGS_PER_REGION]
        return chosen, len(found) - len(chosen)


def _region_of_doc(*frames: pd.DataFrame) -> dict[str, str]:
    """Each document's region as reconciliation named it (it normalises region spellings)."""
    out: dict[str, str] = {}
    for frame in frames:
        for doc, region in zip(frame["doc"], frame["region"], strict=True):
            if doc and region:
                out.setdefault(str(doc), str(region))
    return out


def conformed(
    records: pd.DataFrame,
    reconciled: pd.DataFrame,
    findings: pd.DataFrame,
    *,
    validate: bool = True,
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """The three frames checked against their schemas (unless ``validate=False``), with a
    boolean ``derived`` column on the records and each record's region as reconciliation
    named it (it normalises region spellings)."""
    recs = conform(records, RecordFrame, "records frame", EXTRA_RECORD_COLUMNS, check=validate)
    if "derived" not in recs.columns:
        recs["derived"] = False
    recs["derived"] = recs["derived"].fillna(False).astype(bool)
    rec = conform(reconciled, ReconciledFrame, "reconciled frame", check=validate)
    fnd = conform(findings, FindingFrame, "findings frame", check=validate)
    regions = _region_of_doc(rec, fnd)
    recs["region"] = [regions.get(d, r) for d, r in zip(recs["doc"], recs["region"], strict=True)]
    return recs, rec, fnd


def prepare(
    records: pd.DataFrame,
    reconciled: pd.DataFrame,
    findings: pd.DataFrame,
    lang: str,
    series: pd.DataFrame | None = None,
    *,
    validate: bool = True,
) -> Report:
    """The report's model; ``validate=False`` skips checking frames just validated."""
    language = check_lang(lang)
    recs, rec, fnd = conformed(records, reconciled, findings, validate=validate)
    regions = _region_of_doc(rec, fnd)
    order = sorted(
        frame_rows(fnd),
        key=lambda r: (
            SEVERITY_RANK.get(str(r["severity"]), 9),
            -Finding(0, r).deviation(),
            str(r["region"]),
            str(r["doc"]),
            start_of(str(r["record_id"])),
            str(r["code"]),
        ),
    )
    found = tuple(Finding(i, row) for i, row in enumerate(order, start=1))
    seen: dict[str, None] = {}
    for frame in (recs.sort_values(["doc", "start"]), rec.sort_values("doc")):
        for region in frame["region"]:
            seen.setdefault(str(region), None)
    for f in found:
        seen.setdefault(str(f.row["region"]), None)
    points = None if series is None else _series_points(series, regions)
    ordered = tuple(sorted(seen, key=region_order))
    return Report(recs, rec, found, ordered, language, points, finding_frame=fnd)


def region_order(name: str) -> tuple[int, str, str]:
    """Administrative order: 全国 first, then by division code (a province, then the places
    under it), then the regions the gazetteer does not know, by name."""
    division = find_division(name) if name else None
    if division is None:
        return (1, "", name)
    return (0, "" if division.code == NATIONAL else division.code, name)


def unit_factor(unit: str) -> tuple[float, str] | None:
    """Factor to the base unit and the base unit, or ``None`` for an unknown unit."""
    if not unit:
        return 1.0, ""
    try:
        info = unit_info(unit)
    except UnitError:
        return None
    return float(info.factor), info.base


def convert(value: float, unit: str, to: str) -> float | None:
    """``value`` in ``unit`` expressed in ``to`` (``None`` when the units do not convert)."""
    if unit == to:
        return value
    src, dst = unit_factor(unit), unit_factor(to)
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


def point_frame(rep: Report) -> pd.DataFrame:
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


def baseline_unit(row: Mapping[str, Any]) -> str:
    """The unit ``baseline_value``, ``actual_value`` and ``gap`` are stated in (the target's)."""
    return str(row["target_unit"])
