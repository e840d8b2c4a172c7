"""Query access: who may query which information, for what (49号(十三)(十四), 梧州(二十一)(二十二)).

Before any query returns information, :func:`decide_query` checks it, item by
item, against the access policy in force (catalog kind
``information_access_policy``: role × purpose × category → allowed) and the
consent rules for personal information.  The policy's entries are copied into
facts; that a matching ``allowed: false`` wins and that anything unmatched is
denied is the definition ``access_permitted``, traced and cited like any other.
The decision is then written to the query register (:mod:`.register`)
whatever its outcome, so refused attempts are reviewable too.
"""

from __future__ import annotations

import json
from datetime import date
from typing import TYPE_CHECKING

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from ..catalog.kinds.information import ACCESS_POLICY, AccessRule, Purpose, QueryRole
from ..catalog.schema import BasisRef
from ..catalog.store import Catalogs
from .catalog import category_of
from .decide import editions
from ..engine.evaluation import Evaluation
from .facts import consent_facts, personal_facts, resolve_basis, use_facts
from .model import ConsentRecord, Use
from ..model.case import Question
from ..model.decision import EditionRef, Outcome, QuestionResult, RuleStatus, SubjectSummary
from ..model.legal import RegionCode
from ..model.subject import Subject
from ..ruleset.definitions import Used
from ..subject_summary import subject_summary
from ..yamlsource import Located

if TYPE_CHECKING:
    from ..engine.decide import Engine

#: the definition that decides an item's access (rules/national/gbf-2020-49/information.yaml)
ACCESS = "access_permitted"


