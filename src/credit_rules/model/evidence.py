"""Legally effective documents (具有法律效力的文书) used as evidence, 49号(二)."""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field, model_validator

from .legal import LegalForm


class DocumentKind(StrEnum):
    judicial_judgment = "judicial_judgment"  # 生效的司法裁判文书
    arbitral_award = "arbitral_award"  # 仲裁文书
    administrative_penalty_decision = "administrative_penalty_decision"  # 行政处罚决定
    administrative_ruling = "administrative_ruling"  # 行政裁决
    administrative_coercion_decision = "administrative_coercion_decision"  # 行政强制决定
    other_named_by_law = "other_named_by_law"  # 法律、法规或政策文件规定的其他文书


class EffectiveDocument(BaseModel):
    """A document a determination rests on."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    kind: DocumentKind
    number: str | None = Field(None, description="文号, e.g. 梧市监处罚〔2023〕12号")
    issuer: str | None = None
    issued: date
    effective: date | None = Field(None, description="date it took legal effect; none = not yet effective")
    under_review: bool = Field(False, description="administrative reconsideration or litigation pending")
    served_on: date | None = Field(None, description="date the document was served on the party (送达); review and suit periods run from it")
    final_on: date | None = Field(
        None, description="date a reconsideration decision or court judgment upholding the document took effect (复议决定、判决或裁定生效)"
    )
    revoked: date | None = Field(None, description="date it was revoked or annulled")
    named_by_form: LegalForm | None = Field(
        None, description="for other_named_by_law: the form of the document that names it as a basis"
    )
    named_by: str | None = Field(None, description="citation of that document")

    @model_validator(mode="after")
    def _dates_in_order(self) -> EffectiveDocument:
        if self.effective is not None and self.effective < self.issued:
            raise ValueError("effective date before the issue date")
        if self.revoked is not None and self.revoked < self.issued:
            raise ValueError("revocation date before the issue date")
        return self
