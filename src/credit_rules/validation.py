"""Turn pydantic validation errors into located input errors."""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from .errors import InputError, Problem
from .yamlsource import Located, dotted

M = TypeVar("M", bound=BaseModel)

_EXPECTED = {
    "missing": "a value (the field is required)",
    "extra_forbidden": "no such field (unknown field; check the spelling)",
}


def problems_from(exc: ValidationError, src: Located, prefix: tuple[str | int, ...] = ()) -> list[Problem]:
    out: list[Problem] = []
    for err in exc.errors(include_url=False):
        loc = tuple(p for p in err["loc"] if isinstance(p, (str, int)))
        # drop pydantic's tagged-union / function markers, which are not input paths
        path = prefix + tuple(p for p in loc if not (isinstance(p, str) and p.startswith("function-")))
        expected = _EXPECTED.get(err["type"], err["msg"])
        got: str | None = None
        if err["type"] not in ("missing",):
            value: Any = err.get("input")
            if not isinstance(value, (dict, list)):
                got = repr(value)
        out.append(Problem(src.file, src.line_of(path), dotted(path), expected, got))
    return out


def validate(model: type[M], src: Located, data: Any = None, prefix: tuple[str | int, ...] = ()) -> M:
    """Validate *data* (default: the whole document) against *model*, locating errors."""
    payload = src.data if data is None else data
    try:
        return model.model_validate(payload)
    except ValidationError as exc:
        raise InputError(problems_from(exc, src, prefix)) from None
