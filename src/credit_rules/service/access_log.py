"""Structured access logs without personal data: one JSON line per request.

A line names the method, the route template (``/catalog/{kind}/{ident}``, not the path: an id in a path
could be personal), the status, the duration, the bytes sent and the caller's key *id*.  It never holds the
key, the query string (``disclosure_basis`` …), the client address or any body.  Times are the service's
own; no decision reads them.
"""

from __future__ import annotations

import json
import logging
import time
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

access = logging.getLogger("credit_rules.service.access")


async def _internal_error(scope: Scope, send: Send) -> None:
    from .problems import problem_response

    response = problem_response(500, "internal", "Internal error", "the service could not answer; the error was logged", scope.get("path"))
    await send({"type": "http.response.start", "status": 500, "headers": response.raw_headers})
    await send({"type": "http.response.body", "body": response.body})


class AccessLog:
    """Pure ASGI middleware, so streamed (NDJSON) responses are timed to their last byte.

    It also answers a bug (an exception no handler took) with a 500 problem document, so no traceback reaches
    the caller or the log."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        start = time.perf_counter()
        status = 500
        sent = 0

        async def counting(message: Message) -> None:
            nonlocal status, sent
            if message["type"] == "http.response.start":
                status = int(message["status"])
            elif message["type"] == "http.response.body":
                sent += len(message.get("body", b""))
            await send(message)

        started = False

        async def tracking(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await counting(message)

        try:
            await self.app(scope, receive, tracking)
        except Exception as exc:
            # a bug: logged by its type only (its message may repeat input), answered as a problem document, no trace
            access.error(json.dumps({"event": "internal_error", "error": type(exc).__name__}))
            if started:
                raise
            await _internal_error(scope, tracking)
        finally:
            route = scope.get("route")
            state: Any = scope.get("state") or {}
            record = {
                "event": "access",
                "method": scope.get("method"),
                "route": getattr(route, "path", None) or "(unmatched)",
                "status": status,
                "ms": round((time.perf_counter() - start) * 1000, 3),
                "bytes": sent,
                "caller": state.get("caller_id") if isinstance(state, dict) else None,
            }
            access.info(json.dumps(record, ensure_ascii=False, sort_keys=True))
