"""The expression language (issue 12): parser, type checker and closures.

Unknown is not false: every operator and built-in is checked with an unknown
operand, ``and``/``or``/``not`` against Kleene's tables, and the date
built-ins against 民法典 第二百零一条至第二百零三条 on the shipped calendar.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from credit_rules.ruleset.checker import BUILTINS, VOCABULARIES, check, parse_type
from credit_rules.ruleset.evaluate import Env, compile_expr
from credit_rules.ruleset.expr import (
    BOOL,
    DATE,
    DECIMAL,
    INT,
    MAX_DEPTH,
    STR,
    Binary,
    Call,
    Duration,
    ExprError,
    If,
    ListLit,
    Lit,
    Type,
    Unary,
    Word,
    duration,
    enum,
    names_in,
    params_in,
    parse,
    set_of,
)
from credit_rules.workdays import WorkingDayCalendar

CAL = WorkingDayCalendar.default()

NAMES: dict[str, Type] = {
    "a": BOOL,
    "b": BOOL,
    "n": INT,
    "m": INT,
    "x": DECIMAL,
    "d": DATE,
    "e": DATE,
    "s": STR,
    "gravity": VOCABULARIES["gravity"],
    "form": VOCABULARIES["legal_form"],
    "forms": set_of(VOCABULARIES["legal_form"].values),
    "kind": VOCABULARIES["document_kind"],
    "months6": duration("months"),
    "days60": duration("days"),
}
PARAMS: dict[str, Type] = {"age_of_majority": INT, "forms_founding_a_list": set_of(VOCABULARIES["legal_form"].values), "cutoff": DATE}


class DictScope:
    def __init__(self, names: Mapping[str, Type] = NAMES, params: Mapping[str, Type] = PARAMS) -> None:
        self._names, self._params = names, params

    def type_of(self, name: str) -> Type | None:
        return self._names.get(name)

    def names(self) -> Iterable[str]:
        return list(self._names)

    def param_type(self, name: str) -> Type | None:
        return self._params.get(name)

    def param_names(self) -> Iterable[str]:
        return list(self._params)


class DictParams:
    """Dated parameters: name -> [(from, value)]."""

    def __init__(self, table: Mapping[str, list[tuple[date, object]]]) -> None:
        self.table = table

    def value(self, name: str, on: date) -> Any:
        from credit_rules.ruleset.evaluate import ParamRead

        found = [(f, v) for f, v in self.table.get(name, []) if f <= on]
        if not found:
            return None
        f, v = found[-1]
        return v, ParamRead(name, v, "test", f, on, True)


def typed(text: str, expect: Type | None = None) -> tuple[Any, Type]:
    return check(parse(text), DictScope(), expect)


def ev(text: str, on: date = date(2025, 6, 1), params: DictParams | None = None, **values: object) -> Any:
    node, _ = typed(text)
    return compile_expr(node)(Env(values=values, on=on, params=params, calendar=CAL))


def error(text: str, expect: Type | None = None) -> ExprError:
    with pytest.raises(ExprError) as info:
        typed(text, expect)
    return info.value


# ---------------------------------------------------------------- parser


def test_precedence_and_binds_tighter_than_or() -> None:
    node = parse("a or b and c")
    assert isinstance(node, Binary) and node.op == "or"
    assert isinstance(node.right, Binary) and node.right.op == "and"


def test_precedence_not_binds_looser_than_comparison() -> None:
    node = parse("not n == 3")
    assert isinstance(node, Unary) and node.op == "not"
    assert isinstance(node.item, Binary) and node.item.op == "=="


def test_precedence_arithmetic() -> None:
    node = parse("1 + 2 * 3 - 4")
    assert isinstance(node, Binary) and node.op == "-"
    assert isinstance(node.left, Binary) and node.left.op == "+"
    assert isinstance(node.left.right, Binary) and node.left.right.op == "*"
    assert ev("1 + 2 * 3 - 4") == 3
    assert ev("(1 + 2) * 3") == 9
    assert ev("-2 * 3") == -6


def test_left_associative_minus() -> None:
    assert ev("10 - 3 - 2") == 5


def test_literals() -> None:
    assert parse("true") == Lit(0, True, BOOL)
    assert parse("false") == Lit(0, False, BOOL)
    assert parse("123") == Lit(0, 123, INT)
    assert parse("0.10") == Lit(0, Decimal("0.10"), DECIMAL)
    assert parse("2021-12-31") == Lit(0, date(2021, 12, 31), DATE)
    assert parse("'text'") == Lit(0, "text", STR)


@pytest.mark.parametrize(
    ("text", "amount", "unit"),
    [("60 days", 60, "days"), ("1 day", 1, "days"), ("6 months", 6, "months"), ("1 month", 1, "months"),
     ("2 years", 2, "years"), ("7 working_days", 7, "working_days"), ("1 working_day", 1, "working_days")],
)
def test_duration_literals(text: str, amount: int, unit: str) -> None:
    node = parse(text)
    assert isinstance(node, Lit) and node.value == Duration(amount, unit) and node.type == duration(unit)


def test_not_in_and_in() -> None:
    node = parse("form not in [law, admin_regulation]")
    assert isinstance(node, Binary) and node.op == "not_in"
    assert isinstance(node.right, ListLit) and len(node.right.items) == 2
    node = parse("form in forms")
    assert isinstance(node, Binary) and node.op == "in"


def test_if_then_else() -> None:
    node = parse("if a then 1 else 2")
    assert isinstance(node, If)
    assert ev("if a then 1 else 2", a=True) == 1
    assert ev("if a then 1 else 2", a=False) == 2
    assert ev("if a then 1 else 2") is None  # unknown condition: unknown value


def test_at_keyword() -> None:
    node = parse("param(age_of_majority, at: d)")
    assert isinstance(node, Call) and node.fn == "param"
    assert node.args == (Word(6, "age_of_majority"),)
    assert node.at == Word(29, "d")


def test_dotted_names() -> None:
    assert parse("act.date") == Word(0, "act.date")


@pytest.mark.parametrize(
    ("text", "column", "words"),
    [
        ("a and", 5, "ends too early"),
        ("a && b", 2, "unexpected character"),
        ("(a or b", 7, "expected ')'"),
        ("a b", 2, "after a complete expression"),
        ("2021-02-30", 0, "not a calendar date"),
        ("1234567890123456789", 0, "more than 18 digits"),
        ("if a then 1", 11, "expected 'else'"),
        ("", 0, "non-empty"),
        ("   ", 0, "non-empty"),
    ],
)
def test_parse_errors_carry_columns(text: str, column: int, words: str) -> None:
    with pytest.raises(ExprError) as info:
        parse(text)
    assert info.value.column == column
    assert words in info.value.message


def test_depth_limit_parentheses() -> None:
    ok = "(" * (MAX_DEPTH - 1) + "a" + ")" * (MAX_DEPTH - 1)
    parse(ok)
    deep = "(" * (MAX_DEPTH + 5) + "a" + ")" * (MAX_DEPTH + 5)
    with pytest.raises(ExprError, match="nested deeper"):
        parse(deep)


def test_depth_limit_not_chain_and_if_chain() -> None:
    with pytest.raises(ExprError, match="nested deeper"):
        parse("not " * 200 + "a")
    with pytest.raises(ExprError, match="nested deeper"):
        parse("if a then 1 else " * 200 + "2")
    with pytest.raises(ExprError, match="nested deeper"):
        parse("[" * 200 + "1" + "]" * 200)


def test_names_and_params_in() -> None:
    node, _ = typed("param(age_of_majority, at: d) <= years_between(d, e) and a")
    assert names_in(node) == ["d", "e", "a"]
    assert params_in(node) == ["age_of_majority"]


# ---------------------------------------------------------------- checker


def test_unknown_name_did_you_mean() -> None:
    exc = error("gravty == 1")
    assert "unknown name 'gravty'" in exc.message and "did you mean 'gravity'" in exc.message
    assert exc.column == 0
    exc = error("a and gravty")
    assert "did you mean 'gravity'" in exc.message and exc.column == 6


def test_misspelt_name_beside_enum_word_is_named() -> None:
    exc = error("gravty == serious")
    assert "unknown name 'gravty'" in exc.message and "did you mean 'gravity'" in exc.message


def test_unknown_enum_value_did_you_mean() -> None:
    exc = error("gravity == seriuos")
    assert "did you mean 'serious'" in exc.message
    assert exc.column == 11


def test_enum_words_resolved_beside_enums() -> None:
    node, t = typed("gravity >= serious")
    assert t == BOOL
    assert isinstance(node, Binary) and isinstance(node.right, Lit) and node.right.value == "serious"
    node, _ = typed("serious <= gravity")  # the enumeration on the right
    assert isinstance(node, Binary) and isinstance(node.left, Lit)
    node, _ = typed("form in [law, admin_regulation]")
    assert isinstance(node, Binary) and isinstance(node.right, ListLit)
    node, _ = typed("law in forms")
    assert isinstance(node, Binary) and isinstance(node.left, Lit)


def test_enum_word_not_resolved_elsewhere() -> None:
    assert "unknown name 'serious'" in error("serious").message


def test_months_vs_days_refused() -> None:
    exc = error("months6 == days60")
    assert "months and days are different units" in exc.message
    assert "different units" in error("6 months > 180 days").message
    assert "'+'" in error("6 months + 3 days").message or "needs" in error("6 months + 3 days").message


def test_date_minus_date_refused() -> None:
    exc = error("e - d")
    assert "days_between" in exc.message and exc.column == 2
    error("d + e")  # refused too


def test_ordering_unordered_enum_refused() -> None:
    exc = error("form >= law")
    assert "ranked enumeration" in exc.message
    typed("gravity > minor")  # ranked: allowed
    assert "ranked enumeration" in error("s < 'x'").message


def test_logic_needs_booleans() -> None:
    assert "'and' joins true/false" in error("a and n").message
    assert "'not' needs" in error("not n").message
    assert "'if' needs" in error("if n then 1 else 2").message
    assert "both branches" in error("if a then 1 else d").message
    assert "'-' needs a number" in error("-d").message


def test_comparison_types() -> None:
    assert "cannot compare" in error("n == d").message
    assert "cannot compare" in error("form == major").message or "unknown name" in error("form == major").message
    typed("n < x")  # int and decimal compare


def test_list_checks() -> None:
    assert "empty list" in error("form in []").message
    assert "one type" in error("n in [1, d]").message
    assert "set or list" in error("n in d").message


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("present()", "takes 1 argument"),
        ("otherwise(n)", "takes 2 arguments"),
        ("otherwise(n, d)", "same type"),
        ("min(n)", "two or more"),
        ("min(n, d)", "one type"),
        ("max(a, b)", "must be int or decimal or date or duration"),
        ("years_between(d)", "takes 2 arguments"),
        ("years_between(d, n)", "argument 2 must be date"),
        ("days_between(n, d)", "argument 1 must be date"),
        ("working_days_between(d, e, d)", "takes 2 arguments"),
        ("add_working_days(d, d)", "argument 2 must be int"),
        ("period_end(d, 3)", "argument 2 must be duration"),
        ("intersects(forms, n)", "argument 2 must be set or list"),
        ("legal_form(n)", "argument 1 must be str"),
        ("basis_in_force(n, n)", "takes 1 argument"),
        ("present(a, at: d)", "takes no 'at:'"),
        ("legal_form(s, at: n)", "'at:' takes a date"),
        ("perod_end(d, 6 months)", "did you mean 'period_end'"),
        ("eval('1')", "unknown function 'eval'"),
    ],
)
def test_builtin_arity_and_types(text: str, words: str) -> None:
    assert words in error(text).message


def test_builtin_result_types() -> None:
    assert typed("present(n)")[1] == BOOL
    assert typed("otherwise(n, 0)")[1] == INT
    assert typed("min(d, e)")[1] == DATE
    assert typed("years_between(d, e)")[1] == INT
    assert typed("add_working_days(d, 3)")[1] == DATE
    assert typed("period_end(d, 6 months)")[1] == DATE
    assert typed("intersects(forms, forms)")[1] == BOOL
    assert typed("legal_form(s, at: d)")[1] == VOCABULARIES["legal_form"]
    assert typed("basis_in_force(s)")[1] == BOOL
    assert typed("d + 6 months")[1] == DATE
    assert typed("n / m")[1] == DECIMAL
    assert typed("n * m")[1] == INT


def test_param_types() -> None:
    assert typed("param(age_of_majority)")[1] == INT
    assert typed("param(cutoff, at: d)")[1] == DATE
    assert typed("form in param(forms_founding_a_list)")[1] == BOOL
    exc = error("param(age_of_majorty)")
    assert "unknown parameter" in exc.message and "did you mean 'age_of_majority'" in exc.message
    assert "one parameter" in error("param(age_of_majority, cutoff)").message
    assert "cannot compare" in error("param(cutoff) == 3").message


def test_parse_type() -> None:
    assert parse_type("duration[months]") == duration("months")
    assert parse_type("enum[gravity]") == VOCABULARIES["gravity"]
    assert parse_type("set[legal_form]") == set_of(VOCABULARIES["legal_form"].values)
    with pytest.raises(ValueError, match="did you mean 'gravity'"):
        parse_type("enum[gravty]")
    with pytest.raises(ValueError, match="duration unit"):
        parse_type("duration[weeks]")
    with pytest.raises(ValueError, match="a type"):
        parse_type("float")


# ---------------------------------------------------------------- evaluation: Kleene

T, F, U = True, False, None
TRUTHS = [T, F, U]
AND = {(T, T): T, (T, F): F, (T, U): U, (F, T): F, (F, F): F, (F, U): F, (U, T): U, (U, F): F, (U, U): U}
OR = {(T, T): T, (T, F): T, (T, U): T, (F, T): T, (F, F): F, (F, U): U, (U, T): T, (U, F): U, (U, U): U}
NOT = {T: F, F: T, U: U}


@pytest.mark.parametrize("x", TRUTHS)
@pytest.mark.parametrize("y", TRUTHS)
def test_kleene_and_or(x: bool | None, y: bool | None) -> None:
    assert ev("a and b", a=x, b=y) is AND[(x, y)]
    assert ev("a or b", a=x, b=y) is OR[(x, y)]


@pytest.mark.parametrize("x", TRUTHS)
def test_kleene_not(x: bool | None) -> None:
    assert ev("not a", a=x) is NOT[x]


KNOWN: dict[str, object] = {
    "a": True, "b": False, "n": 3, "m": 4, "x": Decimal("0.5"), "d": date(2024, 1, 10), "e": date(2025, 3, 1),
    "s": "450400", "gravity": "serious", "form": "law", "forms": frozenset({"law"}), "kind": "penalty_decision",
    "months6": Duration(6, "months"), "days60": Duration(60, "days"),
}

STRICT = [
    "n == 3", "n != 3", "n < m", "n <= m", "n > m", "n >= m", "gravity >= serious", "form in [law]",
    "form not in [law]", "form in forms", "n + m", "n - m", "n * m", "n / m", "-n", "x * n",
    "d + 6 months", "d - 60 days", "d + 3 working_days", "months6 + months6",
    "min(n, m)", "max(d, e)", "years_between(d, e)", "days_between(d, e)", "working_days_between(d, e)",
    "add_working_days(d, n)", "period_end(d, months6)", "intersects(forms, forms)", "subset(forms, forms)",
    "n in [1, 2, m]", "years(n)", "months(n)", "days(n)",
]


@pytest.mark.parametrize("text", STRICT)
def test_unknown_propagates_through_every_operator(text: str) -> None:
    node, _ = typed(text)
    names = names_in(node)
    assert ev(text, **KNOWN) is not None, "known operands give a value"
    for name in names:
        values = {**KNOWN, name: None}
        assert ev(text, **values) is None, f"{text} with {name} unknown"


def test_if_reads_only_the_branch_it_takes() -> None:
    assert ev("if a then n else m", a=True, n=3, m=None) == 3
    assert ev("if a then n else m", a=False, n=None, m=4) == 4
    assert ev("if a then n else m", a=True, n=None, m=4) is None
    assert ev("if a then n else m", a=None, n=3, m=3) is None


def test_intersects_with_a_list_of_enum_words() -> None:
    assert typed("intersects(forms, [law])")[1] == BOOL


def test_subset_every_value_of_the_first_is_in_the_second() -> None:
    """subset() carries the statutory triggers' all_of (rules/national/gbf-2020-49/measures.yaml)."""
    assert typed("subset(forms, [law, admin_regulation])")[1] == BOOL
    assert ev("subset(forms, [law, admin_regulation])", forms=frozenset({"law"})) is True
    assert ev("subset(forms, [admin_regulation])", forms=frozenset({"law"})) is False
    assert ev("subset(forms, forms)", forms=frozenset()) is True
    assert "argument 2 must be set or list" in str(error("subset(forms, n)"))


