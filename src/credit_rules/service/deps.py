"""What every endpoint needs: the caller (authenticated, with the permission it asks for) and the engine.

Authentication is a FastAPI dependency, so the OpenAPI description states it (``bearerAuth`` and
``apiKeyHeader`` security schemes) and every protected endpoint documents its 401 and 403 answers.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import Depends, Query, Request
from fastapi.security import APIKeyHeader, HTTPAuthorizationCredentials, HTTPBearer

from .auth import Caller, KeyRing, Permission
from .holder import EngineHolder, Loaded
from .problems import ServiceError
from .settings import Settings

_bearer = HTTPBearer(auto_error=False, scheme_name="bearerAuth", description="Authorization: Bearer KEY")
_header = APIKeyHeader(name="X-API-Key", auto_error=False, scheme_name="apiKeyHeader", description="X-API-Key: KEY")

AUTH_RESPONSES: dict[int | str, dict[str, Any]] = {
    401: {"description": "no key, or a key this service does not know (RFC 9457 problem document)"},
    403: {"description": "the key lacks the permission this endpoint needs (RFC 9457 problem document)"},
    422: {"description": "bad input: the command line's located messages (RFC 9457 problem document)"},
    413: {"description": "the body is larger than the limit (RFC 9457 problem document)"},
}


def holder(request: Request) -> EngineHolder:
    found: EngineHolder = request.app.state.holder
    return found


def loaded(request: Request) -> Loaded:
    """The engine for this whole request: taken once, so a reload in between cannot mix two editions."""
    return holder(request).current


def settings(request: Request) -> Settings:
    found: Settings = request.app.state.settings
    return found


def _caller(
    request: Request,
    bearer: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
    header: Annotated[str | None, Depends(_header)],
) -> Caller:
    ring: KeyRing = request.app.state.keys
    presented = bearer.credentials if bearer is not None else header
    caller = ring.caller(presented)
    if caller is None:
        what = "an API key (Authorization: Bearer KEY, or X-API-Key: KEY)" if not presented else "a key this service knows"
        raise ServiceError(401, "unauthenticated", "Unauthenticated", f"expected {what}")
    request.state.caller_id = caller.id  # for the access log: the key's id, never the key
    return caller


def require(permission: Permission) -> Callable[..., Caller]:
    """A dependency: the authenticated caller, refused (403) without *permission*."""

    def check(caller: Annotated[Caller, Depends(_caller)]) -> Caller:
        if not caller.may(permission):
            raise ServiceError(403, "forbidden", "Forbidden", f"the key '{caller.id}' lacks the permission '{permission.value}'")
        return caller

    return check


def authenticated(caller: Annotated[Caller, Depends(_caller)]) -> Caller:
    return caller


DisclosureBasis = Annotated[
    str | None,
    Query(
        max_length=500,
        description="the law or consent allowing personal identifiers unmasked in this answer; needs the 'disclose' permission",
    ),
]


def disclosure(caller: Caller, basis: str | None) -> str | None:
    """The disclosure basis, if the caller may give one; a blank basis is no basis."""
    if basis is None or not basis.strip():
        return None
    if not caller.may(Permission.disclose):
        raise ServiceError(
            403, "forbidden", "Forbidden", f"the key '{caller.id}' lacks the permission 'disclose' needed for disclosure_basis",
        )
    return basis
