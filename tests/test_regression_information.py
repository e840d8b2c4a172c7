"""Information and query fixtures under the one runner: ``credit-rules test``, JUnit, ``--coverage``, ``diff`` and the pytest plugin.

Issue #12 item 6: case, information (``*.info.yaml``) and query
(``*.query.yaml``) fixtures are found, decided, checked, masked and reported
by :mod:`credit_rules.regression.runner`, whichever entry point runs them.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
import yaml

from credit_rules import Engine
from credit_rules import pytest_plugin
from credit_rules.cli import main
from credit_rules.information.fixtures import check as info_check
from credit_rules.information.fixtures import decide_fixture, find_info_fixtures, load_info_fixture
from credit_rules.regression import classify as cl
from credit_rules.regression.coverage import measure_results
from credit_rules.regression.runner import SUFFIXES, Kind, Status, collect, run_items
from credit_rules.shipped import shipped_catalogs_dir, shipped_rules_dir

from .conftest import FIXTURES, TEST_CATALOGS

INFO = Path(__file__).parent / "fixtures_information"
INFO_CATALOGS = INFO / "catalogs"
LAYERS = ("--catalogs", "shipped", "--catalogs", str(INFO_CATALOGS))
RESIDENT_ID = "450402197809301511"  # the fictional person of fixtures_information/base/person_penalty.yaml
PHONE = "13877405566"

WRONG_INFO = """\
name: deliberately wrong about publication
base: ../base/company_penalty.yaml
expect:
  publish: {outcome: refused}
"""
WRONG_QUERY = """\
name: deliberately wrong about a government query
base: ../base/query_gov.yaml
expect:
  query: {outcome: refused}
  denied_items: [administrative_penalty]
"""
LEAKY = f"""\
name: a person reachable at {PHONE} is never named in a report
base: ../base/person_penalty.yaml
patch:
  consent: {{purposes: [public_disclosure], uses: [publish], items: [administrative_penalty], obtained_on: 2023-10-01, expires_on: 2026-10-13}}
expect:
  published_contains: ["{RESIDENT_ID}"]
"""


def cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def suite(tmp_path: Path) -> Path:
    """A copy of the information fixtures (with their catalog layer) plus a failing information and query fixture."""
    root = tmp_path / "info"
    shutil.copytree(INFO, root)
    (root / "bad" / "wrong.info.yaml").write_text(WRONG_INFO, encoding="utf-8")
    (root / "bad" / "wrong.query.yaml").write_text(WRONG_QUERY, encoding="utf-8")
    return root


# ------------------------------------------------------------------ the runner


def test_plugin_and_runner_collect_the_same_kinds() -> None:
    assert pytest_plugin.SUFFIXES == tuple(SUFFIXES.values())
    assert {k.value for k in Kind} == {"case", "information", "query"}


def test_collect_finds_every_kind_and_names_it() -> None:
    items = collect([INFO])
    kinds = {i.kind for i in items}
    assert kinds == {Kind.information, Kind.query}
    assert len(items) == len(find_info_fixtures(INFO))  # the old entry point still finds the same files
    assert all("::" in i.ident and i.fixture is not None and i.line == 1 for i in items)
    mixed = collect([FIXTURES / "listing", INFO / "good"])
    assert {i.kind for i in mixed} == set(Kind)


def test_runner_agrees_with_the_old_information_entry_point() -> None:
    """information.fixtures.{load_info_fixture, decide_fixture, check} still work, and give what the runner gives."""
    engine = Engine.load([shipped_catalogs_dir(), INFO_CATALOGS])
    results = run_items(engine, collect([INFO]))
    assert results and all(r.status is Status.passed for r in results)
    for r in results[:6]:
        fx = load_info_fixture(r.item.fixture.file if r.item.fixture else "")
        decision = decide_fixture(engine, fx)
        assert info_check(fx, decision) == [] and r.decision == decision


# ------------------------------------------------------------------ credit-rules test, JUnit, masking


def test_failing_information_and_query_fixtures_fail_the_run_and_junit(suite: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    report = tmp_path / "junit.xml"
    code, out, err = cli(capsys, "test", str(suite), *LAYERS, "--junit-xml", str(report))
    assert code == 1, out + err
    assert "FAILED " in out and "wrong.info.yaml::deliberately wrong about publication" in out
    assert "publish.outcome: expected 'refused', got 'allowed'" in out
    assert "wrong.query.yaml::deliberately wrong about a government query" in out
    assert "query.outcome: expected 'refused', got 'allowed'" in out
    assert "denied_items: expected ['administrative_penalty'], got []" in out
    found = re.search(r"\b(\d+) passed, 2 failed, 0 errors", out)  # the shipped suite grows; two deliberate failures
    assert found, out[-2000:]
    ts = ET.parse(report).getroot().find("testsuite")
    assert ts is not None and ts.get("tests") == str(int(found.group(1)) + 2) and ts.get("failures") == "2"
    cases = {c.get("name"): c for c in ts.findall("testcase")}
    wrong = cases["deliberately wrong about publication"]
    failure = wrong.find("failure")
    assert failure is not None and "publish.outcome: expected 'refused'" in (failure.text or "")
    assert wrong.get("classname", "").endswith("bad.wrong") and wrong.get("line") == "1"
    kinds = {c.get("name"): c.find("properties/property[@name='kind']").get("value") for c in ts.findall("testcase")}  # type: ignore[union-attr]
    assert kinds["deliberately wrong about publication"] == "information"
    assert kinds["deliberately wrong about a government query"] == "query"


def test_information_fixture_messages_are_masked_like_case_fixtures(suite: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A failure that repeats a resident ID (here: the published record does not show it) and a name with a phone number."""
    (suite / "bad" / "leaky.info.yaml").write_text(LEAKY, encoding="utf-8")
    report = tmp_path / "junit.xml"
    code, out, err = cli(capsys, "test", str(suite), *LAYERS, "--junit-xml", str(report), "-k", "leaky")
    assert code == 1, out + err
    assert "published_contains" in out
    xml = report.read_text(encoding="utf-8")
    for text in (out, err, xml):
        assert RESIDENT_ID not in text and PHONE not in text


