"""A second, independent evaluator: the rule conditions run through durable_rules.

Why this exists: the default :class:`~credit_rules.engine.backend.PythonBackend`
calls closures compiled from the condition AST.  This backend translates the
*same AST* into durable_rules' declarative JSON ruleset form (``$and``, ``$or``,
``$lt`` …) and lets durable's C Rete network decide, so a disagreement between
the two points at a bug in one of them (``tests/test_backends_agree.py``).  It
is a cross-check, not a fast path: expect a few thousand decisions per second.

durable_rules 2.0.28 is unmaintained and has sharp edges; each one is handled
here on purpose (see ``../shared/research/anchors.md`` §5 and the bench
report):

* **Process-global host.**  ``durable.lang`` keeps one module-global ``Host``,
  and re-declaring a ruleset name there fails.  We never import ``durable.lang``:
  every compiled rule set gets its own private :class:`durable.engine.Host`
  subclass and a ruleset name unique to the process.
* **Background dispatcher.**  ``Host.__init__`` starts daemon timer threads that
  call ``Ruleset.dispatch()`` every 0.2 s; that thread can take a session's
  action lease and run (or leave half-run) actions while the caller reads
  results.  Our host overrides ``Host._run`` (durable has no public switch for
  it) so no thread is started; nothing else reaches into durable's internals.
  With no other taker of the lease, ``Host.assert_fact`` runs every pending action of the session
  synchronously (``Ruleset.do_actions`` loops ``complete_and_start_action``
  until the agenda is empty) before it returns.
* **Swallowed action exceptions.**  durable catches anything raised in an
  action and writes its text into the session state's ``exception`` field.  Our
  actions store the original exception before durable sees it; after the assert
  we re-raise it, or raise :class:`DurableBackendError` if the state carries an
  ``exception`` we did not store.
* **``MessageNotHandledException``** when no rule matches a fact: a catch-all
  rule matches every fact we assert (it also proves the agenda ran).
* **1,024 live sessions per ruleset** (``MemoryError`` after that) and
  ``MessageObservedException`` on a re-asserted identical fact: one fresh,
  never-reused session id per decision, deleted in ``finally``.
* **Mutated input.**  ``Host.set_rulesets`` deletes the ``run`` keys of the dict
  it is given, so the generated ruleset is deep-copied first.
* **JSON everywhere, and loose typing.**  durable compares ``"5" == 5`` as true
  and treats any non-``0`` digit as ``true``; so fact values are checked against
  the fact schema (``bool``/``int``/``str`` only; other types raise
  ``TypeError``), ints must fit in 64 bits, and bools are sent as the ints
  ``0``/``1`` on both sides, which keeps Python's own ``True == 1`` semantics.
* **A bare ``$nex`` hangs the engine** (an ``$or`` branch or a whole condition
  made only of "key absent" tests loops forever in the C core).  Every
  condition is therefore wrapped as ``$and: [{marker: 1}, condition]`` where
  the marker is a key present in every fact we assert, so every branch carries
  a positive test.

The module imports without durable_rules installed; :class:`DurableBackend`
raises ``ImportError`` with the install hint when it is constructed.
"""

from __future__ import annotations

import copy
import importlib
import itertools
import threading
from collections import OrderedDict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..facts.schema import FACTS, FactType
from ..model.decision import RuleStatus
from ..ruleset.language import All, Compare, Condition, Not, facts_in
from ..ruleset.model import Rule
from .plan import status_of

Json = dict[str, Any]
"""A JSON object of durable's ruleset language."""

INSTALL_HINT = "durable_rules is not installed; install it with: pip install 'credit_rules[durable]'"

MARKER = "credit_rules__fact"
"""A key present (value 1) in every asserted fact: the catch-all rule's test and
the positive test that keeps ``$nex``-only branches from hanging durable."""

_RESERVED = frozenset({MARKER, "sid", "id"})
_INT64 = (-(2**63), 2**63 - 1)
_ORDER_OPS = {"lt": "$lt", "le": "$lte", "gt": "$gt", "ge": "$gte"}
_NEGATED_ORDER = {"lt": "$gte", "le": "$gt", "gt": "$lte", "ge": "$lt"}
_CATCH_ALL = "all"

_ruleset_numbers = itertools.count(1)
"""Process-wide: durable's C core and any host must never see a name twice."""


class DurableBackendError(RuntimeError):
    """durable_rules failed in a way it would otherwise have hidden."""


# ------------------------------------------------------------- translation


