"""The rule language compiled to polars expressions: definitions and rule conditions, one column each.

Why: deciding 26 million list entries one case at a time takes hours; the
same definitions and rules evaluated as column expressions take seconds.
Nothing here is a second copy of the law: every expression is built from the
parsed, type-checked AST of ``rules/`` (:mod:`credit_rules.ruleset.expr`,
re-checked with the same checker and scope the loader uses) and from the
rules' condition trees (:mod:`credit_rules.ruleset.language`).

Semantics match the per-case evaluator (:mod:`credit_rules.ruleset.evaluate`):

* unknown is ``null``; polars' ``&``/``|``/``~`` are Kleene's three-valued
  logic, as ``and``/``or``/``not`` are; comparisons and arithmetic on null
  give null; ``present(x)`` is ``is_not_null``; ``otherwise`` is ``coalesce``;
* a definition's ``cases`` are a first-hit chain in which an unknown ``when``
  makes the value unknown; exceptions (``exception_to``) decide as
  :func:`credit_rules.ruleset.definitions.resolve` does (two applying, or one
  unknown, give unknown); a local definition or rule binds only rows of its
  locality (the row's jurisdiction chain);
* ``working_days_between`` is the difference of the calendar's running
  counts, looked up once per distinct date of the chunk.

**Lookups (the per-case evaluator over distinct keys).**  A part the compiler
does not vectorise — ``param()``, ``legal_form()``, ``basis_in_force()``,
``period_end()``, duration arithmetic, decimal division — is evaluated by the
per-case closure of the same AST node (:func:`~credit_rules.ruleset.evaluate.compile_expr`)
once per distinct tuple of the values it reads (with the row's jurisdiction,
and the question's date where it reads it), and joined back.  Parameters
change on a few dates, so this is a join by (jurisdiction, date).  Each such
part is reported when the question is compiled (:attr:`CompiledQuestion.lookups`),
with why; none is dropped.
"""

from __future__ import annotations

import functools
import operator
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import polars as pl

from ..facts.schema import FactSpec, FactType, all_facts
from ..model.case import Question
from ..workdays import CalendarCoverageError
from ..model.decision import Effect, Outcome
from ..model.legal import LegalBasis
from ..ruleset.checker import Checker
from ..ruleset.definitions import Definition, DefinitionGroup
from ..ruleset.evaluate import Env, EvaluationError, compile_expr
from ..ruleset.loader import Scope
from ..ruleset.expr import Binary, Call, Duration, If, ListLit, Lit, Name, Node, Type, Unary, names_in, nodes, parse, reads_question_date
from ..ruleset.language import All, AnyOf, Compare, Condition, Not
from ..ruleset.model import Rule
from ..engine.trace import summarize

if TYPE_CHECKING:
    from ..engine.decide import Engine

JURISDICTION = "jurisdiction.code"
"""The column holding the row's GB/T 2260 code (as the fact of that name)."""

PARAM_LAYERS = "__param_layers"
"""The column holding :meth:`Compiler.param_layers` (what a lookup's parameters depend on)."""

QUESTION_DATE = "question.date"
"""The column holding the question's date (the as-of date for determination, the decision date for listing)."""


class NotVectorised(Exception):
    """A part of an expression the compiler does not turn into a polars expression (the reason is the message)."""


def dtype_of(t: Type) -> pl.DataType:
    """The polars type holding values of rule-language type *t* (null: unknown)."""
    kind = t.kind
    if kind == "bool":
        return pl.Boolean()
    if kind == "int":
        return pl.Int64()
    if kind == "date":
        return pl.Date()
    if kind in ("str", "enum"):
        return pl.String()
    if kind == "set":
        return pl.List(pl.String())
    if kind == "decimal":
        return pl.Decimal(38, DECIMAL_SCALE)
    raise NotVectorised(f"a {t} value has no column type")


DECIMAL_SCALE = 8
"""Decimal places of amounts and ratios in columns (figures are read at this scale)."""


def fact_dtype(spec: FactSpec) -> pl.DataType:
    """The column type of a fact of the fact schema."""
    return {
        FactType.bool: pl.Boolean(), FactType.int: pl.Int64(), FactType.enum: pl.String(), FactType.str: pl.String(),
        FactType.set: pl.List(pl.String()), FactType.date: pl.Date(), FactType.decimal: pl.Decimal(38, DECIMAL_SCALE),
    }[spec.type]


