"""Measure lists (失信惩戒措施清单) as a catalog kind: ``measure_lists``.

The national base list (全国失信惩戒措施基础清单, by edition) and local
supplementary lists.  49号(九): a measure that reduces rights or adds
obligations must be on one of these lists and rest directly on a law,
regulation or central policy document; 49号(十) and 35号(十)(十一)(十二)
add relevance, proportionality, the kinds of measure, bans and responsible
persons.  The engine decides each proposed measure from these entries.
"""

from __future__ import annotations

from datetime import date
from enum import IntEnum, StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from ...errors import Problem
from ...model.act import Gravity
from ...model.legal import Source, maintainer_notes
from ...model.measures import COMPELLABLE_NEVER, Implementer
from ...model.subject import PersonRole, SubjectKind
from ..registry import register_catalog_kind, register_cross_check
from ..schema import BasisRef, Domain, Jurisdiction, ListingStandard
from ..store import NATIONAL, Catalogs
from ..._empty import empty_list


class MeasureGroup(IntEnum):
    """The three groups of the national base list."""

    rights_reducing = 1  # 减损权益或增加义务 (public bodies, by law)
    management = 2  # 履职需要的管理措施 (closer supervision, no commitment shortcuts)
    market_social = 3  # 市场、社会主体自主实施 (never compelled)


class MeasureKind(StrEnum):
    """35号(十): administrative, market and industry measures."""

    administrative = "administrative"
    market = "market"
    industry = "industry"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class BanGround(_Strict):
    """A ground on which the ban's own law imposes it, with the term that law sets.

    35号(十一) frames bans ("依法依规"), but where a specific law imposes one —
    食品安全法 第一百三十五条: five years after a licence is revoked, for life after
    a prison sentence for a food-safety crime — that law's grounds and terms
    decide, not 35号's three triggers.
    """

    conduct: str = Field(pattern=r"^[a-z][a-z0-9_]*$", description="the conduct id the act must show (act.conduct)")
    years: int | None = Field(None, ge=1, description="the ban's term in years; none = for life (终身禁入)")
    counted_from: Literal["measure_start", "document_issued"] = Field(
        "measure_start", description="where the term runs from: the measure's start, or the date the legally effective document was issued"
    )
    personal: bool = Field(
        False,
        description=(
            "the ground attaches to the person who shows it, not to an organisation's people (食品安全法 第一百三十五条第二款: "
            "因食品安全犯罪被判处有期徒刑以上刑罚的 — the person sentenced): a ban on one of an organisation's people rests on "
            "it only where that person shows it themself (the proposal's target_conduct)"
        ),
    )
    citation: str


class Ban(_Strict):
    """A market or industry ban (市场和行业禁入), 35号(十一)."""

    fields: list[str] = Field(min_length=1, description="sub-fields where bans are focused (食品药品、生态环境 …)")
    permanent_possible: bool = Field(False, description="直至永远逐出市场")
    citation: str
    grounds: list[BanGround] = Field(
        default_factory=empty_list,
        description="the ban's own statutory grounds and terms; empty = 35号(十一)'s triggers (refused to perform, repeated, major loss)",
    )

    @model_validator(mode="after")
    def _lifetime_needs_permanent(self) -> Ban:
        if any(g.years is None for g in self.grounds) and not self.permanent_possible:
            raise ValueError("grounds: a ground for life (no years) needs permanent_possible: true")
        conducts = [g.conduct for g in self.grounds]
        if len(conducts) != len(set(conducts)):
            raise ValueError("grounds: each conduct may appear once")
        # the rules read the fixed-term grounds as one term (measure.ban_term_years): a law with two different
        # fixed terms needs a second ban entry, so that no term is silently chosen between them
        if len({(g.years, g.counted_from) for g in self.term_grounds}) > 1:
            raise ValueError("grounds: the fixed-term grounds of one ban share one term (years, counted_from)")
        # the rules read a personal ground for life only (definition ban_life_ground_met): a personal fixed-term
        # ground would be read as reaching every person of the organisation, so it is refused rather than misread
        if any(g.personal for g in self.term_grounds):
            raise ValueError("grounds: a personal ground (personal: true) must be a ground for life (no years)")
        return self

    @property
    def life_grounds(self) -> list[BanGround]:
        """Grounds on which the ban's law bans for life (终身禁入)."""
        return [g for g in self.grounds if g.years is None]

    @property
    def term_grounds(self) -> list[BanGround]:
        """Grounds on which the ban's law bans for a fixed number of years."""
        return [g for g in self.grounds if g.years is not None]


