"""``credit-rules test``: the fixture format, the runner's exit codes, -k, JUnit XML, progress and coverage."""

from __future__ import annotations

import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from credit_rules import Engine, InputError
from credit_rules.cli import main
from credit_rules.fixtures import check, find_fixtures, load_fixture, load_fixtures
from credit_rules.regression.coverage import measure, trace_entries
from credit_rules.regression.runner import collect
from credit_rules.regression.select import compile_k

from .conftest import FIXTURES, ROOT, all_fixtures

SHIPPED_AND_TEST = ["--catalogs", "shipped", "--catalogs", str(ROOT / "tests" / "catalogs")]
SAMR = FIXTURES / "listing" / "good" / "samr_national_list.case.yaml"


def cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def suite(tmp_path: Path) -> Path:
    """A small suite in tmp_path: a copy of the SAMR base case and one passing fixture."""
    (tmp_path / "base").mkdir()
    shutil.copy(FIXTURES / "base" / "samr_listing.yaml", tmp_path / "base" / "samr.yaml")
    (tmp_path / "ok.case.yaml").write_text(
        "name: SAMR listing allowed\nbase: base/samr.yaml\nexpect:\n  listing:\n    outcome: allowed\n    period_end: 2026-07-20\n",
        encoding="utf-8",
    )
    return tmp_path


# ------------------------------------------------------------------ fixture format


def test_suite_form_holds_several_cases_with_file_defaults(suite: Path) -> None:
    path = suite / "many.case.yaml"
    path.write_text(
        "name: several\nbase: base/samr.yaml\nas_of: 2023-07-20\ncases:\n"
        "  - name: allowed\n    expect: {listing: {outcome: allowed}}\n"
        "  - name: not malicious\n    patch: {act: {malicious: false, serious_circumstances: false, high_social_harm: false}}\n"
        "    expect:\n      listing: {outcome: focus_list_only, fired: [C6.serious_threshold], citations: [35号(八)]}\n",
        encoding="utf-8",
    )
    fixtures = load_fixtures(path)
    assert [f.name for f in fixtures] == ["allowed", "not malicious"]
    assert [f.index for f in fixtures] == [0, 1]
    assert [f.line for f in fixtures] == [5, 7]
    engine = Engine.load()
    assert all(not check(f, engine.decide(f.case, f.as_of)) for f in fixtures)
    with pytest.raises(InputError) as exc:
        load_fixture(path)
    assert "cases" in exc.value.render()


def test_single_form_still_loads_and_is_one_case() -> None:
    fixture = load_fixture(SAMR)
    assert fixture.index is None and fixture.key == ()
    assert load_fixtures(SAMR) == [fixture]


