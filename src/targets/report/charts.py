"""Trajectory charts as inline SVG: one chart per region, indicator and measure, actuals as
points (derived ones hollow), targets as diamonds at their deadline, every mark with its quote.

The SVG's ``<text>`` is drawn by the browser's own fonts (a CJK-capable family list), so no
font file ships and the page opens offline.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Sequence
from typing import Any, Final

from targets.formatting import round_like
from targets.report.model import (
    FONT_FAMILY,
    Chart,
    Lang,
    Mark,
    Point,
    Report,
    as_float,
    baseline_unit,
    check_lang,
    convert,
    display_width,
    esc,
    fmt_num,
    fmt_period,
    fmt_qty,
    frame_rows,
    labels,
    names_of,
    point_frame,
    source_line,
    target_text,
    unit_factor,
)


def _x(year: Any, months: str) -> float:
    """A period's position on a year axis: its end (1-11月 of 2020 sits just before 2020)."""
    end_month = int(months.split("-")[1]) if months else 12
    return float(year) - 1 + end_month / 12


MIN_POINTS: Final = 3
"""An indicator without a target is charted from this many reported points on."""

_LEVEL_MEASURES: Final = ("stock", "flow")


def _dimension(unit: str) -> str:
    factor = unit_factor(unit)
    return unit if factor is None else factor[1]


def _identities(
    targets: list[dict[str, Any]], actuals: list[dict[str, Any]]
) -> list[tuple[str, list[dict[str, Any]], list[dict[str, Any]]]]:
    """The series of one (region, indicator, measure, unit dimension): one, or one per
    written name (``indicator_text``) when one year holds different values under different
    names (several kinds of institution filed under one catalogue code)."""
    texts_by_year: dict[tuple[Any, str], set[str]] = {}
    for r in actuals:
        if not r["derived"]:
            texts_by_year.setdefault((r["year"], str(r["months"])), set()).add(
                str(r["indicator_text"])
            )
    if all(len(texts) < 2 for texts in texts_by_year.values()):
        return [("", targets, actuals)]
    names = sorted({str(r["indicator_text"]) for r in actuals})
    out = []
    for name in names:
        mine = [r for r in actuals if str(r["indicator_text"]) == name]
        aimed = [r for r in targets if str(r["indicator_text"]) == name]
        out.append((name, aimed, mine))
    unclaimed = [r for r in targets if str(r["indicator_text"]) not in names]
    if unclaimed:
        out.append(("", unclaimed, []))
    return out


def charts_of(rep: Report, *, min_marks: int = 2) -> list[Chart]:
    """One chart per series identity (region, indicator, measure, unit dimension, and the
    written name when one code holds several series) with a target or at least
    :data:`MIN_POINTS` reported points, and at least ``min_marks`` points and targets in all
    (a page of many regions asks for 3: one actual and one target say no more than its
    tables)."""
    recs = rep.records
    targets_all = recs[(recs["kind"] == "target") & (recs["indicator"] != "")]
    targets_all = targets_all[targets_all["part_of"] == ""]
    # a target over several years (“十三五”…城镇新增就业5000万人) is no point of a yearly series
    one_year = targets_all["period_start"].dt.year.to_numpy() == targets_all["year"].to_numpy()
    targets_all = targets_all[one_year]
    points_all = point_frame(rep)
    baselines = {(str(r["record_id"]), str(r["indicator"])): r for r in frame_rows(rep.reconciled)}
    groups: dict[tuple[str, str, str, str], tuple[list[dict[str, Any]], list[dict[str, Any]]]] = {}
    for row in frame_rows(targets_all.sort_values(["year", "doc", "start"])):
        key = (row["region"], row["indicator"], row["measure"], _dimension(str(row["unit"])))
        groups.setdefault(key, ([], []))[0].append(row)
    for row in frame_rows(points_all.sort_values(["year", "doc"])):
        key = (row["region"], row["indicator"], row["measure"], _dimension(str(row["unit"])))
        groups.setdefault(key, ([], []))[1].append(row)
    out: list[Chart] = []
    for (region, indicator, measure, _), (all_targets, all_actuals) in groups.items():
        for written, targets, actuals in _identities(all_targets, all_actuals):
            chart = _chart(rep, region, indicator, measure, written, targets, actuals, baselines)
            if chart is not None and len(chart.points) + len(chart.marks) >= min_marks:
                out.append(chart)
    return out


