"""Information requests and decisions: may this item be recorded, shared, published?

An :class:`InformationRequest` is what a department hands over before it
records, shares or publishes one piece of public credit information: the kind
of item (a catalog item id), the subject it concerns, the recipient and
purpose of a share, the planned publication, a consent record and/or the
basis for using personal information, and the date the questions are asked.
Like a case, it carries every date the decision needs: the engine never
reads the clock.
"""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from ..catalog.kinds.information import Purpose, RecipientKind
from ..catalog.schema import BasisRef
from ..model.decision import EditionRef, QuestionResult, SubjectSummary
from ..model.legal import RegionCode
from ..model.repair import PenaltyKind
from ..model.subject import Subject
from .enums import Channel as Channel, PublicationTier as PublicationTier, Use as Use  # defined apart (light) for the fact declarations; re-exported


#: the platforms that republish what the determining department published (49号(五))
PLATFORMS = (Channel.credit_china, Channel.enterprise_publicity_system)


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class PenaltyDetails(_In):
    """What an administrative penalty consisted of: its publication and its publication period depend on it.

    市场监管总局令第45号 第二条第二款 (a warning only is not published), 第十三条 (3 months for only 通报批评 or a
    较低数额罚款, else 3 years); 行政处罚法 第四十八条 (only penalties 具有一定社会影响 must be made public);
    国办发〔2025〕22号 二 (tiers).  What the request does not say stays unknown, and an answer that needs it is
    undetermined.
    """

    kinds: list[PenaltyKind] = Field(min_length=1, description="every kind of penalty the decision imposed (行政处罚法 第九条)")
    fine_amount: Decimal | None = Field(None, ge=0, description="the fine in yuan, when a fine was imposed")
    small_fine: bool | None = Field(
        None, description="the fine is a 较低数额罚款 under the provincial market regulator's rule (45号 第十三条第二款); none: not stated"
    )
    by_market_regulator: bool = Field(False, description="imposed by a 市场监督管理部门 (市场监管总局令第45号 governs its publication)")
    social_impact: bool | None = Field(None, description="the penalty 具有一定社会影响 (行政处罚法 第四十八条); none: not stated")
    tier: PublicationTier | None = Field(None, description="轻微/一般/严重 under the sector's classification (国办发〔2025〕22号 二)")


class ConsentRecord(_In):
    """The person's authorisation (授权) to collect or use their credit information.

    49号(十四), 梧州(二十二): the purpose, manner and scope must be stated and
    the person must agree; collecting without authorisation, by forced
    authorisation, or on one authorisation for life is forbidden.  So a
    consent records its purposes, the uses and items it covers, and its
    expiry; a consent without expiry, or obtained as a condition of a
    service, is refused by the F2 rules wherever it is relied on.
    """

    consent_id: str | None = None
    purposes: list[Purpose] = Field(min_length=1, description="the purposes the person agreed to")
    uses: list[Use] = Field(min_length=1, description="record, share, publish and/or query")
    items: list[str] = Field(min_length=1, description="catalog item ids or category ids the consent covers")
    obtained_on: date
    expires_on: date | None = Field(None, description="none: no expiry (a lifetime authorisation, refused)")
    condition_of_service: bool = Field(False, description="consent was required to obtain an unrelated service (forced)")

    @model_validator(mode="after")
    def _expiry_after_obtained(self) -> ConsentRecord:
        if self.expires_on is not None and self.expires_on < self.obtained_on:
            raise ValueError("expires_on is before obtained_on")
        return self


class PersonalDetails(_In):
    """Personal data carried by the item itself (besides the subject's name and ID)."""

    phone: str | None = None
    address: str | None = None
    bank_account: str | None = None

    def any(self) -> bool:
        return any(v for v in (self.phone, self.address, self.bank_account))


class ItemRef(_In):
    """The piece of information the questions are about."""

    kind: str = Field(description="id of an item in the information catalogs, e.g. administrative_penalty")
    decision_date: date | None = Field(None, description="date of the administrative decision (licensing, penalty …)")
    document_number: str | None = Field(None, description="e.g. the penalty decision's number")
    summary: str | None = Field(None, description="what the information says, as it would be published")
    contains_trade_secret: bool = Field(False, description="the information contains trade secrets (商业秘密)")
    personal_details: PersonalDetails | None = None
    penalty: PenaltyDetails | None = Field(None, description="for a penalty decision: what the penalty consisted of")


class Recipient(_In):
    """Who the information would be shared with, and why (49号(三))."""

    kind: RecipientKind
    name: str
    purpose: Purpose


class PublicationPlan(_In):
    """The planned (or actual) publication (49号(四)(五), 梧州(六))."""

    published_on: date | None = Field(None, description="first day of publication; none: not yet published")
    channel: Channel | None = None
    until: date | None = Field(None, description="the last day this channel would publish it")
    department_until: date | None = Field(None, description="for a platform: the last day the determining department publishes it")

    @model_validator(mode="after")
    def _until_after_start(self) -> PublicationPlan:
        if self.published_on is not None and self.until is not None and self.until < self.published_on:
            raise ValueError("until is before published_on")
        return self


