"""Names a package imports on first use (PEP 562), shared by :mod:`credit_rules` and :mod:`credit_rules.information`.

Why: ``import credit_rules`` (and a ``credit-rules`` command) should load only the modules it needs — pydantic
model building for every catalog kind is most of a cold start — so a package's public names are looked up in a
table of name → submodule and imported when first read.  One function, so the packages that do this cannot drift
apart (the error message, caching the name in the module, ``dir()``).  It imports nothing itself.
"""

import importlib
from collections.abc import Callable, Mapping
from typing import Any


def lazy_names(package: str, table: Mapping[str, str], namespace: dict[str, Any]) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """The module-level ``__getattr__`` and ``__dir__`` of *package*, whose globals are *namespace*.

    ``__getattr__(name)`` imports ``<package>.<table[name]>``, stores the name in *namespace* (so the next read
    is a plain global) and returns it; a name not in *table* raises AttributeError as a module does."""

    def __getattr__(name: str) -> Any:
        module = table.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(f"{package}.{module}"), name)
        namespace[name] = value
        return value

    def __dir__() -> list[str]:
        return sorted([*namespace, *table])

    return __getattr__, __dir__


__all__ = ["lazy_names"]
