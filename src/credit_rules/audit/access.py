"""Query access: who may query which information, for what (49号(十三)(十四), 梧州(二十一)(二十二)).

Before any query returns information, :func:`decide_query` checks it against
the access policy in force (catalog kind ``information_access_policy``: role
× purpose × category → allowed, a matching ``allowed: false`` wins, anything
unmatched is denied) and against the consent rules for personal information.
The decision is then written to the query register (:mod:`.register`)
whatever its outcome, so refused attempts are reviewable too.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from ..catalog.kinds.information import ACCESS_POLICY, AccessRule, Purpose, QueryRole
from ..catalog.schema import BasisRef
from ..catalog.store import Catalogs
from ..information.catalog import category_of
from ..information.decide import editions
from ..information.facts import carries_personal_information, consent_facts, personal_basis_facts, resolve_basis
from ..information.model import ConsentRecord, Use
from ..model.case import Question
from ..model.decision import EditionRef, Outcome, QuestionResult, SubjectSummary
from ..model.legal import RegionCode
from ..model.subject import Subject
from ..subject_summary import subject_summary
from ..yamlsource import Located

if TYPE_CHECKING:
    from ..engine.decide import Engine


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


@dataclass(frozen=True)
class PolicyAnswer:
    allowed: bool | None
    categories: dict[str, str | None]
    denied: list[str]
    found: bool


def check_policy(catalogs: Catalogs, query: QueryRequest) -> PolicyAnswer:
    """Every requested item's category must be allowed to this role and purpose, with no matching denial."""
    on = query.on
    rules = [e for f in catalogs.layered(ACCESS_POLICY, query.jurisdiction, on) for e in f.entries if isinstance(e, AccessRule)]
    categories = {i: category_of(catalogs, query.jurisdiction, on, i) for i in query.items}
    denied: list[str] = []
    for ident, cat in categories.items():
        matching = [
            r for r in rules
            if query.role in r.roles and query.purpose in r.purposes and cat is not None and ("*" in r.categories or cat in r.categories)
        ]
        if not matching or not all(r.allowed for r in matching):
            denied.append(ident)
    if not rules:
        return PolicyAnswer(None, categories, denied, False)
    return PolicyAnswer(not denied, categories, denied, True)


def decide_query(
    engine: Engine,
    query: QueryRequest,
    *,
    disclosure_basis: str | None = None,
    origin: Located | None = None,
) -> QueryDecision:
    """Check one query before it runs: access policy (F1) and consent for personal information (F2)."""
    on = query.on
    answer = check_policy(engine.catalogs, query)
    warnings: list[str] = []
    if not answer.found:
        warnings.append(f"no information access policy in force on {on} for {query.jurisdiction}")
    basis = resolve_basis(engine.catalogs, query.personal_basis, on, origin, ("personal_basis",))
    touched = list(answer.categories.items())
    facts: dict[str, object] = {
        "query.role": query.role.value,
        "query.purpose": query.purpose.value,
        "query.allowed_by_policy": answer.allowed,
        "subject.kind": query.subject.kind.value,
        "info.personal_information": carries_personal_information(query.subject, False),
        **consent_facts(query.consent, Use.query, query.purpose, touched, on),
        **personal_basis_facts(basis, on),
    }
    ev = engine.evaluate(Question.query, query.jurisdiction, on, facts)
    result = engine.result(Question.query.value, ev, refused=Outcome.refused, ok=Outcome.allowed)
    return QueryDecision(
        query_id=query.query_id,
        at=query.at,
        actor=query.actor,
        role=query.role.value,
        purpose=query.purpose.value,
        jurisdiction=query.jurisdiction,
        subject=subject_summary(query.subject, disclosure_basis),
        items=list(query.items),
        categories=answer.categories,
        denied_items=answer.denied,
        result=result,
        ruleset=engine.ruleset.name,
        ruleset_version=engine.ruleset.version,
        backend=engine.backend.name,
        catalog_editions=editions(engine, query.jurisdiction, on),
        warnings=sorted(set(warnings)),
    )
