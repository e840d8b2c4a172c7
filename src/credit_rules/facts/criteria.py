"""Checking an act against a regime's criteria, with the margin it misses by.

A criterion is met when the act shows one of its kinds of conduct, every
threshold holds, at least one of the alternative thresholds holds (if there
are any), and no bar applies.  The results go into the decision, so a
subject sees e.g. "tax evaded 950000 元 against the 1000000 元 threshold".
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import NamedTuple

from ..catalog.schema import Criterion, ListingStandard, Period, Ratio, Threshold
from ..model.act import Act
from ..model.decision import CriterionResult, Shortfall

_OPS: dict[str, tuple[Callable[[Decimal, Decimal], bool], str]] = {
    "ge": (operator.ge, ">="),
    "gt": (operator.gt, ">"),
    "le": (operator.le, "<="),
    "lt": (operator.lt, "<"),
}


def _figure(act: Act, name: str) -> Decimal | None:
    if name in act.amounts:
        return act.amounts[name]
    return act.quantities.get(name)


def _value(act: Act, quantity: str, ratios: Mapping[str, Ratio]) -> tuple[Decimal | None, str | None]:
    """The act's value of *quantity*, and how it was worked out when it is a ratio of two figures the act gives."""
    given = _figure(act, quantity)
    if given is not None or quantity not in ratios:
        return given, None
    ratio = ratios[quantity]
    numerator, denominator = _figure(act, ratio.numerator), _figure(act, ratio.denominator)
    if numerator is None or denominator is None or denominator == 0:
        return None, None
    return numerator / denominator, f"{ratio.numerator} {numerator} / {ratio.denominator} {denominator}"


def _shown(value: Decimal) -> str:
    """A value for people: at most 10 decimal places (a third need not show 28 digits; a ratio just under its
    threshold must not be rounded up to it)."""
    exponent = value.as_tuple().exponent
    if isinstance(exponent, int) and exponent < -10:
        value = value.quantize(Decimal("1E-10")).normalize()
    return format(value, "f")  # never scientific notation


def _check(act: Act, t: Threshold, ratios: Mapping[str, Ratio]) -> Shortfall | None:
    test, symbol = _OPS[t.op]
    actual, how = _value(act, t.quantity, ratios)
    if actual is not None and test(actual, t.value):
        return None
    unit = f" {t.unit}" if t.unit else ""
    return Shortfall(
        quantity=t.quantity,
        required=f"{symbol} {t.value}{unit}",
        actual=None if actual is None else f"{_shown(actual)}{unit}" + (f" ({how})" if how else ""),
        margin=None if actual is None else _shown(actual - t.value),
    )


def check_criterion(act: Act, c: Criterion, ratios: Mapping[str, Ratio] | None = None) -> CriterionResult:
    """Whether the act meets criterion *c*; *ratios* are the regime's quantities given as two figures."""
    ratios = ratios or {}
    # a criterion a later law added applies only to acts from its date (no retroactive listing)
    in_force = (c.effective_from is None or c.effective_from <= act.date) and (c.effective_to is None or act.date <= c.effective_to)
    conduct = bool(set(c.conduct) & set(act.conduct))
    if not conduct:  # nothing to measure: the act shows none of the criterion's conduct
        return CriterionResult(
            criterion=c.id, article=c.article, name_zh=c.name_zh, met=False, conduct_matches=False,
            barred_by=sorted(set(c.bars) & set(act.conduct)), verified=c.verified, in_force=in_force,
        )
    shortfalls = [s for t in c.thresholds if (s := _check(act, t, ratios)) is not None]
    if c.any_thresholds:
        alternatives = [_check(act, t, ratios) for t in c.any_thresholds]
        if all(s is not None for s in alternatives):
            shortfalls += [s for s in alternatives if s is not None]
    barred = sorted(set(c.bars) & set(act.conduct))
    return CriterionResult(
        criterion=c.id,
        article=c.article,
        name_zh=c.name_zh,
        met=conduct and not shortfalls and not barred and in_force,
        conduct_matches=conduct,
        shortfalls=shortfalls if conduct else [],
        barred_by=barred,
        verified=c.verified,
        in_force=in_force,
    )


def check_criteria(act: Act, std: ListingStandard) -> list[CriterionResult]:
    """Every criterion of the regime; those whose conduct the act shows come first.

    The results depend only on the regime, the act's conduct and its figures,
    so they are worked out once for each combination and shared (the results
    are frozen; each call gets its own list).
    """
    return list(checked(act, std).results)


class Checked(NamedTuple):
    """A regime's criteria checked against an act, with what the listing facts read of them (worked out once per
    combination, with the results)."""

    results: tuple[CriterionResult, ...]
    met: tuple[str, ...]  # the criteria met, in the results' order
    met_verified_count: int
    period: Period  # the period of the first met criterion that has its own (an open term), else the standard's


def checked(act: Act, std: ListingStandard) -> Checked:
    """:func:`check_criteria` as a shared, read-only :class:`Checked`."""
    key = (id(std), frozenset(act.conduct), tuple(act.amounts.items()), tuple(act.quantities.items()), act.date if _dated(std) else None)
    hit = _RESULTS.get(key)
    if hit is not None and hit[0] is std:
        return hit[1]
    results = tuple(sorted((check_criterion(act, c, std.ratios) for c in std.criteria), key=lambda r: (not r.conduct_matches, not r.met)))
    met = tuple(c.criterion for c in results if c.met)
    open_term = {c.id: c.period for c in std.criteria if c.period is not None}
    found = Checked(
        results, met, sum(1 for c in results if c.met and c.verified), next((open_term[m] for m in met if m in open_term), std.period)
    )
    if len(_RESULTS) >= _RESULTS_LIMIT:
        _RESULTS.clear()
    _RESULTS[key] = (std, found)  # holding std keeps its id from being reused while the entry lives
    return found


def _dated(std: ListingStandard) -> bool:
    """Whether some criterion of *std* has its own window (its results then depend on the act date)."""
    hit = _DATED.get(id(std))
    if hit is None or hit[0] is not std:
        if len(_DATED) >= _RESULTS_LIMIT:
            _DATED.clear()
        hit = _DATED[id(std)] = (std, any(c.effective_from is not None or c.effective_to is not None for c in std.criteria))
    return hit[1]


_RESULTS: dict[tuple[object, ...], tuple[ListingStandard, Checked]] = {}
_RESULTS_LIMIT = 1024
"""Regime results kept before the cache is cleared: figures (amounts) rarely repeat, so this stays small."""
_DATED: dict[int, tuple[ListingStandard, bool]] = {}


def clear_cache() -> None:
    """Forget the shared criteria results (see :meth:`credit_rules.Engine.clear_caches`)."""
    _RESULTS.clear()
    _DATED.clear()
