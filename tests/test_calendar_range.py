"""Dates before the working-day calendar: unknown (待核实), never a guess, never a traceback.

The calendar covers 2004 on (chinese_calendar); a case two decades back asks working days nobody vendored.  Before,
``working_days_between`` and ``period_end`` let ``CalendarCoverageError`` escape and `credit-rules test` / `decide`
ended in a traceback; now the definition that counts is unknown with a note naming the year, and the answer says
what is missing (fixtures ``calendar-coverage/``; the commands are run in ``test_calendar_coverage.py``). This
test moves every fixture back before the calendar, so no path that counts working days is left out.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from dateutil.relativedelta import relativedelta

from credit_rules import Engine
from credit_rules.errors import InputError
from credit_rules.model.case import Case

from .conftest import all_fixtures

YEARS_BACK = 22  # every fixture date falls before 2004, most of them before the calendar's first year


def _shift(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _shift(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_shift(v) for v in value]
    if isinstance(value, dt.date):
        return value - relativedelta(years=YEARS_BACK)
    return value


def test_every_fixture_moved_before_the_calendar_is_decided_without_an_exception(engine: Engine) -> None:
    decided = 0
    for fx in all_fixtures():
        try:
            case = Case.model_validate(_shift(fx.case.model_dump()))
        except ValueError:
            continue  # a shifted date the model refuses (e.g. a birth date after the act): not this test's concern
        on = fx.as_of - relativedelta(years=YEARS_BACK) if fx.as_of else None
        try:
            engine.decide(case, on, check_ids=False).to_json()
        except InputError:
            continue  # a located input error is a lawful answer to bad input
        decided += 1
    assert decided > 500

