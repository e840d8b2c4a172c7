"""Facts of a repair request (49号(十一)(十二), 58号, 36号, 法释〔2017〕7号 第十条).

Python copies the request's dates and the catalog fields of the regimes that
might govern (the national regime in force on the application date and the one
in force when the information was recorded; a list's own deletion rule); the
definitions in ``rules/national/ndrc-repair/repair.yaml`` decide which governs
and compute the periods, so every date test is traced with its citation.
"""

from __future__ import annotations

from ...model.legal import LegalForm
from ...model.repair import InformationKind, PenaltyKind
from ..schema import FactSpec, FactType

_B, _I, _E, _S, _D = FactType.bool, FactType.int, FactType.enum, FactType.str, FactType.date

SPECS: list[FactSpec] = [
    # the request
    FactSpec("repair.application_date", _D, "the date of the application (default: the case's as_of)"),
    FactSpec("repair.document_date", _D, "the date of the document the periods run from (the penalty or listing decision)"),
    FactSpec("repair.corrected_on", _D, "the day the act was corrected (e.g. the arrears repaid)"),
    FactSpec("repair.deletion_ground_met_on", _D, "the day a ground for deleting the list entry arose (法释〔2017〕7号 第十条第一款)"),
    FactSpec("repair.listing_has_term", _B, "the listing decision set a term (法释〔2017〕7号 第二条)"),
    FactSpec("repair.listing_term_years", _I, "that term, in years"),
    FactSpec("repair.penalty_kinds", FactType.set, "kinds of penalty the decision imposed (行政处罚法 第九条)", tuple(k.value for k in PenaltyKind)),
    FactSpec("repair.penalty_by_market_regulator", _B, "the penalty was imposed by a 市场监督管理部门"),
    FactSpec("repair.information", _E, "kind of dishonesty information", tuple(k.value for k in InformationKind)),
    FactSpec("repair.obligations_performed", _B, "legal obligations fully performed"),
    FactSpec("repair.act_corrected", _B, "the dishonest act was corrected"),
    FactSpec("repair.credit_commitment", _B, "a public credit commitment was made"),
    FactSpec("repair.adverse_effect_eliminated", _B, "the adverse effect was eliminated"),
    FactSpec("repair.false_materials_found", _B, "false materials were found in an earlier application"),
    FactSpec("repair.false_materials_found_on", _D, "the day they were found (the bar on applying runs from it)"),
    FactSpec("repair.repeated_violation", _B, "屡禁不止、屡罚不改"),
    FactSpec("repair.repeated_violation_found_on", _D, "the day the repeated violation was established (the bar runs from it)"),
    FactSpec("repair.non_repairable_claimed", _B, "a provision is cited declaring the information non-repairable"),
    FactSpec("repair.non_repairable_basis_form", _E, "legal form of that provision", tuple(f.value for f in LegalForm)),
    FactSpec("repair.fee_charged", _B, "a fee was asked for"),
    # the national regime in force on the application date (catalog repair_regimes)
    FactSpec("repair.regime", _S, "id of the national repair regime whose edition is in force on the application date"),
    FactSpec("repair.regime_basis_id", _S, "the legal basis of that regime (e.g. ndrc_2019_527, ndrc_order_36)"),
    FactSpec("repair.regime_effective_from", _D, "the first day that regime's edition is in force"),
    FactSpec("repair.regime_effective_to", _D, "the last day that regime's edition is in force (none: open)"),
    FactSpec("repair.false_materials_bar_years", _I, "that regime's bar on applying after false materials, in years (bars[false_materials]; unknown: none or not confirmed)"),
    FactSpec("repair.false_materials_bar_verified", _B, "that bar's entry is confirmed against the regime's text (bars[false_materials].verified)"),
    FactSpec("repair.repeated_violation_bar_years", _I, "that regime's bar after repeated violations, in years (bars[repeated_violation]; unknown: none or not confirmed)"),
    FactSpec("repair.repeated_violation_bar_verified", _B, "that bar's entry is confirmed against the regime's text (bars[repeated_violation].verified)"),
    FactSpec("repair.tier_known", _B, "the regime has the request's tier"),
    FactSpec("repair.tier_published", _B, "information of that tier is published at all"),
    FactSpec("repair.tier_repairable", _B, "the regime allows repair for that tier"),
    FactSpec("repair.waits_for_min_period", _B, "repair may be applied for only after the minimum period"),
    FactSpec("repair.tier_min_months", _I, "the tier's minimum publication period, in months (none: no minimum)"),
    FactSpec("repair.tier_max_months", _I, "the tier's maximum publication period, in months (none: no maximum)"),
    FactSpec("repair.field_minimum_fields", FactType.set, "the fields for which the regime sets a longer minimum period"),
    FactSpec("repair.regime_information", FactType.set, "the kinds of dishonesty information the regime covers (its 第二条)", tuple(k.value for k in InformationKind)),
    FactSpec("repair.field_minimum_months", _I, "that longer minimum period, in months"),
    FactSpec("repair.keeps_softer_earlier_periods", _B, "the regime keeps a shorter period of the regime it replaced (none: not confirmed)"),
    # the national regime in force when the information was recorded
    FactSpec("repair.earlier_regime", _S, "id of the national repair regime in force on the document date"),
    FactSpec("repair.earlier_tier_min_months", _I, "that regime's minimum period for the tier, in months"),
    FactSpec("repair.earlier_tier_max_months", _I, "that regime's maximum period for the tier, in months"),
    # the list's own rules (catalog listing_standards early_removal; list_repair_regimes)
    FactSpec("repair.list_standard", _S, "the listing standard of a serious-list entry, as the request names it (none: not named, or not in force here on the document date)"),
    FactSpec("repair.list_wait_months", _I, "the list's early-removal waiting time, in months (none: the list sets none)"),
    FactSpec("repair.list_wait_counted_from", _E, "what that wait runs from", ("listing", "correction")),
    FactSpec("repair.list_removal_requires_commitment", _B, "the list's own early-removal rule requires a credit commitment (false: the list sets no such condition; none: the list is not known)"),
    FactSpec("repair.list_regime", _S, "id of the list's own deletion rule naming the list (e.g. the court list's)"),
    FactSpec("repair.list_regime_effective_from", _D, "the first day that rule is in force"),
    FactSpec("repair.list_regime_effective_to", _D, "the last day that rule is in force (none: open)"),
    FactSpec("repair.list_ground_deletion_working_days", _I, "working days to delete an entry without a term once a ground arises"),
    FactSpec("repair.list_term_end_deletion_working_days", _I, "working days to delete an entry with a term after it ends"),
]
