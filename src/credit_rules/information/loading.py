"""Reading information requests from YAML or JSON files, with located errors."""

from __future__ import annotations

from pathlib import Path

from ..validation import validate
from ..yamlsource import Located, load_file, load_text
from .model import InformationRequest


def load_request(path: Path | str) -> tuple[InformationRequest, Located]:
    """One request file and its located source (to place later errors on their line)."""
    src = load_file(path)
    return validate(InformationRequest, src), src


def parse_request(text: str, name: str = "(request)") -> InformationRequest:
    return validate(InformationRequest, load_text(text, name))
