"""The listing lifecycle: a pure function from (state, event, date) to a new state.

The transition table is catalog data (``listing_lifecycle``); each
transition's guard is answered by the engine — the listing rules for
``list``, the repair rules for ``repair`` — so a subject can never reach
``listed`` without a notice and a lawful listing decision.  The state stays
with the caller (its own database); nothing here keeps it.
"""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, ConfigDict, Field

from .catalog.kinds.lifecycle import Event, Guard, State, Transition
from .catalog.store import NATIONAL
from .engine.decide import Engine
from .model.case import Case, Question
from .model.decision import Decision, Outcome

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
    guard: Guard | None = None
    decision: Decision | None = Field(None, description="the engine's decision that guarded the transition")


def transitions(engine: Engine, on: date) -> list[Transition]:
    f = engine.catalogs.in_force(LIFECYCLE, NATIONAL, on)
    return [e for e in f.entries if isinstance(e, Transition)] if f else []


def _listed_on(state: LifecycleState) -> date | None:
    return next((s.date for s in reversed(state.history) if s.to is State.listed), None)


def _guard(engine: Engine, case: Case, state: LifecycleState, t: Transition, ev: LifecycleEvent) -> tuple[bool, list[str], Decision | None]:
    listing = case.listing
    if t.guard is Guard.none:
        return True, [], None
    if t.guard is Guard.notice_complete:
        n = listing.notice if listing else None
        ok = n is not None and n.given_on <= ev.date and n.states_reasons and n.states_basis and n.states_rights
        return ok, [] if ok else ["notice_incomplete"], None
    if t.guard is Guard.objection_well_founded:
        ok = bool(ev.objection_well_founded)
        return ok, [] if ok else ["objection_not_well_founded"], None
    if t.guard is Guard.document_revoked:
        doc = case.act.document
        ok = doc is not None and doc.revoked is not None and doc.revoked <= ev.date
        return ok, [] if ok else ["document_not_revoked"], None
    if listing is None:
        return False, ["no_listing_request"], None
    if t.guard is Guard.listing_allowed:
        dated = case.model_copy(update={"listing": listing.model_copy(update={"decision_date": ev.date}), "questions": [Question.determination, Question.listing]})
        d = engine.decide(dated, ev.date)
        ok = d.listing is not None and d.listing.outcome is Outcome.allowed
        return ok, [] if ok else (d.listing.reasons if d.listing else ["listing_not_decided"]), d
    if t.guard is Guard.period_ended:
        listed = _listed_on(state)
        if listed is None:
            return False, ["never_listed"], None
        dated = case.model_copy(update={"listing": listing.model_copy(update={"decision_date": listed}), "questions": [Question.determination, Question.listing]})
        d = engine.decide(dated, listed)
        end = d.listing.period.end if d.listing and d.listing.period else None
        ok = end is not None and ev.date >= end
        return ok, [] if ok else ["period_not_ended"], d
    if t.guard is Guard.repair_allowed:
        if case.repair is None:
            return False, ["no_repair_request"], None
        dated = case.model_copy(update={"repair": case.repair.model_copy(update={"application_date": ev.date}), "questions": [Question.repair]})
        d = engine.decide(dated, ev.date)
        ok = d.repair is not None and d.repair.outcome is Outcome.repairable
        return ok, [] if ok else (d.repair.reasons if d.repair else ["repair_not_decided"]), d
    raise AssertionError(t.guard)


def advance(engine: Engine, case: Case, state: LifecycleState, event: LifecycleEvent) -> TransitionResult:
    """Apply *event* to *state*: the new state if a transition allows it and its guard holds."""
    if state.since is not None and event.date < state.since:
        return TransitionResult(accepted=False, state=state, reasons=["event_before_current_state"])
    candidates = [t for t in transitions(engine, event.date) if t.event is event.event and state.state in t.source]
    if not candidates:
        return TransitionResult(accepted=False, state=state, reasons=[f"no_transition_{state.state.value}_{event.event.value}"])
    t = candidates[0]
    ok, reasons, decision = _guard(engine, case, state, t, event)
    if not ok:
        return TransitionResult(accepted=False, state=state, reasons=reasons, guard=t.guard, decision=decision)
    step = Step(transition=t.id, event=t.event, source=state.state, to=t.to, date=event.date, duties=t.duties, citation=t.citation)
    duties = list(t.duties)
    if decision is not None and decision.listing is not None and t.event is Event.list:
        duties += decision.listing.obligations
    new = LifecycleState(state=t.to, since=event.date, history=[*state.history, step])
    return TransitionResult(accepted=True, state=new, duties=duties, guard=t.guard, decision=decision)
