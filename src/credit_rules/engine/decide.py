"""The engine: load once, decide many.

``Engine.decide`` is a pure function of (case, catalogs, rules, as-of date):
no wall clock, no network, and byte-identical JSON for the same input.
"""

from __future__ import annotations

import bisect
import functools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from ..catalog.schema import ListingStandard, Period
from ..catalog.store import Catalogs, jurisdiction_chain, load_catalogs
from ..errors import InputError
from ..masking import scrub_text
from ..gcpause import gc_paused
from ..facts.derive import catalog_epoch, determination_facts, legal_basis, listing_facts
from ..model.case import Case, Question
from ..model.decision import (
    CriterionResult,
    Decision,
    Statement,
    EditionRef,
    ListPeriod,
    Outcome,
    QuestionResult,
    TraceEntry,
)
from ..ruleset.loader import load_ruleset
from ..ruleset.model import Rule, RuleSet
from ..shipped import shipped_catalogs_dir, shipped_rules_dir
from ..subject_summary import subject_summary
from ..workdays import WorkingDayCalendar, load_calendar_year, plus_months
from ..catalog.kinds.parameters import Parameters, ParameterView, parameters_of
from ..ruleset.definitions import DefinitionGroup, Used
from ..ruleset.evaluate import Env
from .backend import Backend, PythonBackend
from .compact import FACTS_READ
from .evaluation import Evaluation, answer, question_result
from .measures import decide_measures
from .repair import decide_repair
from .trace import RuleTemplate, TracePlan


def _backend(name: str) -> Backend:
    if name == "python":
        return PythonBackend()
    if name in ("durable", "durable_rules"):
        from .durable_backend import DurableBackend

        return DurableBackend()
    raise ValueError(f"unknown backend {name!r}: expected 'python' or 'durable'")


_MEMO_LIMIT = 4096
"""Entries per lookup cache before it is cleared: memory stays bounded over any batch."""

_RUNS_LIMIT = 1024
"""Whole evaluations remembered (each holds its trace and definition entries, some 10-20 KB): enough for the
cases a service or a test suite decides again, small enough that a stream of new cases stays within the
memory target (docs/performance.md)."""


@dataclass
class _Memo:
    """Per-engine caches of pure lookups, valid for one (catalogs, rule set) pair.

    Every entry is a pure function of its key and of the loaded catalogs and
    rules: which rules apply in a jurisdiction on a date, which catalog
    editions are in force there.  Decisions never depend on whether a lookup
    was cached.  Catalogs are immutable; if ``engine.catalogs`` or
    ``engine.ruleset`` is replaced, the caches start afresh.
    """

    catalogs: Catalogs
    ruleset: RuleSet
    rule_boundaries: tuple[date, ...] = ()
    applicable: dict[tuple[Question, str, int], tuple[Rule, ...]] = field(default_factory=dict)
    used: dict[tuple[str, int], tuple[EditionRef, ...]] = field(default_factory=dict)
    templates: dict[int, RuleTemplate] = field(default_factory=dict)
    trace_plans: dict[int, tuple[Sequence[Rule], TracePlan]] = field(default_factory=dict)
    definitions: dict[tuple[int, tuple[str, ...]], tuple[Sequence[Rule], tuple[DefinitionGroup, ...]]] = field(default_factory=dict)
    edition_lists: dict[tuple[object, ...], tuple[EditionRef, ...]] = field(default_factory=dict)
    listing_details: dict[tuple[object, ...], tuple[ListingStandard, Period, tuple[ListPeriod, tuple[Statement, ...], tuple[Statement, ...]]]] = field(
        default_factory=dict
    )
    """What an allowed listing states besides its outcome, per (standard, ground's period, start, term)."""
    places: dict[str, tuple[Parameters, ParameterView, frozenset[str]]] = field(default_factory=dict)
    """Per jurisdiction: the parameters seen from it and its chain as a set (for the definitions)."""
    checked: dict[int, Case] = field(default_factory=dict)
    """Cases (frozen) whose ids were checked against these catalogs: the same object is not checked twice."""
    inputs: dict[tuple[int, tuple[str, ...]], tuple[Sequence[Rule], _RunInputs]] = field(default_factory=dict)
    runs: dict[tuple[object, ...], tuple[Sequence[Rule], object, object, Evaluation]] = field(default_factory=dict)
    """Whole evaluations of a rule list, keyed by everything they read (see ``Engine._run``)."""


