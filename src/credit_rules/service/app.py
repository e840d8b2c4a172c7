"""The FastAPI application: catalogs and rules loaded once, routes, problem documents, access log, reload.

``create_app(settings)`` loads everything at once (a tree that does not load stops the service before it
listens: the located problems are printed as the CLI prints them).  ``app_from_env`` is the factory uvicorn
workers import when ``--workers N`` > 1.
"""

from __future__ import annotations

import asyncio
import contextlib
import signal
from collections.abc import AsyncIterator
from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

from .. import __version__
from .access_log import AccessLog
from .auth import KeyRing
from .holder import EngineHolder
from .openapi_bodies import add_body_schemas
from .problems import install, log
from .routes_catalog import router as catalog_router
from .routes_decisions import router as decisions_router
from .routes_information import router as information_router
from .routes_meta import reload_engine
from .routes_meta import router as meta_router
from .settings import Settings

DESCRIPTION = """\
China's social-credit rules as a service: determination, listing, measures, repair, information and
query-access questions, each answered with reasons, a trace and the paragraph of law it rests on.

Every endpoint but `/health`, `/version` and these docs needs an API key (`Authorization: Bearer KEY` or
`X-API-Key: KEY`), mapped to an authority and its permissions. Errors are RFC 9457 problem documents;
bad input is 422 with the command line's located messages. Personal identifiers are masked unless the
caller gives a `disclosure_basis` and holds the `disclose` permission. See docs/service.md.
"""


def _on_sighup(app: FastAPI) -> None:
    async def run() -> None:
        try:
            await asyncio.to_thread(reload_engine, app.state.holder)
        except Exception as exc:  # noqa: BLE001 - a tree that does not load leaves the old engine answering
            log.error("reload failed, the previous engine goes on answering: %s", str(exc).splitlines()[0] if str(exc) else type(exc).__name__)

    app.state.reloads.add(task := asyncio.get_running_loop().create_task(run()))
    task.add_done_callback(app.state.reloads.discard)


@contextlib.asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    installed = False
    if app.state.settings.signals:
        with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):  # not the main thread, or no SIGHUP
            asyncio.get_running_loop().add_signal_handler(signal.SIGHUP, _on_sighup, app)
            installed = True
    log.info("serving ruleset %s catalogs %s", app.state.holder.current.version.ruleset_hash[:12],
             app.state.holder.current.version.catalogs_hash[:12])
    try:
        yield
    finally:
        if installed:
            asyncio.get_running_loop().remove_signal_handler(signal.SIGHUP)


def create_app(settings: Settings | None = None) -> FastAPI:
    """The service over *settings* (default: the shipped catalogs and rules, no keys)."""
    cfg = settings or Settings()
    keys = KeyRing.load(cfg.keys) if cfg.keys else KeyRing.empty()
    app = FastAPI(title="credit_rules", version=__version__, description=DESCRIPTION, lifespan=_lifespan)
    app.state.settings = cfg
    app.state.keys = keys
    app.state.holder = EngineHolder(cfg)
    app.state.reloads = set()
    install(app)
    for router in (meta_router, decisions_router, information_router, catalog_router):
        app.include_router(router)
    app.add_middleware(AccessLog)

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            spec = get_openapi(title=app.title, version=app.version, description=app.description, routes=app.routes)
            app.openapi_schema = add_body_schemas(spec)
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
    return app


def app_from_env() -> FastAPI:
    """The factory each uvicorn worker process calls (settings from ``CREDIT_RULES_SERVE_SETTINGS``)."""
    return create_app(Settings.from_env())
