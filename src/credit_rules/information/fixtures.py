"""Fixture files for information requests (``*.info.yaml``) and queries (``*.query.yaml``).

Like the case fixtures (:mod:`credit_rules.fixtures`), a fixture asserts only
what its author cares about: outcomes, which rules fired or passed, reasons,
obligations, the publication deadline.  It starts from a ``base`` request or
query file and ``patch``es it (a deep merge, ``null`` deletes a key), or
carries the whole ``request``/``query`` inline.

Loading and checking live here; running them is the one regression runner's
job (:mod:`credit_rules.regression.runner`), which serves ``credit-rules
test``, ``credit-rules diff``, ``--coverage`` and the pytest plugin for case,
information and query fixtures alike.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict, Field

from .query import QueryDecision, QueryRequest, decide_query
from ..errors import InputError
from ..fixtures import QuestionExpect, check_question, default_root, field_mismatches, merge
from ..safefiles import confine, regular_file_problem, walk
from ..validation import validate
from ..yamlsource import Located, load_file
from .decide import decide_information
from .model import InformationDecision, InformationRequest

if TYPE_CHECKING:
    from ..engine.decide import Engine

INFO_SUFFIX = ".info.yaml"
QUERY_SUFFIX = ".query.yaml"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class PublicationExpect(_Strict):
    deadline: date | None = None
    on_time: bool | None = None
    working_days_after_decision: int | None = None
    until: date | None = None


class Expect(_Strict):
    record: QuestionExpect | None = None
    share: QuestionExpect | None = None
    publish: QuestionExpect | None = None
    query: QuestionExpect | None = None
    publication: PublicationExpect | None = None
    published: bool | None = Field(None, description="whether a (masked) published record is produced")
    published_contains: list[str] = Field(default_factory=list, description="strings the published record must show")
    item_found: bool | None = None
    denied_items: list[str] | None = None
    warnings: list[str] = Field(default_factory=list, description="substrings of decision warnings")
    fields: dict[str, Any] = Field(
        default_factory=dict,
        description=(
            "any field of the decision JSON by dotted path (e.g. item.shared_with, item.catalog.edition, "
            "published_record.withheld; '*' matches every item or key), as for case fixtures: the value must equal "
            "it, or be contained in it when the field is a list"
        ),
    )


class FixtureFile(_Strict):
    name: str
    description: str | None = None
    base: str | None = Field(None, description="path of a request or query file, relative to this fixture")
    patch: dict[str, Any] = Field(default_factory=dict)
    request: dict[str, Any] | None = None
    query: dict[str, Any] | None = None
    disclosure_basis: str | None = None
    expect: Expect


@dataclass(frozen=True)
class InfoFixture:
    name: str
    file: str
    request: InformationRequest | None
    query: QueryRequest | None
    disclosure_basis: str | None
    expect: Expect
    line: int | None = None
    """Line where the fixture starts (always 1: one fixture a file), for reports, JUnit and pytest."""

    @property
    def kind(self) -> str:
        """``information`` or ``query``: which family of questions the fixture asks."""
        return "query" if self.query is not None else "information"


def load_info_fixture(path: Path | str, root: Path | str | None = None) -> InfoFixture:
    """One information or query fixture; its ``base`` must be a regular file inside *root* (as for case fixtures)."""
    problem = regular_file_problem(Path(path), str(path))
    if problem is not None:  # a FIFO or device named on the command line is never opened
        raise InputError([problem])
    src = load_file(path)
    spec = validate(FixtureFile, src)
    is_query = str(path).endswith(QUERY_SUFFIX)
    inline_key = "query" if is_query else "request"
    inline = spec.query if is_query else spec.request
    if (spec.base is None) == (inline is None):
        raise InputError.one(src.file, 1, f"base/{inline_key}", f"exactly one of 'base' (with optional 'patch') or '{inline_key}'")
    if spec.base is not None:
        suite_root = Path(root) if root is not None else default_root(Path(path))
        target = confine(spec.base, Path(src.file).parent, suite_root, file=src.file, line=src.line_of(("base",)), field_name="base")
        base_src = load_file(target)
        if not isinstance(base_src.data, dict):
            # never echo a file that is not a request or query
            raise InputError.one(src.file, src.line_of(("base",)), "base", f"a {inline_key} file (a YAML mapping)", f"{spec.base!r}, which holds a {type(base_src.data).__name__}")
        raw = merge(base_src.data, spec.patch)
        patch_lines = {k[1:]: v for k, v in src.lines.items() if k[:1] == ("patch",) and len(k) > 1}
        located = Located(raw, src.file, patch_lines)
        data: Any = raw
        prefix: tuple[str | int, ...] = ()
    else:
        located, data, prefix = src, inline, (inline_key,)
    if is_query:
        query = validate(QueryRequest, located, data, prefix)
        return InfoFixture(spec.name, src.file, None, query, spec.disclosure_basis, spec.expect, 1)
    request = validate(InformationRequest, located, data, prefix)
    return InfoFixture(spec.name, src.file, request, None, spec.disclosure_basis, spec.expect, 1)


def find_info_fixtures(root: Path) -> list[Path]:
    """Information and query fixtures below *root*; an unreadable part of the tree is a located error."""
    infos, queries = walk(root, INFO_SUFFIX), walk(root, QUERY_SUFFIX)
    infos.raise_problems()
    queries.raise_problems()
    return sorted([*infos.files, *queries.files])


def decide_fixture(engine: Engine, fixture: InfoFixture) -> InformationDecision | QueryDecision:
    if fixture.query is not None:
        return decide_query(engine, fixture.query, disclosure_basis=fixture.disclosure_basis)
    assert fixture.request is not None
    return decide_information(engine, fixture.request, disclosure_basis=fixture.disclosure_basis)


def check(fixture: InfoFixture, decision: InformationDecision | QueryDecision) -> list[str]:
    """Differences between what the fixture expects and the decision (empty = pass)."""
    exp = fixture.expect
    out: list[str] = []
    if isinstance(decision, QueryDecision):
        if exp.query is not None:
            out += check_question("query", decision.result, exp.query)
        if exp.denied_items is not None and sorted(exp.denied_items) != sorted(decision.denied_items):
            out.append(f"denied_items: expected {sorted(exp.denied_items)}, got {sorted(decision.denied_items)}")
    else:
        for label in ("record", "share", "publish"):
            want = getattr(exp, label)
            if want is not None:
                out += check_question(label, getattr(decision, label), want)
        if exp.item_found is not None and (decision.item is not None) != exp.item_found:
            out.append(f"item_found: expected {exp.item_found}, got {decision.item is not None}")
        if exp.publication is not None:
            t = decision.publication
            for key, value in exp.publication.model_dump(exclude_none=True).items():
                got = getattr(t, key) if t is not None else None
                if got != value:
                    out.append(f"publication.{key}: expected {value}, got {got}")
        if exp.published is not None and (decision.published_record is not None) != exp.published:
            out.append(f"published: expected {exp.published}, got {decision.published_record is not None}")
        if exp.published_contains:
            text = decision.published_record.model_dump_json() if decision.published_record else ""
            for s in exp.published_contains:
                if s not in text:
                    out.append(f"published_contains: {s!r} not in the published record {text}")
    for w in exp.warnings:
        if not any(w in have for have in decision.warnings):
            out.append(f"warnings: expected one containing {w!r}, got {decision.warnings}")
    if exp.fields:
        # the whole decision, so a fixture can pin what a catalog says of an item (its sharing scope, its flags)
        out += field_mismatches(decision.model_dump(mode="json"), exp.fields)
    return out
