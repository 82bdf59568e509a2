"""The report as one self-contained HTML page, and HTML fragments for notebooks.

The page opens offline: inline CSS (``report.css``), charts as inline SVG, no network loads.
Every number carries its source quote and document, as a tooltip and in an expandable
``<details>``.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from functools import cache
from importlib import resources
from typing import Final

import pandas as pd

from targets.report.charts import charts_of, legend_html, trajectory_svg
from targets.report.model import (
    BASELINE_CODES,
    FONT_FAMILY,
    OUTCOMES,
    SEVERITY_ORDER,
    UI_FONT,
    Chart,
    Finding,
    Lang,
    Names,
    Report,
    as_float,
    baseline_unit,
    code_label,
    esc,
    fmt_change,
    fmt_num,
    fmt_pct,
    fmt_period,
    fmt_qty,
    fmt_signed,
    frame_rows,
    in_language,
    labels,
    names_of,
    prepare,
    row_target_text,
    source_line,
    start_of,
    target_text,
)
from targets.schemas import FindingFrame, ReconciledFrame, RecordFrame


@cache
def css() -> str:
    """``report.css`` with the font lists filled in, on one line."""
    text = resources.files("targets.report").joinpath("report.css").read_text("utf-8")
    text = re.sub(r"/\*.*?\*/", "", text, flags=re.S).strip()
    return text.replace("UIFONT", UI_FONT).replace("CJKFONT", FONT_FAMILY).replace("\n", "")


# --------------------------------------------------------------------------- quotes


class Quotes:
    """Where a page keeps its quotes. ``inline`` (notebook fragments): each number carries
    its quote as a ``title`` and evidence is written out. Otherwise each distinct quote is
    stored once in a JSON list at the end of the page and referenced by ``data-q`` (the
    page's small script shows it on hover and on opening): a quote cited ten times is
    written once."""

    def __init__(self, *, inline: bool) -> None:
        self.inline = inline
        self._ids: dict[str, int] = {}
        self._labels: dict[str, int] = {}

    def _id(self, text: str) -> int:
        return self._ids.setdefault(text, len(self._ids))

    def attr(self, source: str) -> str:
        """The attribute that gives an element its source quote (empty without one)."""
        if not source:
            return ""
        if self.inline:
            return f' title="{esc(source)}"'
        return f' data-q="{self._id(source)}"'

    def evidence(self, label: str, items: Sequence[tuple[str, str, str]]) -> str:
        """An expandable element with the quotes of ``items`` (label, quote, doc)."""
        shown = [(lab, q, d) for lab, q, d in items if q]
        if not shown:
            return ""
        if self.inline:
            body = "".join(_quote_block(lab, q, d) for lab, q, d in shown)
            return (
                f'<details><summary>{esc(label)}</summary><div class="evidence">{body}</div>'
                "</details>"
            )
        ids = " ".join(
            f"{self._labels.setdefault(lab, len(self._labels))}:{self._id(source_line(q, d))}"
            for lab, q, d in shown
        )
        return f'<details data-ev="{ids}"><summary>{esc(label)}</summary></details>'

    def block(self, label: str, quote: str, doc: str) -> str:
        """A quote written out (filled in from the store as the page loads, so it prints)."""
        if self.inline or not quote:
            return _quote_block(label, quote, doc)
        return (
            f'<blockquote><div class="cite">{esc(label)}{" · " + esc(doc) if doc else ""}'
            f'</div><q data-fill="{self._id(quote)}"></q></blockquote>'
        )

    def store(self) -> str:
        if self.inline or not self._ids:
            return ""
        store = {"q": list(self._ids), "l": list(self._labels)}
        data = json.dumps(store, ensure_ascii=False).replace("</", "<\\/")
        return f'<script type="application/json" id="quotes">{data}</script>'


# --------------------------------------------------------------------------- HTML pieces


def _badge(kind: str, text: str, *, title: str = "", href: str = "") -> str:
    attr = f' title="{esc(title)}"' if title else ""
    if href:
        return f'<a class="badge {kind}" href="#{esc(href)}"{attr}>{esc(text)}</a>'
    return f'<span class="badge {kind}"{attr}>{esc(text)}</span>'


def _severity_badge(f: Finding, lang: Lang, *, link: bool = True) -> str:
    label = labels("severity", lang).get(f.severity, f.severity)
    return _badge(
        f"sev-{f.severity}",
        f"{label} · {code_label(f.code, lang)}",
        title=f"{f.message(lang)[0]} [{f.code}]",
        href=f"finding-{f.index}" if link else "",
    )


def _traced(text: str, source: str, quotes: Quotes) -> str:
    """A number with its source on hover."""
    if not source:
        return f'<span class="num">{esc(text)}</span>'
    if quotes.inline:
        return f'<span class="num traced"{quotes.attr(source)}>{esc(text)}</span>'
    return f'<span class="t"{quotes.attr(source)}>{esc(text)}</span>'


def _quote_block(label: str, quote: str, doc: str) -> str:
    if not quote:
        return ""
    return (
        f'<blockquote><div class="cite">{esc(label)}'
        f"{' · ' + esc(doc) if doc else ''}</div><q>{esc(quote)}</q></blockquote>"
    )


def _indicator_cell(names: Names, text: str, measure: str, lang: Lang, quotes: Quotes) -> str:
    """The indicator's name in the page's language; the other language's name, the measure
    and the name as written on hover (or below it in a notebook fragment)."""
    t = labels("text", lang)
    first, second = (names.zh, names.en) if lang == "zh" else (names.en or names.zh, names.zh)
    if not names.in_catalogue:
        second = t["not_in_catalogue"]
    measure_label = labels("measure", lang).get(measure, measure)
    as_written = text and text not in (names.zh, names.en)
    if not quotes.inline:  # the page: the name only (the other language in the workbook)
        return f"<b>{esc(first)}</b>"
    written = ""
    if as_written:
        written = f'<div class="written">{esc(t["as_written"])}：{esc(text)}</div>'
    return (
        f'<div class="ind-zh">{esc(first)}</div><div class="ind-en">{esc(second)}'
        f' <span class="measure">{esc(measure_label)}</span></div>{written}'
    )


def _scorecard_rows(rep: Report, frame: pd.DataFrame, quotes: Quotes) -> list[str]:
    t = rep.t
    lang = rep.lang
    rows = sorted(
        frame_rows(frame),
        key=lambda r: (-int(r["year"]), str(r["doc"]), start_of(str(r["record_id"]))),
    )
    out: list[str] = []
    for r in rows:
        rid = str(r["record_id"])
        unit = str(r["target_unit"])
        names = names_of(str(r["indicator"]), str(r["indicator_text"]))
        target = row_target_text(r)
        hedges = "".join(
            f'<span class="hedge">{esc(q)}</span>'
            for q in rep.qualifiers.get(rid, "").split("|")
            if q
        )
        target_cell = _traced(target, source_line(str(r["quote"]), str(r["doc"])), quotes) + hedges
        b_unit = baseline_unit(r)
        b_value = as_float(r["baseline_value"])
        if b_value is None:
            baseline_cell = f'<span class="none">{t("none")}</span>'
        else:
            months = str(r["baseline_months"])
            year = fmt_period(r["baseline_year"], months, lang)
            baseline_cell = (
                _traced(
                    fmt_qty(b_value, b_unit),
                    source_line(str(r["baseline_quote"]), str(r["baseline_doc"])),
                    quotes,
                )
                + f'<div class="sub">{esc(year)}</div>'
            )
            if bool(r["partial_period"]):
                baseline_cell += f'<div class="sub warn">{esc(t("partial"))}</div>'
        a_value = as_float(r["actual_value"])
        actual_cell = ""
        if a_value is not None:
            actual_cell = _traced(fmt_qty(a_value, b_unit), f"“{r['actual_quote']}”", quotes)
            attain = as_float(r["attainment"])
            if attain is not None:
                actual_cell += (
                    f'<div class="sub">{esc(t("attainment"))} '
                    f"{esc(fmt_num(round(attain * 100, 1)))}%</div>"
                )
        outcome = str(r["outcome"])
        outcome_cell = (
            f'<span class="badge out-{outcome}"{quotes.attr(in_language(str(r["reason"]), lang))}>'
            f"{esc(labels('outcome', lang).get(outcome, outcome))}</span>"
        )
        found = rep.findings_for(rid, str(r["indicator"]))
        progress = str(r["progress"])
        progress_label = labels("progress", lang).get(progress, progress)
        if progress and any(f.code in BASELINE_CODES for f in found):
            # the finding already says how target and baseline stand: a progress badge
            # (a green 基线已达标 beside a red 目标低于基线) would repeat or contradict it
            hidden = f"{t('progress_hidden')} ({progress_label})"
            outcome_cell += f' <span class="sub" title="{esc(hidden)}">ⓘ</span>'
        elif progress and outcome == "pending":
            outcome_cell += " " + _badge(f"prog-{progress}", progress_label)
        details: list[str] = []
        change = as_float(r["required_change"])
        change_pct = as_float(r["required_change_pct"])
        if change is not None:
            pct = f" ({fmt_pct(change_pct)})" if change_pct is not None and unit != "%" else ""
            details.append(f"{t('required')} {fmt_change(change, unit, lang)}{pct}")
        cagr = as_float(r["required_cagr_pct"])
        if cagr is not None:
            details.append(f"{t('cagr')} {fmt_pct(cagr)}")
        hist = as_float(r["historical_cagr_pct"])
        if hist is not None:
            details.append(f"{t('trend')} {fmt_pct(hist)}")
        outcome_cell += "".join(f'<div class="sub">{esc(d)}</div>' for d in details)
        if actual_cell:
            outcome_cell = f'<div class="actual">{actual_cell}</div>' + outcome_cell
        badges = " ".join(_severity_badge(f, lang) for f in found)
        evidence = quotes.evidence(
            t("quote"),
            [
                (t("target_quote"), str(r["quote"]), str(r["doc"])),
                (t("baseline_quote"), str(r["baseline_quote"]), str(r["baseline_doc"])),
                (t("actual_quote"), str(r["actual_quote"]), ""),
            ],
        )
        flagged = f" flagged flag-{found[0].severity}" if found else ""
        indicator = _indicator_cell(
            names, str(r["indicator_text"]), str(r["measure"]), lang, quotes
        )
        out.append(
            f'<tr class="row{flagged}">'
            f"<td>{indicator}</td>"
            f"<td>{target_cell}</td><td>{esc(int(r['year']))}</td>"
            f"<td>{baseline_cell}</td>"
            f"<td>{outcome_cell}</td>"
            f"<td>{badges}</td><td>{evidence}</td></tr>"
        )
    return out


def _head(rep: Report, *columns: str) -> str:
    """Header cells for label keys; a key ending in ``:n`` is a right-aligned number column."""
    cells = []
    for column in columns:
        key, _, kind = column.partition(":")
        cls = ' class="n"' if kind == "n" else ""
        cells.append(f"<th{cls}>{esc(rep.t(key))}</th>")
    return "".join(cells)


def scorecard_table(rep: Report, frame: pd.DataFrame, quotes: Quotes) -> str:
    head = _head(
        rep, "indicator", "target:n", "deadline:n", "baseline:n", "outcome", "findings", "source"
    )
    body = "".join(_scorecard_rows(rep, frame, quotes))
    return f'<table class="scorecard"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


def _finding_card(f: Finding, rep: Report, quotes: Quotes) -> str:
    t = rep.t
    lang = rep.lang
    row = f.row
    names = names_of(str(row["indicator"]), str(row["indicator_text"]))
    name = names.zh if lang == "zh" else (names.en or names.zh)
    other = names.en if lang == "zh" else names.zh
    where = " · ".join(
        x
        for x in (
            rep.region_name(str(row["region"])),
            name + (f" ({other})" if other else ""),
            str(row["year"]),
        )
        if x
    )
    primary, secondary = f.message(lang)
    comparator = rep.comparators.get(str(row["record_id"]), "")
    kind = rep.subject(f)
    subject = labels("kind", lang).get(kind, t("value"))
    subject_quote = t(f"{kind}_quote") if kind in ("target", "actual") else t("quote")
    target_value = as_float(row["target_value"])
    values: list[str] = []
    if target_value is not None:
        text = (
            target_text(comparator, target_value, None, str(row["target_unit"]))
            if comparator and comparator != "range"
            else fmt_qty(target_value, str(row["target_unit"]))
        )
        values.append(
            f'<span class="k">{esc(subject)}</span> '
            + _traced(
                f"{text} ({row['year']})",
                source_line(str(row["quote"]), str(row["doc"])),
                quotes,
            )
        )
    ref_value = as_float(row["reference_value"])
    if ref_value is not None:
        ref_year = as_float(row["reference_year"])
        year = f" ({int(ref_year)})" if ref_year is not None else ""
        values.append(
            f'<span class="k">{esc(t("reference"))}</span> '
            + _traced(
                f"{fmt_qty(ref_value, str(row['reference_unit']))}{year}",
                source_line(str(row["reference_quote"]), str(row["reference_doc"])),
                quotes,
            )
        )
    compare = f'<div class="values">{" <span class=vs>vs</span> ".join(values)}</div>'
    blocks = quotes.block(subject_quote, str(row["quote"]), str(row["doc"])) + quotes.block(
        t("reference_quote"), str(row["reference_quote"]), str(row["reference_doc"])
    )
    second = f'<p class="msg2" lang="{"en" if lang == "zh" else "zh-CN"}">{esc(secondary)}</p>'
    return (
        f'<article class="finding sev-{esc(f.severity)}" id="finding-{f.index}">'
        f'<header>{_severity_badge(f, lang, link=False)}<span class="where">{esc(where)}</span>'
        f'</header><p class="msg">{esc(primary)}</p>{second if secondary else ""}{compare}'
        f'<div class="quotes">{blocks}</div></article>'
    )


def findings_section(rep: Report, quotes: Quotes, findings: Sequence[Finding] | None = None) -> str:
    """Finding cards by severity: ``findings`` (all of the report's by default)."""
    t = rep.t
    chosen = rep.findings if findings is None else tuple(findings)
    if not chosen:
        return f'<p class="empty">{esc(t("no_findings"))}</p>'
    parts: list[str] = []
    for severity in SEVERITY_ORDER:
        group = [f for f in chosen if f.severity == severity]
        if not group:
            continue
        label = labels("severity", rep.lang)[severity]
        parts.append(
            f'<h3 class="sev-head sev-{severity}">{esc(label)} <span class="count">'
            f"{len(group)}</span></h3>"
        )
        parts.extend(_finding_card(f, rep, quotes) for f in group)
    return "".join(parts)


def _reported_table(rep: Report, frame: pd.DataFrame, quotes: Quotes) -> str:
    """Every figure the region's reports state, each with its sentence on hover (stored
    once, not written out per row)."""
    t = rep.t
    lang = rep.lang
    rows = frame_rows(frame.sort_values(["year", "doc", "start"]))
    body: list[str] = []
    for r in rows:
        names = names_of(str(r["indicator"]), str(r["indicator_text"]))
        value = target_text(str(r["comparator"]), float(r["value"]), None, str(r["unit"]))
        if str(r["comparator"]) == "=":
            value = fmt_qty(float(r["value"]), str(r["unit"]))
        growth = as_float(r["growth_pct"])
        growth_pp = as_float(r["growth_pp"])
        growth_text = (
            f"{fmt_signed(growth)}%"
            if growth is not None
            else f"{fmt_signed(growth_pp)}pp"
            if growth_pp is not None
            else ""
        )
        kind = labels("kind", lang).get(str(r["kind"]), str(r["kind"]))
        if str(r["kind"]) == "actual" and not quotes.inline:
            kind = ""  # the usual case, left blank
        if bool(r["derived"]):
            kind += f" ({t('legend_derived')})"
        name = names.zh if lang == "zh" else names.en or names.zh
        part = ' class="part"' if r["part_of"] else ""
        written = str(r["indicator_text"])
        second = f" <small>{esc(written)}</small>" if written != name else ""
        source = source_line(str(r["quote"]), str(r["doc"]))
        body.append(
            f"<tr{part}><td>{esc(name)}{second}</td><td>{esc(kind)}</td>"
            f'<td class="t"{quotes.attr(source)}>{esc(value)}</td>'
            f"<td>{esc(fmt_period(r['year'], str(r['months']), lang))}</td>"
            f"<td>{esc(growth_text)}</td></tr>"
        )
    head = "".join(
        f"<th{cls}>{esc(label)}</th>"
        for label, cls in (
            (t("indicator"), ""),
            (t("kind"), ""),
            (t("value"), ' class="n"'),
            (t("year"), ' class="n"'),
            (t("growth"), ' class="n"'),
        )
    )
    return (
        f'<details class="reported"><summary>{esc(t("reported"))} ({len(rows)})</summary>'
        f'<table class="plain"><thead><tr>{head}</tr></thead><tbody>{"".join(body)}</tbody>'
        "</table></details>"
    )


def _outcome_bar(counts: Mapping[str, int], lang: Lang) -> str:
    """A bar of outcome segments, each as wide as its count (empty when nothing is judged)."""
    return "".join(
        f'<span class="seg out-{o}" style="flex:{counts[o]}" '
        f'title="{esc(labels("outcome", lang)[o])}: {counts[o]}"></span>'
        for o in OUTCOMES
        if counts.get(o)
    )


def _scoreboard(rep: Report, anchors: Mapping[str, str]) -> str:
    """What the page leads with: targets met, near, missed, pending and not comparable, in
    all and per region (each row links to its region)."""
    t = rep.t
    lang = rep.lang
    names = labels("outcome", lang)
    outcomes = rep.reconciled["outcome"].astype(str)
    total = Counter(outcomes)
    head = "".join(f'<th class="n">{esc(names[o])}</th>' for o in OUTCOMES)
    rows = []
    by_region = Counter(zip(rep.reconciled["region"].astype(str), outcomes, strict=True))
    for region in rep.regions:
        counts = {o: by_region.get((region, o), 0) for o in OUTCOMES}
        if not any(counts.values()):
            continue
        cells = "".join(f'<td class="n c-{o}">{counts[o] or ""}</td>' for o in OUTCOMES)
        rows.append(
            f'<tr data-region="{esc(region)}"><td><a href="#{anchors[region]}">'
            f"{esc(rep.region_name(region))}"
            f'</a></td>{cells}<td><div class="bar small">{_outcome_bar(counts, lang)}</div>'
            "</td></tr>"
        )
    all_cells = "".join(f'<td class="n c-{o}">{total.get(o, 0)}</td>' for o in OUTCOMES)
    tiles = "".join(
        f'<div class="big out-{o}"><div class="big-n">{total.get(o, 0)}</div>'
        f'<div class="big-l">{esc(names[o])}</div></div>'
        for o in OUTCOMES
    )
    table = (
        f'<table class="board"><thead><tr><th>{esc(t("regions"))}</th>{head}<th></th></tr>'
        f"</thead><tbody>{''.join(rows)}</tbody><tfoot><tr><th>{esc(t('all_regions'))}</th>"
        f"{all_cells}<td></td></tr></tfoot></table>"
        if rows
        else ""
    )
    return (
        f'<section class="scoreboard" id="scoreboard"><h2>{esc(t("scoreboard"))}</h2>'
        f'<p class="note">{esc(t("scoreboard_note"))}</p><div class="bigs">{tiles}</div>'
        f'<div class="bar wide">{_outcome_bar(total, lang)}</div>{table}</section>'
    )


def _summary(rep: Report) -> str:
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
        f'<div class="tile"><div class="tile-n">{esc(n)}<span class="tile-sub">{esc(sub)}</span>'
        f'</div><div class="tile-l">{esc(label)}</div></div>'
        for label, n, sub in tiles
    )
    sev_html = " ".join(
        _badge(f"sev-{s}", f"{labels('severity', lang)[s]} {severities.get(s, 0)}")
        for s in SEVERITY_ORDER
    )
    worst = rep.findings[:5]
    worst_html = f'<p class="empty">{esc(t("no_findings"))}</p>'
    if worst:
        items = []
        for f in worst:
            names = names_of(str(f.row["indicator"]), str(f.row["indicator_text"]))
            name = names.zh if lang == "zh" else names.en or names.zh
            items.append(
                f"<li>{_severity_badge(f, lang)} <strong>"
                f"{esc(rep.region_name(str(f.row['region'])))} · {esc(name)} · "
                f"{esc(f.row['year'])}</strong> — {esc(f.message(lang)[0])}</li>"
            )
        worst_html = f'<h3>{esc(t("worst"))}</h3><ol class="worst">{"".join(items)}</ol>'
    return (
        f'<section class="summary" id="summary"><h2>{esc(t("summary"))}</h2>'
        f'<div class="tiles">{tile_html}</div>'
        f'<div class="sevs"><span class="label">{esc(t("findings"))}</span> {sev_html}</div>'
        f"{worst_html}</section>"
    )


def _track_record_table(rep: Report, region: str, quotes: Quotes) -> str:
    """Indicator × year: target, actual and outcome, both sentences on demand (the targets of
    catalogue indicators that have been judged)."""
    t = rep.t
    record = rep.track(region)
    judged = record[record["outcome"].isin(("met", "near", "missed"))]
    if judged.empty:
        return ""
    rows = []
    for r in frame_rows(judged):
        names = names_of(str(r["indicator"]), str(r["indicator_text"]))
        name = names.zh if rep.lang == "zh" else (names.en or names.zh)
        unit = str(r["target_unit"])
        target = row_target_text(r)
        actual = fmt_qty(as_float(r["actual_value"]), unit)
        outcome = str(r["outcome"])
        target_source = source_line(str(r["target_quote"]), str(r["target_doc"]))
        actual_source = source_line(str(r["actual_quote"]), str(r["actual_doc"]))
        evidence = quotes.evidence(
            t("quote"),
            [
                (t("target_quote"), str(r["target_quote"]), str(r["target_doc"])),
                (t("actual_quote"), str(r["actual_quote"]), str(r["actual_doc"])),
            ],
        )
        rows.append(
            f"<tr><td>{esc(name)}</td><td>{int(r['year'])}</td>"
            f"<td>{_traced(target, target_source, quotes)}</td>"
            f"<td>{_traced(actual, actual_source, quotes)}</td>"
            f"<td>{_badge(f'out-{outcome}', labels('outcome', rep.lang)[outcome])}</td>"
            f"<td>{evidence}</td></tr>"
        )
    head = _head(rep, "indicator", "year:n", "target:n", "actual:n", "outcome", "source")
    return (
        f'<h3>{esc(t("track_record"))}</h3><p class="note">{esc(t("track_note"))}</p>'
        f'<table class="track"><thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody>'
        "</table>"
    )


def _region_counts(rep: Report, frame: pd.DataFrame) -> str:
    counts = Counter(frame["outcome"].astype(str))
    return " ".join(
        _badge(f"out-{o}", f"{labels('outcome', rep.lang)[o]} {counts[o]}")
        for o in OUTCOMES
        if counts.get(o)
    )


CHARTS_PER_REGION: Final = 6
"""Charts per region on a large corpus (the indicators with the most points and targets)."""


def _more(rep: Report, count: int, sheet: str) -> str:
    """A note that ``count`` more rows are in the workbook's ``sheet`` (nothing when none)."""
    if not count:
        return ""
    return f'<p class="note more">{esc(rep.more_in_workbook(count, sheet))}</p>'


OPEN_PART: Final = 20
"""A region's targets or findings are shown open up to this many; longer lists open on a
click, on a search that finds a row in them, and for printing."""


def _part(title: str, count: int, body: str) -> str:
    """A titled part of a region (its targets, its findings) that folds when long."""
    is_open = count <= OPEN_PART
    return (
        f'<details class="part" data-open="{int(is_open)}"{" open" if is_open else ""}>'
        f"<summary><h3>{esc(title)} ({count})</h3></summary>{body}</details>"
    )


OPEN_REGIONS: Final = 3
"""Regions shown open on a page of many (more than :data:`MANY_REGIONS`); the others
collapsed until opened, searched or printed."""
MANY_REGIONS: Final = 6


def _region_section(
    rep: Report,
    region: str,
    charts: Sequence[Chart],
    anchor: str,
    quotes: Quotes,
    *,
    is_open: bool,
    many: bool,
) -> str:
    t = rep.t
    frame = rep.reconciled[rep.reconciled["region"] == region]
    recs = rep.records[rep.records["region"] == region]
    docs = sorted(set(recs["doc"]) | set(frame["doc"]))
    doc_lines = []
    for doc in docs:
        years = recs.loc[recs["doc"] == doc, "year"]
        span = f" ({years.min()}–{years.max()})" if len(years) else ""
        doc_lines.append(f"<span>{esc(doc)}{esc(span)}</span>")
    shown, left = rep.targets_shown(frame)
    scorecard = (
        scorecard_table(rep, shown, quotes) + _more(rep, left, "targets")
        if len(frame)
        else f'<p class="empty">{esc(t("no_targets"))}</p>'
    )
    findings = [f for f in rep.findings if str(f.row["region"]) == region]
    cards, unshown = rep.findings_shown(findings)
    findings_html_ = (
        _part(
            t("findings"),
            len(findings),
            f"{findings_section(rep, quotes, cards) if cards else ''}"
            f"{_more(rep, unshown, 'findings')}",
        )
        if findings
        else ""
    )
    mine = [c for c in charts if c.region == region]
    if rep.large:  # the fullest charts
        mine = sorted(mine, key=lambda c: -(len(c.points) + len(c.marks)))[:CHARTS_PER_REGION]
    chart_html = ""
    if mine:
        figures = "".join(
            f"<figure>{trajectory_svg(c, lang=rep.lang, source=quotes.attr)}</figure>" for c in mine
        )
        chart_html = (
            f"<h3>{esc(t('charts'))}</h3>{legend_html(rep.lang)}"
            f'<p class="note">{esc(t("more_charts"))}</p><div class="charts">{figures}</div>'
        )
    actuals = recs[recs["kind"] != "target"]
    reported = ""
    if len(actuals):
        # on a page of many regions every reported figure would double its size: they are
        # in the workbook's actuals sheet (the track record and charts show those judged)
        reported = (
            f'<p class="note">{esc(t("reported"))} ({len(actuals)}): {esc(t("in_workbook"))}</p>'
            if many
            else _reported_table(rep, actuals, quotes)
        )
    return (
        f'<details class="region" id="{anchor}" data-name="{esc(region)}"'
        f"{' open' if is_open else ''}><summary><h2>{esc(rep.region_name(region))}</h2>"
        f'<span class="counts">{_region_counts(rep, frame)}</span></summary>'
        f'<div class="docs">{"".join(doc_lines)}</div>'
        f"{_track_record_table(rep, region, quotes)}"
        f"{_part(t('scorecard'), len(frame), scorecard)}{findings_html_}{chart_html}{reported}"
        "</details>"
    )


_SCRIPT: Final = (
    "(function(){var d=document,h=d.documentElement;h.className+=' js';"
    "var Q=d.getElementById('quotes'),J=Q?JSON.parse(Q.textContent):{q:[],l:[]},S=J.q;"
    "d.querySelectorAll('[data-fill]').forEach(function(e){e.textContent=S[+e.dataset.fill]});"
    "function tip(e){var el=e.target.closest&&e.target.closest('[data-q]');"
    "if(!el||el.dataset.t)return;el.dataset.t=1;var s=(el.dataset.p||'')+(S[+el.dataset.q]||'');"
    "if(el instanceof SVGElement){var t=d.createElementNS(el.namespaceURI,'title');"
    "t.textContent=s;el.insertBefore(t,el.firstChild)}else el.title=s}"
    "d.addEventListener('mouseover',tip);d.addEventListener('focusin',tip);"
    "d.addEventListener('toggle',function(e){var x=e.target;if(!x.dataset||!x.dataset.ev||"
    "x.dataset.done)return;x.dataset.done=1;var box=d.createElement('div');"
    "box.className='evidence';x.appendChild(box);"
    "x.dataset.ev.split(' ').forEach(function(p){p=p.split(':');"
    "var b=d.createElement('blockquote'),c=d.createElement('div');c.className='cite';"
    "c.textContent=J.l[+p[0]]||'';var q=d.createElement('q');q.textContent=S[+p[1]]||'';"
    "b.appendChild(c);b.appendChild(q);box.appendChild(b)})},true);"
    "var R=[].slice.call(d.querySelectorAll('details.region')),"
    "B=[].slice.call(d.querySelectorAll('[data-region]')),f=d.getElementById('filter');"
    "if(f)f.addEventListener('input',function(){var s=f.value.trim().toLowerCase(),seen={};"
    "R.forEach(function(r){var n=r.dataset.name.toLowerCase(),hit=!s||n.indexOf(s)>=0,any=hit;"
    "r.querySelectorAll('tbody tr').forEach(function(tr){var m=hit||"
    "tr.textContent.toLowerCase().indexOf(s)>=0;tr.hidden=!m;any=any||m});"
    "r.querySelectorAll('details.part').forEach(function(p){p.open=s&&!hit?"
    "[].some.call(p.querySelectorAll('tbody tr'),function(tr){return!tr.hidden}):"
    "p.dataset.open==='1'});"
    "r.hidden=!any;if(s&&any)r.open=true;seen[r.dataset.name]=any});"
    "B.forEach(function(b){b.hidden=seen[b.dataset.region]===false})});"
    "function all(o){R.forEach(function(r){r.open=o})}"
    "var x=d.getElementById('expand'),y=d.getElementById('collapse');"
    "if(x)x.onclick=function(){all(true)};if(y)y.onclick=function(){all(false)};"
    "window.addEventListener('beforeprint',function(){all(true);"
    "d.querySelectorAll('details.part').forEach(function(p){p.open=true})})})();"
)
"""The page's one script (no network): quotes on hover and on opening, the filter box,
expand / collapse all, every region open for printing."""


def _page(title: str, body: str, lang: Lang) -> str:
    html_lang = "zh-CN" if lang == "zh" else "en"
    style = css()
    return (
        f'<!DOCTYPE html><html lang="{html_lang}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{esc(title)}</title><style>{style}</style></head><body>{body}"
        f"<script>{_SCRIPT}</script></body></html>\n"
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
    return page_html(prepare(records, reconciled, findings, lang, series))


def page_html(rep: Report) -> str:
    """The page: region index and filter, the scoreboard (plan against actual), a summary,
    then per region its track record, targets, findings, charts and reported figures."""
    t = rep.t
    many = len(rep.regions) > MANY_REGIONS
    charts = charts_of(rep, min_marks=3 if many else 2)
    quotes = Quotes(inline=False)
    anchors = {region: f"region-{i}" for i, region in enumerate(rep.regions)}
    nav = "".join(
        f'<a href="#{anchors[region]}" data-region="{esc(region)}">'
        f"{esc(rep.region_name(region))}</a>"
        for region in rep.regions
    )
    controls = (
        f'<div class="controls"><input id="filter" type="search" '
        f'placeholder="{esc(t("search"))}" aria-label="{esc(t("search"))}">'
        f'<button id="expand" type="button">{esc(t("expand_all"))}</button>'
        f'<button id="collapse" type="button">{esc(t("collapse_all"))}</button></div>'
    )
    header = (
        f'<header class="top"><div class="inner"><h1>{esc(t("title"))}</h1>'
        f'<p class="subtitle">{esc(t("subtitle"))}</p>{controls}'
        f'<nav aria-label="{esc(t("region_index"))}">{nav}</nav></div></header>'
    )
    regions = "".join(
        _region_section(
            rep,
            region,
            charts,
            anchors[region],
            quotes,
            is_open=not many or i < OPEN_REGIONS,
            many=many,
        )
        for i, region in enumerate(rep.regions)
    )
    footer = f"<footer>{esc(t('about'))} · {esc(t('generated'))}</footer>"
    body = (
        f"{header}<main>{_scoreboard(rep, anchors)}{_summary(rep)}{regions}{footer}</main>"
        f"{quotes.store()}"
    )
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


def fragment_css() -> str:
    return _scope_css(css())


def findings_html(findings: pd.DataFrame, *, lang: str = "zh") -> str:
    """Findings as an HTML fragment, most serious first (for ``IPython.display.HTML``).

    Raises:
        SchemaError: the frame does not match :class:`~targets.schemas.FindingFrame`.
    """
    empty_records = pd.DataFrame({c: [] for c in RecordFrame.to_schema().columns})
    empty_reconciled = pd.DataFrame({c: [] for c in ReconciledFrame.to_schema().columns})
    rep = prepare(empty_records, empty_reconciled, findings, lang)
    return (
        f'<div class="targets-report"><style>{fragment_css()}</style>'
        f"{findings_section(rep, Quotes(inline=True))}</div>"
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
    rep = prepare(records, reconciled, findings, lang, series)
    charts = [c for c in charts_of(rep) if region is None or c.region == region]
    figures = "".join(f"<figure>{trajectory_svg(c, lang=rep.lang)}</figure>" for c in charts)
    return (
        f'<div class="targets-report"><style>{fragment_css()}</style>{legend_html(rep.lang)}'
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
    rep = prepare(empty_records, reconciled, findings, lang)
    parts = [
        f"<h3>{esc(rep.region_name(region))}</h3>"
        + scorecard_table(
            rep, rep.reconciled[rep.reconciled["region"] == region], Quotes(inline=True)
        )
        for region in rep.regions
        if (rep.reconciled["region"] == region).any()
    ]
    return f'<div class="targets-report"><style>{fragment_css()}</style>{"".join(parts)}</div>'
