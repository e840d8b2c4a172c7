"""Request bodies in the OpenAPI description, from the library's own pydantic models.

The endpoints read their bodies themselves (:mod:`.bodies`), so that a bad body gets the command line's
located messages; FastAPI therefore does not see the body models.  This module puts them back: each
endpoint names its model with :func:`json_body`, and :func:`add_body_schemas` adds the models' JSON Schemas
(pydantic's, the same that ``credit-rules schema`` writes) to ``components/schemas``.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel
from pydantic.json_schema import models_json_schema

BODY_MODELS: dict[str, type[BaseModel]] = {}
REF = "#/components/schemas/{model}"


def json_body(model: type[BaseModel], description: str) -> dict[str, Any]:
    """``openapi_extra`` for an endpoint whose JSON body is *model*."""
    BODY_MODELS[model.__name__] = model
    schema = {"$ref": REF.format(model=model.__name__)}
    return {"requestBody": {"required": True, "description": description, "content": {"application/json": {"schema": schema}}}}


def ndjson_body(model: type[BaseModel], description: str) -> dict[str, Any]:
    """``openapi_extra`` for an NDJSON body: one *model* per line (``itemSchema`` describes a line)."""
    content = {"application/x-ndjson": ndjson_items(model)}
    return {"requestBody": {"required": True, "description": description, "content": content}}


def ndjson_items(model: type[BaseModel]) -> dict[str, Any]:
    """An NDJSON response's content: one *model* per line."""
    BODY_MODELS[model.__name__] = model
    return {"schema": {"type": "string", "description": f"one {model.__name__} as JSON per line"}, "itemSchema": {"$ref": REF.format(model=model.__name__)}}


def add_body_schemas(spec: dict[str, Any]) -> dict[str, Any]:
    """*spec* with every body model (and the models they use) in ``components/schemas``."""
    if not BODY_MODELS:
        return spec
    _, top = models_json_schema([(m, "validation") for m in BODY_MODELS.values()], ref_template=REF)
    schemas = spec.setdefault("components", {}).setdefault("schemas", {})
    for name, schema in top.get("$defs", {}).items():
        schemas.setdefault(name, schema)
    return spec