def test_subset_says_only_these_values() -> None:
    """"Only a warning" (市场监管总局令第45号 第二条第二款) is subset(kinds, [warning]); the empty set is a subset of all."""
    assert typed("subset(forms, [law])")[1] == BOOL
    assert ev("subset(forms, [law])", forms=frozenset({"law"})) is True
    assert ev("subset(forms, [law])", forms=frozenset({"law", "admin_regulation"})) is False
    assert ev("subset(forms, [law])", forms=frozenset()) is True


def test_every_builtin_is_covered_by_an_unknown_test() -> None:
    covered = {"present", "otherwise", "param", "legal_form", "basis_in_force"}
    for text in STRICT:
        node = parse(text)
        if isinstance(node, Call):
            covered.add(node.fn)
    assert set(BUILTINS) <= covered


def test_present_and_otherwise_turn_unknown_into_a_value() -> None:
    assert ev("present(n)", n=None) is False
    assert ev("present(n)", n=0) is True
    assert ev("present(a)", a=False) is True
    assert ev("otherwise(n, 7)", n=None) == 7
    assert ev("otherwise(n, 7)", n=2) == 2
    assert ev("otherwise(a, false)") is False


def test_param_by_date_and_unknown() -> None:
    params = DictParams({"age_of_majority": [(date(1987, 1, 1), 18)], "cutoff": [(date(2020, 12, 7), date(2021, 12, 31))]})
    assert ev("param(age_of_majority)", params=params) == 18
    assert ev("param(age_of_majority, at: d)", params=params, d=date(1980, 1, 1)) is None  # before its first value
    assert ev("param(age_of_majority, at: d)", params=params, d=None) is None  # unknown date
    assert ev("param(cutoff)", params=None) is None  # no parameters: unknown, never a default
    node, _ = typed("param(age_of_majority)")
    env = Env(values={}, on=date(2025, 1, 1), params=params, calendar=CAL)
    compile_expr(node)(env)
    assert [p.name for p in env.params_read] == ["age_of_majority"]


