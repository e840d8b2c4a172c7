"""Loading catalog trees and answering "what was in force on this date, here?"."""

from __future__ import annotations

import functools

import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from ..errors import InputError, Problem
from ..model.decision import EditionRef
from ..model.legal import LegalBasis
from ..safefiles import walk
from ..validation import problems_from, validate
from ..yamlsource import Located, load_file
from .registry import cross_checks
from .schema import CatalogKind, Domain, Envelope, Jurisdiction, ListingStandard

E = TypeVar("E", bound=BaseModel)

NATIONAL = "000000"
CALENDAR_KIND = "working_day_calendar"


@dataclass(frozen=True)
class CatalogFile:
    """One edition of one catalog for one jurisdiction."""

    envelope: Envelope
    entries: tuple[BaseModel, ...]
    file: str
    lines: tuple[int | None, ...]

    @property
    def source_verified(self) -> bool | None:
        """Whether this edition's content is confirmed against its source (its header's ``source.verified``); None
        where the header gives no source."""
        return self.envelope.source.verified if self.envelope.source is not None else None

    def in_force(self, on: date) -> bool:
        env = self.envelope
        return env.effective_from <= on and (env.effective_to is None or on <= env.effective_to)

    def ref(self) -> EditionRef:
        env = self.envelope
        return EditionRef(kind=env.kind, jurisdiction=env.jurisdiction, edition=env.edition, file=self.file)


def jurisdiction_chain(code: str) -> tuple[str, ...]:
    """National → province → city → county codes for a GB/T 2260 code."""
    chain = [NATIONAL]
    for candidate in (code[:2] + "0000", code[:4] + "00", code):
        if candidate != NATIONAL and candidate not in chain:
            chain.append(candidate)
    return tuple(chain)


@dataclass(frozen=True)
class Catalogs:
    """Every catalog edition loaded from a tree, indexed by kind and jurisdiction.

    Immutable once loaded (a tuple of files, a frozen object), so anything computed from it — the indexes
    below, the engine's lookup caches — stays valid for as long as the object lives, with no identity or
    length checks.
    """

    files: tuple[CatalogFile, ...] = ()
    calendar_files: tuple[Path, ...] = ()
    root: str = ""
    content_hash: str = ""
    """sha256 over every loaded file's layer, path in its root and parsed content: what a decision can cite
    to say which catalogs it used (two trees with the same content get the same hash, wherever they lie)."""

    @functools.cached_property
    def _by_kind_and_layer(self) -> dict[tuple[str, str], list[CatalogFile]]:
        index: dict[tuple[str, str], list[CatalogFile]] = {}
        for f in self.files:
            index.setdefault((f.envelope.kind, f.envelope.jurisdiction), []).append(f)
        return index

    def editions(self, kind: str, jurisdiction: str) -> list[CatalogFile]:
        return list(self._by_kind_and_layer.get((kind, jurisdiction), ()))

    def in_force(self, kind: str, jurisdiction: str, on: date) -> CatalogFile | None:
        for f in self.editions(kind, jurisdiction):
            if f.in_force(on):
                return f
        return None

    def layered(self, kind: str, code: str, on: date) -> list[CatalogFile]:
        """The edition in force for each layer of *code*, national first."""
        out = []
        for layer in jurisdiction_chain(code):
            f = self.in_force(kind, layer, on)
            if f is not None:
                out.append(f)
        return out

    def entries(self, kind: str, code: str, on: date, model: type[E]) -> list[E]:
        return [e for f in self.layered(kind, code, on) for e in f.entries if isinstance(e, model)]

    def legal_basis(self, ident: str, on: date) -> LegalBasis | None:
        """The legal basis *ident* from the catalog edition in force on *on*, else from any edition.

        Legal bases are reference data shared by every jurisdiction: a standard
        resting on a repealed document must still find it, to say so.
        """
        hit = self.legal_basis_entry(ident, on)
        return hit[1] if hit is not None else None

    def legal_basis_entry(self, ident: str, on: date) -> tuple[CatalogFile, LegalBasis] | None:
        """The legal basis *ident* with the catalog file holding it, chosen as :meth:`legal_basis` chooses (where a
        basis binds is its file's jurisdiction)."""
        found = None
        for file, basis in self._basis_index().get(ident, ()):
            if file.in_force(on):
                return file, basis
            found = found or (file, basis)
        return found

    def _basis_index(self) -> dict[str, list[tuple[CatalogFile, LegalBasis]]]:
        return self._bases

    @functools.cached_property
    def _bases(self) -> dict[str, list[tuple[CatalogFile, LegalBasis]]]:
        index: dict[str, list[tuple[CatalogFile, LegalBasis]]] = {}
        for f in self.files:
            for e in f.entries:
                if isinstance(e, LegalBasis):
                    index.setdefault(e.id, []).append((f, e))
        return index

    def jurisdiction(self, code: str, on: date) -> Jurisdiction | None:
        for f in self.layered(CatalogKind.jurisdiction, code, on):
            for e in f.entries:
                if isinstance(e, Jurisdiction) and e.code == code:
                    return e
        return None

    def domains(self, on: date) -> list[Domain]:
        return self.entries(CatalogKind.domains, NATIONAL, on, Domain)

    def listing_standard(self, ident: str, code: str, on: date) -> tuple[ListingStandard, CatalogFile] | None:
        for f in reversed(self.layered(CatalogKind.listing_standards, code, on)):
            for e in f.entries:
                if isinstance(e, ListingStandard) and e.id == ident:
                    return e, f
        return None

    def used(self, code: str, on: date) -> list[EditionRef]:
        kinds = sorted({f.envelope.kind for f in self.files})
        refs = [f.ref() for kind in kinds for f in self.layered(kind, code, on)]
        return sorted(refs, key=lambda r: (r.kind, r.jurisdiction, r.edition, r.file))


