"""The decision: outcomes, reasons, and a trace of every rule consulted."""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field
from .._empty import empty_dict, empty_list


class RuleStatus(StrEnum):
    passed = "passed"
    failed = "failed"
    not_applicable = "not_applicable"
    unknown = "unknown"  # a fact the rule needs is unknown: neither passed nor failed (fail closed)


class Effect(StrEnum):
    """What a failed rule does to its question's outcome (strongest first)."""

    refuse = "refuse"  # the answer is no
    defer = "defer"  # not yet: a condition or waiting time is unmet
    focus_list = "focus_list"  # not the serious list; at most the focus list (35号(八))
    lenient = "lenient"  # decided, but leniently and prudently (宽容审慎)
    obligation = "obligation"  # the authority must also do something
    warn = "warn"  # noted in the decision; does not change the outcome


class Outcome(StrEnum):
    valid = "valid"
    invalid = "invalid"
    allowed = "allowed"
    refused = "refused"
    focus_list_only = "focus_list_only"
    repairable = "repairable"
    not_yet = "not_yet"
    not_repairable = "not_repairable"
    undetermined = "undetermined"  # 待核实: a fact the law needs is missing or unknown; `missing` names it


class _Out(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Statement(_Out):
    """One thing a result states, as data: what a decision document or prior notice must state,
    a removal condition, a remedy, an unmet repair condition.

    Structured so that API users read fields, not parse text; the text, Markdown
    and HTML renderers choose the language (``zh`` output shows ``zh``, ``en``
    output ``en``).  ``en`` is null where the source is Chinese only — a
    listing standard's verbatim removal conditions and remedies — and renderers
    then show the Chinese text, which is the authoritative one.
    """

    id: str = Field(description="stable id: a manifest item id, a rule's reason code, or '<kind>_<n>' for catalog text")
    zh: str
    en: str | None = Field(None, description="null: the source states it in Chinese only")
    citation: str | None = Field(None, description="the paragraph it rests on")

    def text(self, lang: str) -> str:
        """The statement in *lang* (the Chinese text when there is no English one)."""
        return self.en if lang == "en" and self.en else self.zh

    @classmethod
    def from_rule(cls, entry: TraceEntry) -> Statement:
        """What a failed rule says, as a statement: its reason code, messages and citation."""
        return cls(id=entry.reason, zh=entry.message_zh, en=entry.message_en, citation=entry.citation)


class TraceEntry(_Out):
    rule: str
    status: RuleStatus
    effect: Effect
    principle: str
    reason: str
    citation: str
    also_cites: list[str] = Field(default_factory=empty_list)
    message_zh: str
    message_en: str
    facts: dict[str, object] = Field(default_factory=empty_dict, description="the facts the rule read, with values")


class ParamUse(_Out):
    """A dated parameter a definition read: which value, from which date, on which source."""

    name: str
    value: object
    citation: str
    valid_from: date
    at: date = Field(description="the date the value was read for")
    verified: bool


class DefinitionEntry(_Out):
    """One definition a decision used: its value, why (case or exception), what it read, and its citation."""

    id: str
    value: object = Field(description="null: unknown (a fact it needs is missing, or exceptions conflict)")
    type: str
    citation: str
    also_cites: list[str] = Field(default_factory=empty_list)
    decided_by: str = Field(description="the label of the definition that gave the value: the general rule or an exception")
    case: str | None = Field(None, description="the case (of 'cases') that gave the value")
    set_aside: list[str] = Field(default_factory=empty_list, description="labels of the more general definitions an exception overrode")
    note: str | None = Field(None, description="why the value is unknown, when it is")
    facts: dict[str, object] = Field(default_factory=empty_dict, description="facts and definitions read, with values")
    params: list[ParamUse] = Field(default_factory=empty_list)
    verified: bool = True


class ListPeriod(_Out):
    start: date
    end: date | None = Field(None, description="none: no fixed period (ends on removal)")
    years: int | None = None
    extendable_years: tuple[int, int] | None = None
    citation: str


class Shortfall(_Out):
    quantity: str
    required: str = Field(description="e.g. '>= 1000000 元'")
    actual: str | None = Field(description="the act's value, or none when the case does not give it")
    margin: str | None = Field(None, description="actual minus the threshold")


class CriterionResult(_Out):
    """Whether the act meets one criterion of the regime, and by how much it misses."""

    criterion: str
    article: str
    name_zh: str
    met: bool
    conduct_matches: bool
    shortfalls: list[Shortfall] = Field(default_factory=empty_list)
    barred_by: list[str] = Field(default_factory=empty_list)
    verified: bool
    in_force: bool = Field(True, description="the criterion was in force on the act date; one that was not cannot be met")


class QuestionResult(_Out):
    question: str
    outcome: Outcome
    reasons: list[str] = Field(description="reason codes of the rules whose effect was applied")
    fired: list[str] = Field(description="ids of the rules whose effect was applied")
    leniency: list[str] = Field(default_factory=empty_list)
    obligations: list[str] = Field(default_factory=empty_list)
    warnings: list[str] = Field(default_factory=empty_list)
    undetermined_by: list[str] = Field(default_factory=empty_list, description="rules that could not be decided and leave the outcome undetermined")
    unchecked: list[str] = Field(default_factory=empty_list, description="rules that could not be decided but do not change the outcome")
    missing: list[str] = Field(default_factory=empty_list, description="facts and definitions that were unknown where a rule needed them")
    unverified: list[str] = Field(default_factory=empty_list, description="unverified parameters or definitions this answer rests on")
    definitions: list[DefinitionEntry] = Field(default_factory=empty_list, description="every definition the rules used, with its value and citation")
    trace: list[TraceEntry]
    # listing only
    decision_document_must_state: list[Statement] = Field(
        default_factory=empty_list, description="allowed listing only: what the decision document must state (49号(八))"
    )
    period: ListPeriod | None = None
    removal_conditions: list[Statement] = Field(default_factory=empty_list, description="allowed listing only: the standard's removal conditions")
    remedies: list[Statement] = Field(default_factory=empty_list, description="allowed listing only: the standard's remedies")
    regime: str | None = Field(None, description="listing only: the listing standard (regime) decided under")
    criteria: list[CriterionResult] = Field(default_factory=empty_list, description="listing only: the regime's criteria")


class MeasureResult(_Out):
    """The decision on one measure for one target."""

    measure: str
    name_zh: str | None = None
    name_en: str | None = None
    target: str = Field(description="'subject' or the role of a responsible person")
    outcome: Outcome = Field(description="allowed (applied) or refused")
    reasons: list[str]
    fired: list[str]
    leniency: list[str] = Field(default_factory=empty_list, description="leniency (宽容审慎) this measure is decided with (49号(十六))")
    obligations: list[str] = Field(default_factory=empty_list)
    warnings: list[str] = Field(default_factory=empty_list)
    undetermined_by: list[str] = Field(default_factory=empty_list)
    missing: list[str] = Field(default_factory=empty_list)
    unverified: list[str] = Field(default_factory=empty_list)
    definitions: list[DefinitionEntry] = Field(default_factory=empty_list)
    group: int | None = None
    kind: str | None = None
    basis: str | None = Field(None, description="the law, regulation or policy document and article it cites")
    implementer: str | None = None
    start: date | None = None
    end: date | None = Field(None, description="none: lasts while the listing lasts, or for life when lifetime is true")
    lifetime: bool = Field(False, description="a ban for life (终身禁入) on a ground its own law sets")
    trace: list[TraceEntry]


class MeasuresResult(_Out):
    applied: list[MeasureResult]
    refused: list[MeasureResult]
    undetermined: list[MeasureResult] = Field(default_factory=empty_list, description="measures that cannot be decided: a fact the law needs is missing")
    prior_notice_must_state: list[Statement] = Field(
        default_factory=empty_list, description="what the subject must be told before any measure (梧州(十一))"
    )


class RegimeRef(_Out):
    id: str
    name_zh: str
    citation: str
    chosen_by: str = Field(description="why this regime: the date that matters and the regime's window")


class RepairResult(_Out):
    outcome: Outcome = Field(description="repairable, not_yet or not_repairable")
    regime: RegimeRef | None
    reasons: list[str]
    fired: list[str]
    obligations: list[str] = Field(default_factory=empty_list)
    warnings: list[str] = Field(default_factory=empty_list)
    earliest_date: date | None = Field(None, description="first day an application can succeed on timing")
    publication_ends: date | None = Field(None, description="publication stops automatically (maximum period)")
    unmet_conditions: list[Statement] = Field(default_factory=empty_list, description="what would change the answer")
    methods_accepted: list[str] = Field(default_factory=empty_list)
    effects: list[str] = Field(default_factory=empty_list, description="what a successful repair does")
    answer_deadline: Statement | None = Field(
        None, description="how fast the authority must accept and answer (id answer_deadline), or that it is not confirmed (answer_deadline_not_confirmed)"
    )
    deletion_deadline: date | None = Field(None, description="the list entry must be deleted by this date")
    fee: Statement = Field(
        default_factory=lambda: Statement(id="free_of_charge", zh="免费；收取任何费用均属违法", en="free of charge; any fee is unlawful"),
        description="repair is a free public service (49号(十二))",
    )
    unverified: list[str] = Field(default_factory=empty_list, description="unconfirmed data that decided this answer")
    undetermined_by: list[str] = Field(default_factory=empty_list)
    missing: list[str] = Field(default_factory=empty_list)
    definitions: list[DefinitionEntry] = Field(default_factory=empty_list)
    trace: list[TraceEntry]


class EditionRef(_Out):
    kind: str
    jurisdiction: str
    edition: str
    file: str


class SubjectSummary(_Out):
    kind: str
    name: str = Field(description="masked for natural persons unless a basis or consent is given")
    identifier: str | None = Field(None, description="USCC, or masked resident ID")
    registration_authority: str | None = Field(None, description="USCC position 1: 登记管理部门 (GB 32100)")
    region_code: str | None = Field(None, description="USCC positions 3-8: GB/T 2260 region of the registering authority")
    identifier_warnings: list[str] = Field(default_factory=empty_list)


class Decision(_Out):
    case_id: str
    as_of: date
    jurisdiction: str
    subject: SubjectSummary
    ruleset: str
    ruleset_version: str
    ruleset_hash: str = Field("", description="sha256 of the rule files' content the decision used")
    catalogs_hash: str = Field("", description="sha256 of the catalog files' content the decision used")
    backend: str
    catalog_editions: list[EditionRef]
    determination: QuestionResult | None = None
    listing: QuestionResult | None = None
    measures: MeasuresResult | None = None
    repair: RepairResult | None = None
    supervision: QuestionResult | None = Field(None, description="spot-check tier and duties (obligations) by credit standing")
    warnings: list[str] = Field(default_factory=empty_list)

    def to_json(self) -> str:
        """Stable JSON: same input → byte-identical output (sorted keys, no wall clock)."""
        import json

        return json.dumps(self.model_dump(mode="json"), ensure_ascii=False, sort_keys=True, indent=2) + "\n"