def test_error_in_a_suite_case_names_file_line_and_field(suite: Path) -> None:
    path = suite / "bad.case.yaml"
    path.write_text(
        "base: base/samr.yaml\ncases:\n  - name: fine\n    expect: {}\n  - name: typo\n    expect:\n      listng: {outcome: allowed}\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError) as exc:
        load_fixtures(path)
    assert f"{path}:7: field 'cases[1].expect.listng'" in exc.value.render()


def test_fields_and_measures_expectations_name_the_field() -> None:
    engine = Engine.load()
    fixture = load_fixture(SAMR)
    decision = engine.decide(fixture.case, fixture.as_of)
    from credit_rules.fixtures import Expect

    good = Expect.model_validate({"fields": {"listing.period.years": 3, "listing.remedies[*].zh": "行政复议", "listing.trace[*].rule": "C0.valid_determination"}})
    assert check(fixture.__class__(fixture.name, fixture.file, fixture.case, fixture.as_of, good), decision) == []
    bad = Expect.model_validate({"fields": {"listing.period.years": 2, "listing.nothing": 1}, "listing": {"citations": ["49号(十)"]}})
    problems = check(fixture.__class__(fixture.name, fixture.file, fixture.case, fixture.as_of, bad), decision)
    assert "fields[listing.period.years]: expected 2, got 3" in problems
    assert any(p.startswith("fields[listing.nothing]: expected 1, the decision has no such field") for p in problems)
    assert any(p.startswith("listing.citations: expected a fired rule citing '49号(十)'") for p in problems)


# ------------------------------------------------------------------ runner


def test_shipped_fixture_suite_passes(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = cli(capsys, "test", str(FIXTURES), *SHIPPED_AND_TEST)
    assert code == 0, out
    n = sum(len(load_fixtures(p)) for p in find_fixtures(FIXTURES))
    assert f"{n} passed, 0 failed, 0 errors" in out
    assert "listing/bad" in out and "total" in out  # the summary table, by directory
    assert err == ""  # no progress bar: stderr is not a terminal


def test_wrong_expectation_exits_1_and_names_the_field(suite: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (suite / "wrong.case.yaml").write_text(
        "name: deliberately wrong\nbase: base/samr.yaml\nexpect:\n  listing:\n    outcome: refused\n    fired: [C7.transition_expired]\n",
        encoding="utf-8",
    )
    code, out, _ = cli(capsys, "test", str(suite))
    assert code == 1
    assert "FAILED " in out and "wrong.case.yaml::deliberately wrong" in out
    assert "listing.outcome: expected 'refused', got 'allowed'" in out
    assert "listing.fired: expected rule C7.transition_expired to fire, its status is not_applicable" in out
    assert "1 passed, 1 failed, 0 errors" in out


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ("name: x\nbase: base/samr.yaml\nexpekt: {}\n", "bad.case.yaml:3: field 'expekt'"),
        ("name: x\nbase: base/samr.yaml\nexpect:\n  listing: {outcome: allowed\n", "bad.case.yaml:5: field '(syntax)'"),
        ("name: x\nbase: base/samr.yaml\npatch: {subject: {uscc: '91450400MA5L0001X9'}}\nexpect: {}\n", "bad.case.yaml:3: field 'subject.uscc'"),
        ("name: x\nbase: base/none.yaml\nexpect: {}\n", "bad.case.yaml:2: field 'base'"),
    ],
)
def test_bad_input_exits_2_with_location_and_no_traceback(suite: Path, capsys: pytest.CaptureFixture[str], text: str, where: str) -> None:
    (suite / "bad.case.yaml").write_text(text, encoding="utf-8")
    code, out, err = cli(capsys, "test", str(suite))
    assert code == 2
    assert where in out
    assert "Traceback" not in out + err
    assert "1 passed, 0 failed, 1 errors" in out  # the rest of the suite still ran


def test_missing_path_or_bad_catalogs_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli(capsys, "test", str(tmp_path / "nowhere"))[0] == 2
    assert cli(capsys, "test", str(tmp_path))[0] == 2  # no fixtures at all
    code, _, err = cli(capsys, "test", str(SAMR), "--catalogs", str(tmp_path / "nowhere"))
    assert code == 2 and "not a directory" in err


def test_k_selects_by_path_and_name(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = cli(capsys, "test", str(FIXTURES), *SHIPPED_AND_TEST, "-k", "transition and not expired")
    assert code == 0
    items = [i.ident for i in collect([FIXTURES])]
    expected = [i for i in items if "transition" in i.lower() and "expired" not in i.lower()]
    assert 0 < len(expected) < len(items)
    assert f"{len(expected)} passed, 0 failed" in out
    assert cli(capsys, "test", str(FIXTURES), "-k", "no_such_fixture_anywhere")[0] == 2


def test_k_expression_language() -> None:
    k = compile_k("(minor or court) and not 'good/'")
    assert k("listing/bad/minor.case.yaml::x")
    assert k("listing/bad/court_minor_debtor.case.yaml::y")
    assert not k("listing/good/court_judgment_debtor.case.yaml::z")
    assert not k("listing/bad/prior_notice.case.yaml::w")
    assert compile_k("MINOR")("a minor")  # case-insensitive, like pytest
    assert compile_k('"a minor judgment"')("x::a minor judgment debtor")
    assert compile_k("")("anything")
    for broken in ("a and", "(a or b", "a b", "not", ")"):
        with pytest.raises(InputError):
            compile_k(broken)


def test_junit_xml_is_valid_and_counts(suite: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (suite / "wrong.case.yaml").write_text("name: wrong\nbase: base/samr.yaml\nexpect: {listing: {outcome: refused}}\n", encoding="utf-8")
    (suite / "broken.case.yaml").write_text("name: broken\nexpect: {}\n", encoding="utf-8")
    report = tmp_path / "out" / "junit.xml"
    code, _, _ = cli(capsys, "test", str(suite), "--junit-xml", str(report))
    assert code == 2
    root = ET.parse(report).getroot()
    assert root.tag == "testsuites"
    ts = root.find("testsuite")
    assert ts is not None
    assert (ts.get("tests"), ts.get("failures"), ts.get("errors")) == ("3", "1", "1")
    cases = {c.get("name"): c for c in ts.findall("testcase")}
    assert set(cases) == {"SAMR listing allowed", "wrong", "broken.case.yaml"}
    failure = cases["wrong"].find("failure")
    assert failure is not None and "listing.outcome: expected 'refused', got 'allowed'" in (failure.text or "")
    error = cases["broken.case.yaml"].find("error")
    assert error is not None and "base/case" in (error.get("message") or "")
    assert cases["wrong"].get("classname", "").endswith("wrong")


def test_progress_bar_only_when_asked_or_on_a_terminal(suite: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli(capsys, "test", str(suite))[2] == ""
    code, _, err = cli(capsys, "test", str(suite), "--progress")
    assert code == 0
    assert "1/1" in err and "#" in err and err.endswith("\n")


# ------------------------------------------------------------------ coverage


def test_coverage_counts_every_cited_paragraph(capsys: pytest.CaptureFixture[str]) -> None:
    engine = Engine.load([ROOT / "catalogs", ROOT / "tests" / "catalogs"])
    decided = [(f"{fx.file}::{fx.name}", engine.decide(fx.case, fx.as_of).model_dump(mode="json")) for fx in all_fixtures()]
    cov = measure(engine.ruleset, decided)
    cited = {p for r in engine.ruleset.rules for p in (r.spec.source, *r.spec.also_cites)}
    assert {p.paragraph for p in cov.paragraphs} == cited
    # the counts are the fixtures in which a rule citing the paragraph passed / failed
    for para in cov.paragraphs:
        rules = {r.id for r in engine.ruleset.rules if para.paragraph in (r.spec.source, *r.spec.also_cites)}
        passing = {i for i, d in decided if any(t["rule"] in rules and t["status"] == "passed" for t in trace_entries(d))}
        failing = {i for i, d in decided if any(t["rule"] in rules and t["status"] == "failed" for t in trace_entries(d))}
        assert (para.passing, para.failing) == (passing, failing), para.paragraph
    by_para = {p.paragraph: p for p in cov.paragraphs}
    assert by_para["49号(七)"].passing and by_para["49号(七)"].failing
    # every determination and listing rule is seen both ways (tests/test_fixtures.py asks the same)
    for r in cov.rules:
        if r.question in ("determination", "listing"):
            assert r.both, r.rule

    code, out, _ = cli(capsys, "test", str(FIXTURES), *SHIPPED_AND_TEST, "--coverage")
    assert code == 0
    assert "Coverage by article" in out
    for para in cov.paragraphs:
        assert para.paragraph in out
    row = next(line for line in out.splitlines() if line.startswith("49号(七) "))
    assert row.split()[-2:] == [str(len(by_para["49号(七)"].passing)), str(len(by_para["49号(七)"].failing))]
    assert f"({cov.percent:.1f}%)" in out

    assert cli(capsys, "test", str(FIXTURES), *SHIPPED_AND_TEST, "--fail-under", f"{cov.percent - 0.05:.2f}")[0] == 0
    code, _, err = cli(capsys, "test", str(FIXTURES), *SHIPPED_AND_TEST, "--fail-under", f"{min(cov.percent + 0.05, 100.01):.2f}")
    assert code == 1 and "--fail-under" in err


def test_repair_expectations_name_the_field(suite: Path) -> None:
    """The repair answer is asserted like the others: outcome, earliest date, regime, rules."""
    shutil.copy(FIXTURES / "base" / "repair_penalty.yaml", suite / "base" / "repair.yaml")
    engine = Engine.load()
    probe = suite / "probe.case.yaml"
    probe.write_text("name: probe\nbase: base/repair.yaml\nexpect: {}\n", encoding="utf-8")
    fixture = load_fixture(probe)
    got = engine.decide(fixture.case, fixture.as_of).repair
    if got is None:
        pytest.skip("the case asks no repair question")
    earliest = got.earliest_date.isoformat() if got.earliest_date else None
    regime = got.regime.id if got.regime else None
    passed = next(t.rule for t in got.trace if t.status.value == "passed")
    probe.write_text(
        f"name: probe\nbase: base/repair.yaml\nexpect:\n  repair:\n    outcome: {got.outcome.value}\n"
        + (f"    earliest_date: {earliest}\n" if earliest else "")
        + (f"    regime: {regime}\n" if regime else "")
        + f"    passed: [{passed}]\n",
        encoding="utf-8",
    )
    fixture = load_fixture(probe)
    assert check(fixture, engine.decide(fixture.case, fixture.as_of)) == []
    probe.write_text(
        "name: probe\nbase: base/repair.yaml\nexpect:\n  repair:\n    outcome: nonsense\n    earliest_date: 1999-01-01\n    regime: none\n    fired: [E9.nothing]\n",
        encoding="utf-8",
    )
    fixture = load_fixture(probe)
    problems = check(fixture, engine.decide(fixture.case, fixture.as_of))
    assert [p.split(":", 1)[0] for p in problems] == ["repair.outcome", "repair.fired", "repair.earliest_date", "repair.regime"]