class QueryRequest(BaseModel):
    """One query of credit information: who, in which role, why, about whom, which items, when."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    query_id: str
    at: AwareDatetime = Field(description="when the query is made, with its UTC offset; supplied by the caller, never read from a clock")
    actor: str = Field(min_length=1, description="account id of the person querying (not a personal name)")
    role: QueryRole
    purpose: Purpose
    jurisdiction: RegionCode = "000000"
    subject: Subject
    items: list[str] = Field(min_length=1, description="catalog item ids or category ids asked for")
    consent: ConsentRecord | None = None
    personal_basis: BasisRef | None = None

    @property
    def on(self) -> date:
        return self.at.date()


class QueryDecision(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    query_id: str
    at: AwareDatetime
    actor: str
    role: str
    purpose: str
    jurisdiction: str
    subject: SubjectSummary
    items: list[str]
    categories: dict[str, str | None] = Field(description="item or category id → category id (none: unknown)")
    denied_items: list[str] = Field(description="items the access policy does not allow")
    result: QuestionResult
    ruleset: str
    ruleset_version: str
    backend: str
    catalog_editions: list[EditionRef]
    warnings: list[str] = Field(default_factory=list)

    @property
    def allowed(self) -> bool:
        return self.result.outcome is Outcome.allowed

    def to_json(self) -> str:
        return json.dumps(self.model_dump(mode="json"), ensure_ascii=False, sort_keys=True, indent=2) + "\n"


def policy_facts(catalogs: Catalogs, query: QueryRequest) -> dict[str, object]:
    """The access policy's entries for this role and purpose, copied: the categories granted and those denied.

    A lookup, nothing decided: which entries win (a denial over any grant)
    and what an unmatched category gets (nothing) is the definition
    ``access_permitted`` in ``rules/national/gbf-2020-49/information.yaml``.
    No policy in force: both unknown, so the answer is undetermined.
    """
    entries = [e for f in catalogs.layered(ACCESS_POLICY, query.jurisdiction, query.on) for e in f.entries if isinstance(e, AccessRule)]
    if not entries:
        return {"policy.granted_categories": None, "policy.denied_categories": None}
    matching = [e for e in entries if query.role in e.roles and query.purpose in e.purposes]
    return {
        "policy.granted_categories": frozenset(c for e in matching if e.allowed for c in e.categories),
        "policy.denied_categories": frozenset(c for e in matching if not e.allowed for c in e.categories),
    }


def policy_verified(catalogs: Catalogs, query: QueryRequest, category: str | None) -> bool | None:
    """Whether the access-policy entries that decide *category* for this role and purpose are confirmed.

    A lookup, copied into the fact ``policy.verified`` that the definition ``access_permitted`` reads through
    ``verified_by`` (49号(十三)): the matching entries naming the category (or '*') and the policy editions they
    come from must be confirmed (their ``source.verified``); where no entry matches, the answer (not permitted)
    rests on every policy edition in force.  None: no policy in force.
    """
    files = catalogs.layered(ACCESS_POLICY, query.jurisdiction, query.on)
    if not files:
        return None
    matching = [
        (f, e)
        for f in files
        for e in f.entries
        if isinstance(e, AccessRule) and query.role in e.roles and query.purpose in e.purposes
        and ("*" in e.categories or (category is not None and category in e.categories))
    ]
    if not matching:
        return all(f.source_verified is True for f in files)
    return all(e.source.verified and f.source_verified is True for f, e in matching)


_WORST = {RuleStatus.failed: 3, RuleStatus.unknown: 2, RuleStatus.passed: 1, RuleStatus.not_applicable: 0}


def merge_items(evaluations: list[Evaluation]) -> Evaluation:
    """One query's evaluation from those of its items: the query is what its most restricted item allows.

    Each item is judged on its own (the access policy and the consent are per
    item or category); a rule that refuses any item refuses the query, a rule
    unknown for any item leaves it undetermined, and the trace shows, per rule,
    the entry of the item where it was worst.  A loop and a maximum, no law.
    """
    first = evaluations[0]
    trace = [max(entries, key=lambda t: _WORST[t.status]) for entries in zip(*(ev.trace for ev in evaluations), strict=True)]
    fired_ids = {r.id for ev in evaluations for r in ev.fired}
    unknown_ids = {r.id for ev in evaluations for r in ev.unknown} - fired_ids
    rules = {r.id: r for ev in evaluations for r in (*ev.fired, *ev.unknown)}
    order = [t.rule for t in first.trace]
    used: dict[tuple[str, str], Used] = {}
    for ev in evaluations:
        for u in ev.used:
            used.setdefault((u.group.id, repr(sorted(u.read.items(), key=lambda kv: kv[0]))), u)
    facts = {k: (None if any(ev.facts.get(k) is None for ev in evaluations) else v) for k, v in first.facts.items()}
    return Evaluation(
        trace,
        [rules[i] for i in order if i in fired_ids],
        [rules[i] for i in order if i in unknown_ids],
        list(used.values()),
        facts,
    )


def decide_query(
    engine: Engine,
    query: QueryRequest,
    *,
    disclosure_basis: str | None = None,
    origin: Located | None = None,
) -> QueryDecision:
    """Check one query before it runs: access policy (F1) and consent for personal information (F2), item by item."""
    on = query.on
    warnings: list[str] = []
    policy = policy_facts(engine.catalogs, query)
    if policy["policy.granted_categories"] is None:
        warnings.append(f"no information access policy in force on {on} for {query.jurisdiction}")
    basis = resolve_basis(engine.catalogs, query.personal_basis, on, origin, ("personal_basis",))
    base: dict[str, object] = {
        "question.date": on,
        "query.role": query.role.value,
        "query.purpose": query.purpose.value,
        "subject.kind": query.subject.kind.value,
        "info.personal_details_given": False,
        **policy,
        **use_facts(Use.query, query.purpose),
        **consent_facts(query.consent),
        **personal_facts(engine.catalogs, basis, query.jurisdiction, on),
    }
    categories: dict[str, str | None] = {}
    denied: list[str] = []
    evaluations: list[Evaluation] = []
    for ident in query.items:
        category = category_of(engine.catalogs, query.jurisdiction, on, ident)
        categories[ident] = category
        item_facts = {"info.item_id": ident, "info.category_id": category, "policy.verified": policy_verified(engine.catalogs, query, category)}
        ev = engine.evaluate(Question.query, query.jurisdiction, on, {**base, **item_facts}, (ACCESS,))
        evaluations.append(ev)
        if ev.facts.get(ACCESS) is not True:
            denied.append(ident)
    result = engine.result(Question.query.value, merge_items(evaluations), refused=Outcome.refused, ok=Outcome.allowed)
    return QueryDecision(
        query_id=query.query_id,
        at=query.at,
        actor=query.actor,
        role=query.role.value,
        purpose=query.purpose.value,
        jurisdiction=query.jurisdiction,
        subject=subject_summary(query.subject, disclosure_basis),
        items=list(query.items),
        categories=categories,
        denied_items=denied,
        result=result,
        ruleset=engine.ruleset.name,
        ruleset_version=engine.ruleset.version,
        backend=engine.backend.name,
        catalog_editions=editions(engine, query.jurisdiction, on),
        warnings=sorted(set(warnings)),
    )


__all__ = ["QueryDecision", "QueryRequest", "decide_query", "merge_items", "policy_facts", "policy_verified"]
