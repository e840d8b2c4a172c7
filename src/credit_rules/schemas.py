"""JSON Schemas of every input and output format (``credit-rules schema``).

Rule files are validated by the loader in two steps (the envelope, then each
definition and rule with its conditions), so their pydantic models alone
would give an editor only "a list of objects".  The rule-file and rule
schemas are therefore completed here with the definition format
(``DefinitionSpec``, ``CaseSpec``) and the condition language (the YAML form
or an expression string), so a rule file can be checked while it is written.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from .information.query import QueryRequest
from .catalog.kinds.information import AccessRule, InformationCategory
from .catalog.kinds.lifecycle import Transition
from .catalog.kinds.measures import Measure
from .catalog.kinds.repair import ListRepairRegime, RepairRegime
from .catalog.schema import Domain, Envelope, Jurisdiction, ListingStandard
from .fixtures import FixtureFile
from .information.model import InformationDecision, InformationRequest
from .model.case import Case
from .model.decision import Decision
from .catalog.kinds.parameters import Parameter
from .model.legal import LegalBasis
from .ruleset.definitions import DefinitionSpec
from .ruleset.language import COMPARISONS
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
    "catalog-list-repair-regime-entry": ListRepairRegime,
    "fixture-file": FixtureFile,
    "information-request": InformationRequest,
    "information-decision": InformationDecision,
    "query-request": QueryRequest,
    "catalog-information-category-entry": InformationCategory,
    "catalog-access-rule-entry": AccessRule,
    "catalog-lifecycle-transition-entry": Transition,
    "catalog-parameter-entry": Parameter,
}

_SCALAR: dict[str, Any] = {"type": ["boolean", "integer", "string"]}


def condition_schema() -> dict[str, Any]:
    """A rule's ``when``/``require``: all/any/not, a fact comparison, or an expression string (docs/rule-language.md)."""
    ref = {"$ref": "#/$defs/Condition"}
    ops: dict[str, Any] = {}
    for op in COMPARISONS:
        if op == "present":
            ops[op] = {"type": "boolean", "description": "true: the fact is known; false: it is missing"}
        elif op in ("in", "not_in"):
            ops[op] = {"type": "array", "minItems": 1, "items": _SCALAR, "description": "values of the fact's type"}
        elif op in ("lt", "le", "gt", "ge"):
            ops[op] = {"type": "integer", "description": "only for int facts"}
        else:
            ops[op] = {**_SCALAR, "description": "a value of the fact's type"}
    group = {"type": "array", "minItems": 1, "items": ref}
    return {
        "description": "a condition: {all: [...]}, {any: [...]}, {not: C}, {fact: NAME, OP: VALUE}, or an expression "
        "string in the rule fragment, e.g. \"present(consent.covers_use) and consent.covers_use\" (docs/rule-language.md); "
        "unknown facts make a condition unknown, never false",
        "anyOf": [
            {"type": "string", "minLength": 1, "description": "an expression (and/or/not, ==, !=, <, <=, >, >=, in, not in, present())"},
            {"type": "object", "properties": {"all": group}, "required": ["all"], "additionalProperties": False},
            {"type": "object", "properties": {"any": group}, "required": ["any"], "additionalProperties": False},
            {"type": "object", "properties": {"not": ref}, "required": ["not"], "additionalProperties": False},
            {
                "type": "object",
                "properties": {"fact": {"type": "string", "description": "a fact of the fact schema, or a definition"}, **ops},
                "required": ["fact"],
                "additionalProperties": False,
                "minProperties": 2,
                "maxProperties": 2,
                "description": "one comparison: the fact and exactly one operator",
            },
        ],
    }


def _lift(schema: dict[str, Any], into: dict[str, Any]) -> dict[str, Any]:
    """Move a model schema's ``$defs`` into *into* and return the schema without them."""
    into.update(schema.pop("$defs", {}))
    return schema


def _expression_fields(schema: dict[str, Any], *names: str) -> None:
    """YAML gives ``value: true`` or ``value: 18`` as data; the loader reads them as expression text."""
    for name in names:
        prop = schema["properties"][name]
        keep = {k: v for k, v in prop.items() if k in ("description", "title", "default")}
        optional = any(o.get("type") == "null" for o in prop.get("anyOf", []))
        types = ["string", "boolean", "integer"] + (["null"] if optional else [])
        schema["properties"][name] = {**keep, "type": types}


def rule_schema(defs: dict[str, Any]) -> dict[str, Any]:
    """One rule (``RuleSpec``) with its conditions described."""
    rule = _lift(RuleSpec.model_json_schema(mode="validation"), defs)
    rule["properties"]["when"] = {"anyOf": [{"$ref": "#/$defs/Condition"}, {"type": "null"}], "default": None,
                                  "description": "applicability: the rule applies when this holds (omitted: always)"}
    rule["properties"]["require"] = {"$ref": "#/$defs/Condition", "description": "what must hold when the rule applies"}
    defs["Condition"] = condition_schema()
    return rule


def definition_schema(defs: dict[str, Any]) -> dict[str, Any]:
    """One definition (``DefinitionSpec`` with its ``CaseSpec`` cases)."""
    definition = _lift(DefinitionSpec.model_json_schema(mode="validation"), defs)
    _expression_fields(definition, "value", "when")
    _expression_fields(defs["CaseSpec"], "value", "when")
    return definition


def rule_file_schema() -> dict[str, Any]:
    """A rule file: envelope, ``definitions`` and ``rules``, fully described."""
    schema = RuleFile.model_json_schema(mode="validation")
    defs: dict[str, Any] = schema.setdefault("$defs", {})
    defs["RuleSpec"] = rule_schema(defs)
    defs["DefinitionSpec"] = definition_schema(defs)
    schema["properties"]["rules"]["items"] = {"$ref": "#/$defs/RuleSpec"}
    schema["properties"]["definitions"]["items"] = {"$ref": "#/$defs/DefinitionSpec"}
    return schema


def _rule_only_schema() -> dict[str, Any]:
    defs: dict[str, Any] = {}
    rule = rule_schema(defs)
    rule["$defs"] = defs
    return rule


_CUSTOM: dict[str, Any] = {"rule-file": rule_file_schema, "rule": _rule_only_schema}


def write_schemas(out: Path) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, model in SCHEMAS.items():
        path = out / f"{name}.schema.json"
        if name in _CUSTOM:
            schema = _CUSTOM[name]()
        elif model in (Decision, InformationDecision):
            schema = model.model_json_schema(mode="serialization")
        else:
            schema = model.model_json_schema(mode="validation")
        path.write_text(json.dumps(schema, ensure_ascii=False, indent=2, sort_keys=True) + "\n", encoding="utf-8")
        written.append(path)
    return written