def in_chain(code: str) -> pl.Expr:
    """Whether a rule or definition of jurisdiction *code* binds each row (its code's chain holds *code*)."""
    if code == "000000":
        return pl.lit(True)
    if code.endswith("0000"):
        return pl.col(PROVINCE) == code
    if code.endswith("00"):
        return pl.col(CITY) == code
    return pl.col(JURISDICTION) == code


PROVINCE, CITY = "__province", "__city"
"""Columns holding the province and city codes of each row's jurisdiction (its chain, computed once)."""


def chain_columns() -> list[pl.Expr]:
    """The province and city codes of each row's jurisdiction, as :func:`in_chain` reads them."""
    j = pl.col(JURISDICTION)
    return [(j.str.slice(0, 2) + "0000").alias(PROVINCE), (j.str.slice(0, 4) + "00").alias(CITY)]


def _null_if_any_null(parts: Sequence[pl.Expr], value: pl.Expr) -> pl.Expr:
    return pl.when(pl.any_horizontal([p.is_null() for p in parts])).then(None).otherwise(value)


def _kleene(op: Callable[[pl.Expr, pl.Expr], pl.Expr], parts: Sequence[pl.Expr]) -> pl.Expr:
    return functools.reduce(op, parts)


@dataclass(frozen=True)
class Lookup:
    """A part of a definition evaluated by the per-case evaluator once per distinct key, and why."""

    definition: str
    expression: str
    why: str
    keys: tuple[str, ...]


@dataclass
class CompiledQuestion:
    """A question's definitions (in evaluation order) and rules as polars expressions."""

    question: Question
    definitions: list[tuple[str, pl.Expr]]
    rules: tuple[Rule, ...]
    fired: list[pl.Expr]
    unknown: list[pl.Expr]
    lookups: list[Lookup] = field(default_factory=list)
    flags: list[pl.Expr] = field(default_factory=list)
    """The columns ``fired:<rule id>`` and ``unknown:<rule id>`` that :attr:`fired` and :attr:`unknown` read, and
    ``consulted:<question>`` (any rule of the question binds the row: the fail-closed guard of ``summarize`` reads it)."""
    levels: list[list[pl.Expr]] = field(default_factory=list)
    """:attr:`definitions` by level: each reads only columns of earlier levels, so a level is one ``with_columns``."""
    summaries: dict[tuple[object, ...], tuple[object, ...]] = field(default_factory=dict, repr=False, compare=False)
    """Summaries already worked out, by (refused, ok, flag bits): a pure function of its key, kept across chunks."""

    def summarise(
        self, frame: pl.DataFrame, refused: Outcome, ok: Outcome, prefix: str = "", *, split: bool = True, deferred: Outcome | None = None
    ) -> pl.DataFrame:
        """*frame* with the question's ``outcome``, ``reasons``, ``fired``, ``undetermined_by`` and ``lenient``
        columns (named with *prefix*), and without its flag columns.

        A summary is a function of which rules fired and which were left unknown only, so it is worked out by
        the engine's own :func:`~credit_rules.engine.trace.summarize` once per distinct combination of flags in
        the chunk (a few hundred) and joined back: the same outcome logic as every per-case decision.  With
        *split* false the id lists stay text joined by :data:`SEP` (for a caller reading them in Python)."""
        rules = self.rules
        blocks = [list(range(i, min(i + 63, len(rules)))) for i in range(0, max(1, len(rules)), 63)]
        keys: list[pl.Expr] = []
        for b, block in enumerate(blocks):
            for kind in ("fired", "unknown"):
                bits = [pl.col(f"{kind}:{rules[i].id}").cast(pl.UInt64) * (1 << (i - block[0])) for i in block]
                keys.append((pl.sum_horizontal(bits) if bits else pl.lit(0, pl.UInt64)).cast(pl.UInt64).alias(f"__{kind}:{b}"))
        frame = frame.with_columns(keys)
        names = [f"__{kind}:{b}" for b in range(len(blocks)) for kind in ("fired", "unknown")]
        names.append(self.consulted)
        distinct = frame.select(names).unique()
        rows: list[tuple[object, ...]] = []
        for values in distinct.iter_rows():  # a few hundred to a few thousand combinations per chunk
            key = (refused, ok, deferred, values)
            if (summary := self.summaries.get(key)) is None:
                summary = self.summaries[key] = self._summary(values, blocks, refused, ok, deferred)
            rows.append((*values, *summary))
        out = [f"{prefix}outcome", f"{prefix}reasons", f"{prefix}fired", f"{prefix}undetermined_by", f"{prefix}lenient"]
        schema: dict[str, pl.DataType] = {n: pl.UInt64() for n in names}
        schema[self.consulted] = pl.Boolean()
        schema.update({out[0]: pl.String(), out[1]: pl.String(), out[2]: pl.String(), out[3]: pl.String(), out[4]: pl.Boolean()})
        table = pl.DataFrame({n: [r[i] for r in rows] for i, n in enumerate(schema)}, schema=schema)
        # the lists travel as text joined by a separator no id contains and are split once here: polars builds a
        # list column from Python lists about ten times slower than it splits strings
        if split:
            table = table.with_columns(
                pl.when(pl.col(c) == "").then(pl.lit([], pl.List(pl.String()))).otherwise(pl.col(c).str.split(SEP)).alias(c)
                for c in out[1:4]
            )
        flags = [n for n in frame.columns if n.startswith(("fired:", "unknown:"))]
        return frame.join(table, on=names, how="left", maintain_order="left").drop([*names, *flags])

    @property
    def consulted(self) -> str:
        """The flag column: whether any of the question's rules is in force for the row (its locality and date)."""
        return f"consulted:{self.question.value}"

    def _summary(
        self, values: tuple[object, ...], blocks: list[list[int]], refused: Outcome, ok: Outcome, deferred: Outcome | None = None
    ) -> tuple[object, ...]:
        """The engine's summary of one combination of fired and unknown flags: outcome, reasons, fired ids and
        undetermined-by ids (each joined by :data:`SEP`), leniency.  The last value is the consulted flag."""
        rules = self.rules
        fired: list[Rule] = []
        unknown: list[Rule] = []
        for b, block in enumerate(blocks):
            f_bits, u_bits = values[2 * b], values[2 * b + 1]
            assert isinstance(f_bits, int) and isinstance(u_bits, int)
            fired += [rules[i] for i in block if f_bits >> (i - block[0]) & 1]
            unknown += [rules[i] for i in block if u_bits >> (i - block[0]) & 1]
        summary = summarize(fired, refused, ok, deferred, unknown, consulted=1 if values[-1] else 0)
        return (summary["outcome"].value, SEP.join(summary["reasons"]), SEP.join(summary["fired"]),
                SEP.join(summary["undetermined_by"]), bool(summary["leniency"]))