def fact_key(name: str) -> str:
    """The JSON key a fact is asserted under.

    durable reads dotted keys as paths into nested objects, so ``.`` becomes
    ``__``; :func:`translate` checks that no two facts map to the same key.
    """
    return name.replace(".", "__")


def _encode(value: object, where: str) -> bool | int | str:
    """A value as durable should see it: bools as 0/1, ints checked to 64 bits."""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int):
        if not _INT64[0] <= value <= _INT64[1]:
            raise ValueError(f"{where}: {value} does not fit durable_rules' 64-bit integers")
        return int(value)
    if isinstance(value, str):
        return str(value)
    raise TypeError(f"{where}: durable_rules backend handles bool, int and str values only, got {type(value).__name__}")


def _and(items: list[Json]) -> Json:
    flat: list[Json] = []
    for item in items:
        flat += item["$and"] if set(item) == {"$and"} else [item]
    return flat[0] if len(flat) == 1 else {"$and": flat}


def _or(items: list[Json]) -> Json:
    flat: list[Json] = []
    for item in items:
        flat += item["$or"] if set(item) == {"$or"} else [item]
    return flat[0] if len(flat) == 1 else {"$or": flat}


_TRUE: Json = {MARKER: 1}
_FALSE: Json = {"$nex": {MARKER: 1}}


def _leaf(c: Compare, negated: bool) -> Json:
    """One comparison in three-valued logic: ``negated`` gives the leaf *definitely false*.

    Positive form: ``$ex`` guard and the test (true only on a known fact).
    Negated form: ``$ex`` guard and the inverse test — an unknown (absent)
    fact is neither true nor false, so the rule it decides comes out unknown,
    exactly as the reference closures give None.  ``present`` is never unknown.
    """
    k = fact_key(c.fact)
    ex: Json = {"$ex": {k: 1}}
    nex: Json = {"$nex": {k: 1}}
    where = f"condition on {c.fact!r}"
    if c.op == "present":
        if not isinstance(c.value, bool):
            raise TypeError(f"{where}: 'present' takes true or false, got {c.value!r}")
        return ex if c.value != negated else nex
    if c.op in ("in", "not_in"):
        values = [_encode(v, where) for v in c.value]
        if not values:
            raise ValueError(f"{where}: '{c.op}' needs a non-empty list")
        eqs = [{k: v} for v in values]
        neqs = [{"$neq": {k: v}} for v in values]
        member = (c.op == "in") != negated
        return _and([ex, _or(eqs) if member else _and(neqs)])
    v = _encode(c.value, where)
    if c.op in ("eq", "ne"):
        equal = (c.op == "eq") != negated
        return _and([ex, {k: v} if equal else {"$neq": {k: v}}])
    if c.op in _ORDER_OPS:
        return _and([ex, {(_NEGATED_ORDER if negated else _ORDER_OPS)[c.op]: {k: v}}])
    raise ValueError(f"{where}: unknown operator {c.op!r}")


def condition_json(cond: Condition, negated: bool = False) -> Json:
    """Translate a condition to durable's expression form, ``Not`` pushed to the leaves.

    ``negated=False`` matches when the condition is definitely true,
    ``negated=True`` when it is definitely false (Kleene logic: De Morgan holds,
    and a leaf on an absent fact matches neither form).
    """
    if isinstance(cond, Compare):
        return _leaf(cond, negated)
    if isinstance(cond, Not):
        return condition_json(cond.item, not negated)
    parts = [condition_json(item, negated) for item in cond.items]
    conjunction = isinstance(cond, All) != negated  # De Morgan swaps all/any
    if not parts:  # all() of nothing is true, any() of nothing is false
        return _TRUE if conjunction else _FALSE
    return _and(parts) if conjunction else _or(parts)


def _rule_json(cond: Condition, action: str, negated: bool = False) -> Json:
    # The marker test keeps every $or branch anchored by a positive test.
    return {"all": [{"m": _and([_TRUE, condition_json(cond, negated)])}], "run": action}