@dataclass(frozen=True)
class _RunInputs:
    """What one rule list's evaluation (rules, and the definitions they and *outputs* read) reads from outside:
    the facts that are no definition (``leaves``), and the names kept in ``Evaluation.facts``: those the rules read
    and every definition evaluated (the outputs a caller asked for among them)."""

    needed: tuple[DefinitionGroup, ...]
    leaves: tuple[str, ...]
    kept: tuple[str, ...]


_CASE_LEAVES: dict[int, tuple[tuple[str, ...], tuple[int, ...]]] = {}
"""Per leaves tuple of a measures evaluation, the positions of the case's facts (not ``measure.*``)."""


def record_facts(recording: dict[str, dict[str, object]], question: Question, names: tuple[str, ...], values: tuple[object, ...]) -> None:
    """Note the facts one evaluation read (for the measures question, those of the case, not of each measure)."""
    into = recording.setdefault(question.value, {})
    if question is Question.measures:
        hit = _CASE_LEAVES.get(id(names))
        if hit is None or hit[0] is not names:  # (the names are held: an id is not reused while kept)
            if len(_CASE_LEAVES) >= _MEMO_LIMIT:
                _CASE_LEAVES.clear()
            hit = _CASE_LEAVES[id(names)] = (names, tuple(i for i, n in enumerate(names) if not n.startswith("measure.")))
        into.update((names[i], values[i]) for i in hit[1])
    else:
        into.update(zip(names, values))


def _rule_boundaries(ruleset: RuleSet) -> tuple[date, ...]:
    """Dates on which some rule comes into or goes out of force (the day after ``in_force_to``)."""
    out: set[date] = set()
    for rule in (*ruleset.rules, *(r for rules in ruleset.by_question.values() for r in rules)):
        spec = rule.spec
        if spec.in_force_from is not None:
            out.add(spec.in_force_from)
        if spec.in_force_to is not None and spec.in_force_to < date.max:
            out.add(spec.in_force_to + timedelta(days=1))
    return tuple(sorted(out))


def _put(cache: dict[Any, Any], key: object, value: object) -> None:
    if len(cache) >= _MEMO_LIMIT:
        cache.clear()
    cache[key] = value


@dataclass(frozen=True)
class EngineSource:
    """Where :meth:`Engine.load` read an engine from (worker processes load the same)."""

    catalogs: tuple[Path, ...]
    rules: Path
    backend: str


