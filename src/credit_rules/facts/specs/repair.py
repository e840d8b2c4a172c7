"""Facts of a repair request (49号(十一)(十二), 58号, 36号)."""

from __future__ import annotations

from ...model.legal import LegalForm
from ...model.repair import InformationKind, PenaltyKind
from ..schema import FactSpec, FactType

_B, _I, _E, _S = FactType.bool, FactType.int, FactType.enum, FactType.str

SPECS: list[FactSpec] = [
    FactSpec("repair.regime_found", _B, "a repair regime is in force on the application date"),
    FactSpec("repair.regime", _S, "id of that regime"),
    FactSpec("repair.regime_basis_id", _S, "the legal basis of that regime (e.g. ndrc_2019_527, ndrc_order_36)"),
    FactSpec("repair.penalty_kinds", FactType.set, "kinds of penalty the decision imposed (行政处罚法 第九条)", tuple(k.value for k in PenaltyKind)),
    FactSpec("repair.penalty_by_market_regulator", _B, "the penalty was imposed by a 市场监督管理部门"),
    FactSpec("repair.information", _E, "kind of dishonesty information", tuple(k.value for k in InformationKind)),
    FactSpec("repair.tier_known", _B, "the regime has the request's tier"),
    FactSpec("repair.tier_published", _B, "information of that tier is published at all"),
    FactSpec("repair.tier_repairable", _B, "the regime allows repair for that tier"),
    FactSpec("repair.waits_for_min_period", _B, "repair may be applied for only after the minimum period"),
    FactSpec("repair.days_to_min_period", _I, "days from the application date to the end of the minimum period (negative: passed)"),
    FactSpec("repair.max_period_passed", _B, "the maximum publication period has ended (publication stops automatically)"),
    FactSpec("repair.obligations_performed", _B, "legal obligations fully performed"),
    FactSpec("repair.act_corrected", _B, "the dishonest act was corrected"),
    FactSpec("repair.credit_commitment", _B, "a public credit commitment was made"),
    FactSpec("repair.adverse_effect_eliminated", _B, "the adverse effect was eliminated"),
    FactSpec("repair.false_materials_found", _B, "false materials were found in an earlier application"),
    FactSpec("repair.repeated_violation", _B, "屡禁不止、屡罚不改"),
    FactSpec("repair.non_repairable_claimed", _B, "a provision is cited declaring the information non-repairable"),
    FactSpec("repair.non_repairable_basis_form", _E, "legal form of that provision", tuple(f.value for f in LegalForm)),
    FactSpec("repair.fee_charged", _B, "a fee was asked for"),
    FactSpec("repair.deletion_ground_met", _B, "a ground for deleting the list entry has arisen"),
    FactSpec("repair.early_removal_months_left", _I, "months until a listing's early-removal waiting time ends (negative: passed)"),
]