def _chart(
    rep: Report,
    region: str,
    indicator: str,
    measure: str,
    written: str,
    targets: list[dict[str, Any]],
    actuals: list[dict[str, Any]],
    baselines: dict[tuple[str, str], dict[str, Any]],
) -> Chart | None:
    reported = [r for r in actuals if not r["derived"]] or actuals
    if not targets and len({(r["year"], r["months"]) for r in reported}) < MIN_POINTS:
        return None
    units = Counter(str(r["unit"]) for r in reported)
    unit = str(targets[0]["unit"]) if targets else units.most_common(1)[0][0]
    inputs = [
        v
        for r in reported
        if not r["derived"] and (v := convert(float(r["value"]), str(r["unit"]), unit)) is not None
    ]
    points: dict[tuple[float, float, str, bool], Point] = {}
    for r in actuals:
        value = convert(float(r["value"]), str(r["unit"]), unit)
        if value is None:
            continue
        if r["derived"]:
            value = round_like(value, inputs)
        months = str(r["months"])
        x = _x(r["year"], months)
        key = (x, round(value, 9), str(r["kind"]), bool(r["derived"]))
        source = source_line(str(r["quote"]), str(r["doc"]))
        if key in points:
            if source not in points[key].sources:
                points[key].sources.append(source)
            continue
        points[key] = Point(
            x=x,
            value=value,
            kind=str(r["kind"]),
            derived=bool(r["derived"]),
            label=f"{fmt_qty(value, unit)} · {fmt_period(r['year'], months, rep.lang)}",
            sources=[source],
        )
    marks: list[Mark] = []
    for r in targets:
        value = convert(float(r["value"]), str(r["unit"]), unit)
        if value is None:
            continue
        high_raw = as_float(r["value_high"])
        high = None if high_raw is None else convert(high_raw, str(r["unit"]), unit)
        baseline = None
        rec = baselines.get((str(r["record_id"]), str(r["indicator"])))
        # the path from baseline to target for targets still pending: a past one is judged
        # by its actual (or could not be), and a path for each would cross the whole chart
        if rec is not None and str(rec["outcome"]) == "pending":
            b_value = as_float(rec["baseline_value"])
            b_year = as_float(rec["baseline_year"])
            if b_value is not None and b_year is not None:
                converted = convert(b_value, baseline_unit(rec), unit)
                if converted is not None:
                    baseline = (_x(b_year, str(rec["baseline_months"])), converted)
        marks.append(
            Mark(
                year=int(r["year"]),
                value=value,
                high=high,
                comparator=str(r["comparator"]),
                label=target_text(str(r["comparator"]), value, high, unit),
                source=source_line(str(r["quote"]), str(r["doc"])),
                baseline=baseline,
            )
        )
    if len(points) + len(marks) < 2:
        return None
    first = (targets or actuals)[0]
    return Chart(
        region=str(region),
        indicator=str(indicator),
        measure=str(measure),
        names=names_of(str(indicator), str(first["indicator_text"])),
        unit=unit,
        points=tuple(sorted(points.values(), key=lambda p: (p.x, p.value))),
        marks=tuple(marks),
        written=written,
    )


def chart_title(chart: Chart, lang: Lang) -> str:
    """A chart's title in words: 高新技术企业数（年末累计）, 技术交易额（当年）,
    R&D intensity (ratio); the written name too when one code holds several series."""
    t = labels("text", lang)
    name = chart.names.zh if lang == "zh" or not chart.names.en else chart.names.en
    if chart.written and chart.written != name:
        name = f"{name} · {chart.written}"
    level = chart.measure == "stock" and "/" in chart.unit  # a concentration, a density
    words = {"stock": t["year_end_level" if level else "year_end"], "flow": t["during_year"]}
    what = words.get(chart.measure) or labels("measure", lang).get(chart.measure, chart.measure)
    return f"{name}（{what}）" if lang == "zh" else f"{name} ({what})"


def zero_based(chart: Chart) -> bool:
    """Whether the y axis must start at zero: levels (stocks, flows) and amounts or counts
    (any unit but percentages and points)."""
    return chart.measure in _LEVEL_MEASURES or chart.unit not in ("%", "个百分点", "")


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


