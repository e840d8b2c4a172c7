"""Query access moved to :mod:`credit_rules.information.query` (a query is an information question); this name
stays so that callers importing ``credit_rules.audit.access`` keep working.  The register (``audit.register``)
depends on the information package, never the other way round."""

from ..information.query import QueryDecision, QueryRequest, decide_query, merge_items, policy_facts

__all__ = ["QueryDecision", "QueryRequest", "decide_query", "merge_items", "policy_facts"]
