"""The report in Markdown: summary, per-region scorecards and findings by severity."""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

import pandas as pd

from targets.report.model import (
    BASELINE_CODES,
    OUTCOMES,
    SEVERITY_ORDER,
    Finding,
    Report,
    as_float,
    baseline_unit,
    code_label,
    fmt_period,
    fmt_qty,
    frame_rows,
    labels,
    names_of,
    prepare,
    row_target_text,
    start_of,
)

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
    return markdown_text(prepare(records, reconciled, findings, lang))


def markdown_text(rep: Report) -> str:
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
        + ", ".join(
            f"{labels('severity', lang_)[s]} {severities.get(s, 0)}" for s in SEVERITY_ORDER
        ),
    ]
    if outcomes:
        lines.append(
            f"- {t('outcomes')}: "
            + ", ".join(
                f"{labels('outcome', lang_)[o]} {outcomes[o]}" for o in OUTCOMES if outcomes.get(o)
            )
        )
    if rep.findings:
        lines += ["", f"### {t('worst')}", ""]
        for i, f in enumerate(rep.findings[:5], start=1):
            lines.append(f"{i}. {_md_finding_head(f, rep)} — {_md(f.message(lang_)[0])}")
    for region in rep.regions:
        lines += ["", f"## {_md(rep.region_name(region))}", ""]
        frame = rep.reconciled[rep.reconciled["region"] == region]
        if not len(frame):
            lines.append(t("no_targets"))
            continue
        head = [
            t("indicator"),
            t("indicator_other_language"),
            t("target"),
            t("deadline"),
            t("baseline"),
            t("outcome"),
            t("findings"),
            t("target_quote"),
        ]
        lines.append("| " + " | ".join(head) + " |")
        lines.append("|" + "|".join(["---", "---", "--:", "--:", "--:", "---", "---", "---"]) + "|")
        shown, left = rep.targets_shown(frame)
        rows = sorted(
            frame_rows(shown),
            key=lambda r: (-int(r["year"]), str(r["doc"]), start_of(str(r["record_id"]))),
        )
        for r in rows:
            names = names_of(str(r["indicator"]), str(r["indicator_text"]))
            first, second = (names.zh, names.en) if lang_ == "zh" else (names.en, names.zh)
            target = row_target_text(r)
            hedge = " ".join(q for q in rep.qualifiers.get(r["record_id"], "").split("|") if q)
            if hedge:
                target += f" ({hedge})"
            b_value = as_float(r["baseline_value"])
            baseline = (
                f"{fmt_qty(b_value, baseline_unit(r))} "
                f"({fmt_period(r['baseline_year'], str(r['baseline_months']), lang_)})"
                if b_value is not None
                else "—"
            )
            outcome = labels("outcome", lang_).get(str(r["outcome"]), str(r["outcome"]))
            found = rep.findings_for(str(r["record_id"]), str(r["indicator"]))
            # progress only for targets still pending, and never beside a finding that already
            # says how the target stands to its baseline (as on the HTML page)
            contradicted = any(f.code in BASELINE_CODES for f in found)
            if r["progress"] and r["outcome"] == "pending" and not contradicted:
                outcome += " / " + labels("progress", lang_).get(
                    str(r["progress"]), str(r["progress"])
                )
            flags = ", ".join(
                f"{labels('severity', lang_).get(f.severity, f.severity)} "
                f"{code_label(f.code, lang_)}"
                for f in found
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
        if left:
            lines += ["", rep.more_in_workbook(left, "targets")]
    lines += ["", f"## {t('findings')}", ""]
    if not rep.findings:
        lines.append(t("no_findings"))
    for severity in SEVERITY_ORDER:
        group = [f for f in rep.findings if f.severity == severity]
        if not group:
            continue
        lines += [f"### {labels('severity', lang_)[severity]} ({len(group)})", ""]
        listed = group
        if rep.large:  # the most serious of each region, as on the page
            by_region: dict[str, list[Finding]] = {}
            for f in group:
                by_region.setdefault(str(f.row["region"]), []).append(f)
            listed = [f for fs in by_region.values() for f in rep.findings_shown(fs)[0]]
            if len(listed) < len(group):
                lines += [rep.more_in_workbook(len(group) - len(listed), "findings"), ""]
        for f in listed:
            primary, secondary = f.message(lang_)
            row = f.row
            lines.append(f"- {_md_finding_head(f, rep)}")
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


def _md_finding_head(f: Finding, rep: Report) -> str:
    lang = rep.lang
    row = f.row
    names = names_of(str(row["indicator"]), str(row["indicator_text"]))
    name = names.zh if lang == "zh" else names.en or names.zh
    label = labels("severity", lang).get(f.severity, f.severity)
    where = f"{_md(rep.region_name(str(row['region'])))} · {_md(name)} · {row['year']}"
    return f"**{label} · {code_label(f.code, lang)}** {where}"
