"""Decision-point statistics: how much of the law is in ``rules/`` and how much is still in Python.

Why: the project's promise is that legal decisions are data a lawyer can read
and cite.  Every fact a rule compares is either copied from the case
(``input``), copied from a catalog field (``lookup``) or computed in Python
(``derived``) — and a derived fact is a legal decision point hidden in code,
a candidate for a cited definition.  ``stats`` counts the decision points in
the rules (condition leaves, definitions with their cases and exceptions,
parameters read) beside the facts, and names the derived ones, so the balance
can be watched release after release (``credit-rules lint --stats``).

The classification is a table kept here, not an attribute of ``FactSpec``:
it describes where the value comes from today, which changes as derivations
move into definitions.  A fact missing from the table is reported as
``unclassified`` (a test keeps the table complete for the shipped schema).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from ..facts.schema import FactSpec
from .language import leaves as condition_leaves
from .model import RuleSet

Origin = Literal["input", "lookup", "computed", "derived"]

_INPUT = """
document.present document.kind document.under_review
subject.kind subject.on_red_list subject.on_serious_list
act.gravity act.intent act.force_majeure act.repeated act.malicious act.serious_circumstances act.high_social_harm
act.refused_to_perform act.major_loss
listing.list_kind listing.term_set authority.level
procedure.notice_given procedure.notice_states_reasons procedure.notice_states_basis procedure.notice_states_rights
procedure.objection_raised procedure.objection_answered procedure.objection_well_founded
jurisdiction.code
consent.has_expiry consent.condition_of_service
consent.given consent.uses consent.purposes consent.items consent.obtained_on consent.expires_on
use.kind use.purpose info.item_id info.personal_details_given info.contact_details_given info.decision_date personal.basis_id
share.recipient_kind publish.contains_trade_secret query.role query.purpose
publish.published_on publish.channel publish.until publish.department_until
penalty.stated penalty.kinds penalty.by_market_regulator penalty.small_fine penalty.social_impact penalty.tier
repair.information repair.obligations_performed repair.act_corrected repair.credit_commitment
repair.adverse_effect_eliminated repair.false_materials_found repair.repeated_violation repair.non_repairable_claimed
repair.fee_charged
repair.application_date repair.document_date repair.corrected_on repair.deletion_ground_met_on
repair.listing_has_term repair.listing_term_years repair.false_materials_found_on repair.repeated_violation_found_on
supervision.credit_standing supervision.unkept_commitments supervision.rectified_in_time
question.date act.date subject.birth_date document.effective_on document.revoked_on document.served_on document.final_on
listing.decision_date listing.upper_level_approved listing.stated_criterion_met measure.start measure.requested_years measure.target_conduct
event.date event.objection_well_founded
act.field listing.term_years listing.candidate_publicity_start listing.candidate_publicity_end
procedure.objection_raised_on procedure.objection_answered_on
repair.penalty_kinds repair.penalty_by_market_regulator
act.conduct document.issued_on listing.standard subject.lists subject.on_any_list measure.described_by
"""

_LOOKUP = """
document.named_by_form
act.field_known act.domain_category
standard.found standard.list_kind standard.scope standard.issuer_branch standard.basis_form
standard.establishing_basis_form standard.domain_category standard.consultation_days
standard.published_on_credit_china standard.published_on_department_site standard.states_removal_conditions
standard.states_procedure standard.states_remedies standard.third_party_evaluation standard.conforms_to_49
standard.minors_excluded standard.objection_limit_known standard.has_criteria
standard.min_authority_level standard.approval_required_below standard.authority_rule_verified standard.listing_mandatory
standard.requires_final_penalty
standard.effective_from standard.effective_to standard.basis_id standard.fields
standard.period_years standard.period_min_years standard.term_set_by_decision standard.period_extension_max_years standard.open_term_criteria
standard.objection_answer_limit_days standard.objection_answer_limit_in_working_days
info.catalog_scope info.item_basis_id info.supplementary_basis_id info.item_collection info.item_personal
info.item_double_publicity info.item_penalty info.item_shared_with info.publication_period_months
info.catalog_items info.category_id record.allowed
personal.basis_state_council_decision personal.basis_jurisdiction
publish.item_published
info.item_verified info.item_share_verified info.item_publish_verified info.publication_period_verified
policy.granted_categories policy.denied_categories policy.verified
measure.found measure.group measure.kind measure.target measure.compelled_party measure.is_ban
measure.ban_has_own_grounds measure.basis_id measure.tied_to_list
measure.list_edition_in_force measure.list_scope measure.list_verified measure.entry_verified measure.effective_from measure.effective_to measure.fields
measure.gravity_floor measure.subject_kinds measure.responsible_persons measure.required_lists measure.max_duration_years
measure.named_by_basis measure.named_by_basis_on_conduct measure.named_by_basis_citation measure.named_by_basis_verified
measure.has_trigger measure.trigger_all_of measure.trigger_none_of measure.trigger_citation measure.trigger_verified
measure.ban_fields measure.ban_life_conducts measure.ban_life_conducts_reaching_all measure.ban_personal_conducts measure.ban_life_citation measure.ban_term_conducts measure.ban_term_years
measure.ban_term_counted_from measure.ban_term_citation
repair.regime_basis_id
repair.regime repair.tier_known repair.tier_published repair.tier_repairable repair.waits_for_min_period
repair.non_repairable_basis_form
repair.regime_effective_from repair.regime_effective_to repair.tier_min_months repair.tier_max_months
repair.false_materials_bar_years repair.false_materials_bar_verified repair.repeated_violation_bar_years repair.repeated_violation_bar_verified
repair.field_minimum_fields repair.field_minimum_months repair.keeps_softer_earlier_periods repair.regime_information
repair.earlier_regime repair.earlier_tier_min_months repair.earlier_tier_max_months
repair.list_standard repair.list_wait_months repair.list_wait_counted_from repair.list_removal_requires_commitment repair.list_regime repair.list_regime_effective_from
repair.list_regime_effective_to repair.list_ground_deletion_working_days repair.list_term_end_deletion_working_days
"""

_DERIVED = """
"""

_CRITERIA_TABLE = (
    "the regime's criteria table applied as a decision table is (its one fixed reading: any listed conduct, every "
    "threshold, one alternative, no bar, in force on the act date); the law is the table in the catalog, each row's "
    "result with its article and shortfalls is in listing.criteria, and what follows is the definition criterion_met"
)

COMPUTED: dict[str, str] = {
    "criteria.met": _CRITERIA_TABLE,
    "criteria.met_count": _CRITERIA_TABLE,
    "criteria.met_verified_count": _CRITERIA_TABLE,
    "subject.uscc_check_mismatch": "the check character of GB 32100 (arithmetic on the code's digits, not a legal test)",
    "determination.valid": "the outcome of the determination question in the same decision, handed to the next question",
    "determination.lenient": "whether the determination answer carries leniency, handed to the next question",
    "act.lenient": "whether the determination answer carries leniency, handed to the measures question",
    "info.jurisdiction_chain": "the request's jurisdiction and the levels above it (GB/T 2260 code arithmetic, not a legal test)",
    "listing.outcome": "the outcome of the listing question in the same decision, handed to the measures question",
    "listing.period_start": "the start of the listing allowed in the same decision (its decision date), handed to the measures question",
    "listing.period_end": "the end of the listing allowed in the same decision (definition list_term_years), handed to the measures question",
    "lifecycle.listing_outcome": "the listing answer on a lifecycle event's date, handed to the guard (its own trace)",
    "lifecycle.repair_outcome": "the repair answer on a lifecycle event's date, handed to the guard (its own trace)",
    "lifecycle.period_end": "the end of the period the listing decision set, handed to the guard (that decision's trace)",
    "lifecycle.listed_on": "the date of the listing in the caller's stored history",
}
"""Facts Python computes that are not legal decision points, each with why: arithmetic on identifiers, and the
answer of one question handed to the next within one decision (the rules that produced it are in its trace)."""


def _table() -> dict[str, Origin]:
    out: dict[str, Origin] = {}
    groups: list[tuple[str, list[str]]] = [
        ("input", _INPUT.split()), ("lookup", _LOOKUP.split()), ("computed", list(COMPUTED)), ("derived", _DERIVED.split()),
    ]
    for origin, names in groups:
        for name in names:
            assert name not in out, f"{name} classified twice"
            out[name] = origin  # type: ignore[assignment]
    return out


FACT_ORIGINS: dict[str, Origin] = _table()
"""Where each fact's value comes from: ``input`` (copied from the case), ``lookup`` (a catalog field copied)
``computed`` (worked out in Python but not law: see :data:`COMPUTED`) or ``derived`` (a legal test still
computed in Python: a candidate for a definition)."""


@dataclass(frozen=True)
class Stats:
    """Counts of legal decision points in the rules and of facts by origin."""

    rules: int
    rule_leaves: int
    definitions: int
    definition_members: int
    cases: int
    exceptions: int
    parameters_read: tuple[str, ...]
    facts_by_origin: Mapping[str, int]
    derived: tuple[str, ...]
    derived_read_by_rules: tuple[str, ...]
    unclassified: tuple[str, ...]

    @property
    def legal_points(self) -> int:
        """Decision points written as data: condition leaves, definition members, cases, parameters."""
        return self.rule_leaves + self.definition_members + self.cases + len(self.parameters_read)


def stats(ruleset: RuleSet, facts_schema: Mapping[str, FactSpec]) -> Stats:
    """The decision-point statistics of *ruleset* over the fact schema *facts_schema* (``all_facts()``)."""
    leaves = [leaf for r in ruleset.rules for leaf in (*condition_leaves(r.when), *condition_leaves(r.require))]
    groups = list(ruleset.definitions.groups.values())
    members = [m for g in groups for m in g.members()]
    params = sorted({p for m in members for p in m.params})
    by_origin: dict[str, int] = {"input": 0, "lookup": 0, "computed": 0, "derived": 0, "unclassified": 0}
    unclassified: list[str] = []
    for name in facts_schema:
        origin = FACT_ORIGINS.get(name)
        if origin is None:
            unclassified.append(name)
            by_origin["unclassified"] += 1
        else:
            by_origin[origin] += 1
    derived = sorted(n for n in facts_schema if FACT_ORIGINS.get(n) == "derived")
    read = {n for r in ruleset.rules for n in r.reads} | {n for m in members for n in m.reads}
    return Stats(
        rules=len(ruleset.rules),
        rule_leaves=len(leaves),
        definitions=len(groups),
        definition_members=len(members),
        cases=sum(len(m.cases) for m in members),
        exceptions=sum(len(v) for g in groups for v in g.exceptions.values()),
        parameters_read=tuple(params),
        facts_by_origin=by_origin,
        derived=tuple(derived),
        derived_read_by_rules=tuple(n for n in derived if n in read),
        unclassified=tuple(sorted(unclassified)),
    )


def render_stats(s: Stats) -> str:
    """A plain-text report for ``credit-rules lint --stats``."""
    facts = sum(s.facts_by_origin.values())
    lines = [
        "Decision points in rules/ (data, cited):",
        f"  rules: {s.rules}, condition leaves: {s.rule_leaves}",
        f"  definitions: {s.definitions} ({s.definition_members} members, {s.exceptions} exceptions, {s.cases} cases)",
        f"  parameters read: {len(s.parameters_read)}" + (f" ({', '.join(s.parameters_read)})" if s.parameters_read else ""),
        f"  total: {s.legal_points}",
        f"Facts in the schema: {facts}",
        f"  input (copied from the case): {s.facts_by_origin.get('input', 0)}",
        f"  lookup (a catalog field copied): {s.facts_by_origin.get('lookup', 0)}",
        f"  computed (in Python, not law): {s.facts_by_origin.get('computed', 0)}",
        f"  derived (a legal test computed in Python): {s.facts_by_origin.get('derived', 0)}"
        f" ({len(s.derived_read_by_rules)} read by rules or definitions)",
    ]
    if s.unclassified:
        lines.append(f"  unclassified (add to ruleset/stats.py FACT_ORIGINS): {', '.join(s.unclassified)}")
    lines.append("Computed facts (not law), and why:")
    lines += [f"  {name}: {why}" for name, why in sorted(COMPUTED.items())]
    lines.append("Derived facts (legal decision points still in Python; candidates for definitions):")
    lines += [f"  {name}" for name in s.derived] or ["  (none)"]
    return "\n".join(lines) + "\n"


__all__ = ["COMPUTED", "FACT_ORIGINS", "Origin", "Stats", "render_stats", "stats"]
