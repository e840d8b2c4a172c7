"""Read-only catalog browsing: standards (with their criteria), conduct and quantity ids, measures, fields,
information items, repair regimes and jurisdictions, by jurisdiction and date (``credit-rules catalog``)."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query
from fastapi import Path as PathParam
from starlette.concurrency import run_in_threadpool

from ..browse import KINDS, Scope, list_rows, show
from ..case_ids import check_jurisdiction
from ..errors import InputError, Problem
from .auth import Caller, Permission
from .deps import AUTH_RESPONSES, loaded, require
from .holder import Loaded
from .problems import ServiceError

router = APIRouter(prefix="/catalog", tags=["catalog"], responses=AUTH_RESPONSES)

Kind = StrEnum("Kind", {k: k for k in KINDS})  # type: ignore[misc]
"""What can be browsed (``credit_rules.browse.KINDS``)."""


class Lang(StrEnum):
    zh = "zh"
    en = "en"


Jurisdiction = Annotated[
    str | None, Query(pattern=r"^\d{6}$", description="GB/T 2260 code: only the layers of its chain (national → … → code)")
]
On = Annotated[date | None, Query(description="only the editions in force on this date (default: every edition)")]


def _scope(engine: Loaded, jurisdiction: str | None, on: date | None, lang: Lang) -> Scope:
    if jurisdiction is not None:
        wrong = check_jurisdiction(jurisdiction, engine.engine.catalogs)
        if wrong is not None:
            raise InputError.one("(query)", None, "jurisdiction", wrong, jurisdiction)
    return Scope(jurisdiction, on, lang.value)


@router.get("/{kind}", summary="List the entries of a kind (one row per id and edition)")
async def list_kind(
    kind: Annotated[Kind, PathParam(description="what to browse")],
    caller: Annotated[Caller, Depends(require(Permission.catalog))],
    engine: Annotated[Loaded, Depends(loaded)],
    jurisdiction: Jurisdiction = None,
    on: On = None,
    lang: Lang = Lang.zh,
) -> list[dict[str, Any]]:
    scope = _scope(engine, jurisdiction, on, lang)
    return await run_in_threadpool(list_rows, kind.value, engine.engine.catalogs, scope)


@router.get("/{kind}/{ident}", summary="Show one entry in full, every edition of it in scope", responses={404: {"description": "no such id"}})
async def show_one(
    kind: Annotated[Kind, PathParam(description="what to browse")],
    ident: Annotated[str, PathParam(max_length=200, description="the id (a jurisdiction: its GB/T 2260 code)")],
    caller: Annotated[Caller, Depends(require(Permission.catalog))],
    engine: Annotated[Loaded, Depends(loaded)],
    jurisdiction: Jurisdiction = None,
    on: On = None,
    lang: Lang = Lang.zh,
) -> list[dict[str, Any]]:
    scope = _scope(engine, jurisdiction, on, lang)
    try:
        return await run_in_threadpool(show, kind.value, ident, engine.engine.catalogs, scope)
    except InputError as exc:  # an unknown id: not found, with the CLI's did-you-mean
        problems = [Problem("(path)", None, "ident" if p.field == "ID" else p.field, p.expected, p.got) for p in exc.problems]
        raise ServiceError(404, "not-found", "Not found", problems[0].render() if problems else "no such id", problems) from None
