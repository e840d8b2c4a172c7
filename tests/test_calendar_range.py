"""Dates before the working-day calendar: unknown (待核实), never a guess, never a traceback.

The calendar covers 2004 on (chinese_calendar); a case two decades back asks working days nobody vendored.  Before,
``working_days_between`` and ``period_end`` let ``CalendarCoverageError`` escape and `credit-rules test` / `decide`
ended in a traceback; now the definition that counts is unknown with a note naming the year, and the answer says
what is missing (fixture ``listing/boundary/working_days_before_the_calendar``).
"""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

from dateutil.relativedelta import relativedelta

from credit_rules import Engine
from credit_rules.errors import InputError
from credit_rules.model.case import Case

from .conftest import ROOT, all_fixtures

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


def _old_case(tmp_path: Path) -> Path:
    base = (ROOT / "tests/fixtures/base/hubei_black_listing.yaml").read_text(encoding="utf-8")
    text = base.replace("candidate_publicity_start: 2021-04-06", "candidate_publicity_start: 2003-05-01").replace(
        "candidate_publicity_end: 2021-05-31", "candidate_publicity_end: 2003-05-30"
    )
    assert "2003-05-01" in text and "2003-05-30" in text
    path = tmp_path / "old.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_decide_before_the_calendar_exits_0_without_traceback(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "credit_rules.cli", "decide", str(_old_case(tmp_path)), "--format", "json"],
        capture_output=True, text=True, cwd=ROOT, check=False,
    )
    assert "Traceback" not in done.stderr
    assert done.returncode == 0, done.stderr
    listing = json.loads(done.stdout)["listing"]
    assert listing["outcome"] == "undetermined"
    assert "H6.candidate_publicity_20_working_days" in listing["undetermined_by"]
    assert "candidate_publicity_working_days" in listing["missing"]


def test_fixture_runner_before_the_calendar_has_no_traceback() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "credit_rules.cli", "test", "tests/fixtures/listing/boundary/working_days_before_the_calendar.case.yaml",
         "--catalogs", "shipped", "--catalogs", "tests/catalogs"],
        capture_output=True, text=True, cwd=ROOT, check=False,
    )
    assert "Traceback" not in done.stderr + done.stdout
    assert done.returncode == 0, done.stdout + done.stderr
