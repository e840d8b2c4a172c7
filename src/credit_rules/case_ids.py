"""Every id a case names, checked against the catalogs before anything is decided.

A misspelled id is not a legal question.  ``conduct: [tax_evasoin]`` used to
meet no criterion and come out as the *legal* refusal ``no_criterion_met``; a
misspelled standard came out as ``no_listing_standard``; a mistyped
jurisdiction was decided under the national layer alone.  Each looks like an
answer and is really a typo, so each is bad input here: exit 2, with file,
line, field, a did-you-mean and the ids that would have been accepted.

This is a spelling check, not a legal one.  An id counts as known when any
catalog loaded defines it — any edition, any jurisdiction, any standard — so
a case may mention conduct of several regimes, and a standard that exists
but is not in force where or when the case is decided still reaches the
rules that say so (``C1.standard_known`` and the like).

What is checked, and against what:

===========================  ==================================================
case field                   known ids
===========================  ==================================================
``jurisdiction``             GB/T 2260 codes (:mod:`credit_rules.divisions`),
                             and jurisdictions defined in the catalogs
``subject.lists[]``          listing standard ids
``act.field``                sub-field ids of the domains catalog
``act.conduct[]``            conduct ids the standards' criteria read (conduct
                             and bars), ban grounds and statutory triggers of measure lists read
``act.quantities`` keys      quantities criteria thresholds and ratios read
``act.amounts`` keys         the same; both also :data:`RECORDED_AMOUNTS`, :data:`RECORDED_FIGURES`
``listing.standard``         listing standard ids
``measures.proposed[].measure``  measure ids of the measure lists
``repair.listing_standard``  listing standard ids
``repair.tier``              tiers of the repair regimes
===========================  ==================================================

An id the catalogs do not define *on purpose* — a field outside the four
domains, a measure a department invented, conduct no regime lists — is
written with the prefix ``unlisted:`` (``field: unlisted:household_waste_sorting``).
It is then not checked, and the rules decide it as unknown: that is the legal
answer such a case wants (``domain_out_of_scope``, ``not_on_measure_list``,
``no_criterion_met``), asked for explicitly instead of reached by a typo.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .catalog.schema import Domain, Jurisdiction, ListingStandard
from .catalog.store import Catalogs
from .divisions import NATIONAL, Divisions, load_divisions
from .errors import InputError, Problem
from .model.case import Case
from .yamlsource import Located, dotted

if TYPE_CHECKING:
    from .fixtures import Fixture
    from .information.model import InformationRequest

UNLISTED = "unlisted:"
"""Prefix of an id deliberately outside the catalogs (see the module docstring)."""

RECORDED_FIGURES = frozenset({"workers_owed"})  # 涉及劳动者人数
"""Quantities a case may give for the record although no criterion reads them."""

RECORDED_AMOUNTS = frozenset(
    {
        "fine_cny",  # 罚款
        "goods_value_cny",  # 货值金额
        "illegal_gains_cny",  # 违法所得
        "compensation_cny",  # 赔偿
        "procurement_amount_cny",  # 采购金额
        "judgment_debt_cny",  # 执行标的
        "wages_owed_cny",  # 拖欠工资
        "confiscated_cny",  # 没收
    }
)
"""Amounts a case may give for the record although no criterion reads them."""

STANDARD_RULE = "C1.standard_known"
"""The rule that refuses a listing under a standard not in force (see :func:`check_fixture_ids`)."""

_SHOWN = 20
"""At most this many valid ids are listed in one message; the rest are counted (``credit-rules catalog list``)."""


@dataclass(frozen=True)
class Vocabulary:
    """The ids the loaded catalogs define, by what a case uses them for."""

    standards: frozenset[str]
    measures: frozenset[str]
    fields: frozenset[str]
    conduct: frozenset[str]
    quantities: frozenset[str]
    tiers: frozenset[str]
    jurisdictions: frozenset[str]

    @property
    def amounts(self) -> frozenset[str]:
        return self.quantities | RECORDED_AMOUNTS | RECORDED_FIGURES

    @property
    def figures(self) -> frozenset[str]:
        return self.quantities | RECORDED_AMOUNTS | RECORDED_FIGURES


def vocabulary(catalogs: Catalogs) -> Vocabulary:
    """Collect every id a case may name from *catalogs* (every edition, every jurisdiction)."""
    key = id(catalogs)
    hit = _CACHE.get(key)
    if hit is not None and hit[0] is catalogs and hit[1] == len(catalogs.files):
        return hit[2]
    from .catalog.kinds.measures import Measure
    from .catalog.kinds.repair import RepairRegime

    standards: set[str] = set()
    measures: set[str] = set()
    fields: set[str] = set()
    conduct: set[str] = set()
    quantities: set[str] = set()
    tiers: set[str] = set()
    jurisdictions: set[str] = {NATIONAL}
    for f in catalogs.files:
        for e in f.entries:
            if isinstance(e, ListingStandard):
                standards.add(e.id)
                for c in e.criteria:
                    conduct.update(c.conduct)
                    conduct.update(c.bars)
                    quantities.update(t.quantity for t in (*c.thresholds, *c.any_thresholds))
                for name, ratio in e.ratios.items():
                    quantities.update((name, ratio.numerator, ratio.denominator))
            elif isinstance(e, Measure):
                measures.add(e.id)
                if e.ban is not None:
                    conduct.update(g.conduct for g in e.ban.grounds)
                if e.trigger is not None:  # a measure's own statutory conditions (e.g. 税收征收管理法 第四十四条)
                    conduct.update(e.trigger.all_of)
                    conduct.update(e.trigger.none_of)
                if e.named_by_basis is not None:  # the conduct on which its basis names the persons (食品安全法 第一百三十五条)
                    conduct.update(e.named_by_basis.on_conduct)
            elif isinstance(e, Domain):
                fields.update(fl.id for fl in e.fields)
            elif isinstance(e, RepairRegime):
                tiers.update(t.tier.value for t in e.tiers)
            elif isinstance(e, Jurisdiction):
                jurisdictions.add(e.code)
    vocab = Vocabulary(
        frozenset(standards), frozenset(measures), frozenset(fields), frozenset(conduct), frozenset(quantities),
        frozenset(tiers), frozenset(jurisdictions),
    )
    if len(_CACHE) >= 8:
        _CACHE.clear()
    _CACHE[key] = (catalogs, len(catalogs.files), vocab)
    return vocab


_CACHE: dict[int, tuple[Catalogs, int, Vocabulary]] = {}


def expected_text(what: str, valid: Iterable[str], got: str, *, browse: str | None = None) -> str:
    """``a listing standard id (did you mean 'x'?); known: a, b, …`` — the message of one unknown id."""
    ids = sorted(set(valid))
    text = what
    close = difflib.get_close_matches(got, ids, n=3, cutoff=0.6)
    if close:
        text += " (did you mean " + " or ".join(repr(c) for c in close) + "?)"
    if not ids:
        return text + "; the catalogs loaded define none"
    shown = ", ".join(ids[:_SHOWN])
    more = len(ids) - _SHOWN
    text += f"; known: {shown}" + (f", … {more} more" if more > 0 else "")
    if browse:
        text += f" (see `credit-rules catalog list {browse}`; an id outside the catalogs on purpose: '{UNLISTED}{got}')"
    return text


class _Checker:
    def __init__(self, origin: Located | str | None, prefix: Sequence[str | int]) -> None:
        self.origin = origin
        self.prefix = tuple(prefix)
        self.problems: list[Problem] = []

    def add(self, path: Sequence[str | int], expected: str, got: str) -> None:
        full = (*self.prefix, *path)
        if isinstance(self.origin, Located):
            self.problems.append(Problem(self.origin.file, self.origin.line_of(full), dotted(full), expected, repr(got)))
        else:
            self.problems.append(Problem(self.origin or "(case)", None, dotted(full), expected, repr(got)))

    def one(self, path: Sequence[str | int], value: str | None, valid: frozenset[str], what: str, browse: str) -> None:
        if value is not None and value not in valid and not value.startswith(UNLISTED):
            self.add(path, expected_text(what, valid, value, browse=browse), value)


def check_jurisdiction(code: str, catalogs: Catalogs, divisions: Divisions | None = None) -> str | None:
    """None when *code* names a division or a catalog's jurisdiction; else the *expected* text of the problem."""
    vocab = vocabulary(catalogs)
    divs = divisions or load_divisions()
    if code in vocab.jurisdictions or code in divs.by_code:
        return None
    text = f"a GB/T 2260 code of the 民政部 list (edition {divs.edition or '?'}) or of a jurisdiction in the catalogs"
    close = divs.suggest(code, extra=sorted(vocab.jurisdictions))
    if close:
        text += " (did you mean " + " or ".join(f"{c!r} {divs.full_name(c)}" for c in close) + "?)"
    return text + "; 000000 is national (see `credit-rules catalog list jurisdictions`)"


