"""Human-readable text rendering of a decision (the CLI's ``--format text``)."""

from __future__ import annotations

from collections.abc import Sequence

from .model.decision import (
    Decision,
    DefinitionEntry,
    MeasuresResult,
    Outcome,
    QuestionResult,
    RepairResult,
    Statement,
    TraceEntry,
)

_HEAD = {
    "zh": {"determination": "失信行为认定", "listing": "列入严重失信主体名单", "outcome": "结论", "reasons": "理由",
           "rule": "规则", "status": "结果", "citation": "依据", "message": "说明", "period": "期限",
           "document": "决定书应载明", "removal": "移出条件", "remedies": "救济途径", "obligations": "应履行义务",
           "leniency": "宽容审慎", "warnings": "提示", "subject": "主体", "editions": "目录版本",
           "supervision": "信用分级分类监管", "measures": "失信惩戒措施", "applied": "适用", "refused": "不予适用",
           "notice": "事先告知应载明", "undetermined": "待核实", "case": "案件", "as_of": "判断日期", "jurisdiction": "行政区划",
           "rules": "规则集", "backend": "判断引擎", "measure": "措施", "target": "对象", "detail": "期限 / 理由", "basis": "依据",
           "facts_read": "读取的事实", "regime": "认定标准", "need": "应为", "barred": "排除情形", "unverified_flag": "未核实",
           "definitions": "定义", "undetermined_by": "待核实（无法判定的规则）", "missing": "缺少的事实",
           "rests_on_unverified": "未经核实的依据"},
    "en": {"determination": "Determination of the dishonest act", "listing": "Serious dishonesty list", "outcome": "Outcome",
           "reasons": "Reasons", "rule": "rule", "status": "status", "citation": "citation", "message": "message",
           "period": "Period", "document": "Decision document must state", "removal": "Removal conditions",
           "remedies": "Remedies", "obligations": "Obligations", "leniency": "Leniency", "warnings": "Warnings",
           "subject": "Subject", "editions": "Catalog editions",
           "supervision": "Supervision by credit tier", "measures": "Punishment measures", "applied": "applied", "refused": "refused",
           "notice": "Prior notice must state", "undetermined": "undetermined", "case": "case", "as_of": "as-of",
           "jurisdiction": "jurisdiction", "rules": "rules", "backend": "backend", "measure": "measure", "target": "target",
           "detail": "period / reasons", "basis": "basis", "facts_read": "facts read", "regime": "Regime", "need": "need",
           "barred": "barred by", "unverified_flag": "unverified", "definitions": "Definitions",
           "undetermined_by": "Undetermined by", "missing": "Missing facts", "rests_on_unverified": "Rests on unverified data"},
}

_OUTCOME_ZH = {
    "valid": "成立", "invalid": "不成立", "allowed": "准予", "refused": "不予", "focus_list_only": "仅可列入重点关注对象名单",
    "repairable": "可以修复", "not_yet": "暂不能修复", "not_repairable": "不能修复", "undetermined": "待核实",
}
"""Outcome words of the Chinese report; the JSON keeps the codes (``Outcome``)."""

_MARK = {
    "zh": {"passed": "通过", "refuse": "不通过", "not_applicable": "不适用", "unknown": "待核实", "defer": "暂缓",
           "focus_list": "降为重点关注", "lenient": "从宽", "obligation": "应履行", "warn": "提示"},
    "en": {"passed": "pass", "refuse": "FAIL", "not_applicable": "n/a", "unknown": "UNKNOWN", "defer": "defer",
           "focus_list": "focus_list", "lenient": "lenient", "obligation": "obligation", "warn": "warn"},
}
"""The status column: a rule's status, or for a failed rule the effect it applied."""

_CRITERION = {"zh": {"met": "满足", "missed": "未满足", "n/a": "不适用"}, "en": {"met": "met", "missed": "missed", "n/a": "n/a"}}


def outcome_word(outcome: Outcome | str, lang: str) -> str:
    """An outcome as the report in *lang* words it (the code itself in English)."""
    code = outcome.value if isinstance(outcome, Outcome) else outcome
    return _OUTCOME_ZH.get(code, code) if lang == "zh" else code


def status_mark(entry: TraceEntry, lang: str) -> str:
    """The status column of one trace row."""
    key = entry.effect.value if entry.status.value == "failed" else entry.status.value
    return _MARK[lang].get(key, key)


def statement_lines(items: Sequence[Statement], lang: str, indent: str = "     ") -> list[str]:
    """Structured statements, one per line, in *lang* only: ``- text [citation]``."""
    return [f"{indent}- {item.text(lang)}" + (f" [{item.citation}]" if item.citation else "") for item in items]


