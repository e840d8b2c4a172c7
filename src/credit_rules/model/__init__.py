"""Typed inputs and outputs of credit_rules."""

from .act import Act, Gravity, Intent
from .case import Authority, Case, ListingRequest, ListKind, Notice, Objection, Question
from .decision import (
    Decision,
    EditionRef,
    Effect,
    ListPeriod,
    MeasureResult,
    MeasuresResult,
    Outcome,
    QuestionResult,
    RuleStatus,
    SubjectSummary,
    TraceEntry,
)
from .evidence import DocumentKind, EffectiveDocument
from .legal import LegalBasis, LegalForm, Level, Source
from .subject import PersonRole, ResponsiblePerson, Subject, SubjectKind

__all__ = [
    "Act", "Authority", "Case", "Decision", "DocumentKind", "EditionRef", "Effect",
    "EffectiveDocument", "Gravity", "Intent", "LegalBasis", "LegalForm", "Level", "ListKind",
    "ListPeriod", "MeasureResult", "MeasuresResult", "ListingRequest", "Notice", "Objection", "Outcome", "PersonRole", "Question",
    "QuestionResult", "ResponsiblePerson", "RuleStatus", "Source", "Subject", "SubjectKind",
    "SubjectSummary", "TraceEntry",
]