class InformationRequest(_In):
    """One item of public credit information and the questions asked about it."""

    request_id: str
    asked_on: date = Field(description="the date the questions are judged on (catalog editions, rules, consents)")
    jurisdiction: RegionCode = Field("000000", description="GB/T 2260 code of the deciding jurisdiction")
    questions: list[Use] = Field(default_factory=list, description="default: record, plus share/publish when their sections are given")
    subject: Subject
    item: ItemRef
    recipient: Recipient | None = None
    publication: PublicationPlan | None = None
    consent: ConsentRecord | None = None
    personal_basis: BasisRef | None = Field(
        None, description="the law, regulation or State Council decision allowing use of personal information without consent"
    )

    @field_validator("questions")
    @classmethod
    def _information_questions(cls, value: list[Use]) -> list[Use]:
        if Use.query in value:
            raise ValueError("record, share or publish; a query is a query request (credit-rules audit query)")
        return value

    @model_validator(mode="after")
    def _consistent(self) -> InformationRequest:
        if Use.share in self.questions and self.recipient is None:
            raise ValueError("questions: share was asked but the request has no recipient section")
        pub = self.publication
        decided = self.item.decision_date
        if pub is not None and pub.published_on is not None and decided is not None and pub.published_on < decided:
            raise ValueError("publication.published_on is before item.decision_date")
        return self

    def asked(self) -> list[Use]:
        """The questions answered: as listed, else record plus whatever the request has sections for."""
        if self.questions:
            return list(dict.fromkeys(self.questions))
        out = [Use.record]
        if self.recipient is not None:
            out.append(Use.share)
        if self.publication is not None:
            out.append(Use.publish)
        return out


# ---------------------------------------------------------------------- output


class _Out(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ItemSummary(_Out):
    """The catalog item the request named, as found in the catalogs in force."""

    id: str
    name_zh: str
    name_en: str
    category: str
    category_name_zh: str
    scope: str = Field(description="national_base or local_supplementary")
    catalog: EditionRef
    source_body: str
    legal_basis: str | None = Field(description="title and article of the basis; null: the item's own basis is not recorded")
    shared_with: list[str]
    share_verified: bool
    published: bool
    publish_verified: bool
    double_publicity: bool
    publication_period: str | None = None
    personal_information: bool
    verified: bool


class PublicationTiming(_Out):
    """When it must be published, when it was, and until when it may stay published."""

    decision_date: date | None = None
    deadline: date | None = Field(None, description="last day of the working-day deadline (decision day not counted)")
    deadline_working_days: int | None = None
    deadline_citation: str | None = None
    published_on: date | None = None
    working_days_after_decision: int | None = None
    on_time: bool | None = None
    until: date | None = Field(None, description="last day of the publication period; none: no fixed period recorded")
    period_citation: str | None = None


class PublishedRecord(_Out):
    """What may be published: personal data always desensitised (49号(四) 必要脱敏处理).

    A natural person's phone number and address are never part of it: rule
    ``A3.no_contact_details`` withholds them and ``withheld`` says so, with the
    rule's citation.  The model has no field that could carry them.
    """

    subject_kind: str
    subject_name: str
    identifier: str | None = None
    item: str
    item_name_zh: str
    document_number: str | None = None
    decision_date: date | None = None
    summary: str | None = None
    penalty_kinds: list[str] = Field(default_factory=list, description="what the penalty consisted of (行政处罚法 第九条)")
    fine_amount: Decimal | None = None
    bank_account: str | None = None
    withheld: list[str] = Field(default_factory=list, description="personal details the request carried that are not published")
    withheld_because: list[str] = Field(default_factory=list, description="the rules (with citations) that withhold them")


class InformationDecision(_Out):
    request_id: str
    asked_on: date
    jurisdiction: str
    subject: SubjectSummary
    masking: str = Field(description="'masked', or 'disclosed' with the basis the caller gave")
    item: ItemSummary | None = Field(None, description="none: the item is in no catalog in force here")
    ruleset: str
    ruleset_version: str
    backend: str
    catalog_editions: list[EditionRef]
    record: QuestionResult | None = None
    share: QuestionResult | None = None
    publish: QuestionResult | None = None
    publication: PublicationTiming | None = None
    published_record: PublishedRecord | None = Field(None, description="only when publication is allowed")
    warnings: list[str] = Field(default_factory=list)

    def results(self) -> list[QuestionResult]:
        return [r for r in (self.record, self.share, self.publish) if r is not None]

    def to_json(self) -> str:
        """Stable JSON: same input → byte-identical output (sorted keys, no wall clock)."""
        return json.dumps(self.model_dump(mode="json"), ensure_ascii=False, sort_keys=True, indent=2) + "\n"
