"""Facts of a regime's listing criteria (the national list regimes, research/legal.md §4).

Each criterion (ground) is checked against the act in ``facts/criteria.py``: its conduct, thresholds and bars,
as the catalog states them.  The rules read which grounds were met and the terms those grounds set; what follows
from them (a criterion is met, which term governs, what term a decision may set) is in the definitions of
``rules/national/gbf-2020-49/listing.yaml``.
"""

from __future__ import annotations

from ..schema import FactSpec, FactType

SPECS: list[FactSpec] = [
    FactSpec("standard.has_criteria", FactType.bool, "the regime's listing criteria are modelled in the catalog"),
    FactSpec("criteria.met", FactType.set, "ids of the regime's criteria (grounds) the act meets"),
    FactSpec("criteria.met_count", FactType.int, "how many of the regime's criteria the act meets"),
    FactSpec("criteria.met_verified_count", FactType.int, "how many of those are criteria whose data is verified"),
    FactSpec("criteria.term_open", FactType.bool, "a ground met sets no fixed list term (e.g. 法释〔2017〕7号 第一条第一项)"),
    FactSpec("criteria.term_years", FactType.int, "the longest fixed list term a ground met sets (or the standard's), in years"),
    FactSpec("criteria.term_min_years", FactType.int, "the least term a decision may set under that ground, where the law lets it choose"),
    FactSpec("criteria.term_extension_max_years", FactType.int, "the most years that term may be extended by (法释〔2017〕7号 第二条)"),
]