def translate(rules: Sequence[Rule]) -> Json:
    """The durable ruleset (rule name -> rule) for *rules*; actions are named.

    Rule *i* gives ``when_i`` / ``when_false_i`` (if it has a ``when``) with
    actions ``w<i>`` / ``wf<i>``, and ``require_i`` / ``require_false_i`` with
    actions ``r<i>`` / ``rf<i>``: each condition definitely true, and
    definitely false (neither fires when it is unknown).  ``catch_all``
    (action ``all``) matches every asserted fact.  The result is plain JSON.
    """
    keys: dict[str, str] = {}
    for rule in rules:
        conds = [rule.require] if rule.when is None else [rule.when, rule.require]
        for name in (n for c in conds for n in facts_in(c)):
            key = fact_key(name)
            if key in _RESERVED or key.startswith("$") or keys.setdefault(key, name) != name:
                raise ValueError(f"fact {name!r} maps to durable key {key!r}, which is reserved or already used")
    out: Json = {}
    for i, rule in enumerate(rules):
        if rule.when is not None:
            out[f"when_{i}"] = _rule_json(rule.when, f"w{i}")
            out[f"when_false_{i}"] = _rule_json(rule.when, f"wf{i}", negated=True)
        out[f"require_{i}"] = _rule_json(rule.require, f"r{i}")
        out[f"require_false_{i}"] = _rule_json(rule.require, f"rf{i}", negated=True)
    out["catch_all"] = {"all": [{"m": dict(_TRUE)}], "run": _CATCH_ALL}
    return out


# ---------------------------------------------------------------- durable


def _load_durable() -> tuple[Any, Any]:
    """Import ``durable.engine`` and the C core lazily (never ``durable.lang``)."""
    try:
        engine = importlib.import_module("durable.engine")
        core = importlib.import_module("durable_rules_engine")
    except ImportError as exc:
        raise ImportError(INSTALL_HINT) from exc
    return engine, core


def _reads(rules: Sequence[Rule]) -> tuple[tuple[str, str, FactType | None], ...]:
    seen: dict[str, tuple[str, str, FactType | None]] = {}
    for rule in rules:
        conds = [rule.require] if rule.when is None else [rule.when, rule.require]
        for name in (n for c in conds for n in facts_in(c)):
            spec = FACTS.get(name)
            seen.setdefault(name, (name, fact_key(name), spec.type if spec else None))
    return tuple(seen.values())


def _check_type(name: str, value: object, kind: FactType | None) -> None:
    """Refuse values durable would compare loosely (``"5" == 5``)."""
    if kind is FactType.bool:
        ok = isinstance(value, bool)
    elif kind is FactType.int:
        ok = isinstance(value, int) and not isinstance(value, bool)
    elif kind in (FactType.enum, FactType.str):
        ok = isinstance(value, str)
    else:
        ok = isinstance(value, (bool, int, str))
    if not ok:
        want = kind.value if kind else "bool, int or str"
        raise TypeError(f"fact {name!r}: expected a {want} value (or None), got {type(value).__name__} {value!r}")


@dataclass
class _Compiled:
    """One rule tuple, loaded into its own host under its own ruleset name."""

    name: str
    host: Any
    core: Any
    conditions: tuple[tuple[Condition | None, Condition], ...]
    reads: tuple[tuple[str, str, FactType | None], ...]
    fired: dict[str, set[str]] = field(default_factory=dict)
    errors: dict[str, BaseException] = field(default_factory=dict)

    def close(self) -> None:
        """Free the C ruleset (durable has no Python API for it)."""
        for ruleset in list(self.host._ruleset_list):
            self.core.delete_ruleset(ruleset._handle)
        self.host._ruleset_list.clear()
        self.host._ruleset_directory.clear()


