"""Case questions: decide (one case, or an NDJSON batch streamed in and out), explain, repair."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response, StreamingResponse
from starlette.concurrency import run_in_threadpool
from starlette.requests import ClientDisconnect
from starlette.types import Receive, Scope, Send

from ..case_ids import require_case_ids
from ..engine.batch import BatchItem, RawCase, decide_one, parse_jsonl_line
from ..errors import InputError, Problem
from ..limits import current as current_limits
from ..limits import env_name
from ..model.case import Case, Question
from ..model.decision import Decision, MeasureResult, QuestionResult, RepairResult
from .auth import Caller, Permission
from .bodies import REQUEST, masked_json, masked_text, read_limited
from .bodies import parse as parse_body
from .deps import AUTH_RESPONSES, DisclosureBasis, disclosure, loaded, require, settings
from .holder import Loaded
from .models import ExplainedQuestion, Explanation
from .openapi_bodies import json_body, ndjson_body, ndjson_items
from .settings import Settings

router = APIRouter(tags=["cases"], responses=AUTH_RESPONSES)

AsOf = Annotated[date | None, Query(description="decision date (default: the case's as_of); the service never reads the clock for it")]
NDJSON = "application/x-ndjson"
BATCH_CHUNK = 16
"""Cases decided per worker-thread hand-off in a batch (results are still written in input order)."""


def _decide(engine: Loaded, case: Case, as_of: date | None, basis: str | None) -> Decision:
    if as_of is None and case.as_of is None:
        raise InputError.one(REQUEST, None, "as_of", "an as_of date in the case or the as_of query parameter")
    # the ids were checked when the body was read (_case), located in the request: not again per decision
    return engine.engine.decide(case, as_of, disclosure_basis=basis, check_ids=False)


async def _case(request: Request, engine: Loaded, cfg: Settings) -> Case:
    case, src = parse_body(Case, await read_limited(request, cfg.max_body_bytes))
    require_case_ids(case, engine.engine.catalogs, src)  # a misspelled id is bad input, not a legal refusal
    return case


@router.post(
    "/decisions", response_model=Decision, summary="Decide a case (every question it asks)",
    openapi_extra=json_body(Case, "a case, as in a case file (docs/case-format.md)"),
)
async def decide(
    request: Request,
    caller: Annotated[Caller, Depends(require(Permission.decide))],
    engine: Annotated[Loaded, Depends(loaded)],
    cfg: Annotated[Settings, Depends(settings)],
    as_of: AsOf = None,
    disclosure_basis: DisclosureBasis = None,
) -> Response:
    basis = disclosure(caller, disclosure_basis)
    case = await _case(request, engine, cfg)
    decision = await run_in_threadpool(_decide, engine, case, as_of, basis)
    return masked_json(decision, basis)


@router.post(
    "/repair", response_model=Decision, summary="Credit repair: may this information be repaired, when, how, with what effect",
    openapi_extra=json_body(Case, "a case with a repair section (docs/repair.md); only the repair question is answered"),
)
async def repair(
    request: Request,
    caller: Annotated[Caller, Depends(require(Permission.repair))],
    engine: Annotated[Loaded, Depends(loaded)],
    cfg: Annotated[Settings, Depends(settings)],
    as_of: AsOf = None,
    disclosure_basis: DisclosureBasis = None,
) -> Response:
    basis = disclosure(caller, disclosure_basis)
    case = await _case(request, engine, cfg)
    if case.repair is None:
        raise InputError.one(REQUEST, None, "repair", "a repair section (information, tier, dates, conditions)")
    only = case.model_copy(update={"questions": [Question.repair]})
    decision = await run_in_threadpool(_decide, engine, only, as_of, basis)
    return masked_json(decision, basis)


def explain_decision(decision: Decision) -> Explanation:
    """Which rules and facts decided each answer: the rules whose effect applied or that stayed unknown."""
    questions: list[ExplainedQuestion] = []
    named: list[tuple[str, QuestionResult | RepairResult | MeasureResult]]
    named = [(q.question, q) for q in (decision.determination, decision.listing, decision.supervision) if q is not None]
    if decision.repair is not None:
        named.append(("repair", decision.repair))
    if decision.measures is not None:
        m = decision.measures
        named += [(f"measures:{r.measure}:{r.target}", r) for r in (*m.applied, *m.refused, *m.undetermined)]
    for name, result in named:
        decisive = [t for t in result.trace if t.status.value in ("failed", "unknown")]
        questions.append(ExplainedQuestion(
            question=name, outcome=result.outcome, decided_by=[Explanation.rule(t) for t in decisive],
            passed=[f"{t.rule} ({t.citation})" for t in result.trace if t.status.value == "passed"],
            missing=list(result.missing), unverified=list(result.unverified), definitions=list(result.definitions),
            consulted=len(result.trace),
        ))
    return Explanation(
        case_id=decision.case_id, as_of=decision.as_of, jurisdiction=decision.jurisdiction, ruleset_version=decision.ruleset_version,
        ruleset_hash=decision.ruleset_hash, catalogs_hash=decision.catalogs_hash, questions=questions,
    )


@router.post(
    "/decisions/explain", response_model=Explanation, summary="Explain a case's answers: the rules and facts that decided them",
    openapi_extra=json_body(Case, "a case, as for POST /decisions"),
)
async def explain(
    request: Request,
    caller: Annotated[Caller, Depends(require(Permission.explain))],
    engine: Annotated[Loaded, Depends(loaded)],
    cfg: Annotated[Settings, Depends(settings)],
    as_of: AsOf = None,
    disclosure_basis: DisclosureBasis = None,
) -> Response:
    basis = disclosure(caller, disclosure_basis)
    case = await _case(request, engine, cfg)
    decision = await run_in_threadpool(_decide, engine, case, as_of, basis)
    return masked_json(explain_decision(decision), basis)


# ------------------------------------------------------------------ batch


class DuplexResponse(StreamingResponse):
    """A streamed response whose body is made while the request body is still read.

    Starlette's StreamingResponse (under servers of ASGI spec < 2.4, uvicorn's included) listens for the
    client's disconnect by calling ``receive`` beside the stream, which would take the request body's
    messages from under the batch reader.  Here only the reader receives; a client that goes away is seen
    when a write fails (or the body ends early).
    """

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        try:
            await self.stream_response(send)
        except OSError:
            raise ClientDisconnect() from None


async def _lines(request: Request, limit: int) -> AsyncIterator[tuple[int, bytes | None]]:
    """(line number, raw line) of the body as it arrives; None for a line over *limit* (skipped, never held)."""
    buffer = bytearray()
    lineno = 0
    skipping = False
    async for chunk in request.stream():
        start = 0
        while True:
            end = chunk.find(b"\n", start)
            piece = chunk[start:] if end < 0 else chunk[start:end]
            if not skipping:
                buffer += piece
                if len(buffer) > limit:
                    skipping = True
                    buffer.clear()
            if end < 0:
                break
            lineno += 1
            yield lineno, (None if skipping else bytes(buffer))
            buffer.clear()
            skipping = False
            start = end + 1
    if skipping or buffer.strip():
        yield lineno + 1, (None if skipping else bytes(buffer))


def _decide_chunk(engine: Loaded, chunk: list[tuple[int, RawCase]], as_of: date | None, basis: str | None) -> list[str]:
    out = []
    for index, raw in chunk:
        out.append(masked_text(decide_one(engine.engine, index, raw, as_of, basis), basis) + "\n")
    return out


async def _batch(request: Request, engine: Loaded, cfg: Settings, as_of: date | None, basis: str | None) -> AsyncIterator[str]:
    limits = current_limits()
    chunk: list[tuple[int, RawCase]] = []
    index = 0
    async for lineno, raw in _lines(request, cfg.max_body_bytes):
        if raw is not None and not raw.strip():
            continue
        if index >= cfg.max_batch_lines:
            error = Problem(REQUEST, lineno, "(batch)", f"at most {cfg.max_batch_lines} cases per request (serve --max-batch-lines)", "more")
            chunk.append((index, RawCase(None, REQUEST, lineno, error.render())))
            break
        if raw is None:
            expected = f"a line of at most {cfg.max_body_bytes} bytes (limit {env_name('max_file_bytes')})"
            chunk.append((index, RawCase(None, REQUEST, lineno, Problem(REQUEST, lineno, "(file)", expected, "a longer line").render())))
        else:
            chunk.append((index, parse_jsonl_line(raw, REQUEST, lineno, limits)))
        index += 1
        if len(chunk) >= BATCH_CHUNK:
            for line in await run_in_threadpool(_decide_chunk, engine, chunk, as_of, basis):
                yield line
            chunk = []
    if chunk:
        for line in await run_in_threadpool(_decide_chunk, engine, chunk, as_of, basis):
            yield line


@router.post(
    "/decisions/batch",
    summary="Decide many cases: NDJSON in (one case per line), NDJSON out (one BatchItem per line, in input order), streamed",
    response_class=DuplexResponse,
    responses={200: {"description": "one BatchItem per non-blank input line, in order; a bad line gives ok=false and its located error",
                     "content": {NDJSON: ndjson_items(BatchItem)}}},
    openapi_extra=ndjson_body(Case, "one case per line, as JSON"),
)
async def decide_batch(
    request: Request,
    caller: Annotated[Caller, Depends(require(Permission.decide))],
    engine: Annotated[Loaded, Depends(loaded)],
    cfg: Annotated[Settings, Depends(settings)],
    as_of: AsOf = None,
    disclosure_basis: DisclosureBasis = None,
) -> DuplexResponse:
    basis = disclosure(caller, disclosure_basis)
    return DuplexResponse(_batch(request, engine, cfg, as_of, basis), media_type=NDJSON)
