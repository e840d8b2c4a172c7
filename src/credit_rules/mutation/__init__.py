"""Mutation testing of catalogs and rules: would the fixtures catch a drafting error? (``credit-rules mutate``)."""

from .operators import Mutant, mutants
from .report import Score, score
from .equivalent import Equivalent, load_equivalents
from .run import Outcome, Tree, Verdict, mark_equivalent, run, sample

__all__ = ["Equivalent", "Mutant", "Outcome", "Score", "Tree", "Verdict", "load_equivalents", "mark_equivalent", "mutants", "run", "sample", "score"]