def check_case_ids(
    case: Case, catalogs: Catalogs, origin: Located | str | None = None, prefix: Sequence[str | int] = ()
) -> list[Problem]:
    """Every id *case* names that no loaded catalog defines, as located problems (empty: all known).

    *origin* is the case's parsed source (for lines) or its file name; *prefix*
    is where the case sits inside it (``("cases", 2, "case")`` in a fixture suite).
    """
    vocab = vocabulary(catalogs)
    c = _Checker(origin, prefix)
    wrong = check_jurisdiction(case.jurisdiction, catalogs)
    if wrong is not None:
        c.add(("jurisdiction",), wrong, case.jurisdiction)
    for i, sid in enumerate(case.subject.lists):
        c.one(("subject", "lists", i), sid, vocab.standards, "a listing standard id", "standards")
    act = case.act
    c.one(("act", "field"), act.field, vocab.fields, "a sub-field id of the domains catalog", "fields")
    for i, conduct in enumerate(act.conduct):
        c.one(("act", "conduct", i), conduct, vocab.conduct, "a conduct id some listing criterion or ban reads", "conduct")
    for name in act.quantities:
        c.one(("act", "quantities", name), name, vocab.figures, "a quantity some listing criterion reads, or a recorded figure", "quantities")
    for name in act.amounts:
        c.one(("act", "amounts", name), name, vocab.amounts, "an amount some listing criterion reads, or a recorded amount", "quantities")
    if case.listing is not None:
        c.one(("listing", "standard"), case.listing.standard, vocab.standards, "a listing standard id", "standards")
    if case.measures is not None:
        for i, proposal in enumerate(case.measures.proposed):
            c.one(("measures", "proposed", i, "measure"), proposal.measure, vocab.measures, "a measure id of the measure lists", "measures")
            for k, conduct in enumerate(proposal.target_conduct or ()):
                c.one(("measures", "proposed", i, "target_conduct", k), conduct, vocab.conduct, "a conduct id some listing criterion or ban reads", "conduct")
    if case.repair is not None:
        c.one(("repair", "listing_standard"), case.repair.listing_standard, vocab.standards, "a listing standard id", "standards")
        c.one(("repair", "tier"), case.repair.tier, vocab.tiers, "a tier of the repair regimes", "regimes")
    return c.problems


