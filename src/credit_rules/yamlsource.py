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
from .limits import Limits, env_name, number_expected, number_problem
from .limits import current as current_limits

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

_RESOLVED: dict[str, Any] = {}
"""Implicit tags of short plain scalars already resolved (``id``, ``source``, ``true``, ``2024-01-01`` …), bounded."""


class _LocatingLoader(_Base):  # type: ignore[valid-type,misc]
    """Safe loader that keeps an impossible date (``2023-02-30``) as text.

    ``yaml.safe_load`` fails on such a date before any field is known; kept
    as a string, validation reports it against its field and line.  An
    explicitly tagged scalar that is not what its tag says (``!!bool maybe``,
    ``!!timestamp nope``) is a marked error, so it is reported at its line
    instead of escaping as a KeyError or AttributeError.
    """

    def resolve(self, kind: type[yaml.Node], value: Any, implicit: Any) -> Any:
        """The implicit tag of a node, asked by the C parser for every node: what the safe resolver answers, with
        its work skipped where the answer is fixed.  Without path resolvers (the safe loader has none) a
        collection gets the default tag, a quoted scalar the string tag, and a plain scalar a tag that depends
        on its text alone, remembered for short texts (``id``, ``source``, ``true``, ``2024-01-01`` …)."""
        if self.yaml_path_resolvers:
            return super().resolve(kind, value, implicit)
        if kind is yaml.ScalarNode:
            if not implicit[0]:
                return self.DEFAULT_SCALAR_TAG
            tag = _RESOLVED.get(value)
            if tag is None:
                tag = super().resolve(kind, value, implicit)
                if len(value) <= 64 and len(_RESOLVED) < 16384:
                    _RESOLVED[value] = tag
            return tag
        if kind is yaml.SequenceNode:
            return self.DEFAULT_SEQUENCE_TAG
        if kind is yaml.MappingNode:
            return self.DEFAULT_MAPPING_TAG
        return super().resolve(kind, value, implicit)

    def construct_yaml_timestamp(self, node: yaml.ScalarNode) -> Any:
        try:
            return super().construct_yaml_timestamp(node)
        except (ValueError, OverflowError):
            return str(node.value)
        except (AttributeError, TypeError):  # the pattern did not match at all: explicit !!timestamp
            raise _bad_tag(node, "a date or timestamp") from None

    def construct_yaml_bool(self, node: yaml.ScalarNode) -> Any:
        try:
            return super().construct_yaml_bool(node)
        except (KeyError, AttributeError, TypeError):
            raise _bad_tag(node, "true or false") from None

    def construct_yaml_int(self, node: yaml.ScalarNode) -> Any:
        try:
            return super().construct_yaml_int(node)
        except (ValueError, AttributeError, TypeError, IndexError):
            raise _bad_tag(node, "an integer") from None

    def construct_yaml_float(self, node: yaml.ScalarNode) -> Any:
        try:
            return super().construct_yaml_float(node)
        except (ValueError, AttributeError, TypeError, IndexError, OverflowError):
            raise _bad_tag(node, "a number") from None


class _BadScalar(Exception):
    """An explicitly tagged scalar that its tag's constructor rejects; carries the node for its line."""

    def __init__(self, node: yaml.Node, expected: str) -> None:
        super().__init__(expected)
        self.node = node
        self.expected = expected

    def problem(self, file: str) -> Problem:
        tag = str(self.node.tag).rsplit(":", 1)[-1]
        return Problem(file, self.node.start_mark.line + 1, "(value)", f"{self.expected} for the tag !!{tag}", repr(str(self.node.value)[:40]))


def _bad_tag(node: yaml.Node, expected: str) -> _BadScalar:
    return _BadScalar(node, expected)


for _tag, _method in (
    ("timestamp", _LocatingLoader.construct_yaml_timestamp),
    ("bool", _LocatingLoader.construct_yaml_bool),
    ("int", _LocatingLoader.construct_yaml_int),
    ("float", _LocatingLoader.construct_yaml_float),
):
    _LocatingLoader.add_constructor(f"tag:yaml.org,2002:{_tag}", _method)

