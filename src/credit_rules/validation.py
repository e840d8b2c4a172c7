"""Turn pydantic validation errors into located input errors."""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from .errors import InputError, Problem
from .yamlsource import Located, dotted

M = TypeVar("M", bound=BaseModel)

_EXPECTED = {
    "missing": "a value (the field is required)",
    "extra_forbidden": "no such field (unknown field; check the spelling)",
}


_SHAPE = frozenset({
    "model_type", "model_attributes_type", "dict_type", "mapping_type", "dataclass_type",
    "list_type", "tuple_type", "set_type", "frozen_set_type", "iterable_type",
})
"""Errors that say the value has the wrong *shape* (a mapping or list expected): the value is reported by its type.

A file that is not a case (``/etc/passwd``, a private key, a note with a name and a phone number) parses as one
long string; the error must say "got a str", never quote it."""

_CONTAINERS = (dict, list, tuple, set, frozenset)


def kind_of(value: Any) -> str:
    """How a value is named in an error without showing it: ``a str``, ``a list``, ``nothing (an empty document)``."""
    if value is None:
        return "nothing (an empty value)"
    return _a(type(value).__name__)


def _a(name: str) -> str:
    return f"an {name}" if name[:1].lower() in "aeiou" else f"a {name}"


def _got(err: ErrorDetails) -> str | None:
    """What an error says it got: never the content of a document that is not the expected shape."""
    kind = err["type"]
    if kind == "missing":
        return None
    value: Any = err.get("input")
    if kind in _SHAPE:
        return kind_of(value)
    if kind == "extra_forbidden":
        return None  # an unknown field's value is not needed to fix it, and the file may be anything
    if isinstance(value, (dict, list)):
        return None
    if isinstance(value, _CONTAINERS):
        return kind_of(value)  # pydantic's {'a', 'b'} would list a set's members
    return repr(value)


def _expected(err: ErrorDetails) -> str:
    kind = err["type"]
    if kind == "model_type":
        name = (err.get("ctx") or {}).get("class_name")
        return f"{_a(str(name))}: a mapping (key: value pairs) of its fields" if name else "a mapping (key: value pairs)"
    if kind in ("dict_type", "mapping_type", "model_attributes_type", "dataclass_type"):
        return "a mapping (key: value pairs)"
    return _EXPECTED.get(kind, err["msg"])


def problems_from(exc: ValidationError, src: Located, prefix: tuple[str | int, ...] = ()) -> list[Problem]:
    """Located problems for a pydantic error; a value of the wrong shape is named by its type, never quoted."""
    out: list[Problem] = []
    for err in exc.errors(include_url=False):
        loc = tuple(p for p in err["loc"] if isinstance(p, (str, int)))
        # drop pydantic's tagged-union / function markers, which are not input paths
        path = prefix + tuple(p for p in loc if not (isinstance(p, str) and p.startswith("function-")))
        out.append(Problem(src.file, src.line_of(path), dotted(path), _expected(err), _got(err)))
    return out


def validate(model: type[M], src: Located, data: Any = None, prefix: tuple[str | int, ...] = ()) -> M:
    """Validate *data* (default: the whole document) against *model*, locating errors."""
    payload = src.data if data is None else data
    try:
        return model.model_validate(payload)
    except ValidationError as exc:
        raise InputError(problems_from(exc, src, prefix)) from None
