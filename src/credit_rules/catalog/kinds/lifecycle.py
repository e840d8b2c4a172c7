"""The listing lifecycle as data: ``listing_lifecycle`` catalog entries.

Each entry is one allowed transition (from-state, event, to-state), the
definition in rules/ that guards it (``rules/national/gbf-2020-49/lifecycle.yaml``),
the reason it refuses with, and the paragraph it rests on.  The mechanism
(:mod:`credit_rules.lifecycle`) only looks transitions up, gathers the facts of
the event date and asks the engine for the guard's value; the law of each
guard is in the rule language, cited and traced.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, model_validator

from ...errors import Problem
from ...model.legal import maintainer_notes
from ..registry import register_catalog_kind
from ..._empty import empty_list


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


class Transition(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    source: list[State] = Field(min_length=1, alias="from")
    event: Event
    to: State
    guard: str | None = Field(
        None,
        pattern=r"^[a-z][a-z0-9_]*$",
        description="the bool definition in rules/ that must be true on the event date (none: no guard); unknown is not true",
    )
    refusal: str | None = Field(None, pattern=r"^[a-z][a-z0-9_]*$", description="the reason code when the guard does not hold")
    duties: list[str] = Field(default_factory=empty_list, description="what the authority must do on this transition")
    citation: str
    notes: list[str] = maintainer_notes()

    @model_validator(mode="after")
    def _refusal_with_guard(self) -> Transition:
        if (self.guard is None) != (self.refusal is None):
            raise ValueError("guard and refusal go together: a guarded transition names the reason it refuses with")
        return self


register_catalog_kind("listing_lifecycle", Transition)


def guard_problems(cats: Any, definition_types: Mapping[str, str]) -> list[Problem]:
    """Every lifecycle transition whose guard is not a bool definition of the rule set (*definition_types*: id → type).

    Checked when an engine loads catalogs and rules together: a guard naming nothing would otherwise refuse every
    event with an error at decision time, and one that is not a bool cannot be true or false.
    """
    problems: list[Problem] = []
    bools = sorted(name for name, t in definition_types.items() if t == "bool")
    for f in cats.files:
        if f.envelope.kind != "listing_lifecycle":
            continue
        for e in f.entries:
            if isinstance(e, Transition) and e.guard is not None and definition_types.get(e.guard) != "bool":
                close = difflib.get_close_matches(e.guard, bools, n=1)
                hint = f" (did you mean '{close[0]}'?)" if close else ""
                problems.append(Problem(f.file, None, f"entries.{e.id}.guard", f"a bool definition in the rules{hint}", e.guard))
    return problems
