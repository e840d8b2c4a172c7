"""The listing lifecycle: a pure function from (state, event, date) to a new state.

The transition table is catalog data (``listing_lifecycle``); each
transition's guard is answered by the engine — the listing rules for
``list``, the repair rules for ``repair`` — so a subject can never reach
``listed`` without a notice and a lawful listing decision.  The state stays
with the caller (its own database); nothing here keeps it.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from pydantic import BaseModel, ConfigDict, Field

from .catalog.kinds.lifecycle import Event, State, Transition, guard_problems
from .catalog.store import NATIONAL
from .engine.decide import Engine
from .errors import InputError
from .facts.derive import determination_facts, listing_facts
from .model.case import Case, Question
from .model.decision import Decision, DefinitionEntry, Outcome

LIFECYCLE = "listing_lifecycle"


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class LifecycleEvent(_Model):
    event: Event
    date: date
    objection_well_founded: bool | None = Field(None, description="for answer/correct: verification found the information wrong")


class Step(_Model):
    transition: str
    event: Event
    source: State
    to: State
    date: date
    duties: list[str]
    citation: str


class LifecycleState(_Model):
    state: State = State.candidate
    since: date | None = None
    history: list[Step] = Field(default_factory=list)


class TransitionResult(_Model):
    accepted: bool
    state: LifecycleState
    reasons: list[str] = Field(default_factory=list)
    duties: list[str] = Field(default_factory=list)
    guard: str | None = Field(None, description="the definition that guarded the transition")
    decision: Decision | None = Field(None, description="the engine's decision the guard read, if it read one")
    definitions: list[DefinitionEntry] = Field(
        default_factory=list, description="the guard definition and those it read: values, citations, what decided them"
    )


def transitions(engine: Engine, on: date) -> list[Transition]:
    """The transitions in force on *on*; a guard that names no bool definition of the engine's rules is bad input
    (fail closed: a lifecycle whose guards cannot be judged moves no one)."""
    f = engine.catalogs.in_force(LIFECYCLE, NATIONAL, on)
    if f is None:
        return []
    problems = guard_problems(engine.catalogs, {g.id: str(g.type) for g in engine.ruleset.definitions.groups.values()})
    if problems:
        raise InputError(problems)
    return [e for e in f.entries if isinstance(e, Transition)]


def _listed_on(state: LifecycleState) -> date | None:
    return next((s.date for s in reversed(state.history) if s.to is State.listed), None)


def _needs(engine: Engine, guard: str) -> frozenset[str]:
    """Every name the guard definition reads, directly or through the definitions it reads."""
    groups = engine.definitions_for((guard,))
    return frozenset(n for g in groups for m in g.members() for n in m.reads)


def _decided(engine: Engine, case: Case, question: Question, on: date) -> Decision:
    """The engine's answer to *question* with the case dated *on* (the listing decision or repair application date)."""
    if question is Question.listing:
        assert case.listing is not None
        dated = case.model_copy(update={"listing": case.listing.model_copy(update={"decision_date": on}),
                                        "questions": [Question.determination, Question.listing]})
    else:
        assert case.repair is not None
        dated = case.model_copy(update={"repair": case.repair.model_copy(update={"application_date": on}), "questions": [Question.repair]})
    return engine.decide(dated, on)


_Guarded = tuple[bool, list[str], Decision | None, list[DefinitionEntry]]


def _guard(engine: Engine, case: Case, state: LifecycleState, t: Transition, ev: LifecycleEvent) -> _Guarded:
    """Whether the transition's guard — a bool definition in rules/ — is true on the event date.

    Python only gathers the facts of the event date: the case's own (as the listing question reads them on that
    date), the event, and the answers the engine gives on it where the guard reads them.  Unknown is not true: the
    transition is refused with its reason and the names of what is missing.
    """
    if t.guard is None:
        return True, [], None, []
    needs = _needs(engine, t.guard)
    facts: dict[str, object] = determination_facts(case, engine.catalogs, ev.date)
    if case.listing is not None:
        dated = case.model_copy(update={"listing": case.listing.model_copy(update={"decision_date": ev.date})})
        facts = listing_facts(dated, engine.catalogs, facts).facts
    facts.update({"event.date": ev.date, "event.objection_well_founded": ev.objection_well_founded})
    decision: Decision | None = None
    reasons: list[str] = []
    if "lifecycle.listing_outcome" in needs and case.listing is not None:
        decision = _decided(engine, case, Question.listing, ev.date)
        listing = decision.listing
        facts["lifecycle.listing_outcome"] = listing.outcome.value if listing else None
        reasons = list(listing.reasons) if listing else []
    if "lifecycle.repair_outcome" in needs and case.repair is not None:
        decision = _decided(engine, case, Question.repair, ev.date)
        facts["lifecycle.repair_outcome"] = decision.repair.outcome.value if decision.repair else None
        reasons = list(decision.repair.reasons) if decision.repair else []
    if "lifecycle.period_end" in needs or "lifecycle.listed_on" in needs:
        listed = _listed_on(state)
        facts["lifecycle.listed_on"] = listed
        if listed is not None and case.listing is not None:
            decision = _decided(engine, case, Question.listing, listed)
            period = decision.listing.period if decision.listing else None
            facts["lifecycle.period_end"] = period.end if period else None
    ev_result = engine.evaluate_definitions((t.guard,), case.jurisdiction, ev.date, facts)
    value = ev_result.value(t.guard)
    used = list(ev_result.details()["definitions"])
    if value is True:
        return True, [], decision, used
    why = [t.refusal or "guard_not_met", *reasons]
    if value is None:
        why += ["undetermined", *(f"missing:{name}" for name in ev_result.missing((t.guard,)))]
    return False, list(dict.fromkeys(why)), decision, used


def advance(engine: Engine, case: Case, state: LifecycleState, event: LifecycleEvent) -> TransitionResult:
    """Apply *event* to *state*: the new state if a transition allows it and its guard holds."""
    if state.since is not None and event.date < state.since:
        return TransitionResult(accepted=False, state=state, reasons=["event_before_current_state"])
    candidates = [t for t in transitions(engine, event.date) if t.event is event.event and state.state in t.source]
    if not candidates:
        return TransitionResult(accepted=False, state=state, reasons=[f"no_transition_{state.state.value}_{event.event.value}"])
    t = candidates[0]
    ok, reasons, decision, used = _guard(engine, case, state, t, event)
    if not ok:
        return TransitionResult(accepted=False, state=state, reasons=reasons, guard=t.guard, decision=decision, definitions=used)
    step = Step(transition=t.id, event=t.event, source=state.state, to=t.to, date=event.date, duties=t.duties, citation=t.citation)
    duties = list(t.duties)
    if decision is not None and decision.listing is not None and t.event is Event.list:
        duties += decision.listing.obligations
    new = LifecycleState(state=t.to, since=event.date, history=[*state.history, step])
    return TransitionResult(accepted=True, state=new, duties=duties, guard=t.guard, decision=decision, definitions=used)


def run_events(engine: Engine, case: Case, events: Sequence[LifecycleEvent], state: LifecycleState | None = None) -> list[TransitionResult]:
    """Each event applied in turn from *state* (default: a ``candidate``): one result per event, each starting from
    the state the one before left — a refused event leaves it as it was, as it does for a caller keeping the state."""
    current = state if state is not None else LifecycleState()
    out: list[TransitionResult] = []
    for event in events:
        result = advance(engine, case, current, event)
        out.append(result)
        current = result.state
    return out
