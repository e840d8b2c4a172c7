"""RFC 9457 problem documents: every error the service returns, and never a stack trace.

Bad input gets 422 with the same located problems the command line prints (file, line, field, expected,
got), so a caller in Java or .NET reads the same message a clerk reads at the terminal.  Every text a
problem document holds is masked (a rejected resident ID is still a resident ID), as the CLI masks stderr: the
``detail``, the request path in ``instance``, and each problem's file, field, expected, got and message.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from ..errors import InputError, Problem
from ..masking import scrub_text
from .models import ProblemDocument, ProblemEntry

MEDIA_TYPE = "application/problem+json"
TYPE_BASE = "https://credit-rules.invalid/problems/"
"""Problem ``type`` URIs: stable identifiers (not fetched), one per kind of problem."""

log = logging.getLogger("credit_rules.service")


class ServiceError(Exception):
    """An error answered as a problem document with *status*."""

    def __init__(self, status: int, kind: str, title: str, detail: str, problems: Sequence[Problem] = (), **extra: object) -> None:
        super().__init__(detail)
        self.status, self.kind, self.title, self.detail = status, kind, title, detail
        self.problems = list(problems)
        self.extra = extra


def entries(problems: Sequence[Problem]) -> list[ProblemEntry]:
    """Every text of every problem masked: a field can be an unknown key that is a resident ID, a file a path."""
    out = []
    for p in problems:
        masked = Problem(
            scrub_text(p.file), p.line, scrub_text(p.field), scrub_text(p.expected), scrub_text(p.got) if p.got is not None else None
        )
        out.append(
            ProblemEntry(file=masked.file, line=p.line, field=masked.field, expected=masked.expected, got=masked.got, message=scrub_text(masked.render()))
        )
    return out


def masked_path(path: str | None) -> str | None:
    """A request path as a problem document's ``instance`` or a log line shows it (``/decisions/110*************14``)."""
    return scrub_text(path) if path is not None else None


def problem_response(
    status: int, kind: str, title: str, detail: str, instance: str | None, problems: Sequence[Problem] = (), **extra: object
) -> JSONResponse:
    doc = ProblemDocument(
        type=TYPE_BASE + kind, title=title, status=status, detail=scrub_text(detail), instance=masked_path(instance), problems=entries(problems), **extra
    )
    headers = {"WWW-Authenticate": 'Bearer realm="credit-rules"'} if status == 401 else None
    return JSONResponse(doc.model_dump(mode="json"), status_code=status, media_type=MEDIA_TYPE, headers=headers)


def input_problem(exc: InputError, instance: str | None) -> JSONResponse:
    n = len(exc.problems)
    detail = exc.problems[0].render() if n == 1 else f"{n} problems in the input; the first: {exc.problems[0].render()}" if n else "bad input"
    return problem_response(422, "bad-input", "Unprocessable input", detail, instance, exc.problems)


def install(app: FastAPI) -> None:
    """Answer every error as a problem document."""

    @app.exception_handler(ServiceError)
    async def _service(request: Request, exc: ServiceError) -> JSONResponse:
        return problem_response(exc.status, exc.kind, exc.title, exc.detail, request.url.path, exc.problems, **exc.extra)

    @app.exception_handler(InputError)
    async def _input(request: Request, exc: InputError) -> JSONResponse:
        return input_problem(exc, request.url.path)

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> JSONResponse:
        # query and path parameters (the bodies are parsed by the CLI's own reader, see bodies.py)
        problems = []
        for err in exc.errors():
            loc = [str(p) for p in err.get("loc", ())]
            where, name = (loc[0], ".".join(loc[1:])) if len(loc) > 1 else ("(request)", ".".join(loc))
            value = err.get("input")
            got = None if isinstance(value, (dict, list)) or value is None else repr(value)
            problems.append(Problem(f"({where})", None, name or "(request)", str(err.get("msg", "a valid value")), got))
        return input_problem(InputError(problems), request.url.path)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        title = {404: "Not found", 405: "Method not allowed"}.get(exc.status_code, "HTTP error")
        return problem_response(exc.status_code, f"http-{exc.status_code}", title, str(exc.detail), request.url.path)

    @app.exception_handler(RecursionError)
    async def _deep(request: Request, exc: RecursionError) -> JSONResponse:
        return input_problem(InputError.one("(request)", None, "(document)", "input nested less deeply", "nesting too deep to process"), request.url.path)

    @app.exception_handler(OverflowError)
    async def _overflow(request: Request, exc: OverflowError) -> JSONResponse:
        return input_problem(
            InputError.one("(request)", None, "(dates)", "dates whose periods end by 9999-12-31", f"a date out of range ({exc})"), request.url.path
        )

    @app.exception_handler(ArithmeticError)
    async def _arith(request: Request, exc: ArithmeticError) -> JSONResponse:
        return input_problem(InputError.one("(request)", None, "(value)", "amounts small enough to compute with", type(exc).__name__), request.url.path)

    @app.exception_handler(Exception)
    async def _bug(request: Request, exc: Exception) -> JSONResponse:
        # a bug: logged with its type only (the message may repeat input), answered without a trace
        log.error("internal error %s on %s", type(exc).__name__, masked_path(request.url.path))
        return problem_response(500, "internal", "Internal error", "the service could not answer; the error was logged", request.url.path)