SEP = "\x1f"
"""Joins a summary's ids while it is built (unit separator: no rule id or reason code contains it)."""


class Compiler:
    """Compiles one loaded engine's definitions and rules to polars expressions."""

    def __init__(self, engine: Engine, on: str = QUESTION_DATE) -> None:
        self.engine = engine
        self.on = on
        """The column of the date the question is evaluated on (the engine's ``Env.on``): the date rules are in force
        on and dated built-ins without ``at:`` read.  The fact ``question.date`` is its own column: a question such as
        repair is evaluated on another day (the application date) than the one that fact holds (the as-of date)."""
        groups = engine.ruleset.definitions.groups
        self.facts = all_facts()
        self.scope = Scope(self.facts, {g.id: g.type for g in groups.values()}, engine.parameters.types())
        self.lookups: list[Lookup] = []
        self.stages: list[tuple[str, pl.Expr]] = []
        """Columns a definition reads that are computed before it: lookups and working-day running counts
        (each computed once per row, however often the definition's expression refers to it)."""
        self._owner = ""
        self._workdays: tuple[pl.Series, list[int]] | None = None

    # ------------------------------------------------------------ questions

    def question(self, question: Question, outputs: tuple[str, ...] = ()) -> CompiledQuestion:
        """Every rule of *question* (all jurisdictions; each binds only its rows) and the definitions they read."""
        rules = self.engine.ruleset.by_question[question]
        names = list(dict.fromkeys([*(n for r in rules for n in r.reads), *outputs]))
        needed = self.engine.ruleset.definitions.needed(names)
        self.lookups = []
        defs: list[tuple[str, pl.Expr]] = []
        level: dict[str, int] = {}
        levels: dict[int, list[pl.Expr]] = {}
        for g in needed:
            self.stages = []
            value = self.group(g).cast(dtype_of(g.type)).alias(g.id)
            # a definition is computed one level after everything it reads; the columns of one level together
            start = 1 + max((level[r] for r in g.reads if r in level), default=-1)
            for name, stage in self.stages:
                levels.setdefault(start, []).append(stage)
                defs.append((name, stage))
            level[g.id] = start + (1 if self.stages else 0)
            levels.setdefault(level[g.id], []).append(value)
            defs.append((g.id, value))
        flags: list[pl.Expr] = []
        for rule in rules:
            flags += self.rule(rule, self.on)
        # the engine's guard for a question none of whose rules is in force (trace.summarize) reads this flag
        consulted = pl.any_horizontal([self.applies(r, self.on) for r in rules]) if rules else pl.lit(False)
        flags.append(consulted.fill_null(False).alias(f"consulted:{question.value}"))
        fired = [pl.col(f"fired:{r.id}") for r in rules]
        unknown = [pl.col(f"unknown:{r.id}") for r in rules]
        return CompiledQuestion(question, defs, tuple(rules), fired, unknown, list(self.lookups), flags, [levels[k] for k in sorted(levels)])

    def applies(self, rule: Rule, on: str) -> pl.Expr:
        """Whether *rule* binds a row: the row's jurisdiction chain holds its locality, and it is in force on *on*."""
        spec = rule.spec
        applies = in_chain(rule.jurisdiction)
        d = pl.col(on)
        if spec.in_force_from is not None:
            applies = applies & (d >= pl.lit(spec.in_force_from))
        if spec.in_force_to is not None:
            applies = applies & (d <= pl.lit(spec.in_force_to))
        return applies

    def rule(self, rule: Rule, on: str) -> tuple[pl.Expr, pl.Expr]:
        """(fired, unknown) of a rule: it applies (locality, in force on the question's date) and its status is
        failed, or unknown (``plan.status_of``)."""
        applies = self.applies(rule, on)
        when = condition(rule.when) if rule.when is not None else pl.lit(True)
        require = condition(rule.require)
        fired = applies & (when.fill_null(False)) & (require.not_().fill_null(False))
        unknown = applies & (when.is_null() | (when.fill_null(False) & require.is_null()))
        return fired.fill_null(False).alias(f"fired:{rule.id}"), unknown.fill_null(False).alias(f"unknown:{rule.id}")

    # ----------------------------------------------------------- definitions

    def group(self, g: DefinitionGroup) -> pl.Expr:
        """A definition group's value (:func:`credit_rules.ruleset.definitions.resolve`)."""
        self._owner = g.id
        value = self._resolve(g, g.general)
        if g.general.jurisdiction != "000000":
            value = pl.when(in_chain(g.general.jurisdiction)).then(value).otherwise(None)
        return value

    def _resolve(self, g: DefinitionGroup, d: Definition) -> pl.Expr:
        own = self._value(d)
        exceptions = g.exceptions.get(d.label, ())
        if not exceptions:
            return own
        applying: list[pl.Expr] = []
        for ex in exceptions:
            w = self._text(ex.spec.when, BOOL_T) if ex.spec.when is not None else pl.lit(True)
            applying.append(pl.when(in_chain(ex.jurisdiction)).then(w).otherwise(pl.lit(False)))
        count = pl.sum_horizontal([a.fill_null(False).cast(pl.Int32) for a in applying])
        unknown = pl.any_horizontal([a.is_null() for a in applying])
        chain = pl.when(count > 1).then(None).when(unknown).then(None)
        for ex, a in zip(exceptions, applying, strict=True):
            chain = chain.when(a.fill_null(False)).then(self._resolve(g, ex))
        return chain.otherwise(own)

    def _value(self, d: Definition) -> pl.Expr:
        spec = d.spec
        if spec.value is not None:
            return self._text(spec.value, d.type)
        assert spec.cases is not None
        chain: Any = None
        for c in spec.cases:
            value = self._text(c.value, d.type)
            if c.when is None:
                return value if chain is None else chain.otherwise(value)
            w = self._text(c.when, BOOL_T)
            chain = (pl.when(w.is_null()) if chain is None else chain.when(w.is_null())).then(None).when(w).then(value)
        done: pl.Expr = chain.otherwise(None)
        return done

    def _text(self, text: str, expect: Type) -> pl.Expr:
        node, _ = Checker(self.scope).check(parse(text), expect)
        return self.expr(node)

    # ----------------------------------------------------------- expressions

    def type_of(self, node: Node) -> Type:
        return Checker(self.scope).check(node)[1]

    def expr(self, node: Node) -> pl.Expr:
        """The polars expression of a checked node; a part that is not vectorised becomes a lookup."""
        try:
            return self._native(node)
        except NotVectorised as exc:
            t = self.type_of(node)
            if t.kind in ("bool", "int", "date", "str", "enum", "set"):
                return self.lookup(node, t, str(exc))
            raise

    def _native(self, node: Node) -> pl.Expr:
        if isinstance(node, Lit):
            v = node.value
            if isinstance(v, Duration):
                raise NotVectorised("a duration")
            if isinstance(v, Decimal):
                return pl.lit(v, dtype=pl.Decimal(38, max(0, -int(v.as_tuple().exponent))))
            return pl.lit(v, dtype=dtype_of(node.type))
        if isinstance(node, Name):
            return pl.col(node.name)
        if isinstance(node, Unary):
            inner = self.expr(node.item)
            return inner.not_() if node.op == "not" else -inner
        if isinstance(node, If):
            c = self.expr(node.cond)
            return pl.when(c.is_null()).then(None).when(c).then(self.expr(node.then)).otherwise(self.expr(node.other))
        if isinstance(node, Binary):
            return self._binary(node)
        if isinstance(node, Call):
            return self._call(node)
        raise NotVectorised(f"a {type(node).__name__}")

    def _binary(self, node: Binary) -> pl.Expr:
        op = node.op
        if op == "and":
            return self.expr(node.left) & self.expr(node.right)
        if op == "or":
            return self.expr(node.left) | self.expr(node.right)
        if op in ("in", "not_in"):
            x = self.expr(node.left)
            if isinstance(node.right, Call) and node.right.fn == "param" and self.type_of(node.right).kind == "set":
                member = self._param(node.right, x)
                return member if op == "in" else member.not_()
            if isinstance(node.right, ListLit):
                if not all(isinstance(i, Lit) for i in node.right.items):
                    raise NotVectorised("a list of computed values")
                values = [i.value for i in node.right.items if isinstance(i, Lit)]
                member = x.is_in(values)
                s_null = pl.lit(False)
            else:
                s = self.expr(node.right)
                if self.type_of(node.right).kind != "set":
                    raise NotVectorised("membership in a list value")
                member = s.list.contains(x)
                s_null = s.is_null()
            result = member if op == "in" else member.not_()
            return pl.when(x.is_null() | s_null).then(None).otherwise(result)
        if op in ("==", "!=", "<", "<=", ">", ">="):
            lt = self.type_of(node.left)
            if lt.kind == "duration":
                raise NotVectorised("comparing durations")
            a, b = self.expr(node.left), self.expr(node.right)
            if node.order or (lt.kind == "enum" and lt.ordered and op not in ("==", "!=")):
                order = node.order or lt.values
                rank = {v: i for i, v in enumerate(order)}
                a = a.replace_strict(rank, default=-1, return_dtype=pl.Int64)
                b = b.replace_strict(rank, default=-1, return_dtype=pl.Int64)
            compare: dict[str, Callable[[pl.Expr, pl.Expr], pl.Expr]] = {
                "==": operator.eq, "!=": operator.ne, "<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge,
            }
            return compare[op](a, b)  # null on either side gives null
        lt, rt = self.type_of(node.left), self.type_of(node.right)
        if lt.kind == "date" and rt.kind == "duration":
            days = self._days(node.right)
            a = self.expr(node.left)
            return a + pl.duration(days=days) if op == "+" else a - pl.duration(days=days)
        if lt.kind in ("int", "decimal") and rt.kind in ("int", "decimal") and op in ("+", "-", "*"):
            a, b = self.expr(node.left), self.expr(node.right)
            arith: dict[str, Callable[[pl.Expr, pl.Expr], pl.Expr]] = {"+": operator.add, "-": operator.sub, "*": operator.mul}
            return arith[op](a, b)
        raise NotVectorised(f"'{op}' on {lt} and {rt}")

    def _days(self, node: Node) -> pl.Expr:
        """A duration in days as an integer expression (months and years clamp at month ends: not vectorised)."""
        if isinstance(node, Lit) and isinstance(node.value, Duration) and node.value.unit == "days":
            return pl.lit(node.value.amount)
        if isinstance(node, Call) and node.fn == "days":
            return self.expr(node.args[0])
        raise NotVectorised("calendar arithmetic in months, years or working days")

    def _call(self, node: Call) -> pl.Expr:
        fn = node.fn
        if fn == "present":
            return self.expr(node.args[0]).is_not_null()
        if fn == "otherwise":
            return pl.coalesce(self.expr(node.args[0]), self.expr(node.args[1]))
        if fn in ("min", "max"):
            if self.type_of(node.args[0]).kind == "duration":
                raise NotVectorised("comparing durations")
            parts = [self.expr(a) for a in node.args]
            pick = pl.min_horizontal(parts) if fn == "min" else pl.max_horizontal(parts)
            return _null_if_any_null(parts, pick)
        if fn == "param":
            return self._param(node)
        if fn == "period_end":
            return self._period_end(node)
        if fn == "years_between":
            a, b = self.expr(node.args[0]), self.expr(node.args[1])
            years = b.dt.year().cast(pl.Int64) - a.dt.year().cast(pl.Int64)
            before = b.dt.month().cast(pl.Int64) * 100 + b.dt.day().cast(pl.Int64) < a.dt.month().cast(pl.Int64) * 100 + a.dt.day().cast(pl.Int64)
            return pl.when(b >= a).then(years - before.cast(pl.Int64)).otherwise(None)
        if fn == "days_between":
            a, b = self.expr(node.args[0]), self.expr(node.args[1])
            return (b - a).dt.total_days().cast(pl.Int64)
        if fn == "working_days_between":
            a, b = self.expr(node.args[0]), self.expr(node.args[1])
            return self._running(b) - self._running(a)
        if fn == "intersects":
            left, right = node.args
            if self.type_of(left).kind != "set" or self.type_of(right).kind != "set":
                raise NotVectorised("intersects() over a list value")
            x, y = self.expr(left), self.expr(right)
            return _null_if_any_null([x, y], x.list.set_intersection(y).list.len() > 0)
        if fn == "basis_in_force":
            return self._basis_in_force(node)
        raise NotVectorised(f"{fn}() is evaluated per key by the per-case evaluator")

    def _basis_in_force(self, node: Call) -> pl.Expr:
        """``basis_in_force(id, at: d)`` (:meth:`Catalogs.legal_basis` then ``LegalBasis.in_force``) as two
        lookups of the basis's dates by id: exact where each basis is in one catalog edition only, for then the
        edition in force on *d* cannot change which entry answers.  A basis in several editions is left to the
        per-case evaluator (per key), where the edition chosen by the date is looked up."""
        entries: dict[str, list[LegalBasis]] = {}
        for f in self.engine.catalogs.files:
            for e in f.entries:
                if isinstance(e, LegalBasis):
                    entries.setdefault(e.id, []).append(e)
        if any(len(found) > 1 for found in entries.values()):
            raise NotVectorised("basis_in_force() of a legal basis given in several catalog editions")
        ident = self.expr(node.args[0])
        on = self.expr(node.at) if node.at is not None else pl.col(self.on)
        ids = sorted(entries)
        starts = ident.replace_strict(ids, [entries[i][0].effective_from for i in ids], default=None, return_dtype=pl.Date)
        ends = ident.replace_strict(ids, [entries[i][0].effective_to for i in ids], default=None, return_dtype=pl.Date)
        in_force = (starts <= on) & (ends.is_null() | (on <= ends))
        return pl.when(ident.is_null() | on.is_null() | starts.is_null()).then(None).otherwise(in_force)

    def _param(self, node: Call, member: pl.Expr | None = None) -> pl.Expr:
        """``param(name, at: d)``: the value in force on each row's date, from the most specific layer of the row's
        jurisdiction chain that gives the parameter (:meth:`Parameters.lookup`): a search of the layer's sorted
        from-dates, then one branch per value.  With *member*: whether *member* is in the (set) value, tested
        against each value's literal set (``x in param(forms…)``)."""
        t = self.type_of(node)
        if t.kind == "duration":
            raise NotVectorised("a duration parameter")
        dtype = dtype_of(t)

        def shown(v: object) -> pl.Expr:
            if member is not None:
                assert isinstance(v, frozenset)
                return pl.when(member.is_null()).then(None).otherwise(member.is_in(sorted(v)))
            return pl.lit(sorted(v) if isinstance(v, frozenset) else v, dtype=dtype)

        return self._dated(node, pl.Boolean() if member is not None else dtype, shown)

    def _dated(self, param: Call, dtype: pl.DataType, branch: Callable[[object], pl.Expr]) -> pl.Expr:
        """``param(name, at: d)`` as one branch per value: the most specific layer in the row's jurisdiction chain
        first, the value in force on *d* found by a search of that layer's from-dates; *branch* turns a value into
        the column (the value itself, a membership test, a period end).  Unknown before the first from-date."""
        name = str(param.args[0].value) if isinstance(param.args[0], Lit) else ""
        on = self.expr(param.at) if param.at is not None else pl.col(self.on)
        layers = sorted(self.engine.parameters.series(name).items(), key=lambda kv: -len(kv[0].rstrip("0")))
        out: Any = None
        for code, (dates, values) in layers:
            idx = pl.lit(pl.Series(dates, dtype=pl.Date)).search_sorted(on, side="right").cast(pl.Int64) - 1
            value: Any = pl.when(on.is_null() | (idx < 0)).then(pl.lit(None, dtype))
            for k, v in enumerate(values):
                value = value.when(idx == k).then(branch(v))
            out = (pl.when(in_chain(code)) if out is None else out.when(in_chain(code))).then(value.otherwise(None))
        done: pl.Expr = pl.lit(None, dtype) if out is None else out.otherwise(None)
        return done

    def _period_end(self, node: Call) -> pl.Expr:
        """``period_end(start, duration)`` (:func:`credit_rules.ruleset.evaluate.period_end`): the start day not
        counted, months and years clamped to the month's end, a last day on a rest day moved to the next working
        day; the duration a literal or a duration parameter (one branch per value in force)."""
        start, dur = node.args
        d = self.expr(start)
        if isinstance(dur, Lit) and isinstance(dur.value, Duration):
            return self._staged("pe", self._end(d, dur.value))
        if not (isinstance(dur, Call) and dur.fn == "param"):
            raise NotVectorised("period_end() of a computed duration")

        def end(v: object) -> pl.Expr:
            assert isinstance(v, Duration)
            return self._end(d, v)

        return self._staged("pe", self._dated(dur, pl.Date(), end))

    def _staged(self, kind: str, expr: pl.Expr) -> pl.Expr:
        """*expr* as a column computed before the definition that reads it, where it reads no column staged for the
        same definition (those are computed alongside it): a definition that refers to it several times (a null
        check, a comparison, ``max``) then reads one column instead of recomputing the whole expression each time."""
        staged = {name for name, _ in self.stages}
        if staged.intersection(expr.meta.root_names()):
            return expr
        return self._stage(kind, expr)

    def _end(self, d: pl.Expr, dur: Duration) -> pl.Expr:
        """The last day of a period of *dur* from *d* (see :meth:`_period_end`)."""
        workdays, years = self._calendar()
        days = pl.lit(workdays)
        if dur.unit == "working_days":  # the n-th working day after d
            if dur.amount < 1:
                raise NotVectorised("a period of fewer than one working day")
            i = days.search_sorted(d, side="right").cast(pl.Int64) + (dur.amount - 1)
            return pl.when(d.dt.year().cast(pl.Int64).is_in(years) & (i < workdays.len())).then(days.gather(i.clip(0, workdays.len() - 1)))
        if dur.unit == "days":
            end = d + pl.duration(days=dur.amount)
        else:
            end = d.dt.offset_by(f"{dur.amount}{'mo' if dur.unit == 'months' else 'y'}")
        i = days.search_sorted(end, side="left").cast(pl.Int64)  # the first working day on or after the end
        rolled = days.gather(i.clip(0, workdays.len() - 1))
        ok = end.dt.year().cast(pl.Int64).is_in(years) & (i < workdays.len())
        return pl.when(ok).then(rolled).otherwise(None)

    def _calendar(self) -> tuple[pl.Series, list[int]]:
        """The calendar's working days (sorted) over the years it covers, and those years."""
        calendar = self.engine.calendar
        if self._workdays is None:
            years = sorted(calendar.covered_years())
            days = [day for year in years for day in calendar.working_days(year)]
            self._workdays = (pl.Series(days, dtype=pl.Date), years)
        return self._workdays

    def _running(self, d: pl.Expr) -> pl.Expr:
        """The calendar's running count of working days up to *d*: the number of the calendar's working days on or
        before *d* (a search of their sorted list), so ``working_days_between(a, b)`` is ``running(b) - running(a)``
        (negative when b is before a).  A date outside the years the calendar covers is unknown."""
        workdays, years = self._calendar()
        known = d.dt.year().cast(pl.Int64).is_in(years)
        count = pl.lit(workdays).search_sorted(d, side="right").cast(pl.Int64)
        return self._stage("wd", pl.when(known).then(count).otherwise(None))

    def _stage(self, kind: str, expr: pl.Expr) -> pl.Expr:
        name = f"__{kind}:{self._owner}:{len(self.stages)}"
        self.stages.append((name, expr.alias(name)))
        return pl.col(name)

    def param_layers(self) -> pl.Expr:
        """The parameter layers (catalog codes that give parameters) in each row's jurisdiction chain, national
        first, joined by commas: parameters depend on the jurisdiction only through these."""
        codes = sorted(self.engine.parameters.layers(), key=lambda c: len(c.rstrip("0")))
        parts = [pl.when(in_chain(c)).then(pl.lit(c)).otherwise(None) for c in codes]
        return pl.concat_str(parts, separator=",", ignore_nulls=True) if parts else pl.lit("")

    def lookup(self, node: Node, t: Type, why: str) -> pl.Expr:
        """*node* evaluated by the per-case closure once per distinct (parameter layers, question date, values read)."""
        fn = compile_expr(node)
        names = names_in(node)
        dated = reads_question_date(node)
        reads_params = any(isinstance(n, Call) and n.fn == "param" for n in nodes(node))
        keys = [*([PARAM_LAYERS] if reads_params else []), *([self.on] if dated else []), *names]
        out_type = dtype_of(t)
        engine = self.engine
        text = _render(node)
        self.lookups.append(Lookup(self._owner, text, why, tuple(keys)))
        setish = {n for n in names if (t_n := self.scope.type_of(n)) is not None and t_n.kind == "set"}

        memo: dict[tuple[object, ...], object] = {}  # a pure function of its key: remembered across chunks, bounded

        def run(s: pl.Series) -> pl.Series:
            frame = s.struct.unnest()
            distinct = frame.unique()
            values: list[object] = []
            views: dict[str, Any] = {}
            first = 1 if reads_params else 0
            if len(memo) >= _MEMO_LIMIT:
                memo.clear()
            for row in distinct.iter_rows():
                try:
                    hit = memo.get(row, _MISSING)
                except TypeError:  # a set value (a list) in the key
                    hit = _MISSING
                if hit is not _MISSING:
                    values.append(hit)
                    continue
                code = row[0] if reads_params else ""
                on = row[first] if dated else date.min
                scope = dict(zip(names, row[first + (1 if dated else 0) :], strict=True))
                for n in setish:
                    if scope.get(n) is not None:
                        scope[n] = frozenset(scope[n])
                view = views.get(code)
                if view is None:
                    view = views[code] = engine.parameters.for_jurisdiction(tuple(code.split(","))) if code else None
                env = Env(scope, on, view, engine.calendar, engine.catalogs)
                try:
                    v = fn(env)
                except (EvaluationError, CalendarCoverageError):  # a date the calendar cannot count: unknown
                    v = None
                shown = sorted(v) if isinstance(v, (frozenset, set, tuple, list)) else v
                values.append(shown)
                try:
                    memo[row] = shown
                except TypeError:
                    pass
            table = distinct.with_columns(pl.Series("__value", values, dtype=out_type))
            return frame.join(table, on=list(frame.columns), how="left", nulls_equal=True, maintain_order="left")["__value"]

        return self._stage("lookup", pl.struct([pl.col(k).alias(f"k{i}") for i, k in enumerate(keys)]).map_batches(run, return_dtype=out_type))



