"""The catalog file formats (YAML under ``catalogs/``).

Every catalog file has the same envelope — ``kind``, ``jurisdiction``,
``edition``, ``effective_from``/``effective_to`` and ``entries`` — so that a
case is decided with whatever edition was in force on its as-of date, and a
jurisdiction's own layer sits on top of the national one.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from ..model.case import ListKind
from ..model.legal import LegalBasis, Level, RegionCode, Source, maintainer_note, maintainer_notes
from .registry import catalog_kinds, register_catalog_kind
from .._empty import empty_dict, empty_list

Code = RegionCode


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class BasisRef(_Strict):
    """A pointer to a legal basis in the catalogs, with the article relied on."""

    legal_basis: str
    article: str | None = None


class Jurisdiction(_Strict):
    code: Code
    name_zh: str
    name_en: str
    level: Level
    parent: Code | None = None
    supplementary_basis: BasisRef | None = Field(
        None, description="local regulation that allows supplementary catalogs/lists here (49号(一)(九))"
    )
    source: Source
    notes: list[str] = maintainer_notes()


class Field_(_Strict):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    name_zh: str
    name_en: str


class Domain(_Strict):
    """One of the four serious-dishonesty domains of 国发〔2016〕33号."""

    category: int = Field(ge=1, le=4)
    id: str
    name_zh: str
    name_en: str
    fields: list[Field_]
    source: Source
    notes: list[str] = maintainer_notes()


class Publication(StrEnum):
    credit_china = "credit_china"  # “信用中国”网站
    department_site = "department_site"  # 主管(监管)部门指定网站


class IssuerBranch(StrEnum):
    administrative = "administrative"
    judicial = "judicial"


class TimeLimit(_Strict):
    days: int = Field(ge=1)
    working_days: bool
    citation: str


class Period(_Strict):
    years: int | None = Field(None, ge=1, description="none: no fixed period (ends on removal); with min_years, the most a decision may set")
    min_years: int | None = Field(
        None, ge=1, description="the least term a decision may set, where the law lets it choose (政府采购法 第七十七条: 一至三年)"
    )
    extendable_years: tuple[int, int] | None = None
    set_by_decision: bool = Field(
        False,
        description="the standard leaves the term to the deciding department (湖北 §10.1: 有效期由相关认定部门…确定), so each "
        "decision must set one; not with years (a standard that fixes a term or a range says so there)",
    )
    citation: str
    verified: bool = True

    @model_validator(mode="after")
    def _range(self) -> Period:
        if self.min_years is not None and (self.years is None or self.min_years > self.years):
            raise ValueError("min_years: needs years, and may not exceed it")
        if self.set_by_decision and self.years is not None:
            raise ValueError("set_by_decision: only where the standard sets no years (a range is years with min_years)")
        return self

    def allows(self, years: int) -> bool:
        """Whether a decision may set a term of *years* under this period."""
        if self.years is None:
            return False
        return (self.min_years or self.years) <= years <= self.years


class EarlyRemoval(_Strict):
    """Early removal from a list (提前移出) after a waiting time, on conditions."""

    after_months: int | None = Field(None, ge=0, description="waiting time, in months, from counted_from")
    counted_from: Literal["listing", "correction"] = Field(
        "listing",
        description="what the wait runs from: the listing decision, or the day the act was corrected (e.g. wages repaid)",
    )
    conditions: list[str] = Field(default_factory=empty_list)
    requires_credit_commitment: bool = Field(
        False,
        description=(
            "the list's own rule makes a credit commitment (守信承诺) a condition of early removal, whatever the national "
            "repair regime in force says (rule E2.list_removal_credit_commitment)"
        ),
    )
    citation: str
    verified: bool = True


class Deletion(_Strict):
    """Grounds on which the list entry must be deleted, and how fast (e.g. 法释〔2017〕7号 第十条)."""

    grounds: list[str] = Field(min_length=1)
    deadline_working_days: int = Field(ge=1)
    citation: str
    verified: bool = True


class Threshold(_Strict):
    """A numeric threshold of a criterion: ``quantity op value`` (e.g. tax_evaded_cny ge 1000000)."""

    quantity: str = Field(pattern=r"^[a-z][a-z0-9_]*$", description="a key of the act's amounts or quantities")
    op: Literal["ge", "gt", "le", "lt"]
    value: Decimal
    unit: str | None = Field(None, description="元, 份, 起, ratio …")


class Ratio(_Strict):
    """A quantity a case may give as two figures, which the engine divides (e.g. 少缴税款 ÷ 当年各税种应纳税总额).

    A case that gives the quantity itself is taken at its word; otherwise the
    ratio is worked out from the two figures, and the decision shows both.
    """

    numerator: str = Field(pattern=r"^[a-z][a-z0-9_]*$", description="a key of the act's amounts or quantities")
    denominator: str = Field(pattern=r"^[a-z][a-z0-9_]*$", description="a key of the act's amounts or quantities")


class Criterion(_Strict):
    """One listing criterion of a regime, as its article states it."""

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    article: str = Field(min_length=2, description="the article stating it, e.g. 税务总局令第54号 第六条第一项")
    name_zh: str
    name_en: str
    conduct: list[str] = Field(min_length=1, description="any of these conduct ids of the act")
    thresholds: list[Threshold] = Field(default_factory=empty_list, description="all must hold")
    any_thresholds: list[Threshold] = Field(default_factory=empty_list, description="at least one must hold, if any")
    bars: list[str] = Field(default_factory=empty_list, description="conduct ids that exclude this criterion (e.g. 已提供充分有效担保)")
    effective_from: date | None = Field(None, description="the criterion's own window, when a later law added it; judged on the act date")
    effective_to: date | None = None
    period: Period | None = Field(
        None,
        description=(
            "where the law sets terms per ground (法释〔2017〕7号 第二条: 二年 for grounds (二)–(六) only), a ground that sets NO fixed "
            "term says so here (years: null, with its citation); none: the standard's period. A ground with another fixed "
            "term than the standard's belongs in a standard of its own"
        ),
    )

    @model_validator(mode="after")
    def _only_an_open_term(self) -> Criterion:
        if self.period is not None and self.period.years is not None:
            raise ValueError("period: a criterion's own period may only say it sets no fixed term (years: null)")
        return self
    verified: bool = True
    note: str | None = maintainer_note()


class AuthorityRule(_Strict):
    """What a list's own law, regulation or departmental rule says about who decides (49号(八) "另有规定的从其规定").

    It can only tighten 49号(八)'s county floor (a higher minimum level, or the
    consent of the next level up); the rules never let it lower the floor.
    """

    min_level: Level | None = Field(None, description="the lowest level that may decide; never below county for an administrative list")
    approval_required_below: Level | None = Field(
        None, description="authorities below this level need the consent of the next level up (e.g. SAMR: provincial)"
    )
    citation: str = Field(min_length=2)
    verified: bool = True
    notes: list[str] = maintainer_notes()

    @model_validator(mode="after")
    def _tightens(self) -> AuthorityRule:
        if self.min_level is not None and self.min_level.rank < Level.county.rank:
            raise ValueError("min_level: a standard can only tighten 49号(八)'s county floor (county or higher)")
        return self


class ListingStandard(_Strict):
    """A listing standard (名单认定标准) and the list it belongs to."""

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    name_zh: str
    name_en: str
    list_kind: ListKind = ListKind.serious
    scope: Literal["national", "local"]
    issuer_branch: IssuerBranch = IssuerBranch.administrative
    basis: BasisRef = Field(description="the document that sets the standard (49号(七))")
    establishing_basis: BasisRef = Field(description="the law/policy that sets up the list's field (49号(六))")
    domain_category: int | None = Field(None, ge=1, le=4, description="none = outside the four 33号 domains")
    fields: list[str] = Field(description="sub-field ids from the domains catalog this list covers")
    consultation_days: int | None = Field(None, ge=0, description="public consultation period; none = unknown")
    published_on: list[Publication] | None = Field(None, description="where the standard is published; none = not recorded")
    removal_conditions: list[str] = Field(default_factory=empty_list)
    procedure: list[str] = Field(default_factory=empty_list)
    remedies: list[str] = Field(default_factory=empty_list)
    third_party_evaluation: bool = False
    conforms_to_49: bool = Field(True, description="updated to the requirements of 国办发〔2020〕49号")
    minors_excluded: bool = False
    authority: AuthorityRule | None = Field(
        None, description="who may decide, where a law, regulation or departmental rule says more than 49号(八)'s county floor"
    )
    listing_mandatory: str | None = Field(
        None, description="citation of a law or judicial interpretation that says the subject SHALL be listed (应当纳入): 35号(八)'s threshold then does not demote it"
    )
    requires_final_penalty: str | None = Field(
        None, description="citation of the rule that lists only once the penalty is final (e.g. 税务总局令第54号 第七条)"
    )
    objection_answer_limit: TimeLimit | None = None
    period: Period
    criteria: list[Criterion] = Field(
        default_factory=empty_list,
        description="the regime's listing criteria; empty = not modelled (a listing then rests on the criterion the decision states)",
    )
    ratios: dict[str, Ratio] = Field(
        default_factory=empty_dict, description="threshold quantities a case may give as two figures instead (quantity → numerator ÷ denominator)"
    )
    early_removal: EarlyRemoval | None = None
    deletion: Deletion | None = None
    effective_from: date
    effective_to: date | None = None
    source: Source
    notes: list[str] = maintainer_notes()


class CatalogKind(StrEnum):
    """The built-in catalog kinds; further kinds register in :mod:`.registry`."""

    jurisdiction = "jurisdiction"
    legal_bases = "legal_bases"
    domains = "domains"
    listing_standards = "listing_standards"


register_catalog_kind(CatalogKind.jurisdiction, Jurisdiction)
register_catalog_kind(CatalogKind.legal_bases, LegalBasis)
register_catalog_kind(CatalogKind.domains, Domain)
register_catalog_kind(CatalogKind.listing_standards, ListingStandard)


class Envelope(_Strict):
    """The header every catalog file carries."""

    kind: str = Field(description="a registered catalog kind, e.g. listing_standards")
    jurisdiction: Code
    edition: str
    effective_from: date
    effective_to: date | None = None
    title: str | None = None
    source: Source | None = None
    notes: list[str] = maintainer_notes()
    entries: list[dict[str, object]]

    @field_validator("kind")
    @classmethod
    def _known_kind(cls, value: str) -> str:
        kinds = catalog_kinds()
        if value not in kinds:
            raise ValueError(f"one of the catalog kinds {sorted(kinds)}")
        return value

    @model_validator(mode="after")
    def _dates(self) -> Envelope:
        if self.effective_to is not None and self.effective_to < self.effective_from:
            raise ValueError("effective_to is before effective_from")
        return self

    def entry_model(self) -> type[BaseModel]:
        return catalog_kinds()[self.kind]
