"""Dates the working-day calendar does not cover (before 2004): unknown and named, never a traceback.

The calendar raises ``CalendarCoverageError`` rather than guess Monday-to-Friday; the evaluator turns that into an
unknown working-day count (``CalendarUnknown``), so a question that needs it is ``undetermined`` with the year's
calendar in ``missing``, and every command that decides such a case finishes normally.
"""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
import yaml

from credit_rules.ruleset import evaluate
from credit_rules.ruleset.evaluate import CalendarUnknown, Env, period_end
from credit_rules.ruleset.expr import Duration
from credit_rules.workdays import WorkingDayCalendar

from .conftest import ROOT

FIXTURES = ROOT / "tests" / "fixtures" / "calendar-coverage"
UNKNOWN = FIXTURES / "hubei_publicity_before_2004" / "01_publicity_from_2003_12_31_unknown.case.yaml"

CASE = """\
case_id: pre-2004
as_of: 2004-02-02
jurisdiction: "420000"
subject: {kind: legal_person, name: 湖北某某有限公司, uscc: 91450400MA5L0001X8}
act:
  field: work_safety
  date: 2003-01-10
  gravity: serious
  intent: intentional
  malicious: true
  serious_circumstances: true
  high_social_harm: true
  document: {kind: administrative_penalty_decision, number: 鄂罚〔2003〕1号, issued: 2003-03-04, effective: 2003-03-04}
listing:
  list_kind: serious
  standard: hubei_2017_black_list
  authority: {name: 武汉市应急管理局, level: municipal}
  decision_date: 2004-02-02
  notice: {given_on: 2003-11-20, states_reasons: true, states_basis: true, states_rights: true}
  candidate_publicity_start: 2003-12-31
  candidate_publicity_end: 2004-01-30
"""


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "credit_rules.cli", *args], capture_output=True, text=True, cwd=ROOT, check=False)


@pytest.fixture
def case(tmp_path: Path) -> Path:
    path = tmp_path / "pre2004.yaml"
    path.write_text(CASE, encoding="utf-8")
    return path


def test_credit_rules_test_on_pre_2004_fixtures_passes_without_traceback() -> None:
    out = run("test", str(FIXTURES))
    assert out.returncode == 0, out.stdout + out.stderr
    assert "Traceback" not in out.stdout + out.stderr


def test_decide_json_names_the_missing_calendar(case: Path) -> None:
    out = run("decide", str(case), "--format", "json")
    assert out.returncode == 0, out.stderr
    assert "Traceback" not in out.stderr
    data = json.loads(out.stdout)
    assert data["determination"]["outcome"] == "valid"  # needs no working days: decided as usual
    listing = data["listing"]
    assert listing["outcome"] == "undetermined"
    assert "H6.candidate_publicity_20_working_days" in listing["undetermined_by"]
    assert "working_day_calendar_2003" in listing["missing"]
    (entry,) = [d for d in listing["definitions"] if d["id"] == "candidate_publicity_working_days"]
    assert entry["value"] is None
    assert "2003" in entry["note"] and "2003年工作日日历不可用" in entry["note"]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_decide_text_and_batch_and_explain_finish(case: Path, tmp_path: Path, lang: str) -> None:
    text = run("decide", str(case), "--format", "text", "--lang", lang)
    assert text.returncode == 0, text.stderr
    assert "working_day_calendar_2003" in text.stdout
    batch = tmp_path / "cases.jsonl"
    batch.write_text(json.dumps(yaml.safe_load(CASE), default=str, ensure_ascii=False) + "\n", encoding="utf-8")
    compact = run("decide", "--batch", str(batch), "--compact")
    assert compact.returncode == 0, compact.stderr
    assert "Traceback" not in compact.stderr
    (tmp_path / "compact.jsonl").write_text(compact.stdout, encoding="utf-8")
    explained = run("explain", str(tmp_path / "compact.jsonl"), "--cases", str(batch), "--format", "json")
    assert explained.returncode == 0, explained.stderr
    assert "working_day_calendar_2003" in explained.stdout
    assert "Traceback" not in explained.stderr


def test_evaluator_turns_coverage_errors_into_unknown_counts() -> None:
    cal = WorkingDayCalendar({})
    with pytest.raises(CalendarUnknown) as info:
        period_end(date(1999, 10, 1), Duration(60, "days"), cal)
    assert info.value.missing == "working_day_calendar_1999"
    with pytest.raises(CalendarUnknown):
        period_end(date(2003, 12, 1), Duration(5, "working_days"), cal)
    between = evaluate._working_days_between  # the built-in working_days_between(a, b)
    env = Env({}, date(2004, 2, 1), calendar=cal)
    with pytest.raises(CalendarUnknown):
        between(date(2004, 1, 30), date(2003, 12, 1), env)  # counted backwards, over 2003
    assert between(date(2003, 12, 31), date(2004, 1, 30), env) == 18  # the start day is not counted