class Trigger(_Strict):
    """The statutory conditions of a measure, as its own law states them (e.g. 税收征收管理法 第四十四条:
    欠缴税款、滞纳金未结清，又不提供担保): conduct ids the act must all show, and ids that exclude it.

    Data only: the engine copies it into facts (``measure.trigger_all_of`` …) and the definition
    ``statutory_trigger_met`` (rules/national/gbf-2020-49/measures.yaml) decides whether it holds.
    """

    all_of: list[str] = Field(default_factory=empty_list, description="conduct ids the act must all show")
    none_of: list[str] = Field(default_factory=empty_list, description="conduct ids that exclude the measure")
    citation: str = Field(min_length=2)
    verified: bool = Field(True, description="false: the conditions are the engineers' reading; a trigger met on it is undetermined")


class NamedByBasis(_Strict):
    """The responsible persons the measure's own basis article names itself (e.g. 税收征收管理法 第四十四条:
    欠缴税款的纳税人或者他的法定代表人 … 阻止其出境).

    35号(十二) reaches an organisation's people "依法依规" as persons of a 失信主体 — read here as a listed
    subject (rule D7.responsible_persons_of_listed_subject).  A person the measure's own law names is reached by
    that law, which asks for no list; the definition ``needs_listed_subject`` (rules/national/gf-2019-35/
    measures.yaml) sets D7 aside for them.  Data only: the roles, the conduct on which the article names them, its words and whether they were read.
    """

    roles: list[PersonRole] = Field(min_length=1, description="roles the basis article names (each also in responsible_persons)")
    on_conduct: list[str] = Field(
        default_factory=empty_list,
        description="conduct ids the act must all show for the article to name them (食品安全法 第一百三十五条第一款: licence_revoked); empty: whenever the measure applies",
    )
    citation: str = Field(min_length=2, description="the article and its words naming the persons")
    verified: bool = Field(True, description="false: the article's wording on the persons was not read; a measure on a person of an unlisted organisation resting on it is undetermined")

    @model_validator(mode="after")
    def _roles_once(self) -> NamedByBasis:
        if len(self.roles) != len(set(self.roles)):
            raise ValueError("roles: each role may appear once")
        return self


class Measure(_Strict):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    name_zh: str
    name_en: str
    group: MeasureGroup
    kind: MeasureKind
    basis: BasisRef = Field(description="the law, regulation or policy document the measure directly cites")
    required_lists: list[str] = Field(
        default_factory=empty_list, description="listing standards the subject must be on; empty = any determined act"
    )
    subject_kinds: list[SubjectKind] = Field(min_length=1, description="which kinds of subject it may target")
    responsible_persons: list[PersonRole] = Field(
        default_factory=empty_list, description="roles of an organisation's people the basis reaches (35号(十二))"
    )
    named_by_basis: NamedByBasis | None = Field(
        None, description="those of responsible_persons the basis article names itself, reached without a list (not through 35号(十二))"
    )
    fields: list[str] = Field(min_length=1, description="sub-fields the measure is relevant to (relevance, 49号(十))")
    gravity_floor: Gravity = Field(description="the least gravity the act must have (proportionality, 49号(十))")
    max_duration_years: int | None = Field(None, ge=1, description="none: lasts while the listing lasts")
    implementer: Implementer
    implementer_zh: str
    ban: Ban | None = None
    trigger: Trigger | None = Field(None, description="the statutory conditions of the measure's own law, where it sets them")
    overrides: bool = Field(False, description="a local entry deliberately replacing a national one with the same id")
    effective_from: date
    effective_to: date | None = None
    source: Source
    notes: list[str] = maintainer_notes()

    @model_validator(mode="after")
    def _group_three_is_market(self) -> Measure:
        if self.group is MeasureGroup.market_social and self.implementer not in COMPELLABLE_NEVER:
            raise ValueError("group 3 measures are taken by market or social bodies (implementer)")
        if self.ban is not None and self.kind is MeasureKind.administrative:
            raise ValueError("ban: bans are market or industry measures (35号(十一)); kind must be market or industry")
        return self


register_catalog_kind("measure_lists", Measure)

_GROUP_ONE_FORMS = ("law", "admin_regulation", "local_regulation", "party_state_policy")


def _local_basis_is_local_regulation(cats: Catalogs, ident: str, on: date) -> bool:
    basis = cats.legal_basis(ident, on)
    return basis is not None and basis.form.value == "local_regulation"