class DurableBackend:
    """Evaluate rule conditions with durable_rules' JSON rulesets.

    ``statuses(rules, facts)`` returns exactly what
    :meth:`PythonBackend.statuses <credit_rules.engine.backend.PythonBackend.statuses>`
    returns.  Each distinct rule tuple is translated and loaded once (cached on
    this instance, up to *max_rulesets*, least recently used evicted and freed).
    Decisions are serialised by a per-instance lock; each uses a fresh session
    that is deleted afterwards.  Call :meth:`close` to free durable's memory.
    """

    name = "durable_rules"

    def __init__(self, *, max_rulesets: int = 32) -> None:
        self._engine, self._core = _load_durable()
        if max_rulesets < 1:
            raise ValueError("max_rulesets must be at least 1")
        self._max = max_rulesets
        self._lock = threading.Lock()
        self._cache: OrderedDict[tuple[str, ...], _Compiled] = OrderedDict()
        self._sids = itertools.count(1)

    # -------------------------------------------------------------- public

    def statuses(self, rules: Sequence[Rule], facts: Mapping[str, object]) -> list[RuleStatus]:
        """Status of each rule: ``not_applicable``, ``unknown``, ``passed`` or ``failed``."""
        rules = tuple(rules)
        with self._lock:
            compiled = self._compiled(rules)
            fired = self._decide(compiled, facts)
        out: list[RuleStatus] = []
        for i, rule in enumerate(rules):
            when: bool | None = True
            if rule.when is not None:
                when = True if f"w{i}" in fired else False if f"wf{i}" in fired else None
            require = True if f"r{i}" in fired else False if f"rf{i}" in fired else None
            out.append(status_of(when, require))
        return out

    def close(self) -> None:
        """Free every loaded ruleset; the backend stays usable (it recompiles)."""
        with self._lock:
            while self._cache:
                self._cache.popitem()[1].close()

    # ------------------------------------------------------------ internals

    def _fired(self, compiled: _Compiled, sid: str, tag: str) -> None:
        """Body of every durable action: note that *tag* fired in session *sid*."""
        compiled.fired[sid].add(tag)

    def _compiled(self, rules: tuple[Rule, ...]) -> _Compiled:
        key = tuple(r.id for r in rules)
        conditions = tuple((r.when, r.require) for r in rules)
        hit = self._cache.get(key)
        if hit is not None:
            same = all(a is b for a, b in zip(hit.conditions, conditions, strict=True)) or hit.conditions == conditions
            if same:
                self._cache.move_to_end(key)
                return hit
            del self._cache[key]
            hit.close()
        compiled = self._compile(rules, conditions)
        self._cache[key] = compiled
        while len(self._cache) > self._max:
            self._cache.popitem(last=False)[1].close()
        return compiled

    def _compile(self, rules: tuple[Rule, ...], conditions: tuple[tuple[Condition | None, Condition], ...]) -> _Compiled:
        definition = translate(rules)
        name = f"credit_rules_{next(_ruleset_numbers)}_{id(self):x}"
        actions: dict[str, Callable[[Any], None]] = {}
        host = _private_host(self._engine, actions)
        compiled = _Compiled(name, host, self._core, conditions, _reads(rules))
        for spec in definition.values():
            actions[spec["run"]] = self._action(compiled, spec["run"])
        host.set_rulesets({name: copy.deepcopy(definition)})
        return compiled

    def _action(self, compiled: _Compiled, tag: str) -> Callable[[Any], None]:
        # durable inspects co_argcount: an action must be a plain one-argument function.
        def action(c: Any) -> None:
            sid = str(c.s["sid"])
            try:
                self._fired(compiled, sid, tag)
            except BaseException as exc:
                compiled.errors.setdefault(sid, exc)  # durable would only keep its text
                raise

        return action

    def _decide(self, compiled: _Compiled, facts: Mapping[str, object]) -> set[str]:
        sid = str(next(self._sids))
        fact: dict[str, object] = {MARKER: 1}
        for name, key, kind in compiled.reads:
            value = facts.get(name)
            if value is None:
                continue  # unknown = absent key, so durable's $nex sees it
            _check_type(name, value, kind)
            fact[key] = _encode(value, f"fact {name!r}")
        fact["sid"] = sid
        fired = compiled.fired[sid] = set()
        asserted = False
        try:
            state = compiled.host.assert_fact(compiled.name, fact)
            asserted = True
            error = compiled.errors.get(sid)
            if error is not None:
                raise error
            if isinstance(state, dict) and state.get("exception"):
                raise DurableBackendError(f"durable_rules action failed: {state['exception']}")
            if _CATCH_ALL not in fired:
                raise DurableBackendError("durable_rules returned before running the session's actions")
            return fired
        finally:
            compiled.fired.pop(sid, None)
            compiled.errors.pop(sid, None)
            try:
                compiled.host.delete_state(compiled.name, sid)
            except Exception:
                # If the assert itself failed there may be no session to delete
                # (durable error 309); do not mask the original error with that.
                if asserted:
                    raise


_HOST_CLASSES: dict[int, type] = {}


def _private_host(engine: Any, actions: Mapping[str, Callable[[Any], None]]) -> Any:
    """A fresh ``durable.engine.Host`` that starts no threads and resolves our actions."""
    cls = _HOST_CLASSES.get(id(engine))
    if cls is None:

        class _Host(engine.Host):  # type: ignore[misc]
            """Private host: actions by name from a dict; no dispatcher threads."""

            def __init__(self, table: Mapping[str, Callable[[Any], None]]) -> None:
                self._actions_by_name = table
                super().__init__()

            def _run(self) -> None:
                # Host._run starts daemon threads that dispatch pending actions
                # every 0.2 s and race the synchronous caller; we never need them.
                return None

            def get_action(self, action_name: str) -> Callable[[Any], None]:
                return self._actions_by_name[action_name]

        cls = _HOST_CLASSES[id(engine)] = _Host
    return cls(actions)


__all__ = ["INSTALL_HINT", "MARKER", "DurableBackend", "DurableBackendError", "condition_json", "fact_key", "translate"]
