"""Legal constants as dated parameters: the ``parameters`` catalog kind.

Why: a threshold, a deadline or a list of accepted legal forms that appears in
several rules must be written once, with the paragraph that sets it, and an
amendment must be one dated line — as OpenFisca keeps its parameters.  Rules
and definitions read a parameter by name, ``param(age_of_majority, at: act.date)``,
and the trace shows which value was read, from which date, on which source.

Each parameter has a declared type (the rule language's types) and a list of
values, each in force from its ``from`` date until the next one.  A local
layer (``catalogs/<province>/<city>/parameters.yaml``) may give a parameter of
its own, read only by cases of that locality; a local layer cannot redefine a
national parameter (a local exception to national law is written as a
definition with ``exception_to``, where its scope is visible).
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, model_validator

from ...errors import Problem
from ...model.legal import maintainer_notes
from ...ruleset.evaluate import ParamRead
from ...ruleset.expr import Duration, Type
from ..registry import register_catalog_kind, register_cross_check

PARAMETERS = "parameters"


class ParameterValue(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    valid_from: date = Field(alias="from", description="first day this value is in force")
    value: Any = Field(description="the value, in the parameter's type: 18, 0.10, 2021-12-31, '60 days', [law, admin_regulation]")
    source: str = Field(min_length=2, description="the paragraph that sets the value, e.g. 行政复议法(2023修订) 第二十条第一款")
    verified: bool = Field(True, description="false: the value or its source is unconfirmed; a decision resting on it says so")
    notes: list[str] = maintainer_notes()


class Parameter(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    type: str = Field(description="bool, int, decimal, date, str, duration[days|months|years|working_days], enum[name], set[name]")
    name_zh: str
    name_en: str
    values: list[ParameterValue] = Field(min_length=1)
    notes: list[str] = maintainer_notes()

    @model_validator(mode="after")
    def _sorted_and_typed(self) -> Parameter:
        from ...ruleset.checker import parse_type

        dates = [v.valid_from for v in self.values]
        if dates != sorted(dates) or len(set(dates)) != len(dates):
            raise ValueError("values must be in order of their 'from' dates, each date once")
        t = parse_type(self.type)
        for v in self.values:
            coerce(v.value, t)
        return self

    def declared_type(self) -> Type:
        from ...ruleset.checker import parse_type

        return parse_type(self.type)


def coerce(raw: object, t: Type) -> object:
    """A YAML value as the rule language holds it; ValueError naming what was expected."""
    kind = t.kind
    if kind == "bool" and isinstance(raw, bool):
        return raw
    if kind == "int" and isinstance(raw, int) and not isinstance(raw, bool):
        return raw
    if kind == "decimal" and isinstance(raw, (int, float, str)) and not isinstance(raw, bool):
        try:
            return Decimal(str(raw))
        except InvalidOperation:
            pass
    if kind == "date" and isinstance(raw, date) and not isinstance(raw, datetime):
        return raw
    if kind == "str" and isinstance(raw, str):
        return raw
    if kind == "duration" and isinstance(raw, str):
        parts = raw.split()
        if len(parts) == 2 and parts[0].isdigit() and parts[1] == t.unit:
            return Duration(int(parts[0]), parts[1])
    if kind == "enum" and isinstance(raw, str) and raw in t.values:
        return raw
    if kind == "set" and isinstance(raw, list) and raw and all(isinstance(v, str) and v in t.values for v in raw):
        return frozenset(raw)
    if kind == "set":
        raise ValueError(f"a non-empty list of values from {list(t.values)}, got {raw!r}")
    if kind == "duration":
        raise ValueError(f"a duration such as '6 {t.unit}', got {raw!r}")
    raise ValueError(f"a {t} value, got {raw!r}")


@dataclass(frozen=True)
class _Series:
    param: Parameter
    type: Type
    dates: tuple[date, ...]
    values: tuple[object, ...]


class Parameters:
    """Every parameter of the loaded catalogs, looked up by name, date and jurisdiction.

    ``value(name, on)`` gives the value in force on *on* and the trace record of
    the read, or None when the parameter has no value then (before its first
    date, or a local parameter asked outside its locality).  Immutable after
    construction; the same object serves every decision.
    """

    def __init__(self, layers: Mapping[str, Iterable[Parameter]]) -> None:
        self._layers: dict[str, dict[str, _Series]] = {}
        for code, params in layers.items():
            table = self._layers.setdefault(code, {})
            for p in params:
                t = p.declared_type()
                table[p.id] = _Series(p, t, tuple(v.valid_from for v in p.values), tuple(coerce(v.value, t) for v in p.values))

    def types(self) -> dict[str, Type]:
        """Every parameter's declared type, for checking expressions at load time."""
        return {name: s.type for table in self._layers.values() for name, s in table.items()}

    def layers(self) -> list[str]:
        """The jurisdiction codes that give parameters."""
        return sorted(self._layers)

    def series(self, name: str) -> dict[str, tuple[tuple[date, ...], tuple[object, ...]]]:
        """Parameter *name*'s dated values in each layer that gives it (code -> (from dates, values)): for the
        columnar evaluator, which looks a parameter up for a whole column of dates at once."""
        return {code: (table[name].dates, table[name].values) for code, table in self._layers.items() if name in table}

    def for_jurisdiction(self, chain: tuple[str, ...]) -> ParameterView:
        """The parameters a case of the jurisdiction *chain* (national first) may read."""
        return ParameterView(self, chain)

    def lookup(self, name: str, on: date, chain: tuple[str, ...]) -> tuple[object, ParamRead] | None:
        for code in reversed(chain):
            series = self._layers.get(code, {}).get(name)
            if series is None:
                continue
            i = bisect.bisect_right(series.dates, on) - 1
            if i < 0:
                return None
            v = series.param.values[i]
            return series.values[i], ParamRead(name, series.values[i], v.source, v.valid_from, on, v.verified)
        return None


@dataclass(frozen=True)
class ParameterView:
    """Parameters seen from one jurisdiction (a local value shadows nothing national: ids are unique)."""

    params: Parameters
    chain: tuple[str, ...]

    def value(self, name: str, on: date) -> tuple[object, ParamRead] | None:
        return self.params.lookup(name, on, self.chain)


register_catalog_kind(PARAMETERS, Parameter)


@register_cross_check
def _no_local_shadowing(cats: Any) -> list[Problem]:
    """A local layer may give parameters of its own (each city its own local deadline), but never one the
    national layer gives: a local departure from national law is an exception in rules/, where its scope shows."""
    national: set[str] = set()
    local: list[tuple[Any, Parameter]] = []
    for f in cats.files:
        if f.envelope.kind != PARAMETERS:
            continue
        for e in f.entries:
            if isinstance(e, Parameter):
                if f.envelope.jurisdiction == "000000":
                    national.add(e.id)
                else:
                    local.append((f, e))
    return [
        Problem(f.file, None, f"entries.{e.id}", "a local parameter id the national layer does not give (write a local exception in rules/ instead)", e.id)
        for f, e in local
        if e.id in national
    ]


def parameters_of(cats: Any) -> Parameters:
    """The :class:`Parameters` of loaded catalogs (every ``parameters`` file, by jurisdiction)."""
    layers: dict[str, list[Parameter]] = {}
    for f in cats.files:
        if f.envelope.kind == PARAMETERS:
            layers.setdefault(f.envelope.jurisdiction, []).extend(e for e in f.entries if isinstance(e, Parameter))
    return Parameters(layers)


__all__ = ["PARAMETERS", "Parameter", "ParameterValue", "ParameterView", "Parameters", "coerce", "parameters_of"]
