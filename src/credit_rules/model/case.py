"""The case: what a government system hands to the engine."""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from .act import Act
from .legal import Level, RegionCode
from .measures import MeasuresRequest
from .repair import RepairRequest
from .subject import Subject
from .._empty import empty_list


class Question(StrEnum):
    """Every question family the rule set answers; a rule names exactly one."""

    determination = "determination"  # 认定失信行为 (B)
    listing = "listing"  # 列入严重失信主体名单 (C)
    measures = "measures"  # 失信惩戒措施 (D)
    repair = "repair"  # 信用修复 (E)
    record = "record"  # 纳入公共信用信息 (A1)
    share = "share"  # 共享 (A2)
    publish = "publish"  # 公开 (A3, A4)
    query = "query"  # 查询 (F1, F2)
    supervision = "supervision"  # 信用分级分类监管 (G1, G2)


CASE_QUESTIONS = (Question.determination, Question.listing, Question.measures, Question.repair, Question.supervision)
"""Questions answered from a case (subject + act); the others take an information request."""


class ListKind(StrEnum):
    serious = "serious"  # 严重失信主体名单 (black list)
    red = "red"  # 红名单
    focus = "focus"  # 重点关注对象名单


class Objection(BaseModel):
    """An objection (异议) raised by the party before the listing decision."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    raised_on: date
    answered_on: date | None = None
    well_founded: bool | None = Field(None, description="true when verification found the information wrong")


class Notice(BaseModel):
    """Prior notice (事先告知) of the intended listing, 49号(八)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    given_on: date
    states_reasons: bool = False  # 事由
    states_basis: bool = False  # 依据
    states_rights: bool = False  # 依法享有的权利


class CreditStanding(StrEnum):
    """Credit standing for supervision by tier (35号(七))."""

    good = "good"  # 信用良好、风险较低
    ordinary = "ordinary"  # 一般风险
    dishonest = "dishonest"  # 违法失信
    high_risk = "high_risk"  # 高风险


class SupervisionRequest(BaseModel):
    """How closely to supervise the subject, and what follows from unkept commitments (35号(一)(七)(九))."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    credit_standing: CreditStanding
    unkept_commitments: int = Field(0, ge=0, description="credit commitments the subject did not keep")
    rectified_in_time: bool = Field(True, description="the subject rectified within the set time")


class Authority(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str
    level: Level
    upper_level_approved: bool | None = Field(
        None, description="the next level up consented to the decision, where the list's own rule requires it (e.g. SAMR 44号); none = not stated"
    )


class StatedCriterion(BaseModel):
    """The criterion of the listing standard the decision applied, as the decision states it.

    Read only where the catalogs do not model the standard's criteria (湖北 §5: 根据国家和省制定的认定标准认定 — the
    list defers to standards set elsewhere): the engine cannot check the act against them, so whether it meets one
    is what the decision says, with the article it applied; not stated, it is unknown (待核实)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    citation: str = Field(min_length=1, description="the article of the standard the decision applied, e.g. 食品安全法 第一百二十三条")
    met: bool = Field(description="the decision finds the act meets it")


class ListingRequest(BaseModel):
    """A proposed listing decision to be checked."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    list_kind: ListKind = ListKind.serious
    standard: str = Field(description="id of a listing standard in the catalogs")
    authority: Authority
    decision_date: date
    notice: Notice | None = None
    objection: Objection | None = None
    candidate_publicity_start: date | None = Field(None, description="公示 of candidates (湖北 §6)")
    candidate_publicity_end: date | None = None
    period_years: int | None = Field(
        None, ge=1, description="the list term the decision sets, where the standard lets it choose (e.g. 1-3 years); default: the standard's"
    )
    stated_criterion: StatedCriterion | None = Field(
        None, description="where the catalogs do not model the standard's criteria: the one the decision applied, and whether the act meets it"
    )

    @model_validator(mode="after")
    def _publicity_both_or_none(self) -> ListingRequest:
        start, end = self.candidate_publicity_start, self.candidate_publicity_end
        if (start is None) != (end is None):
            raise ValueError("candidate_publicity_start and candidate_publicity_end go together")
        if start is not None and end is not None and end < start:
            raise ValueError("candidate_publicity_end is before candidate_publicity_start")
        return self


class Case(BaseModel):
    """One subject, one act, the questions asked, and the date they are asked on."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    case_id: str
    as_of: date | None = Field(None, description="decision date; the CLI's --as-of overrides it")
    jurisdiction: RegionCode = Field("000000", description="GB/T 2260 code of the deciding jurisdiction")
    subject: Subject
    act: Act
    questions: list[Question] = Field(default_factory=empty_list, description="default: every question the case supports")

    @field_validator("questions")
    @classmethod
    def _case_questions(cls, value: list[Question]) -> list[Question]:
        for q in value:
            if q not in CASE_QUESTIONS:
                raise ValueError(f"one of {[c.value for c in CASE_QUESTIONS]}; {q.value!r} takes an information request")
        return value
    listing: ListingRequest | None = None
    measures: MeasuresRequest | None = None
    repair: RepairRequest | None = None
    supervision: SupervisionRequest | None = None

    @model_validator(mode="after")
    def _questions_answerable(self) -> Case:
        if Question.listing in self.questions and self.listing is None:
            raise ValueError("questions: listing was asked but the case has no listing section")
        if Question.measures in self.questions and self.measures is None:
            raise ValueError("questions: measures were asked but the case has no measures section")
        if Question.supervision in self.questions and self.supervision is None:
            raise ValueError("questions: supervision was asked but the case has no supervision section")
        if Question.repair in self.questions and self.repair is None:
            raise ValueError("questions: repair was asked but the case has no repair section")
        return self

    def asked(self) -> list[Question]:
        if self.questions:
            return list(dict.fromkeys(self.questions))
        out = [Question.determination]
        if self.listing is not None:
            out.append(Question.listing)
        if self.measures is not None:
            out.append(Question.measures)
        if self.repair is not None:
            out.append(Question.repair)
        if self.supervision is not None:
            out.append(Question.supervision)
        return out