def _parse_file(src: Located) -> CatalogFile:
    env = validate(Envelope, src)
    model = env.entry_model()
    entries: list[BaseModel] = []
    lines: list[int | None] = []
    problems: list[Problem] = []
    for index, raw in enumerate(env.entries):
        path: tuple[str | int, ...] = ("entries", index)
        try:
            entries.append(model.model_validate(raw))
            lines.append(src.line_of(path))
        except ValidationError as exc:
            problems += problems_from(exc, src, path, model)
    if problems:
        raise InputError(problems)
    return CatalogFile(env, tuple(entries), src.file, tuple(lines))


def load_catalogs(
    roots: Path | str | Sequence[Path | str], *, relative_to: Path | None = None, preloaded: Mapping[Path, Located] | None = None
) -> Catalogs:
    """Load every ``*.yaml`` catalog file below each of *roots*, then cross-check them.

    Several roots layer a ministry's or a test suite's own catalogs over the
    shipped ones.  All problems found are reported together, each with file
    and line.  Loading fails closed: a sub-folder or file that cannot be
    read, a symlink leading out of the root, a FIFO or device named
    ``*.yaml``, and a root that holds no catalog at all (``--catalogs /etc``)
    are errors — never a silently smaller catalog, which would make a case
    missing a document come out valid.

    *preloaded* maps a file's path to its already-read content, used instead of reading the file (the mutation
    tester changes one datum in memory and loads again without touching the disk).
    """
    bases = [Path(roots)] if isinstance(roots, (str, Path)) else [Path(r) for r in roots]
    files: list[CatalogFile] = []
    calendar_files: list[Path] = []
    problems: list[Problem] = []
    digest = hashlib.sha256()
    for layer, base in enumerate(bases):
        if not base.is_dir():
            problems.append(Problem(str(base), None, "(directory)", "a directory of catalog YAML files", "not a directory"))
            continue
        found = walk(base, ".yaml")
        problems += found.problems
        if not found.files and not found.problems:
            problems.append(
                Problem(str(base), None, "(directory)", "a directory holding catalog files (*.yaml with kind, jurisdiction, entries)", "no catalog file")
            )
        shown_root = relative_to if relative_to is not None else None
        for path in found.files:
            shown = path.relative_to(shown_root) if shown_root and path.is_relative_to(shown_root) else path
            try:
                src = preloaded[path] if preloaded is not None and path in preloaded else load_file(path)
                digest.update(_digest_entry(layer, path.relative_to(base).as_posix(), src.data))
                src = Located(src.data, str(shown), src.lines)
                if not isinstance(src.data, dict):
                    # never echo a file that is not a catalog: it may be anything the path reached
                    problems.append(
                        Problem(str(shown), 1, "(document)", "a catalog: a mapping with kind, jurisdiction, edition, entries", f"a {type(src.data).__name__}")
                    )
                    continue
                if src.data.get("kind") == CALENDAR_KIND:
                    calendar_files.append(path)
                    continue
                files.append(_parse_file(src))
            except InputError as exc:
                problems += exc.problems
    cats = Catalogs(tuple(files), tuple(calendar_files), ";".join(str(b) for b in bases), digest.hexdigest())
    problems += _cross_check(cats)
    for check in cross_checks():
        problems += check(cats)
    if problems:
        raise InputError(problems)
    return cats