def require_case_ids(case: Case, catalogs: Catalogs, origin: Located | str | None = None, prefix: Sequence[str | int] = ()) -> None:
    """:func:`check_case_ids`, raising the problems as one :class:`InputError`."""
    problems = check_case_ids(case, catalogs, origin, prefix)
    if problems:
        raise InputError(problems)


def check_fixture_ids(fixture: Fixture, catalogs: Catalogs) -> list[Problem]:
    """:func:`check_case_ids` for a fixture's case, located in its fixture file.

    An inline case is located field by field; a ``base`` + ``patch`` case
    names the case field and the line where the fixture starts, because the
    id may come from either file.  A fixture whose expectation names
    :data:`STANDARD_RULE` follows a standard across catalog states (added or
    abolished): there the standard's absence is the question, not a typo.
    """
    listing = fixture.expect.listing
    follows_standard = listing is not None and STANDARD_RULE in (*listing.fired, *listing.passed)

    def kept(found: list[Problem]) -> list[Problem]:
        return [p for p in found if not (follows_standard and p.field.endswith("listing.standard"))]

    problems = kept(check_case_ids(fixture.case, catalogs, fixture.file))
    if not problems:
        return problems
    from .yamlsource import load_file

    try:
        src = load_file(fixture.file)
    except InputError:
        return problems
    inline = (*fixture.key, "case")
    if inline in src.lines:
        return kept(check_case_ids(fixture.case, catalogs, src, inline))
    return [Problem(p.file, fixture.line, p.field, p.expected, p.got) for p in problems]


def check_request_ids(
    request: InformationRequest, catalogs: Catalogs, origin: Located | str | None = None
) -> list[Problem]:
    """The ids an information request names: its jurisdiction, ``item.kind``, ``consent.items`` and ``subject.lists``.

    An item kind no information catalog defines (any edition, any
    jurisdiction) is a typo; ``unlisted:ID`` asks on purpose about
    information outside the catalogs (which may not be recorded, 49号(一)).
    """
    from .catalog.kinds.information import InformationCategory

    items: set[str] = set()
    categories: set[str] = set()
    for f in catalogs.files:
        for e in f.entries:
            if isinstance(e, InformationCategory):
                categories.add(e.id)
                items.update(i.id for i in e.items)
    c = _Checker(origin, ())
    wrong = check_jurisdiction(request.jurisdiction, catalogs)
    if wrong is not None:
        c.add(("jurisdiction",), wrong, request.jurisdiction)
    c.one(("item", "kind"), request.item.kind, frozenset(items), "an item id of the information catalogs", "information")
    if request.consent is not None:
        for i, ident in enumerate(request.consent.items):
            c.one(("consent", "items", i), ident, frozenset(items | categories), "an item or category id of the information catalogs", "information")
    standards = vocabulary(catalogs).standards
    for i, sid in enumerate(request.subject.lists):
        c.one(("subject", "lists", i), sid, standards, "a listing standard id", "standards")
    return c.problems
