"""What a REF of ``credit-rules diff`` names, and where its catalogs and rules are.

A ministry compares "what we publish now" with "what we are about to
publish".  Those two states live wherever the ministry keeps them, so a REF
may be:

- ``shipped`` — the catalogs and rules installed with this package;
- a directory holding ``catalogs/`` (and optionally ``rules/``; missing rules
  mean the shipped rules), or a rule directory (``ruleset.yaml``; shipped
  catalogs), or a catalog directory itself (shipped rules);
- a git revision (``HEAD~1``, a tag, a branch, a commit) of the repository at
  ``--repo``, whose tree at that revision is laid out as a directory REF.
  It is read with ``git archive`` into a temporary directory: the work tree
  and the index are never touched, and no network is used.

A directory wins over a revision of the same name.

Any of these may end in ``@YYYY-MM-DD`` (and ``@DATE`` alone means
``shipped@DATE``): the state *as published on that date* — catalog editions
taking effect after it are left out, and the edition they were to replace is
treated as still open-ended.  ``--base @2026-03-31 --head shipped`` therefore
shows what the 36号 repair regime of 2026-04-01 changed.
"""

from __future__ import annotations

import io
import subprocess
import tarfile
import tempfile
from collections.abc import Sequence
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import yaml

from ..engine.decide import Engine
from ..errors import InputError, Problem
from ..ruleset.loader import MANIFEST
from ..safefiles import escaping_link_problem, walk
from ..shipped import shipped_catalogs_dir, shipped_rules_dir
from ..yamlsource import load_file

SHIPPED = "shipped"


@dataclass(frozen=True)
class DataSource:
    """Catalog directories and a rule directory: one state of the law to decide against."""

    label: str
    catalogs: tuple[Path, ...]
    rules: Path

    def engine(self, extra_catalogs: Sequence[Path] = (), backend: str = "python") -> Engine:
        """An engine over this state's catalogs plus *extra_catalogs* (layers shared by both sides)."""
        return Engine.load([*self.catalogs, *extra_catalogs], self.rules, backend=backend)


def catalog_dir(text: str) -> Path:
    """A ``--catalogs`` value: a directory, or the word ``shipped``."""
    return shipped_catalogs_dir() if text == SHIPPED else Path(text)


def rules_dir(text: str) -> Path:
    """A ``--rules`` value: a directory, or the word ``shipped``."""
    return shipped_rules_dir() if text == SHIPPED else Path(text)


def _contained(path: Path, name: str) -> Path:
    """``path / name``, refused when it is a symlink that leads out of the REF *path* (checked before any use)."""
    sub = path / name
    # a REF follows no symlink out of its root: its catalogs/ or rules/ must not read /etc or another tree
    refused = escaping_link_problem(sub, path)
    if refused is not None:
        raise InputError([refused])
    return sub


def from_directory(path: Path, label: str) -> DataSource:
    """Read a directory REF (see the module docstring for the three layouts).

    Its top-level ``catalogs``, ``rules`` and ``ruleset.yaml`` are refused when they are symlinks leading out of
    the REF; the trees below them are walked by :func:`credit_rules.safefiles.walk` and the rule loader, which
    refuse such links too.
    """
    catalogs, rules_path = _contained(path, "catalogs"), _contained(path, "rules")
    manifest = _contained(path, MANIFEST)
    if catalogs.is_dir():
        rules = rules_path if rules_path.is_dir() else shipped_rules_dir()
        return DataSource(label, (catalogs,), rules)
    if manifest.is_file():
        return DataSource(label, (shipped_catalogs_dir(),), path)
    found = walk(path, ".yaml")
    found.raise_problems()
    if not found.files:
        raise InputError.one(
            str(path), None, "(REF)", "a directory holding catalogs/ (and optionally rules/), a rule directory or a catalog directory", "no YAML files"
        )
    return DataSource(label, (path,), shipped_rules_dir())


def _git(repo: Path, *args: str) -> bytes:
    try:
        done = subprocess.run(["git", "-C", str(repo), *args], capture_output=True, check=False)
    except FileNotFoundError:
        raise InputError.one("(command line)", None, "REF", "git on PATH to read a revision", "git not found") from None
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise InputError.one(str(repo), None, "REF", f"a git revision readable with 'git {args[0]}'", message[-1] if message else None)
    return done.stdout