def _digest_entry(layer: int, relative: str, data: Any) -> bytes:
    """One file's contribution to :attr:`Catalogs.content_hash` (canonical JSON, dates as ISO text)."""
    payload = json.dumps([layer, relative, _canon(data)], ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(payload.encode("utf-8")).digest()


def _canon(data: Any) -> Any:
    """YAML data with every mapping key as text, so that keys of mixed types still sort."""
    if isinstance(data, dict):
        return {f"{type(k).__name__}:{k}": _canon(v) for k, v in data.items()}
    if isinstance(data, list):
        return [_canon(v) for v in data]
    return data


def _overlap(a: CatalogFile, b: CatalogFile) -> bool:
    ea, eb = a.envelope, b.envelope
    a_end = ea.effective_to or date.max
    b_end = eb.effective_to or date.max
    return ea.effective_from <= b_end and eb.effective_from <= a_end


def _ids(f: CatalogFile) -> Iterable[tuple[str, int | None]]:
    for e, line in zip(f.entries, f.lines, strict=True):
        ident: Any = getattr(e, "id", None) or getattr(e, "code", None)
        if ident is not None:
            yield str(ident), line


def _cross_check(cats: Catalogs) -> list[Problem]:
    """Editions must not overlap; ids are unique per edition; references resolve."""
    problems: list[Problem] = []
    for i, a in enumerate(cats.files):
        for b in cats.files[i + 1 :]:
            same = (a.envelope.kind, a.envelope.jurisdiction) == (b.envelope.kind, b.envelope.jurisdiction)
            if same and _overlap(a, b):
                problems.append(
                    Problem(b.file, 1, "effective_from", f"an edition not overlapping {a.file} (edition {a.envelope.edition})", f"edition {b.envelope.edition}")
                )
        seen: dict[str, int | None] = {}
        for ident, line in _ids(a):
            if ident in seen:
                problems.append(Problem(a.file, line, "id", f"a unique id (first at line {seen[ident]})", ident))
            seen[ident] = line
    basis_ids = {e.id for f in cats.files for e in f.entries if isinstance(e, LegalBasis)}
    field_ids = {fl.id for f in cats.files for e in f.entries if isinstance(e, Domain) for fl in e.fields}
    for f in cats.files:
        for index, (e, line) in enumerate(zip(f.entries, f.lines, strict=True)):
            refs: list[tuple[str, str]] = []
            if isinstance(e, ListingStandard):
                refs = [("basis.legal_basis", e.basis.legal_basis), ("establishing_basis.legal_basis", e.establishing_basis.legal_basis)]
                for k, fid in enumerate(e.fields):
                    if fid not in field_ids:
                        problems.append(Problem(f.file, line, f"entries[{index}].fields[{k}]", "a sub-field id from the domains catalog", fid))
            if isinstance(e, Jurisdiction) and e.supplementary_basis is not None:
                refs = [("supplementary_basis.legal_basis", e.supplementary_basis.legal_basis)]
            for name, ref in refs:
                if ref not in basis_ids:
                    problems.append(Problem(f.file, line, f"entries[{index}].{name}", "the id of a legal basis in the catalogs", ref))
    return problems
