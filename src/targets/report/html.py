"""The report as one self-contained HTML page, and HTML fragments for notebooks.

The page opens offline: inline CSS (``report.css``), charts as inline SVG, no network loads.
Every number carries its source quote and document, as a tooltip and in an expandable
``<details>``.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping, Sequence
from functools import cache
from importlib import resources
from typing import Final

import pandas as pd

from targets.reconcile import track_record
from targets.report.charts import charts_of, legend_html, trajectory_svg
from targets.report.model import (
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
    esc,
    fmt_change,
    fmt_num,
    fmt_pct,
    fmt_period,
    fmt_qty,
    fmt_signed,
    frame_rows,
    labels,
    names_of,
    prepare,
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
        f"{label} · {f.code}",
        title=f.message(lang)[0],
        href=f"finding-{f.index}" if link else "",
    )


def _traced(text: str, source: str) -> str:
    """A number with its source as a tooltip."""
    if not source:
        return f'<span class="num">{esc(text)}</span>'
    return f'<span class="num traced" title="{esc(source)}">{esc(text)}</span>'


def _quote_block(label: str, quote: str, doc: str) -> str:
    if not quote:
        return ""
    return (
        f'<blockquote><div class="cite">{esc(label)}'
        f"{' · ' + esc(doc) if doc else ''}</div><q>{esc(quote)}</q></blockquote>"
    )


def _indicator_cell(names: Names, text: str, measure: str, lang: Lang) -> str:
    t = labels("text", lang)
    first, second = (names.zh, names.en) if lang == "zh" else (names.en or names.zh, names.zh)
    if not names.in_catalogue:
        second = t["not_in_catalogue"]
    measure_label = labels("measure", lang).get(measure, measure)
    written = ""
    if text and text not in (names.zh, names.en):
        written = f'<div class="written">{esc(t["as_written"])}：{esc(text)}</div>'
    return (
        f'<div class="ind-zh">{esc(first)}</div><div class="ind-en">{esc(second)}'
        f' <span class="measure">{esc(measure_label)}</span></div>{written}'
    )


def _scorecard_rows(rep: Report, frame: pd.DataFrame) -> list[str]:
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
        target = target_text(
            str(r["comparator"]),
            as_float(r["target_value"]),
            as_float(r["target_value_high"]),
            unit,
        )
        hedges = "".join(
            f'<span class="hedge">{esc(q)}</span>'
            for q in rep.qualifiers.get(rid, "").split("|")
            if q
        )
        target_cell = _traced(target, source_line(str(r["quote"]), str(r["doc"]))) + hedges
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
                )
                + f'<div class="sub">{esc(year)}</div>'
            )
            if bool(r["partial_period"]):
                baseline_cell += f'<div class="sub warn">{esc(t("partial"))}</div>'
        a_value = as_float(r["actual_value"])
        actual_cell = ""
        if a_value is not None:
            actual_cell = _traced(fmt_qty(a_value, b_unit), f"“{r['actual_quote']}”")
            attain = as_float(r["attainment"])
            if attain is not None:
                actual_cell += (
                    f'<div class="sub">{esc(t("attainment"))} '
                    f"{esc(fmt_num(round(attain * 100, 1)))}%</div>"
                )
        outcome = str(r["outcome"])
        outcome_cell = _badge(
            f"out-{outcome}",
            labels("outcome", lang).get(outcome, outcome),
            title=str(r["reason"]),
        )
        progress = str(r["progress"])
        if progress:
            outcome_cell += " " + _badge(
                f"prog-{progress}", labels("progress", lang).get(progress, progress)
            )
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
        found = rep.findings_for(rid, str(r["indicator"]))
        badges = " ".join(_severity_badge(f, lang) for f in found)
        evidence = (
            _quote_block(t("target_quote"), str(r["quote"]), str(r["doc"]))
            + _quote_block(t("baseline_quote"), str(r["baseline_quote"]), str(r["baseline_doc"]))
            + _quote_block(t("actual_quote"), str(r["actual_quote"]), "")
        )
        flagged = f" flagged flag-{found[0].severity}" if found else ""
        out.append(
            f'<tr id="target-{esc(rid)}-{esc(r["indicator"])}" class="row{flagged}">'
            f"<td>{_indicator_cell(names, str(r['indicator_text']), str(r['measure']), lang)}</td>"
            f'<td class="n">{target_cell}</td>'
            f'<td class="n">{esc(int(r["year"]))}</td>'
            f'<td class="n">{baseline_cell}</td>'
            f"<td>{outcome_cell}</td>"
            f'<td class="badges">{badges}</td>'
            f'<td class="src"><details><summary>{esc(t("quote"))}</summary>'
            f'<div class="evidence">{evidence}</div></details>'
            "</td></tr>"
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


def scorecard_table(rep: Report, frame: pd.DataFrame) -> str:
    head = _head(
        rep, "indicator", "target:n", "deadline:n", "baseline:n", "outcome", "findings", "source"
    )
    body = "".join(_scorecard_rows(rep, frame))
    return f'<table class="scorecard"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


def _finding_card(f: Finding, rep: Report, comparators: Mapping[str, str]) -> str:
    t = rep.t
    lang = rep.lang
    row = f.row
    names = names_of(str(row["indicator"]), str(row["indicator_text"]))
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
            + _traced(f"{text} ({row['year']})", source_line(str(row["quote"]), str(row["doc"])))
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
            )
        )
    compare = f'<div class="values">{" <span class=vs>vs</span> ".join(values)}</div>'
    quotes = _quote_block(subject_quote, str(row["quote"]), str(row["doc"])) + _quote_block(
        t("reference_quote"), str(row["reference_quote"]), str(row["reference_doc"])
    )
    second = f'<p class="msg2" lang="{"en" if lang == "zh" else "zh-CN"}">{esc(secondary)}</p>'
    return (
        f'<article class="finding sev-{esc(f.severity)}" id="finding-{f.index}">'
        f'<header>{_severity_badge(f, lang, link=False)}<span class="where">{esc(where)}</span>'
        f'</header><p class="msg">{esc(primary)}</p>{second if secondary else ""}{compare}'
        f'<div class="quotes">{quotes}</div></article>'
    )


def findings_section(rep: Report) -> str:
    t = rep.t
    if not rep.findings:
        return f'<p class="empty">{esc(t("no_findings"))}</p>'
    comparators = dict(zip(rep.reconciled["record_id"], rep.reconciled["comparator"], strict=True))
    parts: list[str] = []
    for severity in SEVERITY_ORDER:
        group = [f for f in rep.findings if f.severity == severity]
        if not group:
            continue
        label = labels("severity", rep.lang)[severity]
        parts.append(
            f'<h3 class="sev-head sev-{severity}">{esc(label)} <span class="count">'
            f"{len(group)}</span></h3>"
        )
        parts.extend(_finding_card(f, rep, comparators) for f in group)
    return "".join(parts)


def _reported_table(rep: Report, frame: pd.DataFrame) -> str:
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
        if bool(r["derived"]):
            kind += f" ({t('legend_derived')})"
        name = names.zh if lang == "zh" else names.en or names.zh
        part = " part" if r["part_of"] else ""
        written = str(r["indicator_text"])
        second = f'<div class="ind-en">{esc(written)}</div>' if written != name else ""
        body.append(
            f'<tr class="{part.strip()}"><td>{esc(name)}{second}</td>'
            f'<td class="kind">{esc(kind)}</td>'
            f'<td class="n">{_traced(value, source_line(str(r["quote"]), str(r["doc"])))}</td>'
            f'<td class="n">{esc(fmt_period(r["year"], str(r["months"]), lang))}</td>'
            f'<td class="n">{esc(growth_text)}</td>'
            f'<td class="q">{esc(str(r["quote"]))}'
            f'<div class="ind-en">{esc(str(r["doc"]))}</div></td>'
            "</tr>"
        )
    head = "".join(
        f"<th{cls}>{esc(label)}</th>"
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
        f'<details class="reported"><summary>{esc(t("reported"))} ({len(rows)})</summary>'
        f'<table class="plain"><thead><tr>{head}</tr></thead><tbody>{"".join(body)}</tbody>'
        "</table></details>"
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
    outcomes = Counter(rep.reconciled["outcome"])
    total = sum(outcomes.values())
    bar = "".join(
        f'<span class="seg out-{o}" style="flex:{outcomes[o]}" '
        f'title="{esc(labels("outcome", lang)[o])}: {outcomes[o]}"></span>'
        for o in OUTCOMES
        if outcomes.get(o)
    )
    bar_legend = " ".join(
        _badge(f"out-{o}", f"{labels('outcome', lang)[o]} {outcomes.get(o, 0)}")
        for o in OUTCOMES
        if outcomes.get(o)
    )
    outcome_html = (
        f'<div class="outcomes"><div class="label">{esc(t("outcomes"))}</div>'
        f'<div class="bar">{bar}</div><div>{bar_legend}</div></div>'
        if total
        else ""
    )
    worst = rep.findings[:5]
    worst_html = ""
    if worst:
        items = []
        for f in worst:
            names = names_of(str(f.row["indicator"]), str(f.row["indicator_text"]))
            name = names.zh if lang == "zh" else names.en or names.zh
            items.append(
                f"<li>{_severity_badge(f, lang)} <strong>{esc(f.row['region'])} · {esc(name)} · "
                f"{esc(f.row['year'])}</strong> — {esc(f.message(lang)[0])}</li>"
            )
        worst_html = f'<h3>{esc(t("worst"))}</h3><ol class="worst">{"".join(items)}</ol>'
    return (
        f'<section class="summary" id="summary"><h2>{esc(t("summary"))}</h2>'
        f'<div class="tiles">{tile_html}</div>'
        f'<div class="sevs"><span class="label">{esc(t("findings"))}</span> {sev_html}</div>'
        f"{outcome_html}{worst_html}</section>"
    )


def _track_record_table(rep: Report, frame: pd.DataFrame) -> str:
    """Indicator × year: target, actual and outcome, both sentences on hover (the targets of
    catalogue indicators that have been judged)."""
    t = rep.t
    record = track_record(frame)
    judged = record[record["outcome"].isin(("met", "near", "missed"))]
    if judged.empty:
        return ""
    rows = []
    for r in frame_rows(judged):
        names = names_of(str(r["indicator"]), str(r["indicator_text"]))
        name = names.zh if rep.lang == "zh" else (names.en or names.zh)
        unit = str(r["target_unit"])
        target = target_text(
            str(r["comparator"]),
            as_float(r["target_value"]),
            as_float(r["target_value_high"]),
            unit,
        )
        actual = fmt_qty(as_float(r["actual_value"]), unit)
        outcome = str(r["outcome"])
        rows.append(
            f'<tr><td>{esc(name)}</td><td class="n">{int(r["year"])}</td>'
            f'<td class="n">{_traced(target, source_line(r["target_quote"], r["target_doc"]))}'
            "</td>"
            f'<td class="n">'
            f"{_traced(actual, source_line(str(r['actual_quote']), str(r['actual_doc'])))}</td>"
            f"<td>{_badge(f'out-{outcome}', labels('outcome', rep.lang)[outcome])}</td></tr>"
        )
    head = _head(rep, "indicator", "year:n", "target:n", "actual:n", "outcome")
    return (
        f'<h3>{esc(t("track_record"))}</h3><p class="note">{esc(t("track_note"))}</p>'
        f'<table class="track"><thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody>'
        "</table>"
    )


def _region_section(rep: Report, region: str, charts: Sequence[Chart], number: int) -> str:
    t = rep.t
    frame = rep.reconciled[rep.reconciled["region"] == region]
    recs = rep.records[rep.records["region"] == region]
    docs = sorted(set(recs["doc"]) | set(frame["doc"]))
    doc_lines = []
    for doc in docs:
        years = recs.loc[recs["doc"] == doc, "year"]
        span = f" ({years.min()}–{years.max()})" if len(years) else ""
        doc_lines.append(f"<span>{esc(doc)}{esc(span)}</span>")
    scorecard = (
        scorecard_table(rep, frame)
        if len(frame)
        else f'<p class="empty">{esc(t("no_targets"))}</p>'
    )
    mine = [c for c in charts if c.region == region]
    chart_html = ""
    if mine:
        figures = "".join(
            f'<figure id="chart-{number}-{i}">{trajectory_svg(c, lang=rep.lang)}</figure>'
            for i, c in enumerate(mine)
        )
        chart_html = (
            f'<h3>{esc(t("charts"))}</h3>{legend_html(rep.lang)}<div class="charts">{figures}</div>'
        )
    actuals = recs[recs["kind"] != "target"]
    reported = _reported_table(rep, actuals) if len(actuals) else ""
    return (
        f'<section class="region" id="region-{number}"><h2>{esc(region)}</h2>'
        f'<div class="docs">{"".join(doc_lines)}</div>'
        f"{_track_record_table(rep, frame)}"
        f"<h3>{esc(t('scorecard'))}</h3>{scorecard}{chart_html}{reported}</section>"
    )


def _page(title: str, body: str, lang: Lang) -> str:
    html_lang = "zh-CN" if lang == "zh" else "en"
    style = css()
    return (
        f'<!DOCTYPE html><html lang="{html_lang}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{esc(title)}</title><style>{style}</style></head><body>{body}</body></html>\n"
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
    t = rep.t
    charts = charts_of(rep)
    nav = "".join(
        f'<a href="#region-{i}">{esc(region)}</a>' for i, region in enumerate(rep.regions)
    )
    nav += f'<a href="#findings">{esc(t("findings"))} ({len(rep.findings)})</a>'
    header = (
        f'<header class="top"><div class="inner"><h1>{esc(t("title"))}</h1>'
        f'<p class="subtitle">{esc(t("subtitle"))}</p><nav>{nav}</nav></div></header>'
    )
    regions = "".join(
        _region_section(rep, region, charts, i) for i, region in enumerate(rep.regions)
    )
    findings_part = (
        f'<section id="findings"><h2>{esc(t("findings"))}</h2>{findings_section(rep)}</section>'
    )
    footer = f"<footer>{esc(t('about'))} · {esc(t('generated'))}</footer>"
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
        f'<div class="targets-report"><style>{fragment_css()}</style>{findings_section(rep)}</div>'
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
        f"<h3>{esc(region)}</h3>"
        + scorecard_table(rep, rep.reconciled[rep.reconciled["region"] == region])
        for region in rep.regions
        if (rep.reconciled["region"] == region).any()
    ]
    return f'<div class="targets-report"><style>{fragment_css()}</style>{"".join(parts)}</div>'
