"""Reading cases from YAML or JSON files, with located errors."""

from __future__ import annotations

from pathlib import Path

from .model.case import Case
from .validation import validate
from .yamlsource import load_file, load_text


def load_case(path: Path | str) -> Case:
    """Load one case file (YAML, or JSON, which is YAML); errors name file, line, field."""
    src = load_file(path)
    return validate(Case, src)


def parse_case(text: str, name: str = "(case)") -> Case:
    return validate(Case, load_text(text, name))
