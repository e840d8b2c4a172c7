"""Human-readable text rendering of a decision (the CLI's ``--format text``)."""

from __future__ import annotations

from collections.abc import Sequence

from .model.decision import Decision, DefinitionEntry, MeasuresResult, QuestionResult, RepairResult, TraceEntry

_HEAD = {
    "zh": {"determination": "失信行为认定", "listing": "列入严重失信主体名单", "outcome": "结论", "reasons": "理由",
           "rule": "规则", "status": "结果", "citation": "依据", "message": "说明", "period": "期限",
           "document": "决定书应载明", "removal": "移出条件", "remedies": "救济措施", "obligations": "应履行义务",
           "leniency": "宽容审慎", "warnings": "提示", "subject": "主体", "editions": "目录版本",
           "supervision": "信用分级分类监管", "measures": "失信惩戒措施", "applied": "适用", "refused": "不予适用", "notice": "事先告知应载明"},
    "en": {"determination": "Determination of the dishonest act", "listing": "Serious dishonesty list", "outcome": "Outcome",
           "reasons": "Reasons", "rule": "rule", "status": "status", "citation": "citation", "message": "message",
           "period": "Period", "document": "Decision document must state", "removal": "Removal conditions",
           "remedies": "Remedies", "obligations": "Obligations", "leniency": "Leniency", "warnings": "Warnings",
           "subject": "Subject", "editions": "Catalog editions",
           "supervision": "Supervision by credit tier", "measures": "Punishment measures", "applied": "applied", "refused": "refused",
           "notice": "Prior notice must state"},
}


def table(rows: list[tuple[str, ...]]) -> list[str]:
    widths = [max(_width(r[i]) for r in rows) for i in range(len(rows[0]) - 1)]
    out = []
    for r in rows:
        cells = [r[i] + " " * (widths[i] - _width(r[i])) for i in range(len(widths))]
        out.append("  ".join(cells + [r[-1]]).rstrip())
    return out


def _width(text: str) -> int:
    """Display width: CJK characters take two columns in a terminal."""
    return sum(2 if ord(ch) > 0x2E7F else 1 for ch in text)


def trace_table(trace: Sequence[TraceEntry], lang: str, header: tuple[str, str, str, str]) -> list[str]:
    """The rules consulted, one row each: rule, status (or the effect that applied), citation, message."""
    rows: list[tuple[str, ...]] = [header]
    for t in trace:
        mark = {"passed": "pass", "failed": "FAIL" if t.effect.value == "refuse" else t.effect.value, "not_applicable": "n/a", "unknown": "UNKNOWN"}[t.status.value]
        rows.append((t.rule, mark, t.citation, t.message_zh if lang == "zh" else t.message_en))
    return ["   " + line for line in table(rows)]


def undetermined_lines(undetermined_by: Sequence[str], missing: Sequence[str], unverified: Sequence[str], lang: str) -> list[str]:
    """Why an answer is undetermined (待核实) and what unverified data it rests on."""
    zh = lang == "zh"
    lines: list[str] = []
    if undetermined_by:
        lines.append(f"   {'待核实（无法判定的规则）' if zh else 'Undetermined by'}: {', '.join(undetermined_by)}")
    if missing:
        lines.append(f"   {'缺少的事实' if zh else 'Missing facts'}: {', '.join(missing)}")
    if unverified:
        lines.append(f"   {'未经核实的依据' if zh else 'Rests on unverified data'}: {'; '.join(unverified)}")
    return lines


def definition_lines(definitions: Sequence[DefinitionEntry], lang: str) -> list[str]:
    """Each definition the rules used: its value, the case or exception that gave it, and its citation."""
    if not definitions:
        return []
    lines = [f"   {'定义' if lang == 'zh' else 'Definitions'}:"]
    for d in definitions:
        value = "?" if d.value is None else str(d.value)
        how = d.case or (d.decided_by if d.decided_by != d.id else "")
        how = f" ({how})" if how else ""
        aside = f" ≻ {', '.join(reversed(d.set_aside))}" if d.set_aside else ""
        lines.append(f"     {d.id} = {value}{how}{aside} [{d.citation}]")
        for p in d.params:
            lines.append(f"       {p.name} = {p.value} [{p.citation} @{p.at.isoformat()}]")
    return lines


def _clip(text: str, width: int) -> str:
    """Cut *text* to *width* display columns, marking the cut."""
    if _width(text) <= width:
        return text
    out = ""
    for ch in text:
        if _width(out + ch) > width - 1:
            break
        out += ch
    return out + "…"


