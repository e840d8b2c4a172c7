"""Facts of one proposed measure, derived per measure (49号(九)(十), 35号(十)-(十二))."""

from __future__ import annotations

from ...model.decision import Outcome
from ...model.measures import Implementer
from ...model.subject import PersonRole
from ..schema import FactSpec, FactType

_B, _I, _E = FactType.bool, FactType.int, FactType.enum

SPECS: list[FactSpec] = [
    FactSpec("act.lenient", _B, "the determination found a ground for leniency (49号(十六))"),
    FactSpec("act.refused_to_perform", _B, "refused to perform a judicial verdict or penalty decision"),
    FactSpec("act.major_loss", _B, "the act caused major losses"),
    FactSpec("listing.outcome", _E, "outcome of the listing question in this decision, if asked",
             tuple(o.value for o in (Outcome.allowed, Outcome.refused, Outcome.focus_list_only, Outcome.undetermined))),
    FactSpec("subject.listed", _B, "the subject is on some list: existing listings, or the one allowed in this decision"),
    FactSpec("measure.found", _B, "the measure is on a measure list in force in this jurisdiction"),
    FactSpec("measure.in_force", _B, "the measure entry itself is in force on the start date"),
    FactSpec("measure.group", _I, "1 reduces rights or adds obligations, 2 management, 3 market or social bodies"),
    FactSpec("measure.kind", _E, "administrative, market or industry (35号(十))", ("administrative", "market", "industry")),
    FactSpec("measure.relevant_to_act", _B, "the act's sub-field is among the fields the measure is relevant to"),
    FactSpec("measure.gravity_margin", _I, "act gravity rank minus the measure's gravity floor rank"),
    FactSpec("measure.target", _E, "who the measure is aimed at", ("subject", *(r.value for r in PersonRole))),
    FactSpec("measure.target_reached", _B, "the measure's basis reaches that target (subject kind, or role of a responsible person)"),
    FactSpec("measure.on_required_list", _B, "the subject is on a list the measure requires (or it requires none)"),
    FactSpec("measure.compelled_party", _E, "a market or social body the department would oblige to carry it out",
             ("none", *(i.value for i in Implementer))),
    FactSpec("measure.basis_id", FactType.str, "the id of the legal basis the measure directly cites"),
    FactSpec("measure.start", FactType.date, "the day the measure starts"),
    FactSpec("measure.term_starts_on", FactType.date, "the day its term runs from (the start, or the document's date where the ban's law says so)"),
    FactSpec("measure.requested_years", _I, "the term the case asks for, in years (unknown: none asked)"),
    FactSpec("measure.max_years", _I, "the longest term its law or the list allows, in years (unknown: no statutory maximum)"),
    FactSpec("measure.tied_to_list", _B, "the measure applies only to subjects on a list (it may not outlast the listing)"),
    FactSpec("measure.trigger_met", _B, "the statutory conditions of the measure's own law hold (unknown: it sets none)"),
    FactSpec("listing.period_end", FactType.date, "the last day of the listing decided in this case (unknown: no listing here, or no fixed term)"),
    FactSpec("measure.is_ban", _B, "a market or industry ban (35号(十一))"),
    FactSpec("measure.act_in_ban_fields", _B, "the act's sub-field is one of the ban's named fields"),
    FactSpec("measure.ban_has_own_grounds", _B, "the ban's own law sets its grounds (catalog ban.grounds), not 35号(十一)'s triggers"),
    FactSpec("measure.ban_own_ground_met", _B, "the act shows one of the ban's own statutory grounds"),
    FactSpec("measure.ban_for_life", _B, "a ground met sets a ban for life (终身禁入)"),
]