def from_git(repo: Path, rev: str, into: Path) -> DataSource:
    """Extract the tree of *rev* below *repo* (which may be a sub-directory of a work tree) into *into*."""
    sha = _git(repo, "rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}").decode().strip()
    prefix = _git(repo, "rev-parse", "--show-prefix").decode().strip()
    top = Path(_git(repo, "rev-parse", "--show-toplevel").decode().strip())  # archive paths are relative to the cwd
    tree = f"{sha}:{prefix}" if prefix else sha
    names = set(_git(top, "ls-tree", "--name-only", tree).decode("utf-8", "replace").splitlines())
    members = [n for n in ("catalogs", "rules") if n in names]
    data = _git(top, "archive", "--format=tar", tree, "--", *members)
    try:
        with tarfile.open(fileobj=io.BytesIO(data)) as tar:
            # the "data" filter refuses absolute paths, links out of the tree and device files
            tar.extractall(into, filter="data")
    except (tarfile.TarError, OSError) as exc:
        raise InputError.one(str(repo), None, "REF", f"a revision whose catalogs/ and rules/ hold only files and links inside them ({rev})", str(exc)) from None
    return from_directory(into, f"{rev} ({sha[:12]})")


def _is_revision(repo: Path, text: str) -> bool:
    try:
        _git(repo, "rev-parse", "--verify", "--quiet", f"{text}^{{commit}}")
    except InputError:
        return False
    return True


def _edition_date(text: str) -> tuple[str, date | None]:
    if "@" not in text:
        return text, None
    head, _, tail = text.rpartition("@")
    try:
        return head or SHIPPED, date.fromisoformat(tail)
    except ValueError:
        raise InputError.one("(command line)", None, "REF", "REF@YYYY-MM-DD with a real date", repr(text)) from None


def as_published_on(source: DataSource, on: date, into: Path) -> DataSource:
    """Copy *source*'s catalogs into *into* as they stood on *on* (see the module docstring)."""
    files: list[tuple[Path, Path, dict[str, object]]] = []
    problems: list[Problem] = []
    for n, root in enumerate(source.catalogs):
        found = walk(root, ".yaml")
        problems += found.problems
        for path in found.files:
            # the project's loader: duplicate keys refused, errors located, contents never echoed
            try:
                data = load_file(path).data
            except InputError as exc:
                problems += exc.problems
                continue
            files.append((path, into / f"layer{n}" / path.relative_to(root), data if isinstance(data, dict) else {}))
    if problems:
        raise InputError(problems)
    later = {
        (d.get("kind"), d.get("jurisdiction"))
        for _, _, d in files
        if isinstance(d.get("effective_from"), date) and d["effective_from"] > on  # type: ignore[operator]
    }
    for path, target, data in files:
        start = data.get("effective_from")
        if isinstance(start, date) and start > on:
            continue
        end = data.get("effective_to")
        if (data.get("kind"), data.get("jurisdiction")) in later and isinstance(end, date) and end >= on:
            data = {**data, "effective_to": None}
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(path.read_bytes())
    layers = tuple(sorted(p for p in into.iterdir() if p.is_dir()))
    return DataSource(f"{source.label}@{on.isoformat()}", layers, source.rules)


def resolve_ref(text: str, *, repo: Path, stack: ExitStack, option: str = "REF") -> DataSource:
    """The DataSource a REF names; temporary checkouts are removed when *stack* closes."""
    raw: object = text
    if not isinstance(raw, str):  # argparse turns "--base=--" into an empty list
        raise InputError.one("(command line)", None, option, f"a directory, a git revision or '{SHIPPED}'", repr(raw))
    text, on = _edition_date(text)
    source = _resolve_plain(text, repo=repo, stack=stack, option=option)
    if on is None:
        return source
    tmp = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="credit-rules-asof-")))
    return as_published_on(source, on, tmp)


def _resolve_plain(text: str, *, repo: Path, stack: ExitStack, option: str) -> DataSource:
    if not text.strip() or text.startswith("-"):
        # "" would be the working directory and "--" an option to git: neither is what the user meant
        raise InputError.one("(command line)", None, option, f"a directory, a git revision or '{SHIPPED}'", repr(text))
    if text == SHIPPED:
        return DataSource(SHIPPED, (shipped_catalogs_dir(),), shipped_rules_dir())
    if not text.strip():
        # Path("") is the working directory: an empty REF must not silently load it
        raise InputError.one("(command line)", None, option, f"a directory, a git revision or '{SHIPPED}'", "an empty REF")
    path = Path(text)
    if path.is_dir():
        return from_directory(path, text)
    if repo.is_dir() and _is_revision(repo, text):
        tmp = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="credit-rules-ref-")))
        return from_git(repo, text, tmp)
    raise InputError.one(
        "(command line)", None, option,
        f"a directory, a git revision of the repository at {repo}, or '{SHIPPED}' (each optionally @YYYY-MM-DD)", repr(text)
    )
