"""Legal forms and legal-basis documents.

Most rules in 49号 accept "法律、法规或者党中央、国务院政策文件" and never a
normative document alone, so every basis the engine sees carries its legal
form.  Forms have no rank: which forms suffice is a dated parameter read by
membership (``forms_founding_a_list`` …), because the law names sets of
forms, not a threshold on a hierarchy.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, Field
from .._empty import empty_dict, empty_list


class LegalForm(StrEnum):
    """The form of a legal document (立法法 hierarchy plus policy documents)."""

    law = "law"  # 法律
    admin_regulation = "admin_regulation"  # 行政法规
    local_regulation = "local_regulation"  # 地方性法规
    departmental_rule = "departmental_rule"  # 部门规章
    local_gov_rule = "local_gov_rule"  # 地方政府规章
    party_state_policy = "party_state_policy"  # 党中央、国务院政策文件
    judicial_interpretation = "judicial_interpretation"  # 司法解释
    normative_document = "normative_document"  # 规范性文件

    @property
    def name_zh(self) -> str:
        return _NAME_ZH[self]


_NAME_ZH: dict[LegalForm, str] = {
    LegalForm.law: "法律",
    LegalForm.admin_regulation: "行政法规",
    LegalForm.local_regulation: "地方性法规",
    LegalForm.departmental_rule: "部门规章",
    LegalForm.local_gov_rule: "地方政府规章",
    LegalForm.party_state_policy: "党中央、国务院政策文件",
    LegalForm.judicial_interpretation: "司法解释",
    LegalForm.normative_document: "规范性文件",
}


def _six_digits(value: str) -> str:
    if len(value) != 6 or not value.isdigit():
        raise ValueError("a 6-digit GB/T 2260 region code, e.g. 450400")
    return value


RegionCode = Annotated[
    str,
    AfterValidator(_six_digits),
    Field(description="GB/T 2260 region code; 000000 = national", json_schema_extra={"pattern": r"^\d{6}$"}),
]
"""A jurisdiction: the GB/T 2260 code every case, request and catalog names."""


class Level(StrEnum):
    """Administrative level of an issuer or authority."""

    national = "national"
    provincial = "provincial"
    municipal = "municipal"
    county = "county"
    township = "township"

    @property
    def rank(self) -> int:
        return _LEVEL_RANK[self._value_]


_LEVEL_RANK = {"township": 1, "county": 2, "municipal": 3, "provincial": 4, "national": 5}


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


MAINTAINER_ONLY = (
    "for maintainers only: research remarks (dossier sections, source ids, what was not seen) that are kept as data "
    "but never shown to users — excluded from every output; `credit-rules catalog show --notes` prints them"
)


def maintainer_notes() -> Any:
    """The ``notes`` field of a catalog entry, a catalog file, a rule or a definition.

    Why a field and not a YAML comment: a maintainer reading the data through the API, ``catalog show --notes`` or a
    tool sees it, and a reviewer can check that none reaches a user.  One shape: a list of strings, one remark each; a
    remark about one field starts with its path, ``"<field>: <remark>"`` (``"criteria[id].article: （条号未见）"``), so it
    stays with its field when the YAML is rearranged.  ``exclude=True``:
    no serialisation of the model (decision JSON, ``catalog show``, service responses) carries it.
    """
    return Field(default_factory=empty_list, exclude=True, description=MAINTAINER_ONLY + "; one remark per item, '<field>: <remark>' when it is about one field")


def maintainer_note() -> Any:
    """The older single ``note`` of a nested object (a source, a criterion, a tier): maintainer-only, like ``notes``."""
    return Field(None, exclude=True, description=MAINTAINER_ONLY)


class Source(_Strict):
    """Where a catalog fact comes from, and whether it was checked."""

    citation: str = Field(description="e.g. 49号(七), 法释〔2017〕7号 第十条")
    url: str | None = None
    verified: bool = Field(True, description="false for items the dossier marks [U] (unconfirmed)")
    note: str | None = maintainer_note()


class LegalBasis(_Strict):
    """A legal document that can serve as a basis (法律依据)."""

    id: str
    title_zh: str
    title_en: str
    doc_number: str | None = Field(None, description="e.g. 国办发〔2020〕49号")
    issuer_zh: str
    form: LegalForm
    level: Level
    effective_from: date
    effective_to: date | None = None
    articles: dict[str, str] = Field(default_factory=empty_dict, description="article label → short content")
    state_council_decision_or_order: bool = Field(
        False,
        description=(
            "a decision or order of the State Council itself (国务院决定、命令), which 49号(四) accepts as a basis for using personal "
            "information; stated in the catalog, never guessed from a title (the General Office's opinions are not)"
        ),
    )
    source: Source
    notes: list[str] = maintainer_notes()

    def in_force(self, on: date) -> bool:
        return self.effective_from <= on and (self.effective_to is None or on <= self.effective_to)
