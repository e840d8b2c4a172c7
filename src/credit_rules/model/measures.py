"""Proposed punishment measures (失信惩戒措施) in a case."""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field, model_validator

from .subject import PersonRole


class Implementer(StrEnum):
    """Who carries a measure out.  The last four may never be compelled (49号(九))."""

    administrative_organ = "administrative_organ"
    court = "court"
    public_body = "public_body"  # 法律法规授权的具有管理公共事务职能的组织
    financial_institution = "financial_institution"
    credit_service_agency = "credit_service_agency"
    industry_association = "industry_association"
    news_media = "news_media"


COMPELLABLE_NEVER = (
    Implementer.financial_institution,
    Implementer.credit_service_agency,
    Implementer.industry_association,
    Implementer.news_media,
)


class MeasureProposal(BaseModel):
    """One measure a department proposes to take."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    measure: str = Field(description="id of a measure on a measure list")
    target: PersonRole | None = Field(
        None, description="aimed at one of the subject's people instead of the subject itself (35号(十二))"
    )
    compels: Implementer | None = Field(
        None, description="a body the department would oblige to carry the measure out"
    )
    duration_years: int | None = Field(None, ge=1, description="requested duration")


class MeasuresRequest(BaseModel):
    """Which measures to decide: the proposed ones, or every applicable one."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    proposed: list[MeasureProposal] = Field(default_factory=list)
    all_applicable: bool = False
    start: date | None = Field(None, description="start date; default: the listing decision date, else as_of")

    @model_validator(mode="after")
    def _something_asked(self) -> MeasuresRequest:
        if not self.proposed and not self.all_applicable:
            raise ValueError("propose measures or set all_applicable: true")
        return self