def _question(result: QuestionResult, lang: str) -> list[str]:
    h = _HEAD[lang]
    lines = [f"== {h[result.question]}: {h['outcome']} = {result.outcome.value}"]
    if result.reasons:
        lines.append(f"   {h['reasons']}: {', '.join(result.reasons)}")
    for key, values in (("leniency", result.leniency), ("obligations", result.obligations), ("warnings", result.warnings)):
        if values:
            lines.append(f"   {h[key]}: {', '.join(values)}")
    lines += undetermined_lines(result.undetermined_by, result.missing, result.unverified, lang)
    lines += trace_table(result.trace, lang, (h["rule"], h["status"], h["citation"], h["message"]))
    lines += definition_lines(result.definitions, lang)
    if result.criteria:
        lines.append(f"   {'认定标准' if lang == 'zh' else 'Regime'} {result.regime}:")
        for c in result.criteria:
            mark = "met" if c.met else ("missed" if c.conduct_matches else "n/a")
            miss = "; ".join(f"{s.quantity} {s.actual or '?'} (need {s.required})" for s in c.shortfalls)
            barred = f" barred by {', '.join(c.barred_by)}" if c.barred_by else ""
            flag = "" if c.verified else " [unverified]"
            lines.append(f"     - {mark:6} {c.criterion} ({c.article}){flag} {miss}{barred}".rstrip())
    if result.period is not None:
        p = result.period
        end = p.end.isoformat() if p.end else "—"
        lines.append(f"   {h['period']}: {p.start.isoformat()} → {end} ({p.citation})")
    for key, values in (("document", result.decision_document_must_state), ("removal", result.removal_conditions), ("remedies", result.remedies)):
        if values:
            lines.append(f"   {h[key]}:")
            lines += [f"     - {v}" for v in values]
    return lines


def _measures(result: MeasuresResult, lang: str) -> list[str]:
    h = _HEAD[lang]
    lines = [f"== {h['measures']}: {len(result.applied)} {h['applied']}, {len(result.refused)} {h['refused']}"]
    rows: list[tuple[str, ...]] = [("measure", "target", h["outcome"].lower(), "period / reasons", "basis")]
    for m in [*result.applied, *result.refused]:
        name = _clip((m.name_zh if lang == "zh" else m.name_en) or m.measure, 40)
        if m.outcome.value == "allowed":
            end = m.end.isoformat() if m.end else "—"
            detail = f"{m.start.isoformat() if m.start else ''} → {end}"
            if m.obligations:
                detail += " (" + ", ".join(m.obligations) + ")"
        else:
            detail = ", ".join(m.reasons)
        cited = sorted({t.citation for t in m.trace if t.rule in m.fired}) if m.fired else []
        allowed = m.outcome.value == "allowed"
        rows.append((name, m.target, h["applied"] if allowed else h["refused"], detail, (m.basis or "") if allowed else "; ".join(cited)))
    lines += ["   " + line for line in table(rows)]
    if result.prior_notice_must_state:
        lines.append(f"   {h['notice']}:")
        lines += [f"     - {v}" for v in result.prior_notice_must_state]
    return lines


def _repair(r: RepairResult, lang: str) -> list[str]:
    zh = lang == "zh"
    lines = [f"== {'信用修复' if zh else 'Credit repair'}: {r.outcome.value}"]
    if r.regime is not None:
        lines.append(f"   {'适用办法' if zh else 'Regime'}: {r.regime.name_zh} ({r.regime.chosen_by})")
    if r.earliest_date:
        lines.append(f"   {'最早可修复日期' if zh else 'Earliest date'}: {r.earliest_date.isoformat()}")
    if r.publication_ends:
        lines.append(f"   {'公示截止' if zh else 'Publication ends'}: {r.publication_ends.isoformat()}")
    if r.deletion_deadline:
        lines.append(f"   {'删除期限' if zh else 'Delete by'}: {r.deletion_deadline.isoformat()}")
    for title_zh, title_en, values in (
        ("未满足的条件", "Unmet conditions", r.unmet_conditions),
        ("应履行义务", "Obligations", r.obligations),
        ("修复效果", "Effects", r.effects),
        ("未经核实的数据", "Unverified data used", r.unverified),
    ):
        if values:
            lines.append(f"   {title_zh if zh else title_en}:")
            lines += [f"     - {v}" for v in values]
    if r.answer_deadline:
        lines.append(f"   {'办理期限' if zh else 'Answer deadline'}: {r.answer_deadline}")
    lines.append(f"   {'费用' if zh else 'Fee'}: {r.fee}")
    return lines


def render_text(decision: Decision, lang: str = "zh") -> str:
    h = _HEAD[lang]
    s = decision.subject
    lines = [
        f"case {decision.case_id}  as-of {decision.as_of.isoformat()}  jurisdiction {decision.jurisdiction}",
        f"{h['subject']}: {s.name} ({s.kind}) {s.identifier or ''}".rstrip(),
        f"rules {decision.ruleset} {decision.ruleset_version}  backend {decision.backend}",
    ]
    for result in (decision.determination, decision.listing):
        if result is not None:
            lines += [""] + _question(result, lang)
    if decision.measures is not None:
        lines += [""] + _measures(decision.measures, lang)
    if decision.repair is not None:
        lines += [""] + _repair(decision.repair, lang)
    if decision.supervision is not None:
        lines += [""] + _question(decision.supervision, lang)
    if decision.warnings:
        lines += ["", f"{h['warnings']}: " + "; ".join(decision.warnings)]
    lines += ["", f"{h['editions']}: " + ", ".join(f"{e.kind}@{e.jurisdiction}:{e.edition}" for e in decision.catalog_editions)]
    return "\n".join(lines) + "\n"