_MERGE = "tag:yaml.org,2002:merge"
_NUMERIC_TAGS = ("tag:yaml.org,2002:int", "tag:yaml.org,2002:float")
_NUMBER_START = frozenset("-+0123456789_,.eE")
"""What a number (``limits._NUMBER_LIKE``) or a YAML int/float (``0x1f``, ``.inf``, ``+1_000``) can begin with."""


def _number_problem(node: yaml.ScalarNode, limits: Limits) -> str | None:
    """Why a number (or a string shaped like one) is too large to build, or None.

    ``int("9" * 5000)`` fails and ``Decimal("-1e999999999")`` builds but
    overflows the first sum it enters: both are refused on the raw text.
    """
    value = str(node.value).strip()
    why = number_problem(value, limits)
    if why is None and node.tag in _NUMERIC_TAGS and len(value) > limits.max_number_digits:
        return f"a number of {len(value)} characters"
    return why


def _record(root: yaml.Node, lines: dict[PathKey, int], file: str, limits: Limits) -> None:
    """Record the line of every path and check the limits, on nodes only: nothing is built yet.

    Iterative (an explicit stack), so deep input cannot exhaust Python's
    recursion; every visit of a node counts, so an alias bomb's expansion is
    counted as it would be built, and stops at ``max_nodes``.
    """

    def fail(path: PathKey, node: yaml.Node, expected: str, got: str) -> InputError:
        shown = dotted(path)
        if len(shown) > 120:  # a path 1000 levels deep says nothing more than its start
            shown = shown[:120] + f"… ({len(path)} levels)"
        return InputError([Problem(file, node.start_mark.line + 1, shown, expected, got)])

    seen: set[int] = set()
    on_path: set[int] = set()
    nodes = aliases = 0
    max_nodes, max_aliases = limits.max_nodes, limits.max_aliases
    scalar_node = yaml.ScalarNode
    # every other path's line is recorded by its parent (a mapping value's is its key's line)
    lines.setdefault((), root.start_mark.line + 1)
    stack: list[tuple[bool, yaml.Node, PathKey, int]] = [(True, root, (), 1)]
    while stack:
        enter, node, path, depth = stack.pop()
        node_id = id(node)
        if not enter:
            on_path.discard(node_id)
            continue
        nodes += 1
        if nodes > max_nodes:
            raise fail(path, node, f"at most {limits.max_nodes} values in one document, aliases expanded (limit {env_name('max_nodes')})", "more (an alias bomb?)")
        if node_id in seen:
            aliases += 1
            if aliases > max_aliases:
                raise fail(path, node, f"at most {limits.max_aliases} alias uses (limit {env_name('max_aliases')})", "more")
        seen.add(node_id)
        if isinstance(node, scalar_node):
            # only text whose first character could begin a number can be shaped like one (or carry a number tag)
            text = str(node.value)
            lead = text[:1]
            if lead.isspace():  # (a long text is not copied to find its first character)
                lead = text.lstrip()[:1]
            if lead in _NUMBER_START:
                why = _number_problem(node, limits)
                if why is not None:
                    raise fail(path, node, number_expected(limits), why)
            continue
        if depth > limits.max_depth:
            raise fail(path, node, f"nesting at most {limits.max_depth} deep (limit {env_name('max_depth')})", "deeper nesting")
        if node_id in on_path:
            raise fail(path, node, "a value that does not contain itself", "a self-referencing alias")
        on_path.add(node_id)
        stack.append((False, node, path, depth))
        children: list[tuple[yaml.Node, PathKey]] = []
        if isinstance(node, yaml.MappingNode):
            first: dict[Any, int] = {}
            for key_node, value_node in node.value:
                line = key_node.start_mark.line + 1
                if key_node.tag == _MERGE:
                    raise InputError([Problem(file, line, dotted((*path, "<<")), "keys written out (merge keys '<<' are not supported)", "a merge key")])
                if not isinstance(key_node, yaml.ScalarNode):
                    raise InputError([Problem(file, line, dotted((*path, "(key)")), "a plain key (text or a number)", "a mapping or list as a key")])
                key = key_node.value
                if key in first:
                    raise InputError(
                        [Problem(file, line, dotted((*path, str(key))), f"a key used once (first at line {first[key]})", "a duplicate key")]
                    )
                first[key] = line
                child = (*path, str(key))
                lines[child] = line
                children.append((value_node, child))
        elif isinstance(node, yaml.SequenceNode):
            for index, item in enumerate(node.value):
                child = (*path, index)
                lines[child] = item.start_mark.line + 1
                children.append((item, child))
        for child_node, child_path in reversed(children):
            stack.append((True, child_node, child_path, depth + 1))


