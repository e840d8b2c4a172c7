"""Safe YAML loading that remembers where every value came from.

PyYAML's safe loader gives plain data and forgets line numbers.  We compose the
node tree once, record the line of every mapping key and sequence item by its
path, and build the data from the same nodes.  Validation errors (pydantic's
``loc`` tuples) are then mapped back to the closest recorded line.  Duplicate
mapping keys, which PyYAML silently accepts, are rejected here because in a
legal catalog a duplicated key almost always hides a lost entry.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from .errors import InputError, Problem

PathKey = tuple[str | int, ...]


@dataclass(frozen=True)
class Located:
    """Parsed YAML data plus the source line of every path inside it."""

    data: Any
    file: str
    lines: dict[PathKey, int]

    def line_of(self, path: Sequence[str | int]) -> int | None:
        """Line of the deepest recorded prefix of *path* (1-based)."""
        key: PathKey = tuple(path)
        while True:
            if key in self.lines:
                return self.lines[key]
            if not key:
                return None
            key = key[:-1]

    def problem(
        self, path: Sequence[str | int], expected: str, got: str | None = None
    ) -> Problem:
        return Problem(self.file, self.line_of(path), dotted(path), expected, got)


def dotted(path: Iterable[str | int]) -> str:
    """Render a path as ``a.b[2].c``."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out or "(document)"


_Base: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml's parser when built with it


class _LocatingLoader(_Base):  # type: ignore[valid-type,misc]
    """Safe loader that keeps an impossible date (``2023-02-30``) as text.

    ``yaml.safe_load`` fails on such a date before any field is known; kept
    as a string, validation reports it against its field and line.
    """

    def construct_yaml_timestamp(self, node: yaml.ScalarNode) -> Any:
        try:
            return super().construct_yaml_timestamp(node)
        except (ValueError, OverflowError):
            return str(node.value)


_LocatingLoader.add_constructor(
    "tag:yaml.org,2002:timestamp", _LocatingLoader.construct_yaml_timestamp
)


def _record(node: yaml.Node, path: PathKey, lines: dict[PathKey, int], file: str) -> None:
    lines.setdefault(path, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        seen: dict[Any, int] = {}
        for key_node, value_node in node.value:
            key = key_node.value
            line = key_node.start_mark.line + 1
            if key in seen:
                raise InputError(
                    [
                        Problem(
                            file,
                            line,
                            dotted((*path, str(key))),
                            f"a key used once (first at line {seen[key]})",
                            "a duplicate key",
                        )
                    ]
                )
            seen[key] = line
            child = (*path, str(key))
            lines[child] = line
            _record(value_node, child, lines, file)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            child = (*path, index)
            lines[child] = item.start_mark.line + 1
            _record(item, child, lines, file)


def load_text(text: str, file: str) -> Located:
    """Parse one YAML document from *text*; *file* names it in errors."""
    try:
        loader = _LocatingLoader(text)
        try:
            node = loader.get_single_node()
            lines: dict[PathKey, int] = {}
            if node is not None:
                _record(node, (), lines, file)
                data = loader.construct_document(node)
            else:
                data = None
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        raise InputError(
            [Problem(file, line, "(syntax)", "well-formed YAML", str(exc.problem or exc))]
        ) from None
    except yaml.YAMLError as exc:
        raise InputError([Problem(file, None, "(syntax)", "well-formed YAML", str(exc))]) from None
    except (ValueError, TypeError, OverflowError) as exc:
        # e.g. a timestamp like 2023-02-30 that the resolver accepts and date() rejects
        raise InputError([Problem(file, None, "(value)", "valid scalar values", str(exc))]) from None
    return Located(data, file, lines)


def load_file(path: Path | str) -> Located:
    """Read and parse a YAML file; a missing or unreadable file is an InputError."""
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError.one(str(p), None, "(file)", "an existing file", "no such file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError.one(str(p), None, "(file)", "a readable UTF-8 file", str(exc)) from None
    return load_text(text, str(p))
