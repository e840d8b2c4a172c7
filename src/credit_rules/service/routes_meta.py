"""Health, version (what every answer rests on) and reload of a new catalog edition."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from starlette.concurrency import run_in_threadpool

from .auth import Caller, Permission
from .deps import AUTH_RESPONSES, holder, loaded, require
from .holder import EngineHolder, Loaded
from .models import Health, ReloadResult, Version
from .problems import log

router = APIRouter(tags=["service"])


@router.get("/health", response_model=Health, summary="Up, with catalogs and rules loaded (no key needed)")
async def health() -> Health:
    return Health(status="ok")


@router.get("/version", response_model=Version, summary="Rule-set version, catalog editions and content hashes (no key needed)")
async def version(engine: Annotated[Loaded, Depends(loaded)]) -> Version:
    return engine.version


def reload_engine(target: EngineHolder) -> Loaded:
    """Load the catalog and rule directories again and swap them in; requests in flight finish on the old engine."""
    fresh = target.reload()
    log.info("reloaded generation %d ruleset %s catalogs %s", fresh.generation, fresh.version.ruleset_hash[:12], fresh.version.catalogs_hash[:12])
    return fresh


@router.post(
    "/admin/reload", response_model=ReloadResult, responses=AUTH_RESPONSES,
    summary="Load a new catalog edition (the same directories, read again) without dropping requests; a tree that does not load "
    "leaves the old engine answering (422 with its located problems)",
)
async def reload(request: Request, caller: Annotated[Caller, Depends(require(Permission.admin))]) -> ReloadResult:
    fresh = await run_in_threadpool(reload_engine, holder(request))
    v = fresh.version
    return ReloadResult(reloaded=True, generation=fresh.generation, ruleset_hash=v.ruleset_hash, catalogs_hash=v.catalogs_hash)
