"""The listing lifecycle as data: ``listing_lifecycle`` catalog entries.

Each entry is one allowed transition (from-state, event, to-state), the
question whose answer guards it, and the paragraph it rests on.  The
mechanism (:mod:`credit_rules.lifecycle`) only looks transitions up and asks
the engine the guarding question; the table itself stays reviewable here and
in ``catalogs/national/listing_lifecycle.yaml``.
"""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

from ..registry import register_catalog_kind


class State(StrEnum):
    candidate = "candidate"  # 初选对象
    notified = "notified"  # 已告知
    objected = "objected"  # 已提出异议
    answered = "answered"  # 异议已答复
    listed = "listed"  # 已列入
    published = "published"  # 已公示
    repaired = "repaired"  # 已修复移出
    expired = "expired"  # 期满移出
    corrected = "corrected"  # 经异议更正
    revoked = "revoked"  # 依据撤销


class Event(StrEnum):
    notify = "notify"
    object = "object"
    answer = "answer"
    list = "list"
    publish = "publish"
    repair = "repair"
    expire = "expire"
    correct = "correct"
    revoke = "revoke"


class Guard(StrEnum):
    """What must hold for the transition, decided by the engine."""

    none = "none"
    notice_complete = "notice_complete"  # the notice states reasons, basis and rights
    listing_allowed = "listing_allowed"  # the listing question answers allowed
    repair_allowed = "repair_allowed"  # the repair question answers repairable
    period_ended = "period_ended"  # the list period has ended on the event date
    objection_well_founded = "objection_well_founded"
    document_revoked = "document_revoked"  # the determining document was revoked


class Transition(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    source: list[State] = Field(min_length=1, alias="from")
    event: Event
    to: State
    guard: Guard = Guard.none
    duties: list[str] = Field(default_factory=list, description="what the authority must do on this transition")
    citation: str


register_catalog_kind("listing_lifecycle", Transition)