def _fact_value(value: object) -> str:
    if value is None:
        return "?"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (set, frozenset, list, tuple)):
        return "[" + ", ".join(sorted(_fact_value(v) for v in value)) + "]"
    return str(value)


def facts_line(entry: TraceEntry, lang: str) -> str:
    """``name = value`` of every fact a rule read (what makes a failed or unknown row checkable by hand)."""
    read = ", ".join(f"{k} = {_fact_value(v)}" for k, v in entry.facts.items())
    return f"{_HEAD[lang]['facts_read']}: {read}"


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
    """The rules consulted, one row each: rule, status (or the effect that applied), citation, message.

    Under each failed or unknown row, the facts the rule read with their
    values, so the report alone shows why it failed (as the JSON trace does).
    """
    rows: list[tuple[str, ...]] = [header]
    for t in trace:
        rows.append((t.rule, status_mark(t, lang), t.citation, t.message_zh if lang == "zh" else t.message_en))
    lines = table(rows)
    out = ["   " + lines[0]]
    for t, line in zip(trace, lines[1:], strict=True):
        out.append("   " + line)
        if t.status.value in ("failed", "unknown") and t.facts:
            out.append("       " + facts_line(t, lang))
    return out


def undetermined_lines(undetermined_by: Sequence[str], missing: Sequence[str], unverified: Sequence[str], lang: str) -> list[str]:
    """Why an answer is undetermined (待核实) and what unverified data it rests on."""
    h = _HEAD[lang]
    lines: list[str] = []
    if undetermined_by:
        lines.append(f"   {h['undetermined_by']}: {', '.join(undetermined_by)}")
    if missing:
        lines.append(f"   {h['missing']}: {', '.join(missing)}")
    if unverified:
        lines.append(f"   {h['rests_on_unverified']}: {'; '.join(unverified)}")
    return lines


def definition_lines(definitions: Sequence[DefinitionEntry], lang: str) -> list[str]:
    """Each definition the rules used: its value, the case or exception that gave it, and its citation."""
    if not definitions:
        return []
    lines = [f"   {_HEAD[lang]['definitions']}:"]
    for d in definitions:
        value = _fact_value(d.value)
        how = d.case or (d.decided_by if d.decided_by != d.id else "")
        how = f" ({how})" if how else ""
        aside = f" ≻ {', '.join(reversed(d.set_aside))}" if d.set_aside else ""
        lines.append(f"     {d.id} = {value}{how}{aside} [{d.citation}]")
        for p in d.params:
            lines.append(f"       {p.name} = {_fact_value(p.value)} [{p.citation} @{p.at.isoformat()}]")
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
    lines = [f"== {h[result.question]}: {h['outcome']} = {outcome_word(result.outcome, lang)}"]
    if result.reasons:
        lines.append(f"   {h['reasons']}: {', '.join(result.reasons)}")
    for key, values in (("leniency", result.leniency), ("obligations", result.obligations), ("warnings", result.warnings)):
        if values:
            lines.append(f"   {h[key]}: {', '.join(values)}")
    lines += undetermined_lines(result.undetermined_by, result.missing, result.unverified, lang)
    lines += trace_table(result.trace, lang, (h["rule"], h["status"], h["citation"], h["message"]))
    lines += definition_lines(result.definitions, lang)
    if result.criteria:
        lines.append(f"   {h['regime']} {result.regime}:")
        marks = _CRITERION[lang]
        width = max(_width(m) for m in marks.values())
        for c in result.criteria:
            mark = marks["met" if c.met else ("missed" if c.conduct_matches else "n/a")]
            miss = "; ".join(f"{s.quantity} {s.actual or '?'} ({h['need']} {s.required})" for s in c.shortfalls)
            barred = f" {h['barred']} {', '.join(c.barred_by)}" if c.barred_by else ""
            flag = "" if c.verified else f" [{h['unverified_flag']}]"
            pad = " " * (width - _width(mark))
            lines.append(f"     - {mark}{pad} {c.criterion} ({c.article}){flag} {miss}{barred}".rstrip())
    if result.period is not None:
        p = result.period
        end = p.end.isoformat() if p.end else "—"
        lines.append(f"   {h['period']}: {p.start.isoformat()} → {end} ({p.citation})")
    for key, items in (("document", result.decision_document_must_state), ("removal", result.removal_conditions), ("remedies", result.remedies)):
        if items:
            lines.append(f"   {h[key]}:")
            lines += statement_lines(items, lang)
    return lines