class Engine:
    """Catalogs, rules and a calendar, loaded and compiled once."""

    source: EngineSource | None = None
    """Set by :meth:`load`: the directories and backend, so another process can load the same engine."""

    def __init__(
        self, catalogs: Catalogs, ruleset: RuleSet, calendar: WorkingDayCalendar, backend: Backend | None = None,
        parameters: Parameters | None = None,
    ) -> None:
        self.catalogs = catalogs
        self.ruleset = ruleset
        self.calendar = calendar
        self.backend: Backend = backend or PythonBackend()
        self.parameters: Parameters = parameters if parameters is not None else parameters_of(catalogs)
        self._memo_state: _Memo | None = None

    def _memo(self) -> _Memo:
        m = self._memo_state
        cats, rs = self.catalogs, self.ruleset
        if m is None or m.catalogs is not cats or m.ruleset is not rs:
            m = self._memo_state = _Memo(cats, rs, _rule_boundaries(rs))
        return m

    def clear_caches(self) -> None:
        """Forget every remembered lookup, plan and shared result (this engine's and the module-wide ones).

        Decisions never depend on these caches; this exists so tests can prove
        it (the same case decided cold and warm gives byte-identical output),
        and so a long-lived process can drop memory it no longer needs.
        """
        from .. import subject_summary as summaries
        from ..facts import criteria, derive
        from ..identifiers import _parse_uscc
        from . import evaluation, repair, trace

        self._memo_state = None
        self.ruleset.definitions.clear_cache()
        clear = getattr(self.backend, "clear_caches", None)
        if clear is not None:
            clear()
        trace.clear_cache()
        evaluation.clear_cache()
        criteria.clear_cache()
        derive.clear_cache()
        repair.clear_cache()
        summaries.clear_cache()
        _parse_uscc.cache_clear()
        _statements.cache_clear()
        _masked_id.cache_clear()

    def editions_used(self, code: str, on: date) -> tuple[EditionRef, ...]:
        """``catalogs.used(code, on)``, cached per jurisdiction and catalog epoch of *on*."""
        memo = self._memo()
        key = (code, catalog_epoch(self.catalogs, on))
        hit = memo.used.get(key)
        if hit is None:
            hit = tuple(self.catalogs.used(code, on))
            _put(memo.used, key, hit)
        return hit

    def _editions_list(self, code: str, dates: Sequence[date]) -> list[EditionRef]:
        """The catalog editions used on any of *dates*, each once, sorted: cached per jurisdiction and epochs."""
        memo = self._memo()
        lists = memo.edition_lists
        # first by the dates themselves (a repeated case, or a batch of entries on the same dates), then by epochs
        hit = lists.get(by_dates := (code, False, *dates))
        if hit is None:
            key = (code, True, *(catalog_epoch(self.catalogs, d) for d in dates))
            hit = lists.get(key)
            if hit is None:
                editions = {(r.kind, r.jurisdiction, r.edition, r.file): r for d in dates for r in self.editions_used(code, d)}
                hit = tuple(editions[k] for k in sorted(editions))
                _put(lists, key, hit)
            _put(lists, by_dates, hit)
        return list(hit)

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
        with gc_paused():  # everything built here lives as long as the engine: collections would free nothing
            cats = load_catalogs(cat_dirs, relative_to=cat_dirs[0].parent)
            parameters = parameters_of(cats)
            ruleset = load_ruleset(rule_dir, relative_to=rule_dir.parent, parameters=parameters.types())
            calendar = WorkingDayCalendar({y.year: y for y in map(load_calendar_year, cats.calendar_files)})
        engine = cls(cats, ruleset, calendar, _backend(backend), parameters)
        engine.source = EngineSource(tuple(p.resolve() for p in cat_dirs), rule_dir.resolve(), backend)
        return engine

    # ------------------------------------------------------------------ rules

    def evaluate(
        self, question: Question, jurisdiction: str, on: date, facts: Mapping[str, object], outputs: tuple[str, ...] = ()
    ) -> Evaluation:
        """Run the definitions and rules of *question* that apply in *jurisdiction* on *on* over *facts*.

        Returns the trace (every rule consulted), the rules whose effect
        applies (status failed), those left unknown, and every definition the
        rules used.  Question families other than the case questions
        (information, query) call this with facts they derive.  *outputs* names
        definitions the caller reads besides those the rules read (e.g. a measure's
        end date, ``measure_end``).
        """
        return self._run(question, self._applicable(question, jurisdiction, on), facts, jurisdiction, on, outputs)

    def evaluate_definitions(self, names: tuple[str, ...], jurisdiction: str, on: date, facts: Mapping[str, object]) -> Evaluation:
        """Only the named definitions (and those they read) over *facts*, no rules: for callers whose question is a
        single legal concept, such as the listing lifecycle's guards.  Each value is in ``Evaluation.value``, with
        its trace entry in ``used``."""
        return self._run(Question.listing, (), facts, jurisdiction, on, names)

    def definitions_for(self, names: tuple[str, ...]) -> tuple[DefinitionGroup, ...]:
        """The definitions *names* read, directly or through others, themselves included, in evaluation order."""
        return self._definitions_for((), names)

    def _applicable(self, question: Question, code: str, on: date) -> tuple[Rule, ...]:
        memo = self._memo()
        # rules apply by jurisdiction and by date, through their in-force dates only
        key = (question, code, bisect.bisect_right(memo.rule_boundaries, on))
        hit = memo.applicable.get(key)
        if hit is None:
            chain = set(jurisdiction_chain(code))
            hit = tuple(r for r in self.ruleset.by_question[question] if r.jurisdiction in chain and r.in_force(on))
            _put(memo.applicable, key, hit)
        return hit

    def _template(self, rule: Rule) -> RuleTemplate:
        """A rule's template (its trace entries made so far), shared by every rule list holding the rule."""
        memo = self._memo()
        hit = memo.templates.get(id(rule))
        if hit is None or hit.rule is not rule:
            hit = RuleTemplate.of(rule)
            _put(memo.templates, id(rule), hit)
        return hit

    def _run(
        self, question: Question, rules: Sequence[Rule], facts: Mapping[str, object], code: str, on: date, outputs: tuple[str, ...] = ()
    ) -> Evaluation:
        # An evaluation is a pure function of the rule list, *outputs*, the jurisdiction, the date, the loaded
        # catalogs, rules, parameters and calendar, and the values of the facts it reads (rules and definitions):
        # remembered on exactly that, so a case decided again (or an entry whose facts repeat) costs one lookup.
        memo = self._memo()
        found = memo.inputs.get((id(rules), outputs))
        inputs = found[1] if found is not None and found[0] is rules else self._inputs(rules, outputs)
        get = facts.get
        read = tuple(map(get, inputs.leaves))
        recording = FACTS_READ.get()
        if recording is not None:  # a compact decision is being made: note the facts this question read
            record_facts(recording, question, inputs.leaves, read)
        key: tuple[object, ...] | None
        try:
            key = (id(rules), outputs, code, on, read)
            hit = memo.runs.get(key)
        except TypeError:  # a value that cannot be part of a key: evaluate afresh
            key, hit = None, None
        if hit is not None and hit[0] is rules and hit[1] is self.parameters and hit[2] is self.calendar:
            return hit[3]
        used: list[Used] = []
        if inputs.needed:
            place = memo.places.get(code)
            if place is None or place[0] is not self.parameters:
                chain = jurisdiction_chain(code)
                place = (self.parameters, self.parameters.for_jurisdiction(chain), frozenset(chain))
                _put(memo.places, code, place)
            env = Env({}, on, place[1], self.calendar, self.catalogs)
            values, used = self.ruleset.definitions.evaluate(inputs.needed, facts, env, place[2])
            facts = {**facts, **values}
            get = facts.get
        statuses = self.backend.statuses(rules, facts)
        trace, fired, unknown = self._trace_plan(rules).run(statuses, facts)
        ev = Evaluation(trace, fired, unknown, used, dict(zip(inputs.kept, map(get, inputs.kept))))
        if key is not None and isinstance(rules, tuple):
            if len(memo.runs) >= _RUNS_LIMIT:
                memo.runs.clear()
            memo.runs[key] = (rules, self.parameters, self.calendar, ev)
        return ev

    def _inputs(self, rules: Sequence[Rule], outputs: tuple[str, ...]) -> _RunInputs:
        """The definitions a rule list (and *outputs*) needs and the outside names its evaluation reads; once per list."""
        memo = self._memo()
        key = (id(rules), outputs)
        hit = memo.inputs.get(key)
        if hit is not None and hit[0] is rules:
            return hit[1]
        needed = self._definitions_for(rules, outputs)
        defined = {g.id for g in needed}
        rule_reads = tuple(dict.fromkeys(n for r in rules for n in r.reads))
        leaves = tuple(n for n in dict.fromkeys([*rule_reads, *(n for g in needed for n in g.reads)]) if n not in defined)
        found = _RunInputs(needed, leaves, tuple(dict.fromkeys([*rule_reads, *(g.id for g in needed)])))
        if isinstance(rules, tuple):
            _put(memo.inputs, key, (rules, found))
        return found

    def _definitions_for(self, rules: Sequence[Rule], outputs: tuple[str, ...] = ()) -> tuple[DefinitionGroup, ...]:
        """The definitions a rule list (and *outputs*) read, directly or through others, in evaluation order;
        worked out once per list."""
        memo = self._memo()
        key = (id(rules), outputs)
        hit = memo.definitions.get(key)
        if hit is not None and hit[0] is rules:
            return hit[1]
        unknown = [o for o in outputs if o not in self.ruleset.definitions.groups]
        if unknown:
            raise KeyError(f"the rule set defines no {', '.join(unknown)}")
        names = list(dict.fromkeys([*(n for r in rules for n in r.reads), *outputs]))
        needed = self.ruleset.definitions.needed(names)
        if isinstance(rules, tuple):
            _put(memo.definitions, key, (rules, needed))
        return needed

    def _trace_plan(self, rules: Sequence[Rule]) -> TracePlan:
        """The trace plan of a rule list, made once per list (the lists come from ``_applicable``)."""
        memo = self._memo()
        hit = memo.trace_plans.get(id(rules))
        if hit is not None and hit[0] is rules:
            return hit[1]
        plan = TracePlan(rules, self._template)
        if isinstance(rules, tuple):  # a list could change under the same identity
            _put(memo.trace_plans, id(rules), (rules, plan))
        return plan

    # --------------------------------------------------------------- deciding

    def decide(
        self, case: Case, as_of: date | None = None, *, disclosure_basis: str | None = None, check_ids: bool = True
    ) -> Decision:
        """Decide every question the case asks, as of *as_of* (default: the case's own).

        ``disclosure_basis`` names the law or consent that allows personal
        identifiers (the subject, and a ``case_id`` shaped like one) to appear
        unmasked; without it they are masked.

        Every id the case names is first checked against the loaded catalogs
        (:func:`~credit_rules.case_ids.require_case_ids`): a misspelled
        conduct, standard or measure raises :class:`InputError` with a
        did-you-mean, never a legal refusal.  ``check_ids=False`` is for
        callers that checked already with a better location (the CLI, the
        batch, the fixture runner) or that compare catalog states in which an
        id may exist on one side only (``diff``).
        """
        if check_ids:
            memo = self._memo()
            if memo.checked.get(id(case)) is not case:
                from ..case_ids import require_case_ids

                require_case_ids(case, self.catalogs, "(case)")
                _put(memo.checked, id(case), case)
        on = as_of or case.as_of
        if on is None:
            raise InputError.one("(case)", None, "as_of", "an as-of date in the case or from the caller (decisions never read the clock)")
        asked = case.asked()
        empty = [q.value for q in asked if not self.ruleset.by_question.get(q)]
        if empty:  # a rule set without the rules of a question would answer it "allowed" by default: fail closed
            raise InputError.one(
                "(rules)", None, "questions", f"a rule set with rules for every question asked ({', '.join(empty)} has none)", self.ruleset.name
            )
        warnings: list[str] = []
        base = determination_facts(case, self.catalogs, on)
        if base["subject.uscc_check_mismatch"]:  # = case.subject.uscc_check_mismatch, parsed once
            warnings.append("uscc_check_mismatch_registry_confirmed")
        ev = self.evaluate(Question.determination, case.jurisdiction, on, base)
        determination = self.result("determination", ev, refused=Outcome.invalid, ok=Outcome.valid)
        valid = None if determination.outcome is Outcome.undetermined else determination.outcome is Outcome.valid
        base = {**base, "determination.valid": valid, "determination.lenient": bool(determination.leniency)}
        edition_dates = [on]
        listing = None
        if Question.listing in asked and case.listing is not None:
            derived = listing_facts(case, self.catalogs, base)
            warnings += derived.warnings
            on_listing = case.listing.decision_date
            ev = self.evaluate(Question.listing, case.jurisdiction, on_listing, derived.facts, ("list_term_years",))
            extra: dict[str, Any] = {}
            std = derived.standard
            if std is not None:
                extra = {"regime": std.id, "criteria": list(derived.criteria)}
            found = answer(ev, refused=Outcome.refused, ok=Outcome.allowed)
            if std is not None and derived.period is not None and found["outcome"] is Outcome.allowed:
                term = ev.value("list_term_years")
                extra.update(self._listing_details(std, derived.period, on_listing, term if isinstance(term, int) else None))
                extra["unverified"] = sorted({*found["unverified"], *_unverified_terms(std, derived.period)})
            elif std is not None and found["outcome"] is Outcome.undetermined and ev.value("criterion_met") is None and (
                held := _unverified_criteria_held(derived.criteria)
            ):
                extra["unverified"] = sorted({*found["unverified"], *held})
            listing = self.result("listing", ev, refused=Outcome.refused, ok=Outcome.allowed, **extra)  # built once, details and all
            edition_dates.append(on_listing)
        measures = None
        if Question.measures in asked and case.measures is not None:
            measures = decide_measures(self, case, base, determination, listing, disclosure_basis)
        repair = None
        if Question.repair in asked and case.repair is not None:
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
            ev = self.evaluate(Question.supervision, case.jurisdiction, on, facts)
            supervision = self.result("supervision", ev, refused=Outcome.refused, ok=Outcome.allowed)
        return Decision(
            case_id=_masked_id(case.case_id, disclosure_basis),  # an id shaped like a resident ID is masked
            as_of=on,
            jurisdiction=case.jurisdiction,
            subject=subject_summary(case.subject, disclosure_basis, registration=True),
            ruleset=self.ruleset.name,
            ruleset_version=self.ruleset.version,
            ruleset_hash=self.ruleset.content_hash,
            catalogs_hash=self.catalogs.content_hash,
            backend=self.backend.name,
            catalog_editions=self._editions_list(case.jurisdiction, edition_dates),
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
        ev: Evaluation,
        *,
        refused: Outcome,
        ok: Outcome,
        deferred: Outcome | None = None,
        **extra: Any,
    ) -> QuestionResult:
        """A question's result from its evaluation (outcome, reasons, leniency, obligations, warnings,
        what is undetermined and missing, the definitions used)."""
        return question_result(question, ev, refused=refused, ok=ok, deferred=deferred, **extra)

    def _listing_details(self, std: ListingStandard, period: Period, start: date, years: int | None) -> dict[str, Any]:
        """What an allowed listing decision states besides the outcome: period, removal, remedies (49号(八)).

        *years* is the definition ``list_term_years`` (the term the decision set, which the listing rules have
        checked, else the fixed term of the ground the listing rests on; none: no fixed term); *period* is that
        ground's period in the catalog, for its citation and extension.
        """
        memo = self._memo().listing_details
        key = (id(std), id(period), start, years, years.__class__)  # (True == 1: the class tells them apart)
        hit = memo.get(key)
        if hit is None or hit[0] is not std or hit[1] is not period:  # a pure function of the key: made once, shared
            basis = legal_basis(self.catalogs, std.basis.legal_basis, start)  # the catalogs' lookup, remembered per epoch
            cited = f"《{basis.title_zh}》" if basis else std.basis.legal_basis  # the document; their articles vary
            made = (
                ListPeriod(
                    start=start, end=plus_months(start, 12 * years) if years else None, years=years,
                    extendable_years=period.extendable_years, citation=period.citation,
                ),
                # the standard states these in Chinese only (verbatim); they rest on the standard's own basis
                _statements("removal_condition", tuple(std.removal_conditions), cited),
                _statements("remedy", tuple(std.remedies), cited),
            )
            hit = (std, period, made)
            _put(memo, key, hit)
        list_period, removal, remedies = hit[2]
        return {
            "decision_document_must_state": list(self.ruleset.decision_document),
            "period": list_period,
            "removal_conditions": list(removal),
            "remedies": list(remedies),
        }