_STR = "tag:yaml.org,2002:str"
_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"
_VALUE = "tag:yaml.org,2002:value"


def _build(loader: _LocatingLoader, root: yaml.Node) -> Any:
    """The document's data from its checked nodes: what ``loader.construct_document(root)`` gives, faster.

    Most nodes of a catalog or rule file are plain strings, mappings and lists; they are built here directly
    (PyYAML's constructor spends more time dispatching on each node than building it).  Every other node —
    numbers, dates, booleans, nulls, explicitly tagged values (``!!set``, ``!!binary``…) — is built by the safe
    constructor itself, so its meaning cannot differ.  What the safe constructor would also do to mappings —
    merge keys, unhashable keys, duplicate keys — :func:`_record` has already refused, and a node met twice
    (an alias) gives the same object, as there.  ``tests/test_yaml_build.py`` checks the two agree.
    """
    built: dict[int, Any] = {}
    construct = loader.construct_object

    scalar_node = yaml.ScalarNode

    def build(node: yaml.Node) -> Any:
        tag = node.tag
        if tag == _STR and isinstance(node, scalar_node):
            return node.value  # the node's own text object, on every visit of it (an alias) too
        key = id(node)
        if key in built:
            return built[key]
        value: Any
        if tag == _MAP and isinstance(node, yaml.MappingNode):
            value = built[key] = {}
            for k, v in node.value:
                value[k.value if k.tag in (_STR, _VALUE) and isinstance(k, yaml.ScalarNode) else build(k)] = build(v)
            return value
        elif tag == _SEQ and isinstance(node, yaml.SequenceNode):
            value = built[key] = []
            value.extend(build(item) for item in node.value)
            return value
        else:
            value = construct(node, deep=True)
        built[key] = value
        return value

    return build(root)


def load_text(text: str, file: str, limits: Limits | None = None) -> Located:
    """Parse one YAML document from *text*; *file* names it in errors.

    The limits (:mod:`credit_rules.limits`; default: :func:`~credit_rules.limits.current`)
    are checked on the composed node tree before any Python object is built.
    """
    lim = limits or current_limits()
    if len(text) > lim.max_file_bytes:
        raise _too_large(file, len(text), lim)
    try:
        loader = _LocatingLoader(text)
        try:
            node = loader.get_single_node()
            lines: dict[PathKey, int] = {}
            if node is not None:
                _record(node, lines, file, lim)
                data = _build(loader, node)
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
    except _BadScalar as exc:
        raise InputError([exc.problem(file)]) from None
    except RecursionError:
        raise InputError([Problem(file, None, "(document)", f"nesting at most {lim.max_depth} deep", "deeper nesting")]) from None
    except (ValueError, TypeError, OverflowError) as exc:
        # e.g. a timestamp like 2023-02-30 that the resolver accepts and date() rejects
        raise InputError([Problem(file, None, "(value)", "valid scalar values", str(exc))]) from None
    return Located(data, file, lines)


def _too_large(file: str, size: int, lim: Limits) -> InputError:
    return InputError.one(
        file, None, "(file)", f"a file of at most {lim.max_file_bytes} bytes (limit {env_name('max_file_bytes')})", f"{size} bytes or more"
    )


def load_file(path: Path | str, limits: Limits | None = None) -> Located:
    """Read and parse a YAML file; a missing, unreadable or too large file is an InputError.

    At most ``max_file_bytes + 1`` bytes are read, so a huge file (or an
    endless one) costs no more than the limit.
    """
    p = Path(path)
    lim = limits or current_limits()
    try:
        with p.open("rb") as handle:
            raw = handle.read(lim.max_file_bytes + 1)
        if len(raw) > lim.max_file_bytes:
            raise _too_large(str(p), len(raw), lim)
        text = raw.decode("utf-8")
    except FileNotFoundError:
        raise InputError.one(str(p), None, "(file)", "an existing file", "no such file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError.one(str(p), None, "(file)", "a readable UTF-8 file", str(exc)) from None
    return load_text(text, str(p), lim)
