"""Facts of one proposed measure (49号(九)(十), 35号(十)-(十二)).

Nearly all are copies: of the case (the act's field and conduct, the subject's lists, what the proposal asks)
or of the measure's description — its catalog entry on a list in force, an entry of another edition of the
list, or the description the case gives of a measure on no list.  The legal tests over them (in force,
relevant, proportionate, reaching the target, on the required list, the statutory trigger, the ban's own
ground and term) are cited definitions in rules/national/gbf-2020-49/measures.yaml and
rules/national/gf-2019-35/measures.yaml.
"""

from __future__ import annotations

from ...model.act import Gravity
from ...model.decision import Outcome
from ...model.measures import Implementer
from ...model.subject import PersonRole, SubjectKind
from ..schema import FactSpec, FactType

_B, _I, _E, _S, _SET, _D = FactType.bool, FactType.int, FactType.enum, FactType.str, FactType.set, FactType.date

DESCRIBED_BY = ("list_in_force", "other_edition", "case", "none")
"""Where the measure's description comes from (``measure.described_by``)."""

SPECS: list[FactSpec] = [
    # ------------------------------------------------------------------ the case
    FactSpec("act.lenient", _B, "the determination found a ground for leniency (49号(十六))"),
    FactSpec("act.refused_to_perform", _B, "refused to perform a judicial verdict or penalty decision"),
    FactSpec("act.major_loss", _B, "the act caused major losses"),
    FactSpec("act.conduct", _SET, "kinds of conduct the act shows (conduct ids, as the catalogs name them)"),
    FactSpec("document.issued_on", _D, "the date the legally effective document was issued (none: no document)"),
    FactSpec("listing.outcome", _E, "outcome of the listing question in this decision, if asked",
             tuple(o.value for o in (Outcome.allowed, Outcome.refused, Outcome.focus_list_only, Outcome.undetermined))),
    FactSpec("listing.standard", _S, "the listing standard the case asks to list the subject on (none: no listing asked)"),
    FactSpec("subject.lists", _SET, "listing standards the case says the subject is already on"),
    FactSpec("subject.on_any_list", _B, "the case names at least one list the subject is already on"),
    FactSpec("listing.period_start", _D, "the first day of the listing decided in this case (unknown: no listing allowed here)"),
    FactSpec("listing.period_end", _D, "the last day of the listing decided in this case (unknown: no listing here, or no fixed term)"),
    # ------------------------------------------------------------------ the proposal
    FactSpec("measure.target", _E, "who the measure is aimed at", ("subject", *(r.value for r in PersonRole))),
    FactSpec("measure.compelled_party", _E, "a market or social body the department would oblige to carry it out",
             ("none", *(i.value for i in Implementer))),
    FactSpec("measure.start", _D, "the day the measure starts"),
    FactSpec("measure.requested_years", _I, "the term the case asks for, in years (unknown: none asked)"),
    FactSpec("measure.target_conduct", _SET, "conduct ids the targeted person shows themself (unknown: not stated, or the target is the subject)"),
    # ------------------------------------------------------------------ the measure lists in force
    FactSpec("measure.found", _B, "the measure is on a measure list in force in this jurisdiction"),
    FactSpec("measure.list_edition_in_force", _B, "a national measure list edition is in force on the start date"),
    FactSpec("measure.described_by", _E, "where the measure's description comes from", DESCRIBED_BY),
    FactSpec("measure.list_scope", _E, "the list the entry is on: the national base list or a local supplementary list",
             ("national", "local")),
    # ------------------------------------------------------------------ the measure's description (catalog entry or case)
    FactSpec("measure.list_verified", _B, "the list edition the entry is on is confirmed to be the official list (its source.verified; unknown: the file gives no source)"),
    FactSpec("measure.entry_verified", _B, "the list entry's basis, article and content are confirmed (its source.verified; unknown: no list entry)"),
    FactSpec("measure.effective_from", _D, "the first day the list entry is in force"),
    FactSpec("measure.effective_to", _D, "the last day the list entry is in force (unknown: open-ended)"),
    FactSpec("measure.group", _I, "1 reduces rights or adds obligations, 2 management, 3 market or social bodies"),
    FactSpec("measure.kind", _E, "administrative, market or industry (35号(十))", ("administrative", "market", "industry")),
    FactSpec("measure.basis_id", _S, "the id of the legal basis the measure directly cites"),
    FactSpec("measure.fields", _SET, "sub-fields the measure is relevant to"),
    FactSpec("measure.gravity_floor", _E, "the least gravity the act must have", tuple(g.value for g in Gravity)),
    FactSpec("measure.subject_kinds", _SET, "kinds of subject the measure may target", tuple(k.value for k in SubjectKind)),
    FactSpec("measure.responsible_persons", _SET, "roles of an organisation's people its basis reaches (35号(十二))",
             tuple(r.value for r in PersonRole)),
    FactSpec("measure.named_by_basis", _SET, "those of responsible_persons the basis article names itself, reached without a list",
             tuple(r.value for r in PersonRole)),
    FactSpec("measure.named_by_basis_on_conduct", _SET, "conduct ids the act must all show for the article to name them (empty: always)"),
    FactSpec("measure.named_by_basis_citation", _S, "the article naming those persons, as the list entry cites it"),
    FactSpec("measure.named_by_basis_verified", _B, "the article's wording on the persons is confirmed against the statute's text"),
    FactSpec("measure.required_lists", _SET, "listing standards the subject must be on (empty: any determined act)"),
    FactSpec("measure.tied_to_list", _B, "the measure applies only to subjects on a list (it may not outlast the listing)"),
    FactSpec("measure.max_duration_years", _I, "the longest term the list entry allows, in years (unknown: none set)"),
    FactSpec("measure.has_trigger", _B, "the measure's own law sets conditions, carried in the list entry (trigger)"),
    FactSpec("measure.trigger_all_of", _SET, "conduct ids the act must all show for the measure's own law to apply"),
    FactSpec("measure.trigger_none_of", _SET, "conduct ids that exclude the measure under its own law"),
    FactSpec("measure.trigger_citation", _S, "the article setting those conditions, as the list entry cites it"),
    FactSpec("measure.trigger_verified", _B, "the conditions are confirmed against the statute's text"),
    FactSpec("measure.is_ban", _B, "a market or industry ban (35号(十一))"),
    FactSpec("measure.ban_fields", _SET, "the sub-fields the ban is focused on"),
    FactSpec("measure.ban_has_own_grounds", _B, "the ban's own law sets its grounds (catalog ban.grounds), not 35号(十一)'s triggers"),
    FactSpec("measure.ban_life_conducts", _SET, "conduct ids on which the ban's own law bans for life"),
    FactSpec("measure.ban_life_conducts_reaching_all", _SET, "of those, the grounds that reach everyone the ban reaches (not personal)"),
    FactSpec("measure.ban_personal_conducts", _SET, "conduct ids of the grounds that attach only to the person who shows them (personal: true)"),
    FactSpec("measure.ban_life_citation", _S, "the article(s) banning for life"),
    FactSpec("measure.ban_term_conducts", _SET, "conduct ids on which the ban's own law bans for a fixed term"),
    FactSpec("measure.ban_term_years", _I, "that fixed term, in years"),
    FactSpec("measure.ban_term_counted_from", _E, "where that term runs from", ("measure_start", "document_issued")),
    FactSpec("measure.ban_term_citation", _S, "the article(s) setting that term"),
]
