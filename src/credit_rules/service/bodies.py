"""Request bodies read as the command line reads a file, and answers masked as it masks standard output.

A body is read up to the file-size limit (``CREDIT_RULES_MAX_FILE_BYTES``; 413 past it, without holding
more than the limit), decoded as UTF-8 and parsed by the project's loader (``yamlsource.load_text``: JSON
is read by the same YAML loader the CLI uses for ``decide -``, with its duplicate-key, nesting, alias and
number limits), then validated into the library's model with located messages.  So the service's 422
messages are the CLI's, with ``(request)`` in place of the file name.
"""

from __future__ import annotations

import json
import re
from typing import Any, TypeVar

from fastapi import Request
from fastapi.responses import Response
from pydantic import BaseModel

from ..errors import InputError
from ..limits import env_name
from ..masking import IDENTIFIER_CANDIDATE, scrub_text
from ..validation import validate
from ..yamlsource import Located, load_text
from .problems import ServiceError

M = TypeVar("M", bound=BaseModel)

REQUEST = "(request)"
"""The 'file' named in located messages about a request body."""

JSON_TYPE = "application/json; charset=utf-8"


def too_large(limit: int, what: str = "a request body") -> ServiceError:
    return ServiceError(
        413, "too-large", "Content too large", f"expected {what} of at most {limit} bytes (limit {env_name('max_file_bytes')}), got more",
    )


async def read_limited(request: Request, limit: int) -> bytes:
    """The body, refused (413) as soon as it passes *limit* bytes: never more than the limit is held."""
    declared = request.headers.get("content-length")
    if declared is not None and declared.strip().isdigit() and int(declared) > limit:
        raise too_large(limit)
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise too_large(limit)
        chunks.append(chunk)
    return b"".join(chunks)


def parse(model: type[M], raw: bytes) -> tuple[M, Located]:
    """Validate a body into *model*, located; an empty or undecodable body is a located InputError."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError.one(REQUEST, None, "(body)", "UTF-8 text", f"{exc.reason} at byte {exc.start + 1}") from None
    if not text.strip():
        raise InputError.one(REQUEST, None, "(body)", f"a JSON object ({model.__name__})", "an empty body")
    src = load_text(text, REQUEST)
    if not isinstance(src.data, dict):
        raise InputError.one(REQUEST, None, "(body)", f"a JSON object ({model.__name__})", type(src.data).__name__)
    return validate(model, src), src


_CANDIDATE = re.compile(IDENTIFIER_CANDIDATE)
"""Strings without such a run are skipped: ``scrub_text`` could not change them (:data:`masking.IDENTIFIER_CANDIDATE`)."""


def _scrub_tree(value: Any) -> Any:
    """``masking.scrub_text`` over every string (keys too) of JSON-like data; what cannot hold an identifier is
    left untouched without running the masking expressions over it (a decision holds thousands of strings)."""
    if isinstance(value, str):
        return scrub_text(value) if _CANDIDATE.search(value) else value
    if isinstance(value, dict):
        return {_scrub_tree(k): _scrub_tree(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_scrub_tree(v) for v in value]
    return value


def masked_text(model: BaseModel, disclosure_basis: str | None) -> str:
    """*model* as compact JSON with sorted keys, through the CLI's masking pass unless a disclosure basis was given."""
    data = model.model_dump(mode="json")
    shown = data if disclosure_basis else _scrub_tree(data)
    return json.dumps(shown, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def masked_json(model: BaseModel, disclosure_basis: str | None) -> Response:
    """A JSON answer: identifiers masked as the CLI masks its standard output, unless a disclosure basis was given."""
    return Response(masked_text(model, disclosure_basis).encode("utf-8"), media_type=JSON_TYPE)
