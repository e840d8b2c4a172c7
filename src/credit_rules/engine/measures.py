"""Deciding punishment measures, one measure and target at a time.

For each proposed measure (or every measure in force, when the case asks
for all applicable ones) Python copies the measure's description — its
entry on a list in force, else an entry of another edition of the list,
else the description the case gives — and the case's facts into facts;
the cited definitions and rules of ``measures`` (rules/national/gbf-2020-49/
measures.yaml, rules/national/gf-2019-35/measures.yaml) decide: in force,
relevant, proportionate, reaching the target, on the required list, the
statutory trigger, the ban's own ground and term.  No legal test is made here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ..catalog.kinds.measures import Measure
from ..catalog.store import NATIONAL, jurisdiction_chain
from ..facts.derive import cached_lookup, legal_basis
from ..model.case import Case, Question
from ..model.decision import MeasureResult, MeasuresResult, Outcome, QuestionResult
from ..model.measures import COMPELLABLE_NEVER, MeasureDescription, MeasureProposal
from .deferred import DEFERRED
from .evaluation import Evaluation, Evaluator, answer


MEASURE_LISTS = "measure_lists"
OUTPUTS = ("measure_end", "ban_for_life", "ban_ground")
"""Definitions the engine reads besides those the rules read: the end date, a ban for life, the governing ban ground."""


Entry = tuple[Measure, str, bool | None]
"""A measure's list entry, the jurisdiction of its list, and whether that list edition is confirmed to be the official
list (its envelope's ``source.verified``; None where the file gives no source)."""


def measures_in_force(engine: Evaluator, code: str, on: date) -> dict[str, Entry]:
    """Each measure on a list in force, with the jurisdiction of its list and that list's verification: national
    list first, local supplementary lists over it (an override replaces the entry).

    Cached per jurisdiction and catalog epoch; each call gets its own dict.
    """
    return dict(cached_lookup(engine.catalogs, ("measures_in_force", code), on, lambda: _measures_in_force(engine, code, on)))


def _measures_in_force(engine: Evaluator, code: str, on: date) -> dict[str, Entry]:
    out: dict[str, Entry] = {}
    for f in engine.catalogs.layered(MEASURE_LISTS, code, on):
        for e in f.entries:
            if isinstance(e, Measure):
                out[e.id] = (e, f.envelope.jurisdiction, f.source_verified)
    return out


def national_edition_in_force(engine: Evaluator, on: date) -> bool:
    """Whether an edition of the national measure list is in force on *on* (a catalog lookup)."""
    return engine.catalogs.in_force(MEASURE_LISTS, NATIONAL, on) is not None


def entry_of_other_edition(engine: Evaluator, code: str, ident: str) -> Entry | None:
    """The measure *ident* as the earliest edition of a list of this jurisdiction's chain describes it.

    Used when the measure is on no list in force — before the first edition (a measure resting
    directly on a statute, #13 item 13) or after an edition dropped it — so that it is still judged
    on relevance, proportionality and its own law, and the answer names every defect.
    """
    chain = set(jurisdiction_chain(code))
    found: list[tuple[date, Measure, str, bool | None]] = []
    for f in engine.catalogs.files:
        if f.envelope.kind != MEASURE_LISTS or f.envelope.jurisdiction not in chain:
            continue
        found += [(f.envelope.effective_from, e, f.envelope.jurisdiction, f.source_verified) for e in f.entries if isinstance(e, Measure) and e.id == ident]
    if not found:
        return None
    _, m, where, checked = min(found, key=lambda t: t[0])
    return m, where, checked


def _basis_text(engine: Evaluator, basis_id: str, article: str | None, on: date) -> str:
    """《title》article of the measure's legal basis, as in force on *on* (cached per catalog epoch)."""
    basis = legal_basis(engine.catalogs, basis_id, on)
    title = basis.title_zh if basis else basis_id
    return f"《{title}》{article or ''}".strip()


_ENTRY_FACTS: dict[tuple[int, str, bool | None], tuple[Measure, dict[str, object]]] = {}
_ENTRY_FACTS_LIMIT = 4096


def _entry_facts(m: Measure, scope: str, list_verified: bool | None) -> dict[str, object]:
    """A list entry's data, copied as the definitions read it: made once per (frozen) entry, list scope and list
    verification, and shared read-only — a case asking every applicable measure copies some twenty entries, and the same objects
    each time also let the definitions' memo compare its keys by identity.  The caller copies it into its facts."""
    key = (id(m), scope, list_verified)
    hit = _ENTRY_FACTS.get(key)
    if hit is None or hit[0] is not m:  # (the entry is held: its id is not reused while it is kept)
        if len(_ENTRY_FACTS) >= _ENTRY_FACTS_LIMIT:
            _ENTRY_FACTS.clear()
        hit = _ENTRY_FACTS[key] = (m, _make_entry_facts(m, scope, list_verified))
    return hit[1]


def _make_entry_facts(m: Measure, scope: str, list_verified: bool | None) -> dict[str, object]:
    ban = m.ban
    life = ban.life_grounds if ban is not None else []
    term = ban.term_grounds if ban is not None else []
    named = m.named_by_basis
    return {
        "measure.list_scope": "national" if scope == NATIONAL else "local",
        # what vouches for 49号(九)'s two conditions (definitions on_measure_list, basis_may_found_measure): the list
        # edition's source.verified for being on the official list, the entry's own for its basis, article and content
        "measure.list_verified": list_verified,
        "measure.entry_verified": m.source.verified,
        "measure.effective_from": m.effective_from,
        "measure.effective_to": m.effective_to,
        "measure.group": int(m.group),
        "measure.kind": m.kind.value,
        "measure.basis_id": m.basis.legal_basis,
        "measure.fields": frozenset(m.fields),
        "measure.gravity_floor": m.gravity_floor.value,
        "measure.subject_kinds": frozenset(k.value for k in m.subject_kinds),
        "measure.responsible_persons": frozenset(r.value for r in m.responsible_persons),
        "measure.named_by_basis": frozenset(r.value for r in named.roles) if named is not None else frozenset(),
        "measure.named_by_basis_on_conduct": frozenset(named.on_conduct) if named is not None else frozenset(),
        "measure.named_by_basis_citation": named.citation if named is not None else None,
        "measure.named_by_basis_verified": named.verified if named is not None else None,
        "measure.required_lists": frozenset(m.required_lists),
        "measure.tied_to_list": bool(m.required_lists),
        "measure.max_duration_years": m.max_duration_years,
        "measure.has_trigger": m.trigger is not None,
        "measure.trigger_all_of": frozenset(m.trigger.all_of) if m.trigger is not None else None,
        "measure.trigger_none_of": frozenset(m.trigger.none_of) if m.trigger is not None else None,
        "measure.trigger_citation": m.trigger.citation if m.trigger is not None else None,
        "measure.trigger_verified": m.trigger.verified if m.trigger is not None else None,
        "measure.is_ban": ban is not None,
        "measure.ban_fields": frozenset(ban.fields) if ban is not None else None,
        "measure.ban_has_own_grounds": ban is not None and bool(ban.grounds),
        "measure.ban_life_conducts": frozenset(g.conduct for g in life) if ban is not None else None,
        "measure.ban_life_conducts_reaching_all": frozenset(g.conduct for g in life if not g.personal) if ban is not None else None,
        "measure.ban_personal_conducts": frozenset(g.conduct for g in ban.grounds if g.personal) if ban is not None else None,
        "measure.ban_life_citation": "；".join(g.citation for g in life) or None,
        "measure.ban_term_conducts": frozenset(g.conduct for g in term) if ban is not None else None,
        "measure.ban_term_years": term[0].years if term else None,
        "measure.ban_term_counted_from": term[0].counted_from if term else None,
        "measure.ban_term_citation": "；".join(g.citation for g in term) or None,
    }


def _described_facts(d: MeasureDescription) -> dict[str, object]:
    """What the case says of a measure on no list: the parts it gives; the rest stays unknown.

    A description names no person its basis article reaches by itself (``measure.named_by_basis`` is empty):
    which persons a statute names is a reading of its text, carried with citation and verification by list
    entries only, so every responsible person of a described measure is reached through 35号(十二) — rule D7
    asks for a listed subject, the stricter reading, never a false allowed.
    """
    return {
        "measure.group": int(d.group),
        "measure.kind": d.kind,
        "measure.basis_id": d.basis.legal_basis,
        "measure.fields": frozenset(d.fields),
        "measure.gravity_floor": d.gravity_floor.value if d.gravity_floor is not None else None,
        "measure.subject_kinds": frozenset(k.value for k in d.subject_kinds) if d.subject_kinds is not None else None,
        "measure.responsible_persons": frozenset(r.value for r in d.responsible_persons),
        "measure.named_by_basis": frozenset(),
        "measure.named_by_basis_on_conduct": frozenset(),
        "measure.required_lists": frozenset(d.required_lists),
        "measure.tied_to_list": bool(d.required_lists),
        "measure.max_duration_years": d.max_duration_years,
        "measure.has_trigger": False,
        "measure.is_ban": d.ban,
        "measure.ban_has_own_grounds": False,
    }


def case_measure_facts(case: Case) -> dict[str, object]:
    """The facts of the case every measure's evaluation reads, the same for each measure (made once per case)."""
    act = case.act
    return {
        "act.refused_to_perform": act.refused_to_perform,
        "act.major_loss": act.major_loss,
        "act.field": act.field,
        "act.conduct": frozenset(act.conduct),
        "document.issued_on": act.document.issued if act.document is not None else None,
        "subject.lists": frozenset(case.subject.lists),
        "subject.on_any_list": bool(case.subject.lists),
    }


def measure_facts(
    case: Case,
    base: dict[str, object],
    entry: Entry | None,
    proposal: MeasureProposal,
    on: date,
    *,
    found: bool,
) -> dict[str, object]:
    """The facts of one measure against the case: copies of the case and of the measure's description.

    *entry* is the measure's list entry, the jurisdiction of its list and that list's verification; *found* says whether that list
    is in force on *on* (else the entry is another edition's description).  *base* holds the case's facts
    with :func:`case_measure_facts` over them (made once per case by :func:`decide_measures`).
    """
    facts = dict(base)
    compelled = proposal.compels.value if proposal.compels in COMPELLABLE_NEVER else "none"
    described_by = "list_in_force" if found else "other_edition" if entry is not None else "case" if proposal.description else "none"
    facts.update(
        {
            "measure.found": found,
            "measure.described_by": described_by,
            "measure.target": proposal.target.value if proposal.target is not None else "subject",
            "measure.compelled_party": compelled,
            "measure.start": on,
            "measure.requested_years": proposal.duration_years,
            "measure.target_conduct": frozenset(proposal.target_conduct) if proposal.target_conduct is not None else None,
        }
    )
    if entry is not None:
        facts.update(_entry_facts(*entry))
    elif proposal.description is not None:
        facts.update(_described_facts(proposal.description))
    return facts


def measure_outcome(summary: Outcome) -> Outcome:
    """A measure's outcome from its summary: allowed, undetermined, or else refused."""
    return summary if summary is Outcome.undetermined or summary is Outcome.allowed else Outcome.refused


def _definition(ev: Evaluation, ident: str) -> object:
    """The value a definition took in this evaluation, if it was used (None: unknown or not used)."""
    for u in ev.used:
        if u.group.id == ident:
            return u.outcome.value
    return None


@dataclass(frozen=True)
class MeasureRow:
    """One proposed measure and target of a case, with the facts its evaluation reads."""

    proposal: MeasureProposal
    entry: Entry | None  # its list entry, that list's jurisdiction and verification (another edition's if on no list in force)
    facts: dict[str, object]

    @property
    def described(self) -> bool:
        """Whether anything describes the measure (a list entry or the case): only then are its end and ban read."""
        return self.facts["measure.described_by"] != "none"

    @property
    def outputs(self) -> tuple[str, ...]:
        return OUTPUTS if self.described else ()


def measure_rows(
    engine: Evaluator, case: Case, base: dict[str, object], determination: QuestionResult, listing: QuestionResult | None
) -> tuple[date, list[MeasureRow]]:
    """The start date of the case's measures and one row per proposed (or, asked for all, applicable) measure and
    target, in the order the answer lists them within each outcome."""
    req = case.measures
    assert req is not None
    start = req.start or (case.listing.decision_date if case.listing else None) or case.as_of or date.min
    catalog = measures_in_force(engine, case.jurisdiction, start)
    base = {
        **base,
        "act.lenient": bool(determination.leniency),
        "listing.outcome": listing.outcome.value if listing is not None else None,
        "listing.standard": case.listing.standard if case.listing is not None else None,
        "listing.period_start": listing.period.start if listing is not None and listing.period is not None else None,
        "listing.period_end": listing.period.end if listing is not None and listing.period is not None else None,
        "measure.list_edition_in_force": national_edition_in_force(engine, start),
    }
    base.update(case_measure_facts(case))  # once, not once per measure
    proposals = list(req.proposed)
    if req.all_applicable:
        asked = {(p.measure, p.target) for p in proposals}
        roles = [None, *sorted({p.role for p in case.subject.responsible_persons}, key=lambda r: r.value)]
        for ident in sorted(catalog):
            for role in roles:
                if (ident, role) not in asked and (role is None or role in catalog[ident][0].responsible_persons):
                    proposals.append(MeasureProposal(measure=ident, target=role))
    rows: list[MeasureRow] = []
    for proposal in proposals:
        entry = catalog.get(proposal.measure)
        found = entry is not None
        if entry is None and proposal.description is None:
            entry = entry_of_other_edition(engine, case.jurisdiction, proposal.measure)
        rows.append(MeasureRow(proposal, entry, measure_facts(case, base, entry, proposal, start, found=found)))
    return start, rows


def decide_measures(
    engine: Evaluator,
    case: Case,
    base: dict[str, object],
    determination: QuestionResult,
    listing: QuestionResult | None,
    disclosure_basis: str | None,
) -> MeasuresResult:
    start, rows = measure_rows(engine, case, base, determination, listing)
    deferred = DEFERRED.get()
    if deferred is not None:  # a compact batch decides the rows of its chunk column-wise (engine/deferred.py)
        deferred.measures.append((case.jurisdiction, start, rows))
        return MeasuresResult(applied=[], refused=[], undetermined=[], prior_notice_must_state=[])
    applied: list[MeasureResult] = []
    refused: list[MeasureResult] = []
    undetermined: list[MeasureResult] = []
    for row in rows:
        proposal, entry, facts = row.proposal, row.entry, row.facts
        m = entry[0] if entry is not None else None
        ev = engine.evaluate(Question.measures, case.jurisdiction, start, facts, row.outputs)
        verdict = answer(ev, refused=Outcome.refused, ok=Outcome.allowed)
        allowed = verdict["outcome"] is Outcome.allowed
        outcome = measure_outcome(verdict["outcome"])
        lifetime = allowed and _definition(ev, "ban_for_life") is True
        last = _definition(ev, "measure_end")
        end = last if allowed and not lifetime and isinstance(last, date) else None
        unverified = verdict["unverified"]
        if m is not None and m.trigger is not None and not m.trigger.verified:
            unverified = sorted({*unverified, f"measure.trigger ({m.trigger.citation})"})
        d = proposal.description
        basis_id, article = (m.basis.legal_basis, m.basis.article) if m else (d.basis.legal_basis, d.basis.article) if d else (None, None)
        result = MeasureResult(
            measure=proposal.measure,
            name_zh=m.name_zh if m else d.name_zh if d else None,
            name_en=m.name_en if m else d.name_en if d else None,
            target=proposal.target.value if proposal.target else "subject",
            outcome=outcome,
            reasons=verdict["reasons"],
            fired=verdict["fired"],
            leniency=verdict["leniency"],
            obligations=verdict["obligations"],
            warnings=verdict["warnings"],
            undetermined_by=verdict["undetermined_by"],
            missing=verdict["missing"],
            unverified=unverified,
            definitions=verdict["definitions"],
            group=int(m.group) if m else int(d.group) if d else None,
            kind=m.kind.value if m else d.kind if d else None,
            basis=_basis_text(engine, basis_id, article, start) if basis_id else None,
            implementer=m.implementer_zh if m else None,
            start=start if allowed else None,
            end=end if allowed else None,
            lifetime=lifetime and allowed,
            trace=ev.trace,
        )
        (applied if allowed else undetermined if outcome is Outcome.undetermined else refused).append(result)
    return MeasuresResult(
        applied=applied,
        refused=refused,
        undetermined=undetermined,
        prior_notice_must_state=[text for code, text in engine.ruleset.measure_notice if code in jurisdiction_chain(case.jurisdiction)] if applied else [],
    )


__all__ = ["MeasureRow", "decide_measures", "measure_facts", "measure_outcome", "measure_rows", "measures_in_force"]
