"""credit_rules: China's social-credit rules as a declarative, testable rule set.

The public surface is small::

    from credit_rules import Engine, load_case
    engine = Engine.load()                 # shipped catalogs and rules
    decision = engine.decide(load_case("examples/cases/wuzhou_food_listing.yaml"))
    print(decision.to_json())

Every answer carries the rules consulted, their status and the paragraph of
law each rests on.
"""

from .cases import load_case, parse_case
from .engine.batch import BatchItem, decide_many
from .engine.decide import Engine
from .errors import InputError, Problem
from .model import Case, Decision, Outcome, QuestionResult, RuleStatus, TraceEntry

__all__ = [
    "BatchItem", "Case", "Decision", "Engine", "InputError", "Outcome", "Problem", "QuestionResult", "RuleStatus",
    "TraceEntry", "decide_many", "load_case", "parse_case",
]
__version__ = "0.1.0"
