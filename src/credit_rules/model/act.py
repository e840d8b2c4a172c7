"""Dishonest acts (失信行为) and their circumstances."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

from .evidence import EffectiveDocument
from .._empty import empty_dict, empty_list


class Gravity(StrEnum):
    """Gravity tier of the act (情节轻重)."""

    minor = "minor"  # 轻微
    general = "general"  # 一般
    serious = "serious"  # 严重
    especially_serious = "especially_serious"  # 特别严重

    @property
    def rank(self) -> int:
        return _GRAVITY_RANK[self._value_]


_GRAVITY_RANK = {"minor": 1, "general": 2, "serious": 3, "especially_serious": 4}


class Intent(StrEnum):
    intentional = "intentional"  # 故意
    negligent = "negligent"  # 过失 (非主观故意)
    none = "none"  # 无过错 (非主观故意)


class Act(BaseModel):
    """The act to be determined, with the facts 49号 and 35号 weigh."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    field: str = Field(description="sub-field id from the domains catalog, e.g. food_drug")
    date: date
    description: str | None = None
    gravity: Gravity
    intent: Intent = Intent.intentional
    force_majeure: bool = Field(False, description="caused by natural disaster, epidemic … (不可抗力)")
    repeated: bool = Field(False, description="a repeated violation (多次/再次, 屡犯不改)")
    refused_to_perform: bool = Field(False, description="refused to perform a judicial verdict or penalty decision (拒不履行)")
    major_loss: bool = Field(False, description="caused major losses (造成重大损失, 35号(十一))")
    malicious: bool = Field(False, description="性质恶劣 (35号(八))")
    serious_circumstances: bool = Field(False, description="情节严重 (35号(八))")
    high_social_harm: bool = Field(False, description="社会危害较大 (35号(八))")
    conduct: list[str] = Field(default_factory=empty_list, description="kinds of conduct, as the regimes' criteria name them (e.g. tax_evasion)")
    amounts: dict[str, Decimal] = Field(default_factory=empty_dict, description="amounts in yuan, by name")
    quantities: dict[str, Decimal] = Field(default_factory=empty_dict, description="counts and ratios, by name (e.g. invoices_count)")
    document: EffectiveDocument | None = Field(None, description="the legally effective document")
