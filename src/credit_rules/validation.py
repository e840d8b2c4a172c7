"""Turn pydantic validation errors into located input errors."""

from __future__ import annotations

import difflib
import re
import types
import typing
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


def _expected(err: ErrorDetails, model: type[BaseModel] | None) -> str:
    kind = err["type"]
    if kind == "model_type":
        name = (err.get("ctx") or {}).get("class_name")
        return f"{_a(str(name))}: a mapping (key: value pairs) of its fields" if name else "a mapping (key: value pairs)"
    if kind in ("dict_type", "mapping_type", "model_attributes_type", "dataclass_type"):
        return "a mapping (key: value pairs)"
    expected = _EXPECTED.get(kind, err["msg"])
    loc = tuple(p for p in err["loc"] if isinstance(p, (str, int)))
    if kind == "extra_forbidden" and loc and isinstance(loc[-1], str):
        return expected + _did_you_mean(loc[-1], _fields_at(model, loc[:-1]))
    if kind in ("enum", "literal_error") and isinstance(err.get("input"), str):
        return expected + _did_you_mean(err["input"], tuple(_QUOTED.findall(str((err.get("ctx") or {}).get("expected", "")))))
    return expected


_QUOTED = re.compile(r"'([^']*)'")


def _did_you_mean(given: str, known: tuple[str, ...]) -> str:
    """`` (did you mean 'x'?)`` for the known name closest to *given*, or nothing when none is close."""
    close = difflib.get_close_matches(given, known, n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


def _fields_at(model: type[BaseModel] | None, path: tuple[str | int, ...]) -> tuple[str, ...]:
    """The field names (and aliases) the model accepts at *path* — the mapping an unknown key was found in — or ()
    where the path leaves the models (a free-form mapping, a union of several models)."""
    current: Any = model
    for part in path:
        current = _inner(current, part)
        if current is None:
            return ()
    if not (isinstance(current, type) and issubclass(current, BaseModel)):
        return ()
    names = [name for name in current.model_fields]
    names += [f.alias for f in current.model_fields.values() if f.alias]
    return tuple(names)


def _inner(tp: Any, part: str | int) -> Any:
    """The type found one step down *tp* at *part*: a model's field, a list's item, a mapping's value."""
    tp = _one_model_or_type(tp)
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        if not isinstance(part, str):
            return None
        field = tp.model_fields.get(part) or next((f for f in tp.model_fields.values() if f.alias == part), None)
        return _one_model_or_type(field.annotation) if field is not None else None
    origin, args = typing.get_origin(tp), typing.get_args(tp)
    if origin in (list, tuple, set, frozenset) and args and isinstance(part, int):
        return _one_model_or_type(args[0])
    if origin is dict and len(args) == 2:
        return _one_model_or_type(args[1])
    return None


def _one_model_or_type(tp: Any) -> Any:
    """*tp* without ``Annotated`` and ``Optional``; of a union, its one model if it has exactly one, else None."""
    while typing.get_origin(tp) is typing.Annotated:
        tp = typing.get_args(tp)[0]
    if typing.get_origin(tp) in (typing.Union, types.UnionType):
        members = [a for a in typing.get_args(tp) if a is not type(None)]
        if len(members) == 1:
            return _one_model_or_type(members[0])
        models = [m for m in members if isinstance(m, type) and issubclass(m, BaseModel)]
        return models[0] if len(models) == 1 else None
    return tp


def problems_from(
    exc: ValidationError, src: Located, prefix: tuple[str | int, ...] = (), model: type[BaseModel] | None = None
) -> list[Problem]:
    """Located problems for a pydantic error; a value of the wrong shape is named by its type, never quoted.

    With the *model* that was validated, an unknown field or an enumeration value misspelled gets a did-you-mean
    (the closest field of the mapping it was found in, the closest allowed value)."""
    out: list[Problem] = []
    for err in exc.errors(include_url=False):
        loc = tuple(p for p in err["loc"] if isinstance(p, (str, int)))
        # drop pydantic's tagged-union / function markers, which are not input paths
        path = prefix + tuple(p for p in loc if not (isinstance(p, str) and p.startswith("function-")))
        out.append(Problem(src.file, src.line_of(path), dotted(path), _expected(err, model), _got(err)))
    return out


def validate(model: type[M], src: Located, data: Any = None, prefix: tuple[str | int, ...] = ()) -> M:
    """Validate *data* (default: the whole document) against *model*, locating errors."""
    payload = src.data if data is None else data
    try:
        return model.model_validate(payload)
    except ValidationError as exc:
        raise InputError(problems_from(exc, src, prefix, model)) from None
