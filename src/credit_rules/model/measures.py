"""Proposed punishment measures (失信惩戒措施) in a case."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from .act import Gravity
from .subject import PersonRole, SubjectKind
from .._empty import empty_list


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


class DescribedBasis(BaseModel):
    """The legal basis a described measure directly cites."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    legal_basis: str = Field(description="id of a legal basis in the catalogs (legal_bases)")
    article: str | None = Field(None, description="the article, as the basis numbers it")


class MeasureDescription(BaseModel):
    """What a measure on no measure list is, as the case describes it (#13 item 14).

    A measure on no list is refused under 49号(九) — but it is still judged on relevance,
    proportionality and its basis, so the answer names every defect, not only the first.
    Whatever the description leaves out stays unknown (never assumed in the measure's favour).
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    name_zh: str | None = None
    name_en: str | None = None
    group: int = Field(ge=1, le=3, description="nature: 1 reduces rights or adds obligations, 2 management, 3 market or social bodies")
    kind: Literal["administrative", "market", "industry"] | None = Field(None, description="35号(十): administrative, market or industry")
    basis: DescribedBasis = Field(description="the law, regulation or document the measure directly cites")
    fields: list[str] = Field(min_length=1, description="sub-fields (domains catalog) the measure concerns")
    gravity_floor: Gravity | None = Field(None, description="the least gravity of act it is meant for")
    subject_kinds: list[SubjectKind] | None = Field(None, description="kinds of subject it may target (unknown if omitted)")
    responsible_persons: list[PersonRole] = Field(default_factory=empty_list, description="roles of an organisation's people its basis reaches")
    required_lists: list[str] = Field(default_factory=empty_list, description="listing standards the subject must be on")
    max_duration_years: int | None = Field(None, ge=1, description="the longest term its basis allows")
    ban: bool = Field(False, description="a market or industry ban (限制从业、限制开展生产经营活动, 35号(十一))")


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
    target_conduct: list[str] | None = Field(
        None,
        description=(
            "conduct ids the targeted person shows themself in the documents (e.g. food_safety_crime_prison_sentence: "
            "this person was sentenced); only with a target; none: not stated — a ban ground the law attaches to the "
            "person who shows it is then unknown for this person"
        ),
    )
    description: MeasureDescription | None = Field(
        None, description="what the measure is, for a measure on no measure list (judged on the principles all the same)"
    )

    @model_validator(mode="after")
    def _target_conduct_needs_target(self) -> MeasureProposal:
        # the subject's own conduct is act.conduct; target_conduct says what one of its people showed
        if self.target_conduct is not None and self.target is None:
            raise ValueError("target_conduct: give it only with a target (the subject's own conduct is act.conduct)")
        return self


class MeasuresRequest(BaseModel):
    """Which measures to decide: the proposed ones, or every applicable one."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    proposed: list[MeasureProposal] = Field(default_factory=empty_list)
    all_applicable: bool = False
    start: date | None = Field(None, description="start date; default: the listing decision date, else as_of")

    @model_validator(mode="after")
    def _something_asked(self) -> MeasuresRequest:
        if not self.proposed and not self.all_applicable:
            raise ValueError("propose measures or set all_applicable: true")
        return self
