"""Where the shipped catalogs and rules live.

In a wheel they are packaged under ``credit_rules/_shipped``; in a source
checkout (editable install, or tests run from the tree) they are the
top-level ``catalogs/`` and ``rules/`` directories.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGED = Path(__file__).parent / "_shipped"
_CHECKOUT = Path(__file__).resolve().parents[2]


def _find(name: str) -> Path:
    for candidate in (_PACKAGED / name, _CHECKOUT / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"shipped {name}/ directory not found (looked in {_PACKAGED} and {_CHECKOUT})")


def shipped_catalogs_dir() -> Path:
    return _find("catalogs")


def shipped_rules_dir() -> Path:
    return _find("rules")


SHIPPED = "shipped"
"""The word that names the shipped catalogs or rules wherever a directory is asked for (CLI and Python API)."""


def catalogs_path(value: Path | str) -> Path:
    """A catalog directory, or :data:`SHIPPED` for the shipped catalogs."""
    return shipped_catalogs_dir() if str(value) == SHIPPED else Path(value)


def rules_path(value: Path | str) -> Path:
    """A rule directory, or :data:`SHIPPED` for the shipped rules."""
    return shipped_rules_dir() if str(value) == SHIPPED else Path(value)
