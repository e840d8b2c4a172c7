"""credit_rules: China's social-credit rules as a declarative, testable rule set.

The public surface is small::

    from credit_rules import Engine, load_case
    engine = Engine.load()                 # shipped catalogs and rules
    decision = engine.decide(load_case("examples/cases/wuzhou_food_listing.yaml"))
    print(decision.to_json())

A case read by hand should also have its ids checked against the catalogs
(a misspelled id is bad input, not a legal refusal)::

    require_case_ids(case, engine.catalogs)   # raises InputError, as the CLI does

``SHIPPED`` (the word ``"shipped"``) names the shipped catalogs or rules:
``Engine.load([catalogs_path(SHIPPED), "my_layer"], rules_path(SHIPPED))``.

Every answer carries the rules consulted, their status and the paragraph of
law each rests on.
"""

from typing import TYPE_CHECKING

from ._lazy import lazy_names

# Names are imported on first use (PEP 562), so ``import credit_rules`` and a ``credit-rules`` command load only
# the modules they need: pydantic model building for every catalog kind is most of a cold start.
_LAZY: dict[str, str] = {
    "check_case_ids": "case_ids", "require_case_ids": "case_ids",
    "load_case": "cases", "parse_case": "cases",
    "load_divisions": "divisions",
    "BatchItem": "engine.batch", "decide_many": "engine.batch",
    "Engine": "engine.decide",
    "InputError": "errors", "Problem": "errors",
    "Case": "model", "Decision": "model", "Outcome": "model", "QuestionResult": "model", "RuleStatus": "model", "TraceEntry": "model",
    "SHIPPED": "shipped", "catalogs_path": "shipped", "rules_path": "shipped",
}

if TYPE_CHECKING:
    from .case_ids import check_case_ids, require_case_ids
    from .cases import load_case, parse_case
    from .divisions import load_divisions
    from .engine.batch import BatchItem, decide_many
    from .engine.decide import Engine
    from .errors import InputError, Problem
    from .model import Case, Decision, Outcome, QuestionResult, RuleStatus, TraceEntry
    from .shipped import SHIPPED, catalogs_path, rules_path


__getattr__, __dir__ = lazy_names(__name__, _LAZY, globals())


__all__ = [
    "SHIPPED", "BatchItem", "Case", "Decision", "Engine", "InputError", "Outcome", "Problem", "QuestionResult", "RuleStatus",
    "TraceEntry", "catalogs_path", "check_case_ids", "decide_many", "load_case", "load_divisions", "parse_case",
    "require_case_ids", "rules_path",
]
__version__ = "0.1.0"
