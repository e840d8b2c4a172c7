"""What the service loads and the limits it keeps, in one frozen value.

With ``--workers N`` uvicorn starts N processes that import the app by name, so the settings travel to them
as JSON in one environment variable (:data:`ENV`); a single process gets them directly.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path

from ..limits import current

ENV = "CREDIT_RULES_SERVE_SETTINGS"
"""Environment variable carrying the settings to worker processes (paths and numbers only: never a secret)."""

DEFAULT_MAX_BATCH_LINES = 10_000
"""Cases in one NDJSON batch request; more is refused (413) so one caller cannot hold a worker for hours."""


@dataclass(frozen=True)
class Settings:
    """Catalog and rule directories, the key file, the query register and the request limits."""

    catalogs: tuple[str, ...] = ()
    """Catalog directories, layered in order (empty: the shipped catalogs)."""
    rules: str | None = None
    """Rule directory (none: the shipped rules)."""
    backend: str = "python"
    keys: str | None = None
    """The API key file (docs/service.md); none: every endpoint but health, version and the docs refuses (401)."""
    register: str | None = None
    """The query register (SQLite, created when missing); none: query requests are refused (503), since an
    unregistered query is not allowed (49号(十三))."""
    register_key_file: str | None = None
    """The register's MAC key file (default: ``CREDIT_RULES_REGISTER_KEY``), as ``audit query --key-file``."""
    witness: str | None = None
    """The register's witness file (default: ``CREDIT_RULES_REGISTER_WITNESS``)."""
    max_body_bytes: int = field(default_factory=lambda: current().max_file_bytes)
    """Largest single request body, and largest line of a batch: the CLI's file-size limit."""
    max_batch_lines: int = DEFAULT_MAX_BATCH_LINES
    signals: bool = True
    """Reload on SIGHUP (single process; uvicorn's supervisor restarts workers on SIGHUP itself)."""

    def to_env(self) -> str:
        return json.dumps(asdict(self), sort_keys=True)

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> Settings:
        raw = (environ if environ is not None else dict(os.environ)).get(ENV)
        if not raw:
            return cls()
        data = json.loads(raw)
        data["catalogs"] = tuple(data.get("catalogs") or ())
        return cls(**data)

    def catalog_paths(self) -> list[Path] | None:
        return [Path(c) for c in self.catalogs] or None
