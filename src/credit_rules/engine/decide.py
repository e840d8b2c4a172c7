"""The engine: load once, decide many.

``Engine.decide`` is a pure function of (case, catalogs, rules, as-of date):
no wall clock, no network, and byte-identical JSON for the same input.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path

from dateutil.relativedelta import relativedelta

from ..catalog.schema import ListingStandard
from ..catalog.store import Catalogs, jurisdiction_chain, load_catalogs
from ..errors import InputError
from ..identifiers import parse_uscc
from ..facts.derive import determination_facts, listing_facts
from ..masking import mask_subject
from ..model.case import Case, Question
from ..model.decision import (
    Decision,
    Effect,
    ListPeriod,
    Outcome,
    QuestionResult,
    RuleStatus,
    SubjectSummary,
    TraceEntry,
)
from ..ruleset.loader import load_ruleset
from ..ruleset.model import Rule, RuleSet
from ..shipped import shipped_catalogs_dir, shipped_rules_dir
from ..workdays import WorkingDayCalendar, load_calendar_year
from .backend import Backend, PythonBackend


def _backend(name: str) -> Backend:
    if name == "python":
        return PythonBackend()
    if name in ("durable", "durable_rules"):
        from .durable_backend import DurableBackend

        return DurableBackend()
    raise ValueError(f"unknown backend {name!r}: expected 'python' or 'durable'")


class Engine:
    """Catalogs, rules and a calendar, loaded and compiled once."""

    def __init__(self, catalogs: Catalogs, ruleset: RuleSet, calendar: WorkingDayCalendar, backend: Backend | None = None) -> None:
        self.catalogs = catalogs
        self.ruleset = ruleset
        self.calendar = calendar
        self.backend: Backend = backend or PythonBackend()

    @classmethod
    def load(
        cls,
        catalogs: Path | str | Sequence[Path | str] | None = None,
        rules: Path | str | None = None,
        *,
        backend: str = "python",
    ) -> Engine:
        """Load the shipped (or given) catalogs and rules; bad files raise InputError."""
        if catalogs is None:
            cat_dirs = [shipped_catalogs_dir()]
        elif isinstance(catalogs, (str, Path)):
            cat_dirs = [Path(catalogs)]
        else:
            cat_dirs = [Path(c) for c in catalogs]
        rule_dir = Path(rules) if rules is not None else shipped_rules_dir()
        cats = load_catalogs(cat_dirs, relative_to=cat_dirs[0].parent)
        ruleset = load_ruleset(rule_dir, relative_to=rule_dir.parent)
        calendar = WorkingDayCalendar({y.year: y for y in map(load_calendar_year, cats.calendar_files)})
        return cls(cats, ruleset, calendar, _backend(backend))

    # ------------------------------------------------------------------ rules

    def evaluate(self, question: Question, jurisdiction: str, on: date, facts: dict[str, object]) -> tuple[list[TraceEntry], list[Rule]]:
        """Run the rules of *question* that apply in *jurisdiction* on *on* over *facts*.

        Returns the trace (every rule consulted) and the rules whose effect
        applies (status failed).  Question families other than the case
        questions (information, query) call this with facts they derive.
        """
        return self._run(question, self._applicable(question, jurisdiction, on), facts)

    def _applicable(self, question: Question, code: str, on: date) -> list[Rule]:
        chain = set(jurisdiction_chain(code))
        return [r for r in self.ruleset.by_question[question] if r.jurisdiction in chain and r.in_force(on)]

    def _run(self, question: Question, rules: Sequence[Rule], facts: dict[str, object]) -> tuple[list[TraceEntry], list[Rule]]:
        statuses = self.backend.statuses(rules, facts)
        trace: list[TraceEntry] = []
        fired: list[Rule] = []
        for rule, status in zip(rules, statuses, strict=True):
            spec = rule.spec
            trace.append(
                TraceEntry(
                    rule=rule.id,
                    status=status,
                    effect=spec.effect,
                    principle=spec.principle.value,
                    reason=spec.reason,
                    citation=spec.source,
                    also_cites=list(spec.also_cites),
                    message_zh=spec.message.zh,
                    message_en=spec.message.en,
                    facts={name: facts.get(name) for name in rule.reads},
                )
            )
            if status is RuleStatus.failed:
                fired.append(rule)
        return trace, fired

    # --------------------------------------------------------------- deciding

    def decide(self, case: Case, as_of: date | None = None, *, disclosure_basis: str | None = None) -> Decision:
        """Decide every question the case asks, as of *as_of* (default: the case's own).

        ``disclosure_basis`` names the law or consent that allows personal
        identifiers to appear unmasked; without it they are masked.
        """
        on = as_of or case.as_of
        if on is None:
            raise InputError.one("(case)", None, "as_of", "an as-of date in the case or from the caller (decisions never read the clock)")
        asked = case.asked()
        warnings: list[str] = []
        if case.subject.uscc_check_mismatch:
            warnings.append("uscc_check_mismatch_registry_confirmed")
        base = determination_facts(case, self.catalogs, on)
        rules = self._applicable(Question.determination, case.jurisdiction, on)
        trace, fired = self._run(Question.determination, rules, base)
        determination = self._result("determination", trace, fired, refused=Outcome.invalid, ok=Outcome.valid)
        base = {**base, "determination.valid": determination.outcome is Outcome.valid}
        editions = {(r.kind, r.jurisdiction, r.edition, r.file): r for r in self.catalogs.used(case.jurisdiction, on)}
        listing = None
        if Question.listing in asked and case.listing is not None:
            derived = listing_facts(case, self.catalogs, self.calendar, base)
            warnings += derived.warnings
            on_listing = case.listing.decision_date
            rules = self._applicable(Question.listing, case.jurisdiction, on_listing)
            trace, fired = self._run(Question.listing, rules, derived.facts)
            listing = self._result("listing", trace, fired, refused=Outcome.refused, ok=Outcome.allowed)
            if derived.standard is not None:
                listing = listing.model_copy(update={"regime": derived.standard.id, "criteria": list(derived.criteria)})
            if listing.outcome is Outcome.allowed and derived.standard is not None:
                listing = self._listing_details(listing, derived.standard, on_listing)
            editions.update({(r.kind, r.jurisdiction, r.edition, r.file): r for r in self.catalogs.used(case.jurisdiction, on_listing)})
        measures = None
        if Question.measures in asked and case.measures is not None:
            from .measures import decide_measures

            measures = decide_measures(self, case, base, determination, listing, disclosure_basis)
        repair = None
        if Question.repair in asked and case.repair is not None:
            from .repair import decide_repair

            repair = decide_repair(self, case, base)
        supervision = None
        if Question.supervision in asked and case.supervision is not None:
            sup = case.supervision
            facts = {
                **base,
                "supervision.credit_standing": sup.credit_standing.value,
                "supervision.unkept_commitments": sup.unkept_commitments,
                "supervision.rectified_in_time": sup.rectified_in_time,
            }
            trace, fired = self.evaluate(Question.supervision, case.jurisdiction, on, facts)
            supervision = self._result("supervision", trace, fired, refused=Outcome.refused, ok=Outcome.allowed)
        return Decision(
            case_id=case.case_id,
            as_of=on,
            jurisdiction=case.jurisdiction,
            subject=self._subject_summary(case, disclosure_basis),
            ruleset=self.ruleset.name,
            ruleset_version=self.ruleset.version,
            backend=self.backend.name,
            catalog_editions=[editions[k] for k in sorted(editions)],
            determination=determination if Question.determination in asked else None,
            listing=listing,
            measures=measures,
            repair=repair,
            supervision=supervision,
            warnings=sorted(set(warnings)),
        )

    @staticmethod
    def result(
        question: str,
        trace: list[TraceEntry],
        fired: list[Rule],
        *,
        refused: Outcome,
        ok: Outcome,
        deferred: Outcome | None = None,
    ) -> QuestionResult:
        """Outcome, reasons, leniency, obligations and warnings from a trace."""
        return Engine._result(question, trace, fired, refused=refused, ok=ok, deferred=deferred)

    @staticmethod
    def _result(
        question: str,
        trace: list[TraceEntry],
        fired: list[Rule],
        *,
        refused: Outcome,
        ok: Outcome,
        deferred: Outcome | None = None,
    ) -> QuestionResult:
        effects = {r.spec.effect for r in fired}
        if Effect.refuse in effects:
            outcome = refused
        elif Effect.defer in effects:
            outcome = deferred or refused
        elif Effect.focus_list in effects:
            outcome = Outcome.focus_list_only
        else:
            outcome = ok
        applied = [r for r in fired if r.spec.effect is not Effect.warn]
        return QuestionResult(
            question=question,
            outcome=outcome,
            reasons=sorted({r.spec.reason for r in applied}),
            fired=[r.id for r in fired],
            leniency=sorted({r.spec.reason for r in fired if r.spec.effect is Effect.lenient}),
            obligations=sorted({r.spec.obligation for r in fired if r.spec.obligation}),
            warnings=sorted({r.spec.reason for r in fired if r.spec.effect is Effect.warn}),
            trace=trace,
        )

    def _listing_details(self, result: QuestionResult, std: ListingStandard, start: date) -> QuestionResult:
        period = std.period
        end = start + relativedelta(years=period.years) if period.years else None
        return result.model_copy(
            update={
                "decision_document_must_state": list(self.ruleset.decision_document),
                "period": ListPeriod(start=start, end=end, years=period.years, extendable_years=period.extendable_years, citation=period.citation),
                "removal_conditions": list(std.removal_conditions),
                "remedies": list(std.remedies),
            }
        )

    @staticmethod
    def _subject_summary(case: Case, disclosure_basis: str | None) -> SubjectSummary:
        s = case.subject
        name, identifier = mask_subject(
            s.kind.value, s.name, resident_id=s.resident_id, uscc=s.uscc, disclosure_basis=disclosure_basis
        )
        if s.uscc is None:
            return SubjectSummary(kind=s.kind.value, name=name, identifier=identifier)
        info = parse_uscc(s.uscc)
        warnings = []
        if not info.check_ok:
            warnings.append(f"uscc_check_mismatch: expected {info.expected_check}, registry confirmed")
        if not info.authority_verified:
            warnings.append(f"registration_authority_code_unverified: {info.registration_authority}")
        return SubjectSummary(
            kind=s.kind.value,
            name=name,
            identifier=identifier,
            registration_authority=info.registration_authority_name_zh or info.registration_authority,
            region_code=info.region_code,
            identifier_warnings=warnings,
        )
