"""Fixture files: a case plus the partial decision its author expects.

A fixture asserts only what its author cares about — an outcome, which rules
fired (their effect applied), which passed, reason codes — so fixtures survive
unrelated changes to the rule set.  A fixture may start from a ``base`` case
file and ``patch`` it (a deep merge), which keeps good/bad pairs short and
makes the one difference between them visible.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from .errors import InputError
from .model.case import Case
from .model.decision import Decision, QuestionResult, RuleStatus
from .validation import validate
from .yamlsource import Located, load_file


class QuestionExpect(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    outcome: str | None = None
    fired: list[str] = Field(default_factory=list, description="rules that must have failed (effect applied)")
    passed: list[str] = Field(default_factory=list, description="rules that must have passed")
    not_applicable: list[str] = Field(default_factory=list)
    reasons: list[str] = Field(default_factory=list, description="reason codes that must appear")
    leniency: list[str] = Field(default_factory=list)
    obligations: list[str] = Field(default_factory=list)
    period_end: date | None = None


class Expect(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    determination: QuestionExpect | None = None
    listing: QuestionExpect | None = None
    warnings: list[str] = Field(default_factory=list)


class FixtureFile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str
    description: str | None = None
    base: str | None = Field(None, description="path of a case file, relative to this fixture")
    patch: dict[str, Any] = Field(default_factory=dict)
    case: dict[str, Any] | None = None
    as_of: date | None = None
    expect: Expect


@dataclass(frozen=True)
class Fixture:
    name: str
    file: str
    case: Case
    as_of: date | None
    expect: Expect


def merge(base: Any, patch: Any) -> Any:
    """Deep-merge *patch* into *base*; ``null`` in the patch deletes a key."""
    if isinstance(base, dict) and isinstance(patch, dict):
        out = dict(base)
        for key, value in patch.items():
            if value is None:
                out.pop(key, None)
            else:
                out[key] = merge(out.get(key), value)
        return out
    return patch


def load_fixture(path: Path | str) -> Fixture:
    src = load_file(path)
    spec = validate(FixtureFile, src)
    if (spec.base is None) == (spec.case is None):
        raise InputError.one(src.file, 1, "base/case", "exactly one of 'base' (with optional 'patch') or 'case'")
    if spec.base is not None:
        base_src = load_file(Path(src.file).parent / spec.base)
        raw = merge(base_src.data, spec.patch)
        patch_lines = {k[1:]: v for k, v in src.lines.items() if k[:1] == ("patch",) and len(k) > 1}
        case = validate(Case, Located(raw, src.file, patch_lines), raw)
    else:
        case = validate(Case, src, spec.case, ("case",))
    return Fixture(spec.name, src.file, case, spec.as_of, spec.expect)


def _check_question(label: str, got: QuestionResult | None, want: QuestionExpect) -> list[str]:
    if got is None:
        return [f"{label}: expected an answer, the decision has none"]
    out: list[str] = []
    if want.outcome is not None and got.outcome.value != want.outcome:
        out.append(f"{label}.outcome: expected {want.outcome!r}, got {got.outcome.value!r}")
    status = {t.rule: t.status for t in got.trace}
    for rule in want.fired:
        if rule not in got.fired:
            out.append(f"{label}.fired: expected rule {rule} to fire, its status is {status.get(rule, 'not consulted')}")
    for rule in want.passed:
        if status.get(rule) is not RuleStatus.passed:
            out.append(f"{label}.passed: expected rule {rule} to pass, its status is {status.get(rule, 'not consulted')}")
    for rule in want.not_applicable:
        if status.get(rule) is not RuleStatus.not_applicable:
            out.append(f"{label}.not_applicable: expected rule {rule} not to apply, its status is {status.get(rule, 'not consulted')}")
    for name in ("reasons", "leniency", "obligations"):
        have = set(getattr(got, name))
        for code in getattr(want, name):
            if code not in have:
                out.append(f"{label}.{name}: expected {code!r} among {sorted(have)}")
    if want.period_end is not None:
        end = got.period.end if got.period else None
        if end != want.period_end:
            out.append(f"{label}.period_end: expected {want.period_end}, got {end}")
    return out


def check(fixture: Fixture, decision: Decision) -> list[str]:
    """Differences between what the fixture expects and the decision (empty = pass)."""
    out: list[str] = []
    exp = fixture.expect
    if exp.determination is not None:
        out += _check_question("determination", decision.determination, exp.determination)
    if exp.listing is not None:
        out += _check_question("listing", decision.listing, exp.listing)
    for w in exp.warnings:
        if not any(w in have for have in decision.warnings):
            out.append(f"warnings: expected one containing {w!r}, got {decision.warnings}")
    return out


def find_fixtures(root: Path) -> list[Path]:
    return sorted(root.rglob("*.case.yaml"))