def test_catalog_builtins_unknown_without_catalogs() -> None:
    assert ev("legal_form(s)", s="x") is None
    assert ev("basis_in_force(s)", s=None) is None


# ---------------------------------------------------------------- dates, durations, working days


def test_period_end_month_end_clamp_on_leap_year() -> None:
    # 民法典 第二百零二条: no corresponding day in the last month -> the month's last day; 2024-02-29 is a Thursday
    assert ev("period_end(d, 6 months)", d=date(2023, 8, 31)) == date(2024, 2, 29)
    assert ev("d + 6 months", d=date(2023, 8, 31)) == date(2024, 2, 29)
    assert ev("d + 1 years", d=date(2024, 2, 29)) == date(2025, 2, 28)


def test_period_end_start_day_excluded() -> None:
    # 第二百零一条: counting starts the next day; 2025-06-03 + 10 days = 2025-06-13 (a Friday)
    assert ev("period_end(d, 10 days)", d=date(2025, 6, 3)) == date(2025, 6, 13)


def test_period_end_in_spring_festival_rolls_to_first_working_day() -> None:
    # 第二百零三条: last day a holiday -> the day after the holiday.  春节 2025: 01-28 .. 02-04; 2025-02-08 (Sat) is 调休 work.
    end = ev("period_end(d, 1 months)", d=date(2024, 12, 29))
    assert end == date(2025, 2, 5)
    assert not CAL.is_working_day(date(2025, 1, 29))
    assert CAL.is_working_day(end)


