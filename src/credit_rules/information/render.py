"""Text reports of information and query decisions (``--format text``).

They print only what the decision already holds, and the decision holds the
subject only through :mod:`credit_rules.masking`, so the text can never show
more than the JSON does.
"""

from __future__ import annotations

from .query import QueryDecision
from ..model.decision import QuestionResult
from ..render import outcome_word, trace_table
from .model import InformationDecision

_HEAD = {
    "zh": {"record": "纳入公共信用信息", "share": "共享", "publish": "公开", "query": "查询", "outcome": "结论",
           "reasons": "理由", "obligations": "应履行义务", "warnings": "提示", "rule": "规则", "status": "结果",
           "citation": "依据", "message": "说明", "subject": "主体", "item": "信息项", "deadline": "公开时限",
           "until": "公开期限至", "published": "可公开内容", "editions": "目录版本", "not_in_catalog": "不在目录中",
           "denied": "超出权限的信息项", "request": "请求", "asked_on": "日期", "jurisdiction": "管辖", "rules": "规则集",
           "backend": "求值后端", "on_time": "按时", "late": "逾期", "withheld": "不予公开", "query_id": "查询", "at": "时间",
           "actor": "查询人", "role": "身份", "purpose": "用途"},
    "en": {"record": "Record as public credit information", "share": "Share", "publish": "Publish", "query": "Query",
           "outcome": "Outcome", "reasons": "Reasons", "obligations": "Obligations", "warnings": "Warnings",
           "rule": "rule", "status": "status", "citation": "citation", "message": "message", "subject": "Subject",
           "item": "Item", "deadline": "Publication deadline", "until": "Published until", "published": "May be published as",
           "editions": "Catalog editions", "not_in_catalog": "not in any catalog in force", "denied": "Items outside the access policy",
           "request": "request", "asked_on": "asked-on", "jurisdiction": "jurisdiction", "rules": "rules", "backend": "backend",
           "on_time": "on time", "late": "LATE", "withheld": "withheld", "query_id": "query", "at": "at", "actor": "actor",
           "role": "role", "purpose": "purpose"},
}


def question_lines(result: QuestionResult, lang: str) -> list[str]:
    h = _HEAD[lang]
    lines = [f"== {h.get(result.question, result.question)}: {h['outcome']} = {outcome_word(result.outcome, lang)}"]
    for key, values in (("reasons", result.reasons), ("obligations", result.obligations), ("warnings", result.warnings)):
        if values:
            lines.append(f"   {h[key]}: {', '.join(values)}")
    return lines + trace_table(result.trace, lang, (h["rule"], h["status"], h["citation"], h["message"]))


def render_information(decision: InformationDecision, lang: str = "zh") -> str:
    """Text report of an :class:`~credit_rules.information.model.InformationDecision`."""
    h = _HEAD[lang]
    s = decision.subject
    lines = [
        f"{h['request']} {decision.request_id}  {h['asked_on']} {decision.asked_on.isoformat()}  {h['jurisdiction']} {decision.jurisdiction}",
        f"{h['subject']}: {s.name} ({s.kind}) {s.identifier or ''}".rstrip(),
        f"{h['rules']} {decision.ruleset} {decision.ruleset_version}  {h['backend']} {decision.backend}",
    ]
    item = decision.item
    if item is None:
        lines.append(f"{h['item']}: {h['not_in_catalog']}")
    else:
        name = item.name_zh if lang == "zh" else item.name_en
        lines.append(f"{h['item']}: {item.id} {name} [{item.scope} {item.catalog.jurisdiction}:{item.catalog.edition}]")
    for result in decision.results():
        lines += [""] + question_lines(result, lang)
    t = decision.publication
    if t is not None:
        if t.deadline is not None:
            timing = f"{h['deadline']}: {t.decision_date} + {t.deadline_working_days} → {t.deadline} ({t.deadline_citation})"
            if t.published_on is not None:
                timing += f"; {t.published_on}: {t.working_days_after_decision} → {h['on_time'] if t.on_time else h['late']}"
            lines += ["", timing]
        if t.until is not None:
            lines.append(f"{h['until']}: {t.until} ({t.period_citation})")
    p = decision.published_record
    if p is not None:
        fields = [p.subject_name, p.identifier, p.item_name_zh, p.document_number, p.summary, ", ".join(p.penalty_kinds), p.bank_account]
        lines += ["", f"{h['published']}: " + " | ".join(f for f in fields if f)]
        if p.withheld:
            lines.append(f"   {h['withheld']}: {', '.join(p.withheld)} ({'; '.join(p.withheld_because)})")
    if decision.warnings:
        lines += ["", f"{h['warnings']}:"] + [f"  - {w}" for w in decision.warnings]
    lines += ["", f"{h['editions']}: " + ", ".join(f"{e.kind}@{e.jurisdiction}:{e.edition}" for e in decision.catalog_editions)]
    return "\n".join(lines) + "\n"


def render_query(decision: QueryDecision, lang: str = "zh") -> str:
    """Text report of a :class:`~credit_rules.information.query.QueryDecision`."""
    h = _HEAD[lang]
    s = decision.subject
    lines = [
        f"{h['query_id']} {decision.query_id}  {h['at']} {decision.at.isoformat()}  {h['actor']} {decision.actor} "
        f"({h['role']} {decision.role}, {h['purpose']} {decision.purpose})",
        f"{h['subject']}: {s.name} ({s.kind}) {s.identifier or ''}".rstrip(),
        f"{h['item']}: " + ", ".join(decision.items),
        "",
        *question_lines(decision.result, lang),
    ]
    if decision.denied_items:
        lines.append(f"   {h['denied']}: {', '.join(decision.denied_items)}")
    if decision.warnings:
        lines += ["", f"{h['warnings']}:"] + [f"  - {w}" for w in decision.warnings]
    return "\n".join(lines) + "\n"
