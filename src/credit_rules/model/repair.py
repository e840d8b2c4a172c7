"""A credit repair request (信用修复申请) in a case."""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

from .legal import LegalForm
from .._empty import empty_list


class InformationKind(StrEnum):
    """Kinds of dishonesty information 36号 第四条 names."""

    administrative_penalty = "administrative_penalty"  # 行政处罚信息
    serious_list = "serious_list"  # 严重失信主体名单信息
    abnormal_operation_list = "abnormal_operation_list"  # 异常名录信息
    other = "other"  # 其他失信信息


class PenaltyKind(StrEnum):
    """Kinds of administrative penalty (行政处罚法 第九条)."""

    warning = "warning"  # 警告
    circulated_criticism = "circulated_criticism"  # 通报批评
    fine = "fine"  # 罚款
    confiscation = "confiscation"  # 没收违法所得、没收非法财物
    licence_suspension = "licence_suspension"  # 暂扣许可证件
    qualification_downgrade = "qualification_downgrade"  # 降低资质等级
    licence_revocation = "licence_revocation"  # 吊销许可证件
    business_licence_revocation = "business_licence_revocation"  # 吊销营业执照
    production_restriction = "production_restriction"  # 限制开展生产经营活动
    production_suspension = "production_suspension"  # 责令停产停业
    closure = "closure"  # 责令关闭
    practice_restriction = "practice_restriction"  # 限制从业
    detention = "detention"  # 行政拘留
    other = "other"  # 法律、行政法规规定的其他行政处罚


class PenaltyContent(BaseModel):
    """What an administrative penalty consisted of, and who imposed it (publication and repair depend on it)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    kinds: list[PenaltyKind] = Field(min_length=1, description="every kind of penalty the decision imposed")
    by_market_regulator: bool = Field(False, description="imposed by a 市场监督管理部门 (市场监管总局令第45号 governs its publication)")


class RepairRequest(BaseModel):
    """What the subject asks to have repaired, and what it has done."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    information: InformationKind
    tier: str = Field(description="minor, general, serious or especially_serious, per the sector's classification")
    document_date: date = Field(description="date of the judicial/administrative document the period runs from")
    application_date: date | None = Field(None, description="default: the case's as_of")
    listing_standard: str | None = Field(None, description="for serious_list information: the list's standard id")
    listing_has_term: bool | None = Field(
        None,
        description="the listing decision set a term (法释〔2017〕7号 第二条: grounds (二)–(六)); false: none (ground (一)); "
        "not given: unknown, and an answer that turns on it is undetermined",
    )
    listing_term_years: int | None = Field(None, ge=1, description="that term, in years (2, or 3–5 when extended)")
    obligations_performed: bool = False  # 完全履行法定责任和义务
    act_corrected: bool = False  # 纠正失信行为
    corrected_on: date | None = Field(
        None, description="the day the act was corrected (e.g. the arrears repaid); some lists count their early-removal wait from it"
    )
    credit_commitment: bool = False  # 公开作出信用承诺
    adverse_effect_eliminated: bool = False  # 消除不良影响
    false_materials_found: bool = Field(False, description="false materials found in an earlier application")
    false_materials_found_on: date | None = Field(
        None, description="the day those false materials were found: 36号's bar on applying runs from it (not given: unknown)"
    )
    repeated_violation: bool = Field(False, description="屡禁不止、屡罚不改")
    repeated_violation_found_on: date | None = Field(
        None, description="the day the repeated violation was established: 36号's bar on applying runs from it (not given: unknown)"
    )
    non_repairable_basis: str | None = Field(None, description="citation of a provision declaring it non-repairable")
    non_repairable_basis_form: LegalForm | None = None
    fee_charged: bool = Field(False, description="the authority or platform asked for a fee")
    deletion_ground_met_on: date | None = Field(
        None, description="date a ground for deleting the list entry arose (e.g. 法释〔2017〕7号 第十条)"
    )
    methods: list[str] = Field(default_factory=empty_list, description="methods the subject used (credit commitment, training …)")
    penalty: PenaltyContent | None = Field(None, description="for administrative_penalty information: what the penalty consisted of")
