"""Rule files (YAML under ``rules/``) and the compiled rule set."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field, model_validator

from ..model.case import Question
from ..model.decision import Effect, Statement
from ..model.legal import maintainer_notes
from .definitions import DefinitionSet
from .language import Condition, Predicate
from .._empty import empty_list


class Principle(StrEnum):
    legality = "legality"  # 依法依规
    procedure = "procedure"  # 程序
    authority = "authority"  # 认定主体
    leniency = "leniency"  # 宽容审慎
    proportionality = "proportionality"  # 过惩相当
    relevance = "relevance"  # 关联
    transition = "transition"  # 过渡期
    consistency = "consistency"  # 红黑名单衔接
    correction = "correction"  # 纠错


class Messages(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    zh: str = Field(min_length=1)
    en: str = Field(min_length=1)


class RuleSpec(BaseModel):
    """One rule as written in YAML (conditions are parsed separately)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=r"^[A-Z][A-Za-z0-9]*(\.[a-z0-9_]+)+$", description="e.g. C2.national_standard_form")
    question: Question
    principle: Principle
    source: str = Field(min_length=2, description="the paragraph the rule rests on, e.g. 49号(七)")
    also_cites: list[str] = Field(default_factory=empty_list)
    reason: str = Field(pattern=r"^[a-z][a-z0-9_]*$", description="reason code when the effect applies")
    effect: Effect
    obligation: str | None = Field(None, pattern=r"^[a-z][a-z0-9_]*$")
    in_force_from: date | None = None
    in_force_to: date | None = None
    when: object | None = None
    require: object
    message: Messages
    notes: list[str] = maintainer_notes()

    @model_validator(mode="after")
    def _obligation_named(self) -> RuleSpec:
        if (self.effect is Effect.obligation) != (self.obligation is not None):
            raise ValueError("obligation: name it exactly when effect is 'obligation'")
        return self


class RuleFile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    jurisdiction: str = Field("000000", pattern=r"^\d{6}$")
    title: str | None = None
    definitions: list[dict[str, object]] = Field(default_factory=empty_list, description="named, cited legal concepts rules read")
    rules: list[dict[str, object]] = Field(default_factory=empty_list)


class DocumentItem(BaseModel):
    """Something a listing decision document must state (49号(八))."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    zh: str
    en: str
    citation: str
    jurisdiction: str = Field("000000", pattern=r"^\d{6}$", description="the locality whose rule requires it (binds only there)")

    def statement(self) -> Statement:
        """The item as results carry it: data (id, zh, en, citation); the renderers word it."""
        return Statement(id=self.id, zh=self.zh, en=self.en, citation=self.citation)


class Manifest(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str
    version: str
    description: str | None = None
    listing_decision_document: list[DocumentItem] = Field(default_factory=empty_list)
    measure_prior_notice: list[DocumentItem] = Field(default_factory=empty_list)


@dataclass(frozen=True)
class Rule:
    """A loaded, checked and compiled rule."""

    spec: RuleSpec
    jurisdiction: str
    when: Condition | None
    require: Condition
    when_fn: Predicate | None
    require_fn: Predicate
    reads: tuple[str, ...]
    file: str
    line: int | None

    @property
    def id(self) -> str:
        return self.spec.id

    def in_force(self, on: date) -> bool:
        s = self.spec
        return (s.in_force_from is None or s.in_force_from <= on) and (s.in_force_to is None or on <= s.in_force_to)


@dataclass(frozen=True)
class RuleSet:
    name: str
    version: str
    rules: tuple[Rule, ...]
    by_question: dict[Question, tuple[Rule, ...]] = field(default_factory=dict)
    decision_document: tuple[Statement, ...] = ()
    measure_notice: tuple[tuple[str, Statement], ...] = ()
    """(jurisdiction, item): what must be told before a measure, where a rule of that jurisdiction says so."""
    definitions: DefinitionSet = field(default_factory=DefinitionSet)
    content_hash: str = ""
    """sha256 over every rule file's path and parsed content: a decision names the rule set it used."""

    def rule(self, ident: str) -> Rule:
        for r in self.rules:
            if r.id == ident:
                return r
        raise KeyError(ident)
