"""Public credit information: may this item be recorded, shared, published — and how masked?

DOMAIN A1–A4 and F2 (49号(一)(三)(四)(五)(十四), 梧州(三)(五)(六)(二十二), 35号(四)(五)(十五))::

    from credit_rules import Engine
    from credit_rules.information import decide_information, load_request

    engine = Engine.load()
    request, _ = load_request("examples/information/wuzhou_person_penalty.yaml")
    decision = decide_information(engine, request)
    print(decision.publish.outcome, decision.publication.deadline, decision.published_record)

The catalogs are the ``information_catalog`` kind
(:mod:`credit_rules.catalog.kinds.information`); the rules are
``rules/national/gbf-2020-49/information.yaml`` and the 梧州 layer.
"""

from typing import TYPE_CHECKING

from .._lazy import lazy_names

# Imported when first used (PEP 562): the fact declarations of this family (facts/specs/information.py) are read
# whenever a rule set is loaded, and need only the enums, not the models and the evaluator.
_LAZY: dict[str, str] = {
    "decide_information": "decide",
    "load_request": "loading", "parse_request": "loading",
    **dict.fromkeys(
        ("Channel", "ConsentRecord", "InformationDecision", "InformationRequest", "ItemRef", "PersonalDetails", "PublicationPlan",
         "PublicationTiming", "PublishedRecord", "Recipient", "Use"),
        "model",
    ),
}

if TYPE_CHECKING:
    from .decide import decide_information
    from .loading import load_request, parse_request
    from .model import (
        Channel,
        ConsentRecord,
        InformationDecision,
        InformationRequest,
        ItemRef,
        PersonalDetails,
        PublicationPlan,
        PublicationTiming,
        PublishedRecord,
        Recipient,
        Use,
    )


__getattr__, __dir__ = lazy_names(__name__, _LAZY, globals())


__all__ = [
    "Channel", "ConsentRecord", "InformationDecision", "InformationRequest", "ItemRef", "PersonalDetails",
    "PublicationPlan", "PublicationTiming", "PublishedRecord", "Recipient", "Use", "decide_information",
    "load_request", "parse_request",
]
