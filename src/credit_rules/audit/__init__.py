"""Query access and the query register (49号(十三)(十四), 梧州(二十一)(二十二)).

::

    from credit_rules import Engine
    from credit_rules.audit import QueryRegister, QueryRequest, decide_query, key_from_env

    engine = Engine.load()
    register = QueryRegister.open("queries.sqlite", key=key_from_env())  # CREDIT_RULES_REGISTER_KEY
    decision = decide_query(engine, query)      # access policy + consent, before anything is returned
    register.append(query, decision)             # every attempt, allowed or refused
    print(register.verify().render())            # OK …, or the first broken row
"""

from ..information.query import QueryDecision, QueryRequest, decide_query, policy_facts
from .register import QueryRegister, RegisterRow, Verification, create_register, row_hash, verify_register
from .seal import RegisterKey, key_from_env, key_from_file

__all__ = [
    "QueryDecision", "QueryRegister", "QueryRequest", "RegisterKey", "RegisterRow", "Verification", "policy_facts",
    "create_register", "decide_query", "key_from_env", "key_from_file", "row_hash", "verify_register",
]
