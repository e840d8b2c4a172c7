"""Request bodies read as the command line reads a file, and answers masked as it masks standard output.

A body is read up to the file-size limit (``CREDIT_RULES_MAX_FILE_BYTES``; 413 past it, without holding
more than the limit), decoded as UTF-8 and parsed by the project's loader (``yamlsource.load_text``: JSON
is read by the same YAML loader the CLI uses for ``decide -``, with its duplicate-key, nesting, alias and
number limits), then validated into the library's model with located messages.  So the service's 422
messages are the CLI's, with ``(request)`` in place of the file name.
"""

from __future__ import annotations

from typing import TypeVar

from fastapi import Request
from fastapi.responses import Response
from pydantic import BaseModel

from ..errors import InputError
from ..limits import env_name
from ..masking import scrub_text
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


def masked_json(text: str, disclosure_basis: str | None) -> Response:
    """A JSON answer through the CLI's masking pass: identifiers masked unless a disclosure basis was given."""
    shown = text if disclosure_basis else scrub_text(text)
    return Response(shown.encode("utf-8"), media_type=JSON_TYPE)