def trajectory_svg(
    chart: Chart, *, lang: str = "zh", source: Callable[[str], str] | None = None
) -> str:
    """One chart as an inline ``<svg>``: actuals as points (derived hollow), targets as
    diamonds at their deadline, a dashed line from baseline to target, every value printed
    beside its mark, and each mark's source quote and document as a tooltip.

    The y axis starts at zero for levels and amounts (:func:`zero_based`); a rate's axis is
    tight but takes in zero when the values straddle it.

    Args:
        chart: the chart.
        lang: ``"zh"`` or ``"en"``.
        source: gives a mark the attribute that names its source (the page stores each
            quote once); by default the quote is written into the mark's ``<title>``.
    """
    language = check_lang(lang)
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
    if zero_based(chart) or (y_min > 0 and y_min < 0.25 * y_max):
        y_min, y_max = min(y_min, 0.0), max(y_max, 0.0)
    ticks = _ticks(y_min, y_max)
    y_lo, y_hi = ticks[0], ticks[-1]
    plot_w = _CHART_W - _PAD_L - pad_r
    plot_h = _CHART_H - _PAD_T - _PAD_B

    def sx(x: float) -> float:
        return _PAD_L + (x - x_lo + 0.35) / (x_hi - x_lo + 0.7) * plot_w

    def sy(y: float) -> float:
        return _PAD_T + plot_h - (y - y_lo) / (y_hi - y_lo) * plot_h

    title = chart_title(chart, language)
    # on the page the stylesheet gives the font; a chart on its own names it
    font = "" if source is not None else f' font-family="{esc(FONT_FAMILY)}"'
    subtitle = f"{chart.region} · {chart.unit}" if chart.unit else chart.region
    parts = [
        f'<svg class="chart" viewBox="0 0 {_CHART_W} {_CHART_H}" width="{_CHART_W}" '
        f'height="{_CHART_H}" role="img" font-size="11"{font}>',
        f"<title>{esc(title)} {esc(subtitle)}</title>",
        f'<text x="{_PAD_L - 44}" y="17" font-size="13" font-weight="600" fill="{_INK}">'
        f"{esc(clip(title, 29))}</text>",
        f'<text x="{_PAD_L - 44}" y="33" font-size="11" fill="{_MUTED}">{esc(subtitle)}</text>',
    ]
    for tick in ticks:
        y = sy(tick)
        parts.append(
            f'<line x1="{_PAD_L}" x2="{_PAD_L + plot_w}" y1="{y:.1f}" y2="{y:.1f}" '
            f'stroke="{_GRID}" stroke-width="1"/>'
        )
        parts.append(
            f'<text x="{_PAD_L - 6}" y="{y + 3.5:.1f}" text-anchor="end" fill="{_MUTED}">'
            f"{esc(fmt_num(tick))}</text>"
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
    shown = _spaced([p.x for p in chart.points], 1.0 if len(chart.points) <= 10 else 2.0)
    for i, point in enumerate(chart.points):
        fill = (
            "#ffffff" if point.derived else _FORECAST_FILL if point.kind == "forecast" else _ACTUAL
        )
        kind = labels("kind", language).get(point.kind, point.kind)
        if point.derived:
            kind = labels("text", language)["legend_derived"]
        tip = f"{kind}: {point.label}\n"
        cx, cy = sx(point.x), sy(point.value)
        value = _value_text(point, cx, cy, len(chart.points)) if i in shown else ""
        parts.append(
            f"<g{_tooltip(tip, chart_sources(point.sources), source)}>"
            f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="4" fill="{fill}" stroke="{_ACTUAL}" '
            f'stroke-width="1.6"/>{value}</g>'
        )
    labelled = _spaced([float(m.year) for m in chart.marks], 1.0 if len(chart.marks) <= 4 else 3.0)
    for j, mark in enumerate(chart.marks):
        x, y = sx(mark.year), sy(mark.value)
        tip = f"{labels('kind', language)['target']} {mark.year}: {mark.label}\n"
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
            f'<g{_tooltip(tip, mark.source, source)}>{shape}<text x="{x + 10:.1f}" '
            f'y="{y + 4:.1f}" fill="{_TARGET}" font-weight="600">'
            f"{esc(mark.label) if j in labelled else ''}</text></g>"
        )
    parts.append("</svg>")
    return "".join(parts)


def chart_sources(sources: Sequence[str]) -> str:
    return "\n".join(sources)


def _tooltip(prefix: str, text: str, source: Callable[[str], str] | None) -> str:
    """A mark's tooltip: a ``data-q`` reference (with the prefix in ``data-p``) when the
    page stores its quotes, else a ``<title>`` opening the group."""
    if source is not None:
        return f'{source(text)} data-p="{esc(prefix)}"'
    return f"><title>{esc(prefix + text)}</title"


def _spaced(xs: Sequence[float], gap: float) -> set[int]:
    """Which of ``xs`` (in order) get a printed label: the last, and going back, each at
    least ``gap`` years before the one labelled after it (crowded labels overlap unread;
    every mark keeps its value in its tooltip)."""
    out: set[int] = set()
    last = math.inf
    for i in range(len(xs) - 1, -1, -1):
        if last - xs[i] >= gap:
            out.add(i)
            last = xs[i]
    return out


def _value_text(point: Point, cx: float, cy: float, count: int) -> str:
    """The value printed above its point (so it survives printing); derived values are
    already rounded to the precision of the figures they come from."""
    size = 9 if count > 8 else 10
    return (
        f'<text x="{cx:.1f}" y="{cy - 7:.1f}" text-anchor="middle" font-size="{size}" '
        f'fill="{_MUTED if point.derived else _INK}">{esc(fmt_num(point.value))}</text>'
    )


def _label_px(text: str) -> float:
    """Rough width in pixels of ``text`` at 11 px (CJK characters count double)."""
    return display_width(text) * 6.2


def _runs(points: Sequence[Point]) -> list[list[tuple[float, float]]]:
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


def clip(text: str, width: int) -> str:
    out = ""
    for ch in text:
        if display_width(out + ch) > width * 2 - 2:
            return out + "…"
        out += ch
    return out


def legend_html(lang: Lang) -> str:
    t = labels("text", lang)
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
            f"</svg>{esc(label)}</span>"
            for icon, label in items
        )
        + "</div>"
    )
