"""Public credit information catalogs (公共信用信息目录) and the query access policy.

Two catalog kinds:

``information_catalog``
    49号(一): only information whose kind is in the national base catalog
    (全国公共信用信息基础目录, editions 2021/2022/2024), or in a local
    supplementary catalog that rests on a local regulation, may be recorded as
    public credit information.  49号(三)(四) and 梧州(五): whether an item may be
    shared, with whom, and whether it may be published are fixed when the
    catalog is made, so they are properties of the catalog item here.  Each
    entry is a category (the 11/12/13 categories of the editions) holding its
    items.  The national file is the base catalog; a file of any other
    jurisdiction is that jurisdiction's supplementary catalog.

``information_access_policy``
    49号(十三), 梧州(二十一): query permissions and procedures must be explicit.
    Each entry allows (or denies) some roles, for some purposes, the
    information of some categories.  The shipped national policy is an
    illustration (the sources give no table); operators layer their own.

Sharing and publication flags that the sources do not confirm carry
``share_verified: false`` / ``publish_verified: false``; a decision that uses
them says so in its warnings.
"""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field, model_validator

from ...errors import Problem
from ...model.legal import LegalForm, Source, maintainer_note, maintainer_notes
from ..registry import register_catalog_kind, register_cross_check
from ..schema import BasisRef, Jurisdiction
from ..store import NATIONAL, CatalogFile, Catalogs

INFORMATION_CATALOG = "information_catalog"
ACCESS_POLICY = "information_access_policy"

_ID = r"^[a-z][a-z0-9_]*$"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class RecipientKind(StrEnum):
    """Who may receive shared information (49号(三))."""

    government_internal = "government_internal"  # 公共管理机构之间的政务共享
    judicial_organ = "judicial_organ"  # 司法机关
    financial_institution = "financial_institution"  # 金融机构
    credit_service_agency = "credit_service_agency"  # 信用服务机构
    industry_association = "industry_association"  # 行业协会商会
    market_body = "market_body"  # 其他市场主体
    subject_self = "subject_self"  # 信用主体本人


class Collection(StrEnum):
    """How an item is collected: by statute, or only with the subject's authorisation."""

    statutory = "statutory"  # 公共管理机构履职产生
    consent = "consent"  # 自愿提供 / 经授权 (35号(五))


class CatalogScope(StrEnum):
    national_base = "national_base"  # 全国公共信用信息基础目录
    local_supplementary = "local_supplementary"  # 地方公共信用信息补充目录


class PublicationPeriod(_Strict):
    """How long a published item stays published, counted from its first day of publication."""

    years: int = Field(0, ge=0)
    months: int = Field(0, ge=0)
    citation: str
    verified: bool = True
    note: str | None = maintainer_note()

    @model_validator(mode="after")
    def _some_length(self) -> PublicationPeriod:
        if self.years == 0 and self.months == 0:
            raise ValueError("a period of at least one month (years and/or months)")
        return self


class InformationItem(_Strict):
    """One kind of information in a catalog, with what may be done with it."""

    id: str = Field(pattern=_ID, description="what an information request names as item.kind")
    name_zh: str
    name_en: str
    source_body: str = Field(description="the body that produces or provides the information (信息提供单位)")
    legal_basis: BasisRef | None = Field(
        description="the law, regulation or central policy document the item rests on (49号(一)); null: not recorded — "
        "the item then cannot be recorded until it is (the answer is undetermined). 49号(一) itself is never an item's basis: "
        "it demands a basis and supplies none"
    )
    collection: Collection = Collection.statutory
    shared_with: list[RecipientKind] = Field(description="who may receive it (49号(三)); empty = not shared")
    share_verified: bool = Field(description="false when the sources do not confirm shared_with")
    published: bool = Field(description="whether it may be published (49号(四))")
    publish_verified: bool = Field(description="false when the sources do not confirm 'published'")
    double_publicity: bool = Field(False, description="行政许可/行政处罚 双公示: published within a working-day deadline (梧州(六))")
    penalty: bool = Field(
        False, description="an administrative penalty decision: its publication and period depend on what the penalty was (行政处罚法 第四十八条; 市场监管总局令第45号)"
    )
    publication_period: PublicationPeriod | None = Field(None, description="none: no fixed period recorded")
    personal_information: bool = Field(description="the item may carry personal information of natural persons")
    source: Source


class InformationCategory(_Strict):
    """One category (类) of a catalog edition and its items."""

    id: str = Field(pattern=_ID)
    number: int = Field(ge=1, description="position of the category in the edition (①, ②, …)")
    name_zh: str
    name_en: str
    items: list[InformationItem] = Field(min_length=1)
    source: Source
    notes: list[str] = maintainer_notes()


class QueryRole(StrEnum):
    """Who queries (49号(十三): permissions are explicit per role)."""

    government_department = "government_department"  # 行政机关
    judicial_organ = "judicial_organ"
    platform_operator = "platform_operator"  # 信用信息平台工作人员（审查、维护）
    financial_institution = "financial_institution"
    credit_service_agency = "credit_service_agency"
    industry_association = "industry_association"
    market_body = "market_body"
    subject_self = "subject_self"
    public = "public"  # 社会公众


