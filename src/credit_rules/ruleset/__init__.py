"""The declarative rule set: condition language, rule files, compilation."""

from .language import All, AnyOf, Compare, Condition, Not, compile_condition, facts_in, render
from .loader import load_ruleset
from .model import Principle, Rule, RuleSet, RuleSpec

__all__ = [
    "All", "AnyOf", "Compare", "Condition", "Not", "Principle", "Rule", "RuleSet", "RuleSpec",
    "compile_condition", "facts_in", "load_ruleset", "render",
]