def test_period_end_on_weekend_rolls() -> None:
    # 2025-06-14 is a Saturday: next working day Monday 2025-06-16
    assert ev("period_end(d, 11 days)", d=date(2025, 6, 3)) == date(2025, 6, 16)


def test_add_working_days_over_tiaoxiu() -> None:
    # 春节 2026: 02-15 .. 02-23 off, Sat 02-14 and Sat 02-28 worked (国办发明电〔2025〕7号)
    assert ev("add_working_days(d, 3)", d=date(2026, 2, 12)) == date(2026, 2, 24)
    assert ev("d + 3 working_days", d=date(2026, 2, 12)) == date(2026, 2, 24)
    assert ev("working_days_between(d, e)", d=date(2026, 2, 12), e=date(2026, 2, 24)) == 3


def test_working_day_periods_are_not_rolled() -> None:
    assert ev("period_end(d, 3 working_days)", d=date(2026, 2, 12)) == date(2026, 2, 24)


def test_years_between_for_ages() -> None:
    assert ev("years_between(d, e)", d=date(2006, 3, 1), e=date(2024, 2, 29)) == 17
    assert ev("years_between(d, e)", d=date(2006, 3, 1), e=date(2024, 3, 1)) == 18
    assert ev("years_between(d, e)", d=date(2004, 2, 29), e=date(2022, 2, 28)) in (17, 18)
    assert ev("years_between(d, e)", d=date(2025, 1, 1), e=date(2024, 1, 1)) is None  # birth after the act: unknown


