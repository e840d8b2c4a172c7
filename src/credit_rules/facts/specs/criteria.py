"""Facts of a regime's listing criteria (the national list regimes, research/legal.md §4).

Each criterion (ground) is checked against the act in ``facts/criteria.py``: its conduct, thresholds and bars,
as the catalog states them.  The rules read which grounds were met, the standard's period and the grounds that set no fixed term; what follows
from them (a criterion is met, whether the term is open, what term a decision may set) is in the definitions of
``rules/national/gbf-2020-49/listing.yaml``.
"""

from __future__ import annotations

from ..schema import FactSpec, FactType

SPECS: list[FactSpec] = [
    FactSpec("standard.has_criteria", FactType.bool, "the regime's listing criteria are modelled in the catalog"),
    FactSpec("criteria.met", FactType.set, "ids of the regime's criteria (grounds) the act meets"),
    FactSpec("criteria.met_count", FactType.int, "how many of the regime's criteria the act meets"),
    FactSpec("criteria.met_verified_count", FactType.int, "how many of those are criteria whose data is verified"),
    FactSpec("standard.period_years", FactType.int, "the list term the standard fixes, or the most a decision may set (unknown: none fixed)"),
    FactSpec("standard.period_min_years", FactType.int, "the least term a decision may set, where the law lets it choose (一至三年)"),
    FactSpec("standard.term_set_by_decision", FactType.bool, "the standard leaves the list term to the deciding department, which must set one (湖北 §10.1)"),
    FactSpec("standard.period_extension_max_years", FactType.int, "the most years the term may be extended by (法释〔2017〕7号 第二条)"),
    FactSpec("standard.open_term_criteria", FactType.set, "ids of the criteria (grounds) that set no fixed term (e.g. 法释〔2017〕7号 第一条第一项)"),
]
