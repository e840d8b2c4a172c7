"""Mutation testing of catalogs and rules: would the fixtures catch a drafting error? (``credit-rules mutate``)."""

from .operators import Mutant, mutants
from .report import Score, score
from .run import Outcome, Tree, Verdict, run, sample

__all__ = ["Mutant", "Outcome", "Score", "Tree", "Verdict", "mutants", "run", "sample", "score"]
