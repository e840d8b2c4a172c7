"""Evaluating checked expressions: closures built from the AST, with unknown propagating.

Each node becomes one Python closure over an :class:`Env`; nothing is
generated as source text.  ``None`` is *unknown*: ``and``/``or``/``not`` follow
Kleene's three-valued logic, and every other operator or built-in gives
unknown when an operand it needs is unknown (a ratio over zero is unknown too).
Only ``present`` and ``otherwise`` turn unknown into a value.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal, DivisionByZero, InvalidOperation
from typing import TYPE_CHECKING, Any, NamedTuple, Protocol

from ..identifiers import age_on
from ..workdays import CalendarCoverageError, plus_months
from .expr import Binary, Call, Duration, If, ListLit, Lit, Name, Node, Unary

if TYPE_CHECKING:
    from ..catalog.store import Catalogs
    from ..workdays import WorkingDayCalendar


class ParamSource(Protocol):
    """Dated parameters by name (:class:`credit_rules.catalog.kinds.parameters.Parameters`)."""

    def value(self, name: str, on: date) -> tuple[object, ParamRead] | None: ...


class ParamRead(NamedTuple):
    """One parameter read, for the trace: the value, its source paragraph and the dates that chose it.

    A named tuple (made, hashed and compared in C): a decision reads some ten parameters and its trace entries
    are keyed on them."""

    name: str
    value: object
    source: str
    valid_from: date
    at: date
    verified: bool


class EvaluationError(ValueError):
    """A value the law's arithmetic cannot produce (a date out of range, a calendar year not covered)."""


class CalendarUnknown(EvaluationError):
    """A working-day count on a year the calendar does not cover: the count is unknown, not guessed.

    Which weekdays were 法定节假日 and which weekends 调休上班日 in that year is a fact nobody has given the
    engine (the vendored year files and chinese_calendar start in 2004), so a definition that counts working
    days there is unknown and its question fails closed; :attr:`missing` is the name the decision's ``missing``
    lists for it, so the answer says what to supply.
    """

    def __init__(self, exc: CalendarCoverageError) -> None:
        self.year: int = exc.year
        self.missing: str = calendar_missing_name(exc.year)
        super().__init__(f"{exc.message} / {exc.message_zh}")


def calendar_missing_name(year: int) -> str:
    """The name ``missing`` gives a year's absent working-day calendar (``working_day_calendar_2003``)."""
    return f"working_day_calendar_{year}"


@dataclass
class Env:
    """What expressions read: facts and definition values by name, the question's date, parameters,
    the working-day calendar and the catalogs.  ``params_read`` collects every parameter read, for the trace."""

    values: Mapping[str, object]
    on: date
    params: ParamSource | None = None
    calendar: WorkingDayCalendar | None = None
    catalogs: Catalogs | None = None
    params_read: list[ParamRead] = field(default_factory=list)


Fn = Callable[[Env], Any]


def _kleene_and(a: Fn, b: Fn) -> Fn:
    def f(env: Env) -> bool | None:
        x = a(env)
        if x is False:
            return False
        y = b(env)
        if y is False:
            return False
        return None if x is None or y is None else True

    return f


def _kleene_or(a: Fn, b: Fn) -> Fn:
    def f(env: Env) -> bool | None:
        x = a(env)
        if x is True:
            return True
        y = b(env)
        if y is True:
            return True
        return None if x is None or y is None else False

    return f


_CMP: dict[str, Callable[[Any, Any], bool]] = {
    "==": operator.eq,
    "!=": operator.ne,
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
}


def _order_key(node: Node) -> Callable[[object], object]:
    """Ranked enumerations compare by rank, durations by amount; everything else as it is."""
    t = getattr(node, "type", None)
    if t is not None and t.kind == "enum" and t.ordered:
        rank = {v: i for i, v in enumerate(t.values)}
        return lambda v: rank.get(str(v), -1)
    return lambda v: v.amount if isinstance(v, Duration) else v


def add_duration(d: date, dur: Duration, calendar: WorkingDayCalendar | None) -> date:
    """*d* plus a duration; months and years clamp to the month's last day (民法典 第二百零二条)."""
    try:
        if dur.unit == "days":
            return d + timedelta(days=dur.amount)
        if dur.unit == "months":
            return plus_months(d, dur.amount)
        if dur.unit == "years":
            return plus_months(d, 12 * dur.amount)
        if calendar is None:
            raise EvaluationError("working days need the working-day calendar / 计算工作日需要工作日历")
        return calendar.add_working_days(d, dur.amount)
    except CalendarCoverageError as exc:
        raise CalendarUnknown(exc) from None
    except (OverflowError, ValueError) as exc:
        if isinstance(exc, EvaluationError):
            raise
        raise EvaluationError(f"{d.isoformat()} + {dur} is outside the calendar / {d.isoformat()} 加 {dur.zh()} 超出日历范围") from None


