"""JSON Schemas of every input and output format (``credit-rules schema``)."""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import BaseModel

from .audit.access import QueryRequest
from .catalog.kinds.information import AccessRule, InformationCategory
from .catalog.kinds.lifecycle import Transition
from .catalog.kinds.measures import Measure
from .catalog.kinds.repair import RepairRegime
from .catalog.schema import Domain, Envelope, Jurisdiction, ListingStandard
from .fixtures import FixtureFile
from .information.model import InformationDecision, InformationRequest
from .model.case import Case
from .model.decision import Decision
from .model.legal import LegalBasis
from .ruleset.model import Manifest, RuleFile, RuleSpec

SCHEMAS: dict[str, type[BaseModel]] = {
    "case": Case,
    "decision": Decision,
    "catalog-envelope": Envelope,
    "catalog-jurisdiction-entry": Jurisdiction,
    "catalog-legal-basis-entry": LegalBasis,
    "catalog-domain-entry": Domain,
    "catalog-listing-standard-entry": ListingStandard,
    "rule-file": RuleFile,
    "rule": RuleSpec,
    "ruleset-manifest": Manifest,
    "catalog-measure-entry": Measure,
    "catalog-repair-regime-entry": RepairRegime,
    "fixture-file": FixtureFile,
    "information-request": InformationRequest,
    "information-decision": InformationDecision,
    "query-request": QueryRequest,
    "catalog-information-category-entry": InformationCategory,
    "catalog-access-rule-entry": AccessRule,
    "catalog-lifecycle-transition-entry": Transition,
}


def write_schemas(out: Path) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, model in SCHEMAS.items():
        path = out / f"{name}.schema.json"
        if model in (Decision, InformationDecision):
            schema = model.model_json_schema(mode="serialization")
        else:
            schema = model.model_json_schema(mode="validation")
        path.write_text(json.dumps(schema, ensure_ascii=False, indent=2, sort_keys=True) + "\n", encoding="utf-8")
        written.append(path)
    return written
