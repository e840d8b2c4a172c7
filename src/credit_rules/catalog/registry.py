"""The registry of catalog kinds.

A catalog kind is a name (``listing_standards``, ``measure_lists`` …) and the
pydantic model of its entries.  The built-in kinds register in
:mod:`.schema`; every module under :mod:`credit_rules.catalog.kinds`
registers its own on import, so a new kind never edits a shared file.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from typing import Any

from pydantic import BaseModel

from ..errors import Problem

_KINDS: dict[str, type[BaseModel]] = {}
_CHECKS: list[Callable[[Any], list[Problem]]] = []
_DISCOVERED = False


def register_cross_check(check: Callable[[Any], list[Problem]]) -> Callable[[Any], list[Problem]]:
    """Register a load-time check over all loaded catalogs (a ``Catalogs``); usable as a decorator."""
    _CHECKS.append(check)
    return check


def cross_checks() -> list[Callable[[Any], list[Problem]]]:
    catalog_kinds()
    return list(_CHECKS)


def register_catalog_kind(name: str, model: type[BaseModel]) -> None:
    existing = _KINDS.get(name)
    if existing is not None and existing is not model:
        raise ValueError(f"catalog kind {name!r} registered twice")
    _KINDS[str(name)] = model


def catalog_kinds() -> dict[str, type[BaseModel]]:
    """Every registered kind, after importing the modules in ``catalog.kinds``."""
    global _DISCOVERED
    if not _DISCOVERED:
        _DISCOVERED = True
        from . import kinds

        for info in pkgutil.iter_modules(kinds.__path__):
            importlib.import_module(f"{kinds.__name__}.{info.name}")
    return dict(_KINDS)