def period_end(start: date, dur: Duration, calendar: WorkingDayCalendar | None) -> date:
    """Last day of a period of *dur* from *start* (民法典 第二百零一条至第二百零三条).

    The start day is not counted; a month or year period ends on the
    corresponding day (the month's last day where there is none); a last day
    that is a rest day moves to the next working day, so the calendar is needed.
    """
    end = add_duration(start, dur, calendar)
    if dur.unit == "working_days":
        return end
    if calendar is None:
        raise EvaluationError("period_end needs the working-day calendar / 计算期间届满日需要工作日历")
    try:
        return calendar.roll_forward_if_holiday(end)
    except CalendarCoverageError as exc:
        raise CalendarUnknown(exc) from None


def _arith(op: str) -> Callable[[Any, Any, Env], Any]:
    def f(x: Any, y: Any, env: Env) -> Any:
        if isinstance(x, date) and isinstance(y, Duration):
            if op == "-":
                return add_duration(x, Duration(-y.amount, y.unit), env.calendar) if y.unit != "working_days" else _no_back(y)
            return add_duration(x, y, env.calendar)
        if isinstance(x, Duration) and isinstance(y, Duration):
            return Duration(x.amount + y.amount if op == "+" else x.amount - y.amount, x.unit)
        if op == "+":
            return x + y
        if op == "-":
            return x - y
        if op == "*":
            return x * y
        try:
            return Decimal(x) / Decimal(y)
        except (DivisionByZero, InvalidOperation, ZeroDivisionError):
            return None  # a ratio over zero is unknown, not infinite

    return f


def _no_back(dur: Duration) -> date:
    raise EvaluationError(f"cannot count {dur} backwards / 不能倒算{dur.zh()}")


def compile_expr(node: Node) -> Fn:
    """A closure computing a checked expression over an :class:`Env`."""
    if isinstance(node, Lit):
        value = node.value
        return lambda env: value
    if isinstance(node, Name):
        name = node.name
        return lambda env: env.values.get(name)
    if isinstance(node, ListLit):
        items = tuple(compile_expr(i) for i in node.items)
        return lambda env: tuple(i(env) for i in items)
    if isinstance(node, Unary):
        inner = compile_expr(node.item)
        if node.op == "not":
            return lambda env: None if (x := inner(env)) is None else not x
        return lambda env: None if (x := inner(env)) is None else -x
    if isinstance(node, If):
        cond, then, other = compile_expr(node.cond), compile_expr(node.then), compile_expr(node.other)

        def pick(env: Env) -> Any:
            c = cond(env)
            return None if c is None else then(env) if c else other(env)

        return pick
    if isinstance(node, Binary):
        return _binary(node)
    if isinstance(node, Call):
        return _call(node)
    raise TypeError(f"cannot compile {type(node).__name__}")


def _binary(node: Binary) -> Fn:
    a, b = compile_expr(node.left), compile_expr(node.right)
    op = node.op
    if op == "and":
        return _kleene_and(a, b)
    if op == "or":
        return _kleene_or(a, b)
    if op in ("in", "not_in"):
        member = op == "in"

        def within(env: Env) -> bool | None:
            x, s = a(env), b(env)
            if x is None or s is None or any(v is None for v in s):
                return None
            return (x in s) == member

        return within
    if op in _CMP:
        test = _CMP[op]
        if node.order:  # a ranked enumeration, however the operands were computed
            rank = {v: i for i, v in enumerate(node.order)}
            key: Callable[[object], object] = lambda v: rank.get(str(v), -1)
        else:
            key = _order_key(node.left) if op not in ("==", "!=") else (lambda v: v)

        def compare(env: Env) -> bool | None:
            x, y = a(env), b(env)
            if x is None or y is None:
                return None
            return test(key(x), key(y))

        return compare
    arith = _arith(op)

    def compute(env: Env) -> Any:
        x, y = a(env), b(env)
        return None if x is None or y is None else arith(x, y, env)

    return compute


