"""A credit repair request (信用修复申请) in a case."""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

from .legal import LegalForm


class InformationKind(StrEnum):
    """Kinds of dishonesty information 36号 第四条 names."""

    administrative_penalty = "administrative_penalty"  # 行政处罚信息
    serious_list = "serious_list"  # 严重失信主体名单信息
    abnormal_operation_list = "abnormal_operation_list"  # 异常名录信息
    other = "other"  # 其他失信信息


class RepairRequest(BaseModel):
    """What the subject asks to have repaired, and what it has done."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    information: InformationKind
    tier: str = Field(description="minor, general, serious or especially_serious, per the sector's classification")
    document_date: date = Field(description="date of the judicial/administrative document the period runs from")
    application_date: date | None = Field(None, description="default: the case's as_of")
    listing_standard: str | None = Field(None, description="for serious_list information: the list's standard id")
    obligations_performed: bool = False  # 完全履行法定责任和义务
    act_corrected: bool = False  # 纠正失信行为
    corrected_on: date | None = Field(
        None, description="the day the act was corrected (e.g. the arrears repaid); some lists count their early-removal wait from it"
    )
    credit_commitment: bool = False  # 公开作出信用承诺
    adverse_effect_eliminated: bool = False  # 消除不良影响
    false_materials_found: bool = Field(False, description="false materials found in an earlier application")
    repeated_violation: bool = Field(False, description="屡禁不止、屡罚不改")
    non_repairable_basis: str | None = Field(None, description="citation of a provision declaring it non-repairable")
    non_repairable_basis_form: LegalForm | None = None
    fee_charged: bool = Field(False, description="the authority or platform asked for a fee")
    deletion_ground_met_on: date | None = Field(
        None, description="date a ground for deleting the list entry arose (e.g. 法释〔2017〕7号 第十条)"
    )
    methods: list[str] = Field(default_factory=list, description="methods the subject used (credit commitment, training …)")