BOOL_T = Type("bool")
_MISSING = object()
_MEMO_LIMIT = 1 << 20
"""Remembered lookup values (and working-day counts) per compiled part before the memo starts afresh."""


def condition(cond: Condition) -> pl.Expr:
    """A rule's ``when``/``require`` tree as a three-valued expression (:func:`credit_rules.ruleset.language.compile_condition`)."""
    if isinstance(cond, Compare):
        x = pl.col(cond.fact)
        v = cond.value
        if cond.op == "present":
            return x.is_not_null() if v else x.is_null()
        if cond.op in ("in", "not_in"):
            member = x.is_in(list(v))
            return pl.when(x.is_null()).then(None).otherwise(member if cond.op == "in" else member.not_())
        ops: dict[str, Callable[[pl.Expr, pl.Expr], pl.Expr]] = {
            "eq": operator.eq, "ne": operator.ne, "lt": operator.lt, "le": operator.le, "gt": operator.gt, "ge": operator.ge,
        }
        return ops[cond.op](x, pl.lit(v))
    if isinstance(cond, Not):
        return condition(cond.item).not_()
    parts = [condition(i) for i in cond.items]
    return _kleene(operator.and_ if isinstance(cond, All) else operator.or_, parts)


def _render(node: Node) -> str:
    """A short rendering of a node for the load-time report."""
    if isinstance(node, Name):
        return node.name
    if isinstance(node, Lit):
        return str(node.value)
    if isinstance(node, Call):
        inner = ", ".join(_render(a) for a in node.args)
        return f"{node.fn}({inner}{', at: ' + _render(node.at) if node.at is not None else ''})"
    if isinstance(node, Binary):
        return f"({_render(node.left)} {node.op} {_render(node.right)})"
    if isinstance(node, Unary):
        return f"{node.op} {_render(node.item)}"
    if isinstance(node, ListLit):
        return "[" + ", ".join(_render(i) for i in node.items) + "]"
    if isinstance(node, If):
        return f"if {_render(node.cond)} then {_render(node.then)} else {_render(node.other)}"
    return type(node).__name__


__all__ = ["CompiledQuestion", "Compiler", "JURISDICTION", "Lookup", "NotVectorised", "QUESTION_DATE", "condition", "dtype_of", "fact_dtype", "in_chain"]
