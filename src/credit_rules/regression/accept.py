"""``credit-rules diff --accept``: make the head decisions the fixtures' new expectations.

When a ministry means a change, the fixtures that the change moved must be
brought up to date — but only as far as the change goes: an expectation
stays partial, and the author's own assertions are kept wherever the head
decision still satisfies them.  For every changed fixture the expectation is
*rebased* on the head decision (:func:`accepted_expect`):

- the outcome of each question the change touched, or that was asserted, is the head's;
- every rule the author listed is moved to the list of its head status
  (``fired``/``passed``/``not_applicable``), or dropped if no longer consulted;
- reason codes, leniency, obligations, citations and measures the author
  listed are kept when the head has them, and the ones the change added are
  added; ``period_end`` and ``fields`` take the head's values;
- each lifecycle event (``lifecycle``) keeps its event and date and takes the
  head's acceptance; the transition, citation, state and guard it asserts take
  the head's values, and its reasons, duties and definitions are kept where the
  head still gives them (a newly refused event asserts the head's reasons);

so the rebased fixture passes against the head and records what changed.
Information and query fixtures are rebased the same way
(:func:`accepted_info_expect`): each record/share/publish/query expectation
like a case question's, and the publication timing, ``published``,
``item_found``, ``denied_items`` and ``fields`` they assert take the head's values.
Only the ``expect`` block of the file is rewritten (:func:`rewrite_expect`);
comments and everything else in the file stay as they were.  A block that
cannot be located as text (flow style on a shared line) falls back to
rewriting the whole file, which loses its comments.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence
from datetime import date
from enum import Enum
from pathlib import Path
from typing import Any

import yaml

from ..information.query import QueryDecision
from ..errors import CreditRulesError, InputError
from ..fixtures import (
    Expect,
    Fixture,
    FixtureCase,
    FixtureSuite,
    LifecycleEventExpect,
    MeasuresExpect,
    QuestionExpect,
    RepairExpect,
    check,
    cited_by_fired,
    field_matches,
    is_missing,
    json_at,
    jsonable,
    measure_ids,
)
from ..information import fixtures as info
from ..information.model import InformationDecision
from ..lifecycle import TransitionResult
from ..model.decision import Decision, QuestionResult, RuleStatus
from ..validation import validate
from ..yamlsource import PathKey, load_text
from .classify import Change
from .diff import DiffReport
from .runner import AnyDecision, AnyFixture

_STATUS_LIST = {RuleStatus.failed: "fired", RuleStatus.passed: "passed", RuleStatus.not_applicable: "not_applicable"}


def _keep_then_add(kept: Sequence[str], have: Sequence[str] | set[str], new: Sequence[str]) -> list[str]:
    out = [x for x in kept if x in have]
    return out + [x for x in new if x not in out]


def _question(want: QuestionExpect | None, base: QuestionResult | None, head: QuestionResult | None, touched: bool) -> QuestionExpect | None:
    if head is None or (want is None and not touched):
        return None if head is None else want
    want = want or QuestionExpect()
    status = {t.rule: t.status for t in head.trace}
    lists: dict[str, list[str]] = {"fired": [], "passed": [], "not_applicable": []}
    for rule in [*want.fired, *want.passed, *want.not_applicable]:
        if rule in status and rule not in lists[_STATUS_LIST[status[rule]]]:
            lists[_STATUS_LIST[status[rule]]].append(rule)
    before_fired = base.fired if base is not None else []
    lists["fired"] += [r for r in head.fired if r not in before_fired and r not in lists["fired"]]

    def grown(name: str) -> list[str]:
        had: list[str] = list(getattr(base, name)) if base is not None else []
        now: list[str] = list(getattr(head, name))
        return _keep_then_add(getattr(want, name), now, [x for x in now if x not in had])

    cited_before = cited_by_fired(base) if base is not None else set()
    cited_now = cited_by_fired(head)
    period_end = want.period_end
    period_moved = (base.period if base is not None else None) != head.period
    if period_end is not None or (touched and period_moved and head.period is not None):
        period_end = head.period.end if head.period is not None else None
    return QuestionExpect(
        outcome=head.outcome.value if (want.outcome is not None or touched) else None,
        fired=lists["fired"],
        passed=lists["passed"],
        not_applicable=lists["not_applicable"],
        reasons=grown("reasons"),
        leniency=grown("leniency"),
        obligations=grown("obligations"),
        citations=_keep_then_add(want.citations, cited_now, sorted(cited_now - cited_before) if want.citations else []),
        period_end=period_end,
    )


def _measure_keys(data: Any, kind: str) -> list[str]:
    items = data.get(kind) if isinstance(data, dict) else None
    out: list[str] = []
    for item in items if isinstance(items, list) else []:
        if isinstance(item, dict) and item.get("measure") is not None:
            key = f"{item['measure']}@{item['target']}" if item.get("target") is not None else str(item["measure"])
            if key not in out:
                out.append(key)
    return out


def _measures(want: MeasuresExpect | None, base: dict[str, Any], head: dict[str, Any], touched: bool) -> MeasuresExpect | None:
    hm, bm = head.get("measures"), base.get("measures")
    if not isinstance(hm, dict):
        return None
    if want is None and not touched:
        return None
    want = want or MeasuresExpect()
    out: dict[str, list[str]] = {}
    for kind in ("applied", "refused"):
        now, had = _measure_keys(hm, kind), set(_measure_keys(bm, kind))
        out[kind] = _keep_then_add(getattr(want, kind), measure_ids(hm.get(kind)), [k for k in now if k not in had])
    return MeasuresExpect(applied=out["applied"], refused=out["refused"])


def _repair(want: RepairExpect | None, base: dict[str, Any], head: dict[str, Any], touched: bool) -> RepairExpect | None:
    hr, br = head.get("repair"), base.get("repair")
    if not isinstance(hr, dict) or (want is None and not touched):
        return None
    want = want or RepairExpect()
    br = br if isinstance(br, dict) else {}
    status = {t["rule"]: t["status"] for t in hr.get("trace") or [] if isinstance(t, dict) and "rule" in t}
    names = {"failed": "fired", "passed": "passed", "not_applicable": "not_applicable"}
    lists: dict[str, list[str]] = {"fired": [], "passed": [], "not_applicable": []}
    for rule in [*want.fired, *want.passed, *want.not_applicable]:
        if rule in status and rule not in lists[names[status[rule]]]:
            lists[names[status[rule]]].append(rule)
    lists["fired"] += [r for r in hr.get("fired") or [] if r not in (br.get("fired") or []) and r not in lists["fired"]]

    def grown(name: str) -> list[str]:
        now: list[str] = list(hr.get(name) or [])
        return _keep_then_add(getattr(want, name), now, [x for x in now if x not in (br.get(name) or [])])

    regime = hr.get("regime")
    earliest = hr.get("earliest_date")
    moved = touched and earliest != br.get("earliest_date")
    return RepairExpect(
        outcome=hr.get("outcome") if (want.outcome is not None or touched) else None,
        fired=lists["fired"],
        passed=lists["passed"],
        not_applicable=lists["not_applicable"],
        reasons=grown("reasons"),
        obligations=grown("obligations"),
        earliest_date=date.fromisoformat(earliest) if earliest and (want.earliest_date is not None or moved) else None,
        regime=regime.get("id") if isinstance(regime, dict) and (want.regime is not None or touched) else None,
    )


def _fields(want: dict[str, Any], head: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for path, value in want.items():
        got = json_at(head, path)
        if is_missing(got):
            continue
        out[path] = jsonable(value) if field_matches(got, value) else got
    return out


def _lifecycle_event(want: LifecycleEventExpect, got: TransitionResult) -> LifecycleEventExpect:
    """One lifecycle event's expectation rebased on what the event gave under the head state."""
    step = got.state.history[-1] if got.accepted and got.state.history else None
    values = {d.id: d.value for d in got.definitions}
    newly_refused = want.accepted and not got.accepted
    return LifecycleEventExpect(
        event=want.event,
        date=want.date,
        objection_well_founded=want.objection_well_founded,
        accepted=got.accepted,
        transition=step.transition if step is not None and want.transition is not None else None,
        citation=step.citation if step is not None and want.citation is not None else None,
        state=got.state.state if want.state is not None else None,
        guard=got.guard if want.guard is not None else None,
        reasons=[] if got.accepted else list(got.reasons) if newly_refused else [r for r in want.reasons if r in got.reasons],
        duties=[d for d in want.duties if any(d in have for have in got.duties)] if got.accepted else [],
        definitions={k: values[k] for k in want.definitions if k in values},
    )


