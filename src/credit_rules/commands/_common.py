"""Helpers shared by the command modules."""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path


def iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a date YYYY-MM-DD, got {text!r}") from None


def catalogs_arg(text: str) -> Path:
    """A ``--catalogs`` value: a directory or the word ``shipped``; never empty (that would load the working directory)."""
    from ..shipped import catalogs_path

    if not text.strip():
        raise argparse.ArgumentTypeError("expected a catalog directory or 'shipped', got an empty value")
    return catalogs_path(text)


def rules_arg(text: str) -> Path:
    """A ``--rules`` value: a directory or the word ``shipped``; never empty."""
    from ..shipped import rules_path

    if not text.strip():
        raise argparse.ArgumentTypeError("expected a rule directory or 'shipped', got an empty value")
    return rules_path(text)
