"""Credit repair regimes (信用修复) as a catalog kind: ``repair_regimes``.

Each edition of the national catalog is one regime — 发改办财金〔2019〕527号,
国家发展改革委令第58号 (2023-05-01 … 2026-03-31), 第36号 (2026-04-01 …) — so
the regime in force on the date that matters is picked like any other
catalog edition.  Figures the sources do not confirm carry ``verified: false``
and the decision says so when one of them decides the answer.
"""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

from ...model.legal import Source
from ..registry import register_catalog_kind
from ..schema import BasisRef


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class InfoTier(StrEnum):
    """Tier of dishonesty information (失信信息分类)."""

    minor = "minor"  # 轻微
    general = "general"  # 一般
    serious = "serious"  # 严重
    especially_serious = "especially_serious"  # 特定严重 (527号), 特别严重


class RepairAfter(StrEnum):
    min_period = "min_period"  # 最短公示期届满后方可申请
    on_performance = "on_performance"  # 法定责任义务履行完毕即可申请
    never = "never"  # 不予修复


class Tier(_Strict):
    tier: InfoTier
    published: bool = Field(description="whether the information is published at all")
    min_months: int | None = Field(None, ge=0)
    max_months: int | None = Field(None, ge=0, description="publication stops automatically after this")
    repair_after: RepairAfter
    examples_zh: list[str] = Field(default_factory=list)
    citation: str
    verified: bool = True
    note: str | None = None


class FieldMinimum(_Strict):
    """A longer minimum period for some fields (e.g. 特种设备、安全生产、消防 under 58号)."""

    fields: list[str] = Field(min_length=1)
    min_months: int = Field(ge=0)
    citation: str
    verified: bool = True


class Condition(_Strict):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    zh: str
    en: str
    citation: str
    verified: bool = True


class Bar(_Strict):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    zh: str
    en: str
    years: int | None = Field(None, ge=1, description="bar period; none = not confirmed")
    citation: str
    verified: bool = True


class Deadlines(_Strict):
    accept_working_days: int | None = None
    decide_working_days: int | None = None
    citation: str
    verified: bool = True


class RepairRegime(_Strict):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    name_zh: str
    name_en: str
    basis: BasisRef
    chosen_by: str = Field(description="which date selects this regime, and why (text shown in the decision)")
    information: list[str] = Field(description="kinds of dishonesty information it covers (失信信息)")
    tiers: list[Tier] = Field(min_length=1)
    field_minimums: list[FieldMinimum] = Field(default_factory=list)
    period_starts: str = Field(description="what the publicity period is counted from")
    conditions: list[Condition]
    bars: list[Bar] = Field(default_factory=list)
    deadlines: Deadlines | None = None
    free_of_charge_citation: str
    effects: list[str] = Field(description="what repair does (终止公示、停止共享 …)")
    methods: list[str] = Field(default_factory=list, description="accepted methods (35号(十三))")
    source: Source


register_catalog_kind("repair_regimes", RepairRegime)