def test_ratio_over_zero_is_unknown() -> None:
    assert ev("n / m", n=1, m=0) is None
    assert ev("x / n", x=Decimal("0"), n=0) is None
    assert ev("n / m", n=1, m=4) == Decimal("0.25")
    assert ev("n / m > 0.1", n=1, m=0) is None


def test_durations_compare_within_unit() -> None:
    assert ev("months6 >= 3 months", months6=Duration(6, "months")) is True
    assert ev("max(months6, 3 months)", months6=Duration(6, "months")) == Duration(6, "months")


def test_ranked_enumeration_compares_by_rank() -> None:
    assert ev("gravity >= serious", gravity="especially_serious") is True
    assert ev("gravity >= serious", gravity="general") is False
    assert ev("gravity < general", gravity="minor") is True


def test_in_with_an_unknown_member_is_unknown() -> None:
    assert ev("n in [1, m]", n=1, m=None) is None


def test_enum_type_helpers() -> None:
    assert enum(("x", "y")).ordered is False
    assert str(duration("days")) == "duration[days]"


# ---------------------------------------------------------------- bugs found (strict xfails: the lead fixes them)


def test_ranked_enumeration_computed_on_the_left_compares_by_rank() -> None:
    assert ev("otherwise(gravity, gravity) >= serious", gravity="especially_serious") is True
    assert ev("(if a then gravity else gravity) >= serious", a=True, gravity="especially_serious") is True


def test_unary_minus_chain_is_depth_limited() -> None:
    with pytest.raises(ExprError, match="nested deeper|more than 256 operators"):
        parse("-" * 3000 + "1")


def test_long_flat_chain_is_refused_with_a_located_error() -> None:
    with pytest.raises(ExprError):
        typed("a and " * 1500 + "a")
