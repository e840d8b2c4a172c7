"""The service's own response shapes (the decisions themselves are the library's models, unchanged)."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, ConfigDict, Field

from ..model.decision import DefinitionEntry, Outcome, TraceEntry


class _Out(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Health(_Out):
    status: str = Field(description="'ok' once the catalogs and rules are loaded")


class CatalogEdition(_Out):
    kind: str
    jurisdiction: str
    edition: str
    effective_from: date
    effective_to: date | None = None
    file: str


class Version(_Out):
    """What every answer of this service rests on: cite these hashes to say which rule set answered."""

    package_version: str
    ruleset: str
    ruleset_version: str
    ruleset_hash: str = Field(description="sha256 of the rule files' content")
    catalogs_hash: str = Field(description="sha256 of the catalog files' content")
    backend: str
    catalog_editions: list[CatalogEdition]
    generation: int = Field(description="1 at start, +1 on every successful reload")


class ProblemEntry(_Out):
    """One located problem, as the command line reports it."""

    file: str
    line: int | None = None
    field: str
    expected: str
    got: str | None = None
    message: str = Field(description="the command line's one-line message for this problem")


class ProblemDocument(_Out):
    """RFC 9457 problem details; ``problems`` lists the located input problems (422)."""

    model_config = ConfigDict(extra="allow", frozen=True)

    type: str = "about:blank"
    title: str
    status: int
    detail: str
    instance: str | None = None
    problems: list[ProblemEntry] = Field(default_factory=list)


class ExplainedRule(_Out):
    rule: str
    status: str
    effect: str
    citation: str
    reason: str
    message_zh: str
    message_en: str
    facts: dict[str, object]


class ExplainedQuestion(_Out):
    """Why one question came out as it did: the rules whose effect applied or that were left unknown, and the
    definitions they read (with their own citations)."""

    question: str
    outcome: Outcome
    decided_by: list[ExplainedRule] = Field(description="rules whose effect applied (failed) or that could not be decided (unknown)")
    passed: list[str] = Field(description="'rule (citation)' of every rule that was met: with no rule in decided_by, these decided it")
    missing: list[str]
    unverified: list[str]
    definitions: list[DefinitionEntry]
    consulted: int = Field(description="rules consulted in all (the full trace is in POST /decisions)")


class Explanation(_Out):
    case_id: str
    as_of: date
    jurisdiction: str
    ruleset_version: str
    ruleset_hash: str
    catalogs_hash: str
    questions: list[ExplainedQuestion]

    @staticmethod
    def rule(entry: TraceEntry) -> ExplainedRule:
        return ExplainedRule(
            rule=entry.rule, status=entry.status.value, effect=entry.effect.value, citation=entry.citation, reason=entry.reason,
            message_zh=entry.message_zh, message_en=entry.message_en, facts=dict(entry.facts),
        )


class ReloadResult(_Out):
    reloaded: bool
    generation: int
    ruleset_hash: str
    catalogs_hash: str
