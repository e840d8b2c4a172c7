"""Facts of a regime's listing criteria (the national list regimes, research/legal.md §4)."""

from __future__ import annotations

from ..schema import FactSpec, FactType

SPECS: list[FactSpec] = [
    FactSpec("standard.has_criteria", FactType.bool, "the regime's listing criteria are modelled in the catalog"),
    FactSpec("act.meets_criterion", FactType.bool, "the act meets at least one criterion of the regime"),
    FactSpec("act.meets_verified_criterion", FactType.bool, "the act meets at least one criterion whose data is verified"),
]