@register_cross_check
def check_measure_lists(cats: Catalogs) -> list[Problem]:
    """Load-time errors of 49号(九)(十): basis rank, known ids, no silent overrides, and persons named by the
    basis that the measure reaches (``named_by_basis`` ⊆ ``responsible_persons``: else D7 would let through a
    person D3.target_reached refuses).

    A local list not resting on a local regulation is only a warning (:func:`measure_list_warnings`):
    the rule D1.local_measure_on_local_regulation refuses its measures at decision time, and one bad
    local list must not stop every decision in the country.
    """
    problems: list[Problem] = []
    field_ids = {fl.id for f in cats.files for e in f.entries if isinstance(e, Domain) for fl in e.fields}
    standard_ids = {e.id for f in cats.files for e in f.entries if isinstance(e, ListingStandard)}
    national_ids = {
        e.id for f in cats.files if f.envelope.jurisdiction == NATIONAL for e in f.entries if isinstance(e, Measure)
    }
    for f in cats.files:
        if f.envelope.kind != "measure_lists":
            continue
        local = f.envelope.jurisdiction != NATIONAL
        for index, (e, line) in enumerate(zip(f.entries, f.lines, strict=True)):
            if not isinstance(e, Measure):
                continue
            where = f"entries[{index}]"
            basis = cats.legal_basis(e.basis.legal_basis, e.effective_from)
            if basis is None:
                problems.append(Problem(f.file, line, f"{where}.basis.legal_basis", "the id of a legal basis in the catalogs", e.basis.legal_basis))
            elif e.group is MeasureGroup.rights_reducing and basis.form.value not in _GROUP_ONE_FORMS:
                problems.append(Problem(f.file, line, f"{where}.basis", "for a group-1 measure, a law, regulation or central policy document (49号(九))", basis.form.value))
            if e.group is MeasureGroup.rights_reducing and not e.basis.article:
                problems.append(Problem(f.file, line, f"{where}.basis.article", "the article a group-1 measure directly cites (49号(九))"))
            for k, fid in enumerate(e.fields):
                if fid not in field_ids:
                    problems.append(Problem(f.file, line, f"{where}.fields[{k}]", "a sub-field id from the domains catalog", fid))
            if e.ban is not None:
                for k, fid in enumerate(e.ban.fields):
                    if fid not in field_ids:
                        problems.append(Problem(f.file, line, f"{where}.ban.fields[{k}]", "a sub-field id from the domains catalog", fid))
            for k, sid in enumerate(e.required_lists):
                if sid not in standard_ids:
                    problems.append(Problem(f.file, line, f"{where}.required_lists[{k}]", "a listing standard id", sid))
            if e.named_by_basis is not None:
                for k, role in enumerate(e.named_by_basis.roles):
                    if role not in e.responsible_persons:
                        problems.append(
                            Problem(f.file, line, f"{where}.named_by_basis.roles[{k}]", "a role also in responsible_persons (a person the basis names is one it reaches)", role.value)
                        )
            if local and e.id in national_ids and not e.overrides:
                problems.append(Problem(f.file, line, f"{where}.id", "an id not already on the national list (or overrides: true)", e.id))
    return problems


def measure_list_warnings(cats: Catalogs) -> list[Problem]:
    """Lint warnings of 49号(九) and 梧州(十): a local supplementary list, or a measure on it, that does not rest on a
    local regulation.  ``credit-rules lint`` prints them; decisions refuse such measures (rule
    D1.local_measure_on_local_regulation) instead of failing to load."""
    out: list[Problem] = []
    for f in cats.files:
        if f.envelope.kind != "measure_lists" or f.envelope.jurisdiction == NATIONAL:
            continue
        j = cats.jurisdiction(f.envelope.jurisdiction, f.envelope.effective_from) or next(
            (e for g in cats.files for e in g.entries if isinstance(e, Jurisdiction) and e.code == f.envelope.jurisdiction),
            None,
        )
        sb = j.supplementary_basis if j is not None else None
        if sb is None or not _local_basis_is_local_regulation(cats, sb.legal_basis, f.envelope.effective_from):
            out.append(Problem(f.file, 1, "jurisdiction", "a jurisdiction whose supplementary_basis is a local regulation (49号(九))", f.envelope.jurisdiction))
        for index, (e, line) in enumerate(zip(f.entries, f.lines, strict=True)):
            if isinstance(e, Measure) and not _local_basis_is_local_regulation(cats, e.basis.legal_basis, e.effective_from):
                out.append(
                    Problem(f.file, line, f"entries[{index}].basis", "for a measure on a local supplementary list, a local regulation (49号(九), 梧州(十))", e.basis.legal_basis)
                )
    return out
