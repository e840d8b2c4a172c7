"""Public credit information: record, share, publish (DOMAIN A1–A4, F2), and queries with the register (F1)."""

from __future__ import annotations

from pathlib import Path as Path_
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from ..audit.access import QueryDecision, QueryRequest, decide_query
from ..audit.register import QueryRegister
from ..audit.seal import find_key, find_witness
from ..case_ids import check_request_ids
from ..errors import InputError
from ..information.decide import decide_information
from ..information.model import InformationDecision, InformationRequest, Use
from ..model.decision import Outcome
from ..validation import validate
from .auth import Caller, Permission
from .bodies import masked_json, read_limited
from .bodies import parse as parse_body
from .deps import AUTH_RESPONSES, DisclosureBasis, authenticated, disclosure, loaded, require, settings
from .holder import Loaded
from .openapi_bodies import json_body
from .problems import ServiceError
from .settings import Settings

router = APIRouter(tags=["information"], responses=AUTH_RESPONSES)

NOT_PERMITTED = "caller_not_permitted"
"""Reason code added to a query the caller's key does not cover (the register keeps it, refused)."""


@router.post(
    "/information/{use}", response_model=InformationDecision,
    summary="May this item be recorded / shared with this recipient / published, and how masked (record is always judged first)",
    openapi_extra=json_body(InformationRequest, "an information request, as in an information request file (docs/information.md)"),
)
async def information(
    request: Request,
    use: Annotated[Use, Path(description="record, share or publish")],
    caller: Annotated[Caller, Depends(require(Permission.information))],
    engine: Annotated[Loaded, Depends(loaded)],
    cfg: Annotated[Settings, Depends(settings)],
    disclosure_basis: DisclosureBasis = None,
) -> Response:
    basis = disclosure(caller, disclosure_basis)
    if use is Use.query:
        raise ServiceError(404, "http-404", "Not found", "a query is POST /queries (it is registered)")
    _, src = parse_body(InformationRequest, await read_limited(request, cfg.max_body_bytes))  # checks the body as sent
    asked = validate(InformationRequest, src, {**src.data, "questions": [use.value]})  # the question the path names
    problems = check_request_ids(asked, engine.engine.catalogs, src)
    if problems:
        raise InputError(problems)
    decision = await run_in_threadpool(lambda: decide_information(engine.engine, asked, disclosure_basis=basis, origin=src))
    return masked_json(decision, basis)


def _refused(decision: QueryDecision, why: str) -> QueryDecision:
    """The decision as registered when the key does not cover the query: refused, with the reason and why."""
    result = decision.result.model_copy(update={"outcome": Outcome.refused, "reasons": sorted({*decision.result.reasons, NOT_PERMITTED})})
    return decision.model_copy(update={"result": result, "warnings": sorted({*decision.warnings, why})})


def _register(cfg: Settings) -> QueryRegister:
    if cfg.register is None:
        raise ServiceError(503, "no-register", "No query register",
                           "this service has no query register (serve --register FILE): an unregistered query is not allowed (49号(十三))")
    key = find_key(Path_(cfg.register_key_file) if cfg.register_key_file else None)
    witness = find_witness(Path_(cfg.witness) if cfg.witness else None)
    return QueryRegister.open(cfg.register, key=key, witness=witness)


@router.post(
    "/queries", response_model=QueryDecision,
    summary="Check a query of credit information against the access policy and register it, allowed or refused",
    responses={403: {"description": "the key does not cover this role or purpose: refused, and registered (problem document with register_seq)"},
               503: {"description": "the service has no query register"}},
    openapi_extra=json_body(QueryRequest, "a query, as in a query file (docs/information.md); 'actor' is recorded behind the key's id"),
)
async def query(
    request: Request,
    caller: Annotated[Caller, Depends(authenticated)],
    engine: Annotated[Loaded, Depends(loaded)],
    cfg: Annotated[Settings, Depends(settings)],
    disclosure_basis: DisclosureBasis = None,
) -> Response:
    """Every authenticated query is registered (49号(十三)): one the key does not cover is refused *and* registered."""
    parsed, src = parse_body(QueryRequest, await read_limited(request, cfg.max_body_bytes))
    # who asks is the key's holder: the register names the key before the account the body gives
    asked = parsed.model_copy(update={"actor": f"{caller.id}/{parsed.actor}"})
    permitted = caller.may_query_as(asked.role, asked.purpose)
    basis = disclosure(caller, disclosure_basis) if permitted else None
    register = _register(cfg)

    def run() -> tuple[QueryDecision, int]:
        decision = decide_query(engine.engine, asked, disclosure_basis=basis, origin=src)
        if not permitted:
            decision = _refused(decision, f"the key '{caller.id}' may not query as {asked.role.value} for {asked.purpose.value}")
        row = register.append(asked, decision)
        return decision, row.seq

    decision, seq = await run_in_threadpool(run)
    if not permitted:
        raise ServiceError(
            403, "query-not-permitted", "Query not permitted",
            f"the key '{caller.id}' may not query as {asked.role.value} for {asked.purpose.value}; the refused query is registered",
            register_seq=seq,
        )
    return masked_json(decision, basis)
