"""Walking input trees and opening input files without failing open or leaking.

Why this module
---------------
``Path.rglob`` silently skips a directory it cannot read, follows symlinks to
anywhere, and happily lists a FIFO or ``/dev/zero`` under a ``*.yaml`` name.
For a legal catalog or a fixture suite each of those is dangerous: a skipped
folder is a *smaller* catalog (a case with no document then comes out valid),
a symlink or a ``base: ../../../etc/shadow`` reads a file the author of the
input should never see, and a FIFO or a device hangs the process or fills its
memory.  Every loader that walks a tree or follows a path written inside an
input therefore goes through here:

- :func:`walk` lists the files below a root whose names end in a suffix and
  reports, as located problems, every directory it could not read, every
  symlink that leads out of the root (or nowhere) and every matching entry
  that is not a regular file;
- :func:`confine` resolves a path written in an input file against a root
  and refuses it unless it stays inside the root and names a regular file.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass, field
from pathlib import Path

from .errors import InputError, Problem

__all__ = ["Walk", "confine", "contained_file_problem", "escaping_link_problem", "inside", "regular_file_problem", "walk"]


def inside(path: Path, root: Path) -> bool:
    """True when the resolved *path* is *root* or below it (both resolved, symlinks followed)."""
    try:
        return path.resolve().is_relative_to(root.resolve())
    except (OSError, RuntimeError):  # RuntimeError: a symlink loop
        return False


def regular_file_problem(path: Path, shown: str, field_name: str = "(file)") -> Problem | None:
    """A problem unless *path* (symlinks followed) is an existing regular file; never opens it."""
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        return Problem(shown, None, field_name, "an existing file", "no such file (or a broken symlink)")
    except OSError as exc:
        return Problem(shown, None, field_name, "a readable file", exc.strerror or type(exc).__name__)
    if not stat.S_ISREG(mode):
        return Problem(shown, None, field_name, "a regular file", _kind(mode))
    return None


def contained_file_problem(path: Path, root: Path, shown: str | None = None, field_name: str = "(file)") -> Problem | None:
    """A problem unless *path*, a file a loader opens by a fixed name in *root* (``ruleset.yaml``), is a
    regular file inside *root*; never opens it.

    The same containment :func:`walk` applies to the files it lists: a symlink that leads out of the root is
    refused as such (its target is never read, so nothing of it can be echoed), and so are a FIFO, a device or
    a directory under that name.
    """
    name = shown if shown is not None else str(path)
    return escaping_link_problem(path, root, name) or regular_file_problem(path, name, field_name)


def escaping_link_problem(path: Path, root: Path, shown: str | None = None) -> Problem | None:
    """A problem when *path* (a file or folder a loader uses by a fixed name in *root*) is a symlink leading out of
    *root* (the link is resolved, never opened)."""
    if inside(path, root):
        return None
    return Problem(shown if shown is not None else str(path), None, "(symlink)", f"a symlink that stays inside {root}", "a link leading outside the tree")


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a directory"
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


@dataclass
class Walk:
    """The files a walk found (sorted) and the problems that make the tree unusable as it is."""

    files: list[Path] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    def raise_problems(self) -> None:
        if self.problems:
            raise InputError(list(self.problems))


def walk(root: Path, suffix: str) -> Walk:
    """Every file below *root* whose name ends in *suffix*, failing closed.

    A directory that cannot be listed, a symlink (to a directory or to a
    matching file) that is broken or leads outside *root*, and a matching
    entry that is not a regular file are problems; other files (a README, a
    picture) are neither read nor checked.  Symlinks that stay inside the
    root are followed once (a loop is reported, not followed forever).
    """
    out = Walk()
    top = root.resolve()
    seen: set[Path] = set()

    def visit(directory: Path) -> None:
        real = directory.resolve()
        if real in seen:
            out.problems.append(
                Problem(str(directory), None, "(directory)", "each directory reached by one path only", "a symlink loop or a second path to a directory")
            )
            return
        seen.add(real)
        try:
            with os.scandir(directory) as it:
                entries = sorted(it, key=lambda e: e.name)
        except OSError as exc:
            out.problems.append(Problem(str(directory), None, "(directory)", "a readable directory", exc.strerror or type(exc).__name__))
            return
        for entry in entries:
            path = Path(entry.path)
            matches = entry.name.endswith(suffix)
            try:
                is_link = entry.is_symlink()
                is_dir = entry.is_dir(follow_symlinks=True)
            except OSError as exc:
                out.problems.append(Problem(str(path), None, "(file)", "a readable directory entry", exc.strerror or type(exc).__name__))
                continue
            if is_link and (is_dir or matches):
                if not inside(path, top):
                    out.problems.append(
                        Problem(str(path), None, "(symlink)", f"a symlink that stays inside {root}", "a link leading outside the tree")
                    )
                    continue
            if is_dir:
                visit(path)
            elif matches:
                problem = regular_file_problem(path, str(path))
                if problem is not None:
                    out.problems.append(problem)
                else:
                    out.files.append(path)

    if not root.is_dir():
        out.problems.append(Problem(str(root), None, "(directory)", "an existing, readable directory", "not a directory"))
        return out
    visit(root)
    out.files.sort()
    return out


def confine(written: str, relative_to: Path, root: Path, *, file: str, line: int | None, field_name: str) -> Path:
    """The file an input names by *written* (relative to *relative_to*), if it is a regular file inside *root*.

    Absolute paths, ``..`` that climbs out of *root*, symlinks that lead out
    of it, and devices, FIFOs or directories are refused with a located
    problem; the refused file is never opened, so nothing of it can be echoed.
    """
    if not written.strip():
        raise InputError.one(file, line, field_name, "a path of a file", "an empty path")
    candidate = Path(written)
    if candidate.is_absolute():
        raise InputError.one(file, line, field_name, f"a path relative to the fixture file, inside {root}", "an absolute path")
    target = relative_to / candidate
    if not inside(target, root):
        raise InputError.one(
            file, line, field_name,
            f"a file inside the suite root {root} (widen it with --fixture-root)", f"{written!r}, which leads outside it",
        )
    problem = regular_file_problem(target, file, field_name)
    if problem is not None:
        raise InputError([Problem(file, line, field_name, problem.expected, f"{written!r}: {problem.got}")])
    return target