class _PlainIds:
    """The case ids masking leaves as they are, remembered (a case decided again, or under several dates, names
    the same id).  An id that masking changes — it holds something shaped like a resident ID or a mobile number —
    is never remembered: a personal number is kept no longer than the call that reads it."""

    LIMIT = 1024

    def __init__(self) -> None:
        self._seen: set[str] = set()

    def __call__(self, case_id: str, disclosure_basis: str | None) -> str:
        if disclosure_basis:  # a basis shows the id as it is (scrub_text returns it at once)
            return case_id
        if case_id in self._seen:
            return case_id
        shown = scrub_text(case_id)
        if shown == case_id:
            if len(self._seen) >= self.LIMIT:
                self._seen.clear()
            self._seen.add(case_id)
        return shown

    def cache_clear(self) -> None:
        self._seen.clear()


_masked_id = _PlainIds()
"""``scrub_text`` of a case id (:class:`_PlainIds`)."""


def _unverified_terms(std: ListingStandard, period: Period) -> list[str]:
    """The catalog figures an allowed listing states that are not confirmed against their text.

    The period end and the removal conditions an allowed decision states are read from the standard; where the
    catalog marks them ``verified: false`` (a period or early removal taken from a mirror, article not seen) the
    answer says so, as it does for unverified parameters and definitions — never as a silent fact.
    """
    out: list[str] = []
    if not period.verified:
        out.append(f"list_period ({period.citation})")
    early = std.early_removal
    if early is not None and not early.verified:
        out.append(f"early_removal ({early.citation})")
    return out


def _unverified_criteria_held(criteria: Sequence[CriterionResult]) -> list[str]:
    """The criteria an undetermined listing could rest on that are not confirmed against their text.

    The definition ``criterion_met`` leaves the standard unknown (待核实) when only such criteria hold; the answer
    names them, as 'criterion id (article)', beside the unverified parameters and definitions it read. Called only
    where ``criterion_met`` is unknown: where it holds, the listing rests on a confirmed criterion (the answer is
    undetermined for another reason) and none is named — the rule decides, not a copy of it here.
    """
    return [f"{c.criterion} ({c.article})" for c in criteria if c.met and not c.verified]


@functools.lru_cache(maxsize=256)
def _statements(kind: str, texts: tuple[str, ...], citation: str) -> tuple[Statement, ...]:
    """A standard's Chinese-only list (removal conditions, remedies) as statements ``<kind>_<n>``: made once per
    standard's text (a pure function of strings; statements are frozen, so decisions share them)."""
    return tuple(Statement(id=f"{kind}_{n}", zh=text, citation=citation) for n, text in enumerate(texts, 1))