def test_bad_information_fixture_is_an_error_with_its_location(suite: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (suite / "bad" / "broken.query.yaml").write_text("name: broken\nbase: ../base/query_gov.yaml\nexpect: {qurey: {}}\n", encoding="utf-8")
    code, out, _ = cli(capsys, "test", str(suite / "bad" / "broken.query.yaml"), *LAYERS)
    assert code == 2
    assert "broken.query.yaml:3: field 'expect.qurey'" in out and "Traceback" not in out


def test_a_fifo_named_like_an_information_fixture_is_bad_input_never_opened(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Found in a tree or named on the command line, a FIFO is reported (exit 2), never read (which would hang)."""
    import os

    tree = tmp_path / "tree"
    tree.mkdir()
    fifo = tree / "evil.query.yaml"
    os.mkfifo(fifo)
    for path in (tree, fifo):
        code, out, _ = cli(capsys, "test", str(path), *LAYERS)
        assert code == 2 and "evil.query.yaml" in out and "FIFO" in out, out


# ------------------------------------------------------------------ --coverage


def test_coverage_counts_information_rules_per_paragraph() -> None:
    engine = Engine.load([shipped_catalogs_dir(), INFO_CATALOGS])
    cov = measure_results(engine.ruleset, run_items(engine, collect([INFO])))
    rules = {r.rule: r for r in cov.rules}
    late = rules["A4.published_within_7_working_days"]
    assert late.counted and late.passing and late.failing
    assert any("late" in f for f in late.failing)
    wuzhou = next(p for p in cov.paragraphs if p.paragraph == "梧州(六)")
    assert wuzhou.passing and wuzhou.failing
    assert rules["F1.access_policy_permits"].counted and rules["F1.access_policy_permits"].both
    paths = find_info_fixtures(INFO)
    assert cov.kinds == {"information": sum(p.name.endswith(".info.yaml") for p in paths), "query": sum(p.name.endswith(".query.yaml") for p in paths)}
    # information fixtures alone do not answer for the case rules, and case fixtures alone not for the information rules
    assert not any(r.counted for r in cov.rules if r.question in ("determination", "listing"))
    case_engine = Engine.load([shipped_catalogs_dir(), TEST_CATALOGS])
    case_cov = measure_results(case_engine.ruleset, run_items(case_engine, collect([FIXTURES / "listing" / "good"])))
    assert not {r.rule: r for r in case_cov.rules}["A4.published_within_7_working_days"].counted
    assert case_cov.kinds == {"case": len(collect([FIXTURES / "listing" / "good"]))}


def test_coverage_table_shows_the_kinds_and_information_paragraphs(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = cli(capsys, "test", str(INFO), *LAYERS, "--coverage")
    assert code == 0, out
    assert "information" in out.split("Coverage by article", 1)[1].splitlines()[0]
    row = next(line for line in out.splitlines() if line.startswith("梧州(六)"))
    _, rules, passing, failing = row.split()
    assert int(rules) >= 1 and int(passing) >= 1 and int(failing) >= 1


def test_every_kind_in_one_run_answers_for_every_rule(capsys: pytest.CaptureFixture[str]) -> None:
    """The project's case, information and query fixtures together: all pass, and every rule is seen both ways."""
    code, out, _ = cli(
        capsys, "test", str(FIXTURES), str(INFO), "--catalogs", "shipped", "--catalogs", str(TEST_CATALOGS), "--catalogs", str(INFO_CATALOGS),
        "--fail-under", "100",
    )
    assert code == 0, out[-3000:]
    header = out.split("Coverage by article", 1)[1].splitlines()[0]
    assert " case" in header and " information" in header and " query" in header


# ------------------------------------------------------------------ diff and --accept


def _drop_rule(rules: Path, ident: str) -> None:
    """Remove the rule *ident* from whichever file of the tree holds it (the test does not depend on the file's layout)."""
    for path in sorted(rules.rglob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        if isinstance(data, dict) and any(isinstance(r, dict) and r.get("id") == ident for r in data.get("rules") or []):
            data["rules"] = [r for r in data["rules"] if r.get("id") != ident]
            path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
            return
    raise AssertionError(f"no rule {ident} in {rules}")


@pytest.fixture
def rule_trees(tmp_path: Path) -> tuple[Path, Path]:
    """The shipped rules, and the same without 梧州's publication deadline and the access-policy rule F1."""
    base, head = tmp_path / "base-rules", tmp_path / "head-rules"
    shutil.copytree(shipped_rules_dir(), base)
    shutil.copytree(shipped_rules_dir(), head)
    _drop_rule(head, "A4.published_within_7_working_days")
    _drop_rule(head, "F1.access_policy_permits")
    return base, head


def changed(report: dict[str, Any]) -> dict[str, tuple[str, set[str]]]:
    return {c["fixture"].split("::", 1)[0].rsplit("/", 1)[-1]: (c["kind"], {x["class"] for x in c["changes"]}) for c in report["changes"]}


def test_diff_between_two_rule_trees_reports_changed_information_and_query_decisions(
    rule_trees: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    base, head = rule_trees
    code, out, err = cli(capsys, "diff", "--base", str(base), "--head", str(head), "--catalogs", str(INFO_CATALOGS), str(INFO), "--format", "json")
    assert code == 1, out + err
    report = json.loads(out)
    assert report["fixtures"] == len(find_info_fixtures(INFO)) and not report["errors"]
    got = changed(report)
    kind, late = got["penalty_published_late.info.yaml"]
    assert kind == "information"
    # the deadline itself is the definition publication_deadline (梧州's parameter), so dropping the rule changes
    # which rules fired and what is cited, not the deadline (its classes are tested on hand-made decisions)
    assert {"rule_unfired", "warning_changed", "citation_changed"} <= late
    kind, denied = got["query_market_body_denied.query.yaml"]
    assert kind == "query" and {"query_newly_allowed", "rule_unfired", "reason_changed"} <= denied
    summary = {row["class"]: row["effect"] for row in report["summary"]}
    assert summary["query_newly_allowed"] == "query" and summary["rule_unfired"]
    # the text report says the same in words
    code, text, _ = cli(capsys, "diff", "--base", str(base), "--head", str(head), "--catalogs", str(INFO_CATALOGS), str(INFO))
    assert code == 1 and "query newly allowed" in text and "result.outcome: refused → allowed" in text
    # identical trees: nothing changed
    code, same, _ = cli(capsys, "diff", "--base", str(base), "--head", str(base), "--catalogs", str(INFO_CATALOGS), str(INFO))
    assert code == 0 and "no decision changed" in same


def test_accept_rebases_information_and_query_fixtures(rule_trees: tuple[Path, Path], suite: Path, capsys: pytest.CaptureFixture[str]) -> None:
    base, head = rule_trees
    for wrong in ("wrong.info.yaml", "wrong.query.yaml"):
        (suite / "bad" / wrong).unlink()
    late = suite / "bad" / "penalty_published_late.info.yaml"
    late.write_text("# kept: a comment outside the expect block\n" + late.read_text(encoding="utf-8"), encoding="utf-8")
    code, _, err = cli(capsys, "diff", "--base", str(base), "--head", str(head), "--catalogs", str(suite / "catalogs"), str(suite), "--accept")
    assert code == 0, err
    assert "penalty_published_late.info.yaml" in err and "query_market_body_denied.query.yaml" in err
    assert late.read_text(encoding="utf-8").startswith("# kept: a comment outside the expect block\n")
    rebased = yaml.safe_load((suite / "bad" / "query_market_body_denied.query.yaml").read_text(encoding="utf-8"))
    assert rebased["expect"]["query"]["outcome"] == "allowed"
    # every rewritten fixture now passes against the head rules
    code, out, _ = cli(
        capsys, "test", str(suite), "--catalogs", "shipped", "--catalogs", str(suite / "catalogs"), "--rules", str(head), "-k", "penalty_published_late or query_market_body_denied",
    )
    assert code == 0, out
    # and the diff against head is now empty for them
    code, out, _ = cli(capsys, "diff", "--base", str(head), "--head", str(head), "--catalogs", str(suite / "catalogs"), str(suite))
    assert code == 0


def test_information_classes_on_hand_made_decisions() -> None:
    def info(outcome: str, deadline: str | None, on_time: bool | None) -> dict[str, Any]:
        q = {"outcome": outcome, "fired": [], "reasons": [], "leniency": [], "obligations": [], "warnings": [], "trace": []}
        return {"record": dict(q, outcome="allowed"), "publish": q, "publication": {"deadline": deadline, "on_time": on_time, "until": "2026-10-13"}, "warnings": []}

    def classes(a: dict[str, Any], b: dict[str, Any]) -> set[str]:
        return {c.cls for c in cl.classify(a, b)}

    assert classes(info("allowed", "2023-10-13", True), info("refused", "2023-10-13", True)) == {"information_newly_refused"}
    assert classes(info("refused", "2023-10-13", True), info("allowed", "2023-10-13", True)) == {"information_newly_allowed"}
    assert classes(info("allowed", "2023-10-13", True), info("allowed", "2023-10-16", True)) == {"publication_deadline_later"}
    assert classes(info("allowed", None, None), info("allowed", "2023-10-13", False)) == {"publication_deadline_earlier", "publication_timeliness_changed"}
    query = {"result": {"outcome": "allowed", "fired": [], "trace": []}, "denied_items": [], "warnings": []}
    refused = {"result": {"outcome": "refused", "fired": [], "trace": []}, "denied_items": ["administrative_penalty"], "warnings": []}
    assert classes(query, refused) == {"query_newly_refused", "query_access_changed"}
    assert all(cl.CLASSES[c].effect in ("information", "query") for c in ("information_newly_refused", "query_newly_allowed", "query_access_changed"))


# ------------------------------------------------------------------ pytest plugin


def test_pytest_plugin_runs_information_and_query_fixtures(suite: Path) -> None:
    (suite / "pytest.ini").write_text("[pytest]\ncredit_rules_fixtures = true\ncredit_rules_catalogs =\n    shipped\n    catalogs\n", encoding="utf-8")
    (suite / "bad" / "leaky.info.yaml").write_text(LEAKY, encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q"], cwd=suite, capture_output=True, text=True, check=False)
    out = done.stdout + done.stderr
    assert done.returncode == 1, out[-3000:]
    assert re.search(r"\b3 failed, \d+ passed", out), out[-2000:]
    assert "information fixture 'deliberately wrong about publication' (bad/wrong.info.yaml:1) differs from its expectation:" in out
    assert "publish.outcome: expected 'refused', got 'allowed'" in out
    assert "query fixture 'deliberately wrong about a government query' (bad/wrong.query.yaml:1) differs from its expectation:" in out
    assert RESIDENT_ID not in out and PHONE not in out  # the plugin masks like credit-rules test
    assert "Traceback" not in out
    # pytest's own -k selects information fixtures by name
    done = subprocess.run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q", "-k", "on_time"], cwd=suite, capture_output=True, text=True, check=False)
    assert done.returncode == 0 and " passed" in done.stdout and "failed" not in done.stdout, done.stdout[-2000:]