def _call(node: Call) -> Fn:
    args = tuple(compile_expr(a) for a in node.args)
    at = compile_expr(node.at) if node.at is not None else None
    fn = node.fn
    if fn == "present":
        (x,) = args
        return lambda env: x(env) is not None
    if fn == "otherwise":
        x, y = args
        return lambda env: y(env) if (v := x(env)) is None else v
    if fn in ("min", "max"):
        pick = min if fn == "min" else max

        def extreme(env: Env) -> Any:
            values = [f(env) for f in args]
            if any(v is None for v in values):
                return None
            return pick(values, key=lambda v: v.amount if isinstance(v, Duration) else v)

        return extreme
    if fn == "param":
        name = str(node.args[0].value) if isinstance(node.args[0], Lit) else ""

        def read(env: Env) -> Any:
            on = at(env) if at is not None else env.on
            if on is None or env.params is None:
                return None
            found = env.params.value(name, on)
            if found is None:
                return None
            value, trace = found
            env.params_read.append(trace)
            return value

        return read
    return _dates_and_catalogs(fn, args, at)


def _two(args: tuple[Fn, ...], f: Callable[[Any, Any, Env], Any]) -> Fn:
    x, y = args

    def g(env: Env) -> Any:
        a, b = x(env), y(env)
        return None if a is None or b is None else f(a, b, env)

    return g


def _years_between(a: date, b: date, env: Env) -> int | None:
    return age_on(a, b) if b >= a else None


def _working_days_between(a: date, b: date, env: Env) -> int | None:
    if env.calendar is None:
        raise EvaluationError("working days need the working-day calendar / 计算工作日需要工作日历")
    try:
        if b < a:
            return -env.calendar.working_days_between(b, a)
        return env.calendar.working_days_between(a, b)
    except CalendarCoverageError as exc:
        raise CalendarUnknown(exc) from None


def _add_working_days(d: date, n: int, env: Env) -> date:
    if n < 0:
        raise EvaluationError(f"cannot count {n} working days backwards / 不能倒算{n}个工作日")
    return add_duration(d, Duration(n, "working_days"), env.calendar)


def _dates_and_catalogs(fn: str, args: tuple[Fn, ...], at: Fn | None) -> Fn:
    if fn == "years_between":
        return _two(args, _years_between)
    if fn == "days_between":
        return _two(args, lambda a, b, env: (b - a).days)
    if fn == "working_days_between":
        return _two(args, _working_days_between)
    if fn == "add_working_days":
        return _two(args, _add_working_days)
    if fn == "period_end":
        return _two(args, lambda d, dur, env: period_end(d, dur, env.calendar))
    if fn == "intersects":
        return _two(args, lambda a, b, env: bool(set(a) & set(b)))
    if fn == "subset":
        return _two(args, lambda a, b, env: set(a) <= set(b))
    if fn in ("years", "months", "days"):
        (n,) = args
        return lambda env: None if (v := n(env)) is None else Duration(int(v), fn)
    if fn in ("legal_form", "basis_in_force"):
        (basis_id,) = args
        form = fn == "legal_form"

        def lookup(env: Env) -> Any:
            ident = basis_id(env)
            on = at(env) if at is not None else env.on
            if ident is None or on is None or env.catalogs is None:
                return None
            basis = env.catalogs.legal_basis(str(ident), on)
            if basis is None:
                return None
            return basis.form.value if form else basis.in_force(on)

        return lookup
    raise TypeError(f"no evaluator for {fn}()")


_AS_IS = frozenset({str, bool, int, type(None)})
"""Types whose values the trace shows as they are (exactly these types: an enum member or a subclass takes the
general path)."""


def value_for_trace(value: object) -> object:
    """A JSON-friendly rendering of a value (dates as ISO text, durations as '6 months', sets as sorted lists)."""
    cls = value.__class__
    if cls in _AS_IS:  # most values a trace shows: answered without the isinstance chain
        return value
    if cls is date:
        return value.isoformat()  # type: ignore[attr-defined]
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Duration):
        return str(value)
    if isinstance(value, Decimal):
        return format(value.normalize(), "f") if value == value.to_integral_value() else str(value)
    if isinstance(value, (tuple, list, frozenset, set)):
        return sorted(value_for_trace(v) for v in value)  # type: ignore[type-var]
    return value


__all__ = ["CalendarUnknown", "Env", "EvaluationError", "Fn", "ParamRead", "ParamSource", "add_duration", "calendar_missing_name", "compile_expr", "period_end", "value_for_trace"]