class Purpose(StrEnum):
    """Why information is used; consent and access are granted per purpose (49号(十四) 明示目的)."""

    credit_record = "credit_record"  # 归集、记录
    administrative_supervision = "administrative_supervision"  # 行政监管
    administrative_approval = "administrative_approval"  # 行政审批、许可审查
    public_resource_trading = "public_resource_trading"  # 政府采购、招标投标
    judicial_enforcement = "judicial_enforcement"  # 司法、执行
    public_disclosure = "public_disclosure"  # 向社会公开
    financial_services = "financial_services"  # 授信、融资
    credit_service = "credit_service"  # 信用报告、信用评价
    credit_repair = "credit_repair"  # 信用修复
    self_inquiry = "self_inquiry"  # 本人查询
    audit_review = "audit_review"  # 查询登记审查


class AccessRule(_Strict):
    """Roles × purposes × categories → allowed (or denied: a deny wins)."""

    id: str = Field(pattern=_ID)
    roles: list[QueryRole] = Field(min_length=1)
    purposes: list[Purpose] = Field(min_length=1)
    categories: list[str] = Field(min_length=1, description="category ids, or '*' for every category")
    allowed: bool = True
    citation: str
    source: Source
    notes: list[str] = maintainer_notes()


register_catalog_kind(INFORMATION_CATALOG, InformationCategory)
register_catalog_kind(ACCESS_POLICY, AccessRule)

#: forms a catalog item may rest on (49号(一): 法律、法规或者党中央、国务院政策文件)
ITEM_BASIS_FORMS = (LegalForm.law, LegalForm.admin_regulation, LegalForm.local_regulation, LegalForm.party_state_policy)


def _jurisdiction_entry(cats: Catalogs, f: CatalogFile) -> Jurisdiction | None:
    code = f.envelope.jurisdiction
    found = cats.jurisdiction(code, f.envelope.effective_from)
    if found is not None:
        return found
    return next((e for g in cats.files for e in g.entries if isinstance(e, Jurisdiction) and e.code == code), None)


@register_cross_check
def check_information_catalogs(cats: Catalogs) -> list[Problem]:
    """Load-time checks of 49号(一)(三): references resolve, ids are unique, local catalogs rest on local regulations.

    Whether a supplementary catalog's basis is *in force* on a given date is
    a rule (``A1.supplementary_on_local_regulation``), not a load error: it
    depends on the date asked.
    """
    problems: list[Problem] = []
    national_items = {
        item.id
        for f in cats.files
        if f.envelope.kind == INFORMATION_CATALOG and f.envelope.jurisdiction == NATIONAL
        for c in f.entries
        if isinstance(c, InformationCategory)
        for item in c.items
    }
    category_ids = {c.id for f in cats.files if f.envelope.kind == INFORMATION_CATALOG for c in f.entries if isinstance(c, InformationCategory)}
    for f in cats.files:
        kind = f.envelope.kind
        if kind == INFORMATION_CATALOG:
            problems += _check_catalog_file(cats, f, national_items)
        elif kind == ACCESS_POLICY:
            for index, (e, line) in enumerate(zip(f.entries, f.lines, strict=True)):
                if not isinstance(e, AccessRule):
                    continue
                for k, cid in enumerate(e.categories):
                    if cid != "*" and cid not in category_ids:
                        problems.append(Problem(f.file, line, f"entries[{index}].categories[{k}]", "a category id of an information catalog, or '*'", cid))
    return problems


def _check_catalog_file(cats: Catalogs, f: CatalogFile, national_items: set[str]) -> list[Problem]:
    problems: list[Problem] = []
    local = f.envelope.jurisdiction != NATIONAL
    if local:
        j = _jurisdiction_entry(cats, f)
        sb = j.supplementary_basis if j is not None else None
        basis = cats.legal_basis(sb.legal_basis, f.envelope.effective_from) if sb is not None else None
        if basis is None or basis.form is not LegalForm.local_regulation:
            problems.append(
                Problem(f.file, 1, "jurisdiction", "a jurisdiction whose supplementary_basis is a local regulation (49号(一))", f.envelope.jurisdiction)
            )
    seen: dict[str, int | None] = {}
    numbers: dict[int, int | None] = {}
    for index, (c, line) in enumerate(zip(f.entries, f.lines, strict=True)):
        if not isinstance(c, InformationCategory):
            continue
        if c.number in numbers:
            problems.append(Problem(f.file, line, f"entries[{index}].number", f"a category number used once (first at line {numbers[c.number]})", str(c.number)))
        numbers[c.number] = line
        for k, item in enumerate(c.items):
            where = f"entries[{index}].items[{k}]"
            if item.id in seen:
                problems.append(Problem(f.file, line, f"{where}.id", f"an item id used once in the catalog (first at line {seen[item.id]})", item.id))
            seen[item.id] = line
            if local and item.id in national_items:
                problems.append(Problem(f.file, line, f"{where}.id", "an id not already in the national base catalog (a supplementary catalog adds, it does not redefine)", item.id))
            if item.legal_basis is None:
                continue
            if item.legal_basis.legal_basis == "guobanfa_2020_49" and (item.legal_basis.article or "").startswith("（一）"):
                problems.append(Problem(f.file, line, f"{where}.legal_basis", "the item's own law, regulation or policy document (49号(一) demands a basis; it supplies none)", "49号(一)"))
                continue
            basis = cats.legal_basis(item.legal_basis.legal_basis, f.envelope.effective_from)
            if basis is None:
                problems.append(Problem(f.file, line, f"{where}.legal_basis.legal_basis", "the id of a legal basis in the catalogs", item.legal_basis.legal_basis))
    return problems