def accepted_lifecycle(wanted: Sequence[LifecycleEventExpect], got: Sequence[TransitionResult] | None) -> list[LifecycleEventExpect]:
    """A fixture's lifecycle events rebased on the head's results (kept as written when the events were not run)."""
    if got is None or len(got) != len(wanted):
        return list(wanted)
    return [_lifecycle_event(w, g) for w, g in zip(wanted, got, strict=True)]


def accepted_expect(
    fixture: Fixture, base: Decision, head: Decision, changes: Sequence[Change], lifecycle: Sequence[TransitionResult] | None = None
) -> Expect:
    """The fixture's expectation rebased on the head decision and, when given, the head's lifecycle results (see the
    module docstring)."""
    touched = {c.path.split(".", 1)[0].split("[", 1)[0] for c in changes}
    exp = fixture.expect
    head_json: dict[str, Any] = head.model_dump(mode="json")
    base_json: dict[str, Any] = base.model_dump(mode="json")
    new = Expect(
        determination=_question(exp.determination, base.determination, head.determination, "determination" in touched),
        listing=_question(exp.listing, base.listing, head.listing, "listing" in touched),
        measures=_measures(exp.measures, base_json, head_json, "measures" in touched),
        repair=_repair(exp.repair, base_json, head_json, "repair" in touched),
        warnings=[w for w in exp.warnings if any(w in have for have in head.warnings)],
        fields=_fields(exp.fields, head_json),
    )
    if lifecycle is not None:  # the events were run on both sides: rebased on the head's results and checked with them
        new = new.model_copy(update={"lifecycle": accepted_lifecycle(exp.lifecycle, lifecycle)})
    rebased = Fixture(fixture.name, fixture.file, fixture.case, fixture.as_of, new, fixture.index, fixture.line)
    problems = check(rebased, head, list(lifecycle) if lifecycle is not None else None)
    if lifecycle is None:  # no events run (none written): nothing to rebase
        new = new.model_copy(update={"lifecycle": exp.lifecycle})
    if problems:  # pragma: no cover - a bug in the rebasing, never the user's input
        raise CreditRulesError(f"accepted expectation of {fixture.file} still fails: {problems}")
    return new