def _measures(result: MeasuresResult, lang: str) -> list[str]:
    h = _HEAD[lang]
    head = f"== {h['measures']}: {len(result.applied)} {h['applied']}, {len(result.refused)} {h['refused']}"
    if result.undetermined:
        head += f", {len(result.undetermined)} {h['undetermined']}"
    lines = [head]
    rows: list[tuple[str, ...]] = [(h["measure"], h["target"], h["outcome"].lower(), h["detail"], h["basis"])]
    for m in [*result.applied, *result.refused, *result.undetermined]:
        name = _clip((m.name_zh if lang == "zh" else m.name_en) or m.measure, 40)
        if m.outcome.value == "allowed":
            end = m.end.isoformat() if m.end else "—"
            detail = f"{m.start.isoformat() if m.start else ''} → {end}"
            if m.obligations:
                detail += " (" + ", ".join(m.obligations) + ")"
        elif m.outcome is Outcome.undetermined:
            detail = ", ".join(m.missing or m.undetermined_by)
        else:
            detail = ", ".join(m.reasons)
        cited = sorted({t.citation for t in m.trace if t.rule in m.fired}) if m.fired else []
        allowed = m.outcome.value == "allowed"
        word = h["applied"] if allowed else h["undetermined"] if m.outcome is Outcome.undetermined else h["refused"]
        target = "主体" if lang == "zh" and m.target == "subject" else m.target
        rows.append((name, target, word, detail, (m.basis or "") if allowed else "; ".join(cited)))
    lines += ["   " + line for line in table(rows)]
    flagged = [m for m in [*result.applied, *result.refused, *result.undetermined] if m.unverified]
    if flagged:  # what each answer rests on that the catalogs do not confirm (a list, an entry, a trigger)
        lines.append(f"   {h['rests_on_unverified']}:")
        for m in flagged:
            who = m.measure if m.target == "subject" else f"{m.measure}@{m.target}"
            lines.append(f"     - {who}: {'; '.join(m.unverified)}")
    if result.prior_notice_must_state:
        lines.append(f"   {h['notice']}:")
        lines += statement_lines(result.prior_notice_must_state, lang)
    return lines


def _repair(r: RepairResult, lang: str) -> list[str]:
    zh = lang == "zh"
    lines = [f"== {'信用修复' if zh else 'Credit repair'}: {outcome_word(r.outcome, lang)}"]
    if r.regime is not None:
        why = f"{r.regime.citation}" if zh else r.regime.chosen_by
        lines.append(f"   {'适用办法' if zh else 'Regime'}: {r.regime.name_zh} ({why})")
    if r.earliest_date:
        lines.append(f"   {'最早可修复日期' if zh else 'Earliest date'}: {r.earliest_date.isoformat()}")
    if r.publication_ends:
        lines.append(f"   {'公示截止' if zh else 'Publication ends'}: {r.publication_ends.isoformat()}")
    if r.deletion_deadline:
        lines.append(f"   {'删除期限' if zh else 'Delete by'}: {r.deletion_deadline.isoformat()}")
    if r.unmet_conditions:
        lines.append(f"   {'未满足的条件' if zh else 'Unmet conditions'}:")
        lines += statement_lines(r.unmet_conditions, lang)
    for title_zh, title_en, values in (
        ("应履行义务", "Obligations", r.obligations),
        ("修复效果", "Effects", [_pair(v, lang) for v in r.effects]),
        ("未经核实的数据", "Unverified data used", r.unverified),
    ):
        if values:
            lines.append(f"   {title_zh if zh else title_en}:")
            lines += [f"     - {v}" for v in values]
    if r.answer_deadline:
        lines.append(f"   {'办理期限' if zh else 'Answer deadline'}: {_stated_with_citation(r.answer_deadline, lang)}")
    lines.append(f"   {'费用' if zh else 'Fee'}: {_stated_with_citation(r.fee, lang)}")
    return lines


def _pair(text: str, lang: str) -> str:
    """One side of a catalog text written ``中文 / English`` (a repair regime's effects)."""
    zh, sep, en = text.partition(" / ")
    return (en if lang == "en" else zh) if sep else text


def _stated_with_citation(item: Statement, lang: str) -> str:
    """A statement in *lang* with its citation (full-width brackets in Chinese)."""
    text = item.text(lang)
    if not item.citation:
        return text
    return f"{text}（{item.citation}）" if lang == "zh" else f"{text} ({item.citation})"


def render_text(decision: Decision, lang: str = "zh") -> str:
    h = _HEAD[lang]
    s = decision.subject
    lines = [
        f"{h['case']} {decision.case_id}  {h['as_of']} {decision.as_of.isoformat()}  {h['jurisdiction']} {decision.jurisdiction}",
        f"{h['subject']}: {s.name} ({s.kind}) {s.identifier or ''}".rstrip(),
        f"{h['rules']} {decision.ruleset} {decision.ruleset_version}  {h['backend']} {decision.backend}",
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
