"""Facts of a lifecycle event (``credit_rules.lifecycle``): the event itself, and the answers the engine gave on
its date that a guard reads (handed over, like ``determination.valid``, with their own traces)."""

from __future__ import annotations

from ..schema import FactSpec, FactType

SPECS: list[FactSpec] = [
    FactSpec("event.date", FactType.date, "the date of the lifecycle event"),
    FactSpec("event.objection_well_founded", FactType.bool, "for answer/correct: verification found the information wrong"),
    FactSpec("lifecycle.listing_outcome", FactType.enum, "the listing question's answer on the event date",
             ("allowed", "refused", "focus_list_only", "undetermined")),
    FactSpec("lifecycle.repair_outcome", FactType.enum, "the repair question's answer on the event date",
             ("repairable", "not_yet", "not_repairable", "undetermined")),
    FactSpec("lifecycle.listed_on", FactType.date, "the date the subject was listed (from the state's history)"),
    FactSpec("lifecycle.period_end", FactType.date, "the end of the list period the listing decision set (unknown: no fixed term)"),
]