def accepted_info_expect(
    fixture: info.InfoFixture, base: InformationDecision | QueryDecision, head: InformationDecision | QueryDecision, changes: Sequence[Change]
) -> info.Expect:
    """An information or query fixture's expectation rebased on the head decision (see the module docstring)."""
    touched = {c.path.split(".", 1)[0].split("[", 1)[0] for c in changes}
    exp = fixture.expect
    update: dict[str, Any] = {"warnings": [w for w in exp.warnings if any(w in have for have in head.warnings)]}
    if exp.fields:
        update["fields"] = _fields(exp.fields, head.model_dump(mode="json"))
    if isinstance(head, QueryDecision):
        before = base.result if isinstance(base, QueryDecision) else None
        update["query"] = _question(exp.query, before, head.result, "result" in touched)
        if exp.denied_items is not None or "denied_items" in touched:
            update["denied_items"] = list(head.denied_items)
    else:
        old = base if isinstance(base, InformationDecision) else None
        for label in ("record", "share", "publish"):
            update[label] = _question(getattr(exp, label), getattr(old, label, None), getattr(head, label), label in touched)
        if exp.publication is not None:
            timing = head.publication
            kept = {k: getattr(timing, k) for k in exp.publication.model_dump(exclude_none=True)} if timing is not None else {}
            update["publication"] = info.PublicationExpect(**kept) if any(v is not None for v in kept.values()) else None
        if exp.published is not None:
            update["published"] = head.published_record is not None
        text = head.published_record.model_dump_json() if head.published_record is not None else ""
        update["published_contains"] = [s for s in exp.published_contains if s in text]
        if exp.item_found is not None:
            update["item_found"] = head.item is not None
    new = exp.model_copy(update=update)
    new = info.Expect.model_validate(new.model_dump())  # re-validated: model_copy does not check
    problems = info.check(dataclasses.replace(fixture, expect=new), head)
    if problems:  # pragma: no cover - a bug in the rebasing, never the user's input
        raise CreditRulesError(f"accepted expectation of {fixture.file} still fails: {problems}")
    return new


