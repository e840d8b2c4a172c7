"""The engine the service answers with, loaded once and replaced whole on reload.

A request takes the current engine once, at its start, and uses that object to the end; a reload builds a
new engine beside it (catalogs, rules and every check, as at start) and then swaps one reference.  So no
request is dropped or sees half of two editions, and a new catalog edition that does not load leaves the
old engine answering (the reload reports the located problems instead).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

from .. import __version__
from ..engine.decide import Engine
from .models import CatalogEdition, Version
from .settings import Settings


@dataclass(frozen=True)
class Loaded:
    engine: Engine
    generation: int
    version: Version


def _load(settings: Settings, generation: int) -> Loaded:
    engine = Engine.load(settings.catalog_paths(), settings.rules, backend=settings.backend)
    editions = [
        CatalogEdition(
            kind=f.envelope.kind, jurisdiction=f.envelope.jurisdiction, edition=f.envelope.edition,
            effective_from=f.envelope.effective_from, effective_to=f.envelope.effective_to, file=f.file,
        )
        for f in engine.catalogs.files
    ]
    version = Version(
        package_version=__version__, ruleset=engine.ruleset.name, ruleset_version=engine.ruleset.version,
        ruleset_hash=engine.ruleset.content_hash, catalogs_hash=engine.catalogs.content_hash, backend=engine.backend.name,
        catalog_editions=sorted(editions, key=lambda e: (e.kind, e.jurisdiction, e.effective_from, e.edition, e.file)),
        generation=generation,
    )
    return Loaded(engine, generation, version)


class EngineHolder:
    """The current :class:`Loaded` engine; :meth:`reload` replaces it atomically."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._lock = threading.Lock()
        self._current = _load(settings, 1)

    @property
    def current(self) -> Loaded:
        return self._current

    def reload(self) -> Loaded:
        """Load the directories again; raises InputError (and keeps the old engine) when they do not load."""
        with self._lock:  # one reload at a time; requests keep reading the old engine meanwhile
            fresh = _load(self.settings, self._current.generation + 1)
            self._current = fresh
            return fresh