def expect_data(expect: Expect | info.Expect) -> dict[str, Any]:
    """The expectation as YAML-ready data: only what is asserted, in field order, dates as dates."""
    data: dict[str, Any] = expect.model_dump(mode="python", exclude_defaults=True)
    if "fields" in data:
        data["fields"] = {k: jsonable(v) for k, v in data["fields"].items()}
    if "lifecycle" in data:  # events and states as their names (YAML has no enums), dates as dates
        data["lifecycle"] = [{k: v.value if isinstance(v, Enum) else v for k, v in e.items()} for e in data["lifecycle"]]
    return data


def _dump(data: Any) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, default_flow_style=False, width=1000)


_EXPECT_KEY = re.compile(r"^(\s*(?:-\s+)?)expect\s*:")


def _splice(text: str, file: str, key: PathKey, data: dict[str, Any]) -> str | None:
    """*text* with the ``expect`` block at *key* replaced by *data*; None when it cannot be found as text."""
    src = load_text(text, file)
    kpath = (*key, "expect")
    start = src.lines.get(kpath)
    if start is None:
        return None
    lines = text.splitlines(keepends=True)
    m = _EXPECT_KEY.match(lines[start - 1])
    if m is None:
        return None
    for p, ln in src.lines.items():  # another key on the same line: a flow mapping we cannot cut
        if ln == start and p[: len(kpath)] != kpath and kpath[: len(p)] != p:
            return None
    later = [ln for p, ln in src.lines.items() if ln > start and p[: len(kpath)] != kpath]
    end = min(later) if later else len(lines) + 1
    while end - 1 > start and (lines[end - 2].strip() == "" or lines[end - 2].lstrip().startswith("#")):
        end -= 1
    body = _dump({"expect": data}).splitlines()
    indent = " " * len(m.group(1))
    block = [m.group(1) + body[0] + "\n"] + [indent + line + "\n" for line in body[1:]]
    return "".join(lines[: start - 1] + block + lines[end - 1 :])


def _spec_expect(text: str, file: str, key: PathKey) -> Expect | info.Expect:
    src = load_text(text, file)
    if file.endswith((info.INFO_SUFFIX, info.QUERY_SUFFIX)):
        return validate(info.FixtureFile, src).expect
    if key:
        suite = validate(FixtureSuite, src)
        index = key[1]
        assert isinstance(index, int)
        return suite.cases[index].expect
    return validate(FixtureCase, src).expect


def rewrite_expect(path: Path, key: PathKey, expect: Expect | info.Expect) -> None:
    """Replace the ``expect`` block of the case at *key* in *path*, keeping the rest of the file."""
    text = path.read_text(encoding="utf-8")
    data = expect_data(expect)
    new = _splice(text, str(path), key, data)
    if new is not None:
        try:
            if _spec_expect(new, str(path), key) == expect:
                path.write_text(new, encoding="utf-8")
                return
        except InputError:
            pass
    whole = load_text(text, str(path)).data
    target = whole if not key else whole["cases"][key[1]]
    target["expect"] = data
    new = _dump(whole)
    if _spec_expect(new, str(path), key) != expect:  # pragma: no cover - a bug, never the user's input
        raise CreditRulesError(f"could not rewrite the expectation in {path}")
    path.write_text(new, encoding="utf-8")


def _rebased(
    fx: AnyFixture, base: AnyDecision, head: AnyDecision, changes: Sequence[Change], lifecycle: Sequence[TransitionResult] | None = None
) -> tuple[PathKey, Expect | info.Expect]:
    """Where the fixture's expectation sits in its file, and its rebased value, whatever the kind."""
    if isinstance(fx, Fixture):
        assert isinstance(base, Decision) and isinstance(head, Decision)
        return fx.key, accepted_expect(fx, base, head, changes, lifecycle)
    assert not isinstance(base, Decision) and not isinstance(head, Decision)
    return (), accepted_info_expect(fx, base, head, changes)


def accept(report: DiffReport) -> list[str]:
    """Rebase and write the expectation of every changed fixture (case, information or query); returns the ids written."""
    written: list[str] = []
    for d in report.changed:
        fx = d.item.fixture
        if fx is None:  # pragma: no cover - only decided fixtures can have changes
            continue
        key, new = _rebased(fx, d.base, d.head, d.changes, d.head_lifecycle)
        if new != fx.expect:
            rewrite_expect(Path(fx.file), key, new)
            written.append(d.item.ident)
    return written
