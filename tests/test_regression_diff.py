"""``credit-rules diff``: classification by legal effect, the four formats, --accept, and REFs (directory, git, shipped)."""

from __future__ import annotations

import json
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from credit_rules import Engine
from credit_rules.cli import main
from credit_rules.regression import classify as cl
from credit_rules.regression.diff import run_diff
from credit_rules.regression.refs import from_directory
from credit_rules.regression.report import render
from credit_rules.regression.runner import collect

from .conftest import FIXTURES, ROOT

SUITE = ROOT / "examples" / "ministry_suite"
STATE_2025 = SUITE / "state-2025"
STATE_2026 = SUITE / "state-2026"
CHANGED = {
    "food_safety.case.yaml::a malicious, serious food-safety violation goes on the list for the standard's period": {"period_changed"},
    "wage_arrears.case.yaml::the city has no wage-arrears list yet, so a wage-arrears listing is refused": {
        "newly_allowed_listing", "reason_changed", "citation_changed", "rule_unfired", "warning_changed",
    },
    "work_safety.case.yaml::a serious work-safety violation goes on the city's work safety list": {
        "newly_refused_listing", "reason_changed", "citation_changed", "rule_fired", "warning_changed",
    },
}


def cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def ministry_diff(capsys: pytest.CaptureFixture[str], fixtures: Path, *extra: str, base: str = str(STATE_2025), head: str = str(STATE_2026)) -> tuple[int, str, str]:
    return cli(capsys, "diff", "--base", base, "--head", head, "--catalogs", "shipped", str(fixtures), *extra)


# ------------------------------------------------------------------ classification on hand-made decisions


def question(outcome: str, *, fired: tuple[str, ...] = (), reasons: tuple[str, ...] = (), cites: dict[str, str] | None = None, end: str | None = None) -> dict[str, Any]:
    cites = cites or {}
    trace = [{"rule": r, "status": "failed", "citation": cites.get(r, "49号(七)"), "also_cites": []} for r in fired]
    trace.append({"rule": "C0.ok", "status": "passed", "citation": cites.get("C0.ok", "49号(二)"), "also_cites": []})
    q: dict[str, Any] = {"outcome": outcome, "fired": list(fired), "reasons": list(reasons), "leniency": [], "obligations": [], "warnings": [], "trace": trace}
    q["period"] = {"start": "2024-01-01", "end": end, "years": 3, "extendable_years": None, "citation": "x"} if end else None
    return q


def decision(**parts: Any) -> dict[str, Any]:
    d: dict[str, Any] = {"case_id": "c", "catalog_editions": [{"edition": "2025"}], "backend": "python", "warnings": [],
                         "determination": question("valid"), "listing": question("allowed", end="2027-01-01")}
    d.update(parts)
    return d


def classes(before: dict[str, Any], after: dict[str, Any]) -> set[str]:
    return {c.cls for c in cl.classify(before, after)}


def test_identical_decisions_and_bookkeeping_give_no_change() -> None:
    assert cl.classify(decision(), decision()) == []
    assert cl.classify(decision(), decision(catalog_editions=[{"edition": "2026"}], backend="durable")) == []


def test_listing_outcome_classes() -> None:
    refused = question("refused", fired=("C1.standard_known",), reasons=("no_listing_standard",))
    assert classes(decision(), decision(listing=refused)) == {"newly_refused_listing", "rule_fired", "reason_changed", "citation_changed"}
    assert classes(decision(listing=refused), decision()) == {"newly_allowed_listing", "rule_unfired", "reason_changed", "citation_changed"}
    focus = question("focus_list_only", fired=("C6.serious_threshold",), reasons=("below_threshold",), cites={"C6.serious_threshold": "35号(八)"})
    assert "newly_refused_listing" in classes(decision(), decision(listing=focus))  # allowed → focus list only
    change = {c.cls: c for c in cl.classify(decision(listing=refused), decision(listing=focus))}
    assert change["outcome_changed"].detail == "listing.outcome: refused → focus_list_only"
    assert change["citation_changed"].detail == "listing cites: + 35号(八), - 49号(七)"
    assert "newly_refused_listing" in classes(decision(), decision(listing=None))  # the question vanished


def test_determination_reason_citation_and_period_classes() -> None:
    invalid = question("invalid", fired=("B1.document_effective",), reasons=("document_not_effective",))
    assert classes(decision(), decision(determination=invalid)) >= {"determination_changed", "rule_fired", "reason_changed"}
    recited = question("allowed", end="2027-01-01", cites={"C0.ok": "49号(八)"})
    change = cl.classify(decision(), decision(listing=recited))
    assert [c.cls for c in change] == ["citation_changed"]
    assert "C0.ok cites 49号(二)" in change[0].detail
    longer = cl.classify(decision(), decision(listing=question("allowed", end="2028-01-01")))
    assert [c.cls for c in longer] == ["period_changed"] and longer[0].detail.endswith("(lengthened)")
    shorter = cl.classify(decision(), decision(listing=question("allowed", end="2026-01-01")))
    assert shorter[0].detail.endswith("(shortened)")
    assert classes(decision(warnings=["a"]), decision(warnings=["b"])) == {"warning_changed"}


def measure(ident: str, end: str | None, target: str = "subject") -> dict[str, Any]:
    return {"measure": ident, "target": target, "outcome": "allowed", "end": end, "trace": []}


def test_measure_classes_on_generic_json() -> None:
    before = decision(measures={"applied": [measure("m1", "2026-01-01"), measure("m2", "2026-01-01"), measure("m3", None)], "refused": []})
    after = decision(measures={"applied": [measure("m1", "2027-01-01"), measure("m3", "2026-06-01"), measure("m4", None)], "refused": [measure("m2", None)]})
    got = {(c.cls, c.path) for c in cl.classify(before, after)}
    assert got == {
        ("measure_lengthened", "measures.applied[m1@subject].end"),
        ("measure_removed", "measures.applied[m2@subject]"),
        ("measure_shortened", "measures.applied[m3@subject].end"),  # open-ended (lasts with the listing) → a fixed date
        ("measure_added", "measures.applied[m4@subject]"),
    }
    # the same measure aimed at another person is another item
    assert classes(before, decision(measures={"applied": [*before["measures"]["applied"], measure("m1", None, "legal_representative")]})) == {"measure_added"}


def test_repair_classes_on_generic_json() -> None:
    def repair(outcome: str, earliest: str | None, regime: str = "ndrc_58") -> dict[str, Any]:
        return decision(repair={"outcome": outcome, "earliest_date": earliest, "regime": {"id": regime}, "fired": [], "reasons": [], "trace": []})

    assert classes(repair("repairable", "2026-01-01"), repair("repairable", "2025-06-01")) == {"repair_earlier"}
    assert classes(repair("not_yet", "2026-01-01"), repair("not_yet", "2027-01-01")) == {"repair_later"}
    assert classes(repair("repairable", "2026-01-01"), repair("not_repairable", None)) == {"repair_newly_impossible"}
    assert classes(repair("not_repairable", None), repair("not_yet", "2026-01-01")) == {"repair_newly_possible"}
    assert classes(repair("repairable", "2026-01-01"), repair("not_yet", "2026-01-01")) == {"outcome_changed"}
    assert classes(repair("repairable", "2026-01-01"), repair("repairable", "2026-01-01", "ndrc_36")) == {"repair_regime_changed"}


def test_new_classes_are_rows_in_the_tables(monkeypatch: pytest.MonkeyPatch) -> None:
    """A later question family adds classes without new code: register a class, add a table row."""
    monkeypatch.setattr(cl, "CLASSES", dict(cl.CLASSES))
    monkeypatch.setattr(cl, "TRANSITIONS", [cl.Transition("publish.outcome", "allowed", "!allowed", "publication_withdrawn"), *cl.TRANSITIONS])
    monkeypatch.setattr(cl, "ORDERED", [*cl.ORDERED, cl.OrderedField("publish.until", "publication_lengthened", "publication_shortened")])
    cl.register_class("publication_withdrawn", "publication withdrawn", "publish")
    cl.register_class("publication_lengthened", "publication lengthened", "publish")
    cl.register_class("publication_shortened", "publication shortened", "publish")
    before = decision(publish={"outcome": "allowed", "until": "2026-01-01"})
    assert classes(before, decision(publish={"outcome": "refused", "until": "2026-01-01"})) == {"publication_withdrawn"}
    assert classes(before, decision(publish={"outcome": "allowed", "until": "2027-01-01"})) == {"publication_lengthened"}
    cl.TRANSITIONS.insert(0, cl.Transition("x.outcome", "*", "*", "not_registered"))
    with pytest.raises(KeyError):
        cl.classify(decision(x={"outcome": "a"}), decision(x={"outcome": "b"}))


# ------------------------------------------------------------------ the example ministry suite


def changed_fixtures(report: dict[str, Any]) -> dict[str, set[str]]:
    return {c["fixture"].split("/")[-1]: {x["class"] for x in c["changes"]} for c in report["changes"]}


def test_ministry_diff_lists_exactly_the_changed_fixtures(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = ministry_diff(capsys, SUITE / "fixtures", "--format", "json")
    assert code == 1
    report = json.loads(out)
    assert changed_fixtures(report) == CHANGED
    assert report["fixtures"] == 6 and report["changed"] == 3
    summary = {s["class"]: len(s["fixtures"]) for s in report["summary"]}
    assert summary["newly_refused_listing"] == summary["newly_allowed_listing"] == summary["period_changed"] == 1
    period = next(x for c in report["changes"] for x in c["changes"] if x["class"] == "period_changed")
    assert period["before"]["end"] == "2029-03-02" and period["after"]["end"] == "2028-03-02"


class _Html(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in ("meta", "br"):
            self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        assert self.stack and self.stack.pop() == tag, f"unbalanced </{tag}>"

    def handle_data(self, data: str) -> None:
        self.text.append(data)


@pytest.fixture(scope="module")
def engines() -> dict[str, Engine]:
    """The two example states, loaded once for the in-process checks."""
    shipped = [ROOT / "catalogs"]
    return {name: from_directory(state, name).engine(shipped) for name, state in (("2025", STATE_2025), ("2026", STATE_2026))}


def test_all_four_formats(capsys: pytest.CaptureFixture[str], tmp_path: Path, engines: dict[str, Engine]) -> None:
    code, text, _ = ministry_diff(capsys, SUITE / "fixtures")
    assert code == 1
    assert "6 fixtures decided both ways, 3 changed" in text
    assert "listing newly refused  listing.outcome: allowed → refused" in text
    assert "listing.period: end 2029-03-02 → 2028-03-02, years 3 → 2" in text and "(shortened)" in text

    out = tmp_path / "report" / "diff.html"
    code, stdout, _ = ministry_diff(capsys, SUITE / "fixtures", "--format", "html", "--output", str(out))
    assert code == 1 and stdout == ""
    page = out.read_text(encoding="utf-8")
    parser = _Html()
    parser.feed(page)
    assert parser.stack == []
    body = "".join(parser.text)
    assert "listing newly refused" in body and "newly_allowed_listing" in body and "work_safety.case.yaml" in body

    report = run_diff(collect([SUITE / "fixtures"]), engines["2025"], engines["2026"], "2025", "2026")
    md = render(report, "markdown")
    assert md.startswith("# Decision changes\n")
    assert "| listing newly allowed (`newly_allowed_listing`) | listing | 1 |" in md
    assert md.count("### `") == 3
    js = render(report, "json")
    assert changed_fixtures(json.loads(js)) == CHANGED
    # deterministic: the same inputs give the same bytes
    assert render(run_diff(collect([SUITE / "fixtures"]), engines["2025"], engines["2026"], "2025", "2026"), "json") == js


def test_identical_inputs_give_an_empty_diff(capsys: pytest.CaptureFixture[str], engines: dict[str, Engine]) -> None:
    code, out, _ = ministry_diff(capsys, SUITE / "fixtures", head=str(STATE_2025))
    assert code == 0 and "no decision changed" in out
    report = run_diff(collect([SUITE / "fixtures"]), engines["2025"], engines["2025"], "2025", "2025")
    assert report.exit_code() == 0 and report.changed == []
    assert json.loads(render(report, "json"))["changes"] == []
    for fmt in ("markdown", "html"):
        assert "No decision changed" in render(report, fmt)
    code, out, _ = cli(capsys, "diff", "--base", "shipped", "--head", "shipped", "--catalogs", str(ROOT / "tests" / "catalogs"), str(FIXTURES))
    assert code == 0 and "0 changed" in out


def test_bad_refs_and_fixtures_exit_2(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, _, err = ministry_diff(capsys, SUITE / "fixtures", base=str(tmp_path / "no-such-ref"), head="shipped")
    assert code == 2 and "--base" in err and "Traceback" not in err
    (tmp_path / "bad.case.yaml").write_text("name: x\nexpect: {}\ncase: {case_id: 1}\n", encoding="utf-8")
    code, out, _ = ministry_diff(capsys, tmp_path)
    assert code == 2 and "bad.case.yaml:3" in out


def test_accept_round_trip(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    fixtures = tmp_path / "fixtures"
    shutil.copytree(SUITE / "fixtures", fixtures)
    before = {p.name: p.read_text(encoding="utf-8") for p in fixtures.glob("*.case.yaml")}
    code, _, err = ministry_diff(capsys, fixtures, "--accept")
    assert code == 0
    assert "3 fixture expectation(s) rewritten" in err
    after = {p.name: p.read_text(encoding="utf-8") for p in fixtures.glob("*.case.yaml")}
    assert after["determination_only.case.yaml"] == before["determination_only.case.yaml"]
    # only the expect blocks changed: comments, names, patches and the other cases stay as written
    food = after["food_safety.case.yaml"]
    assert food.startswith("# The food safety list: several cases in one file")
    assert "period_end: 2028-03-02" in food and "period_end: 2029-03-02" not in food
    assert food.count("- name:") == 3
    assert food.split("  - name: an act that is not malicious")[1] == before["food_safety.case.yaml"].split("  - name: an act that is not malicious")[1]
    assert "outcome: refused" in after["work_safety.case.yaml"] and "C1.standard_known" in after["work_safety.case.yaml"]
    # the rule the author saw firing now passes: it moves to `passed`, and the new period is recorded
    assert "outcome: allowed\n    passed:\n    - C1.standard_known\n    period_end: 2029-03-02\n" in after["wage_arrears.case.yaml"]
    # the rebased fixtures pass against the head and fail against the base
    assert cli(capsys, "test", str(fixtures), "--catalogs", "shipped", "--catalogs", str(STATE_2026 / "catalogs"))[0] == 0
    code, out, _ = cli(capsys, "test", str(fixtures), "--catalogs", "shipped", "--catalogs", str(STATE_2025 / "catalogs"))
    assert code == 1 and "3 passed, 3 failed" in out
    # accepting again writes nothing
    code, _, err = ministry_diff(capsys, fixtures, "--accept")
    assert code == 0 and "0 fixture expectation(s) rewritten" in err


def test_accept_falls_back_on_flow_style(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    fixtures = tmp_path / "fixtures"
    shutil.copytree(SUITE / "fixtures", fixtures)
    flow = fixtures / "work_safety.case.yaml"
    flow.write_text("{name: flow, base: base/food_listing.yaml, patch: {act: {field: work_safety}, listing: {standard: example_work_safety_list}}, expect: {listing: {outcome: allowed}}}\n", encoding="utf-8")
    assert ministry_diff(capsys, fixtures, "--accept", "-k", "flow")[0] == 0
    assert "outcome: refused" in flow.read_text(encoding="utf-8")


# ------------------------------------------------------------------ git revisions


def git(repo: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(repo), "-c", "user.name=t", "-c", "user.email=t@example.invalid", "-c", "commit.gpgsign=false", *args], check=True, capture_output=True)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A repository with the ministry's layer under ministry/catalogs: 2025 state, then 2026."""
    root = tmp_path / "repo"
    (root / "ministry").mkdir(parents=True)
    git(root, "init", "-q")
    shutil.copytree(STATE_2025 / "catalogs", root / "ministry" / "catalogs")
    (root / "README").write_text("ministry catalogs\n", encoding="utf-8")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "2025")
    shutil.rmtree(root / "ministry" / "catalogs")
    shutil.copytree(STATE_2026 / "catalogs", root / "ministry" / "catalogs")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "2026")
    git(root, "tag", "v2026")
    return root


def test_git_revisions_as_refs(capsys: pytest.CaptureFixture[str], repo: Path) -> None:
    code, out, _ = cli(capsys, "diff", "--repo", str(repo / "ministry"), "--base", "HEAD~1", "--head", "v2026", "--catalogs", "shipped", str(SUITE / "fixtures"), "--format", "json")
    assert code == 1, out
    report = json.loads(out)
    assert changed_fixtures(report) == CHANGED
    assert report["base"].startswith("HEAD~1 (") and report["head"].startswith("v2026 (")
    # a revision against the same state as a directory: nothing changed
    code, out, _ = cli(capsys, "diff", "--repo", str(repo / "ministry"), "--base", "HEAD", "--head", str(STATE_2026), "--catalogs", "shipped", str(SUITE / "fixtures"))
    assert code == 0, out
    # the work tree is untouched and no temporary checkout is left behind
    status = subprocess.run(["git", "-C", str(repo), "status", "--porcelain"], capture_output=True, text=True, check=True)
    assert status.stdout == ""
    code, _, err = cli(capsys, "diff", "--repo", str(repo), "--base", "no-such-rev", "--head", "HEAD", str(SUITE / "fixtures"))
    assert code == 2 and "no-such-rev" in err


def test_accepted_fixture_keeps_its_comments_and_other_keys(tmp_path: Path) -> None:
    from credit_rules.fixtures import Expect, QuestionExpect
    from credit_rules.regression.accept import rewrite_expect

    path = tmp_path / "x.case.yaml"
    text = "# head comment\nname: x\nexpect:\n  listing:\n    outcome: allowed\n  # inside\n# after\nas_of: 2024-01-01\ncase: {}\n"
    path.write_text(text, encoding="utf-8")
    new = Expect(listing=QuestionExpect(outcome="refused", fired=["C1.standard_known"]))
    rewrite_expect(path, (), new)
    out = path.read_text(encoding="utf-8")
    assert out == "# head comment\nname: x\nexpect:\n  listing:\n    outcome: refused\n    fired:\n    - C1.standard_known\n  # inside\n# after\nas_of: 2024-01-01\ncase: {}\n"


def test_accept_rebases_a_repair_expectation(tmp_path: Path) -> None:
    from datetime import timedelta

    from credit_rules.fixtures import check, load_fixture
    from credit_rules.regression.accept import accepted_expect

    (tmp_path / "base").mkdir()
    shutil.copy(FIXTURES / "base" / "repair_penalty.yaml", tmp_path / "base" / "repair.yaml")
    path = tmp_path / "r.case.yaml"
    path.write_text("name: r\nbase: base/repair.yaml\nexpect:\n  repair: {earliest_date: 2000-01-01}\n", encoding="utf-8")
    fixture = load_fixture(path)
    before = Engine.load().decide(fixture.case, fixture.as_of)
    if before.repair is None or before.repair.earliest_date is None:
        pytest.skip("the case gives no repair date")
    later = before.repair.earliest_date + timedelta(days=30)
    after = before.model_copy(update={"repair": before.repair.model_copy(update={"earliest_date": later})})
    changes = cl.classify(before.model_dump(mode="json"), after.model_dump(mode="json"))
    assert [c.cls for c in changes] == ["repair_later"]
    new = accepted_expect(fixture, before, after, changes)
    assert new.repair is not None and new.repair.earliest_date == later
    assert new.repair.outcome == before.repair.outcome.value
    rebased = fixture.__class__(fixture.name, fixture.file, fixture.case, fixture.as_of, new)
    assert check(rebased, after) == [] and check(rebased, before) != []


# ------------------------------------------------------------------ lifecycle events (expect.lifecycle)


def test_lifecycle_classes_on_generic_json() -> None:
    def result(accepted: bool, state: str, transition: str | None = None, citation: str = "49号(八)", reasons: tuple[str, ...] = ()) -> dict[str, Any]:
        history = [{"transition": transition, "citation": citation, "to": state}] if transition else []
        return {"accepted": accepted, "state": {"state": state, "history": history}, "reasons": list(reasons), "duties": [], "guard": None}

    listed, expired = result(True, "listed", "list"), result(True, "expired", "expire")
    refused = result(False, "listed", reasons=("period_not_ended",))
    labels = ["list on 2023-07-20", "expire on 2026-07-20"]
    assert cl.classify_lifecycle([listed, expired], [listed, expired], labels) == []
    [c] = cl.classify_lifecycle([listed, expired], [listed, refused], labels)
    assert (c.cls, c.path) == ("lifecycle_newly_refused", "lifecycle[1]")
    assert c.detail == "expire on 2026-07-20: accepted → refused (period_not_ended)"
    assert [c.cls for c in cl.classify_lifecycle([refused], [expired], labels[1:])] == ["lifecycle_newly_accepted"]
    [moved] = cl.classify_lifecycle([expired], [result(True, "expired", "expire", citation="49号(九)")], labels[1:])
    assert moved.cls == "lifecycle_changed" and "citation 49号(八) → 49号(九)" in moved.detail


def test_diff_compares_lifecycle_results_and_accept_rebases_them(tmp_path: Path) -> None:
    """A list period lengthened from 3 to 4 years: the decision's period changes, and the fixture's expire event on
    the old end date is newly refused — diff reports it, and --accept rewrites the event so the fixture passes."""
    from credit_rules.fixtures import load_fixtures
    from credit_rules.regression.accept import accept
    from credit_rules.regression.runner import run_items

    head_layer = tmp_path / "head" / "359900-test"
    shutil.copytree(ROOT / "tests" / "catalogs" / "359900-test", head_layer)
    standards = head_layer / "listing_standards.yaml"
    text = standards.read_text(encoding="utf-8")
    start = text.index("- id: test_local_reg_list")
    at = text.index("    years: 3\n", start)
    standards.write_text(text[:at] + "    years: 4\n" + text[at + len("    years: 3\n"):], encoding="utf-8")
    base = Engine.load([ROOT / "catalogs", ROOT / "tests" / "catalogs"])
    head = Engine.load([ROOT / "catalogs", tmp_path / "head"])

    (tmp_path / "fx" / "base").mkdir(parents=True)
    shutil.copy(FIXTURES / "base" / "test_local_listing.yaml", tmp_path / "fx" / "base" / "listing.yaml")
    path = tmp_path / "fx" / "expire.case.yaml"
    path.write_text(
        "name: expire on the day the period ends\nbase: base/listing.yaml\nexpect:\n  lifecycle:\n"
        "  - {event: notify, date: 2023-06-01}\n  - {event: list, date: 2023-07-20}\n"
        "  - {event: expire, date: 2026-07-20, transition: expire, citation: 49号(八), state: expired}\n",
        encoding="utf-8",
    )
    items = collect([tmp_path / "fx"])
    report = run_diff(items, base, head, "3 years", "4 years")
    [changed] = report.changed
    classes = {c.cls for c in changed.changes}
    assert "lifecycle_newly_refused" in classes and "period_changed" in classes
    [life] = [c for c in changed.changes if c.cls == "lifecycle_newly_refused"]
    assert life.path == "lifecycle[2]" and "period_not_ended" in life.detail

    assert accept(report) == [changed.item.ident]
    [rebased] = load_fixtures(path)
    event = rebased.expect.lifecycle[2]
    assert (event.accepted, event.state, event.transition, event.citation) == (False, "listed", None, None)
    assert event.reasons == ["period_not_ended"]
    assert [r.status.value for r in run_items(head, collect([tmp_path / "fx"]))] == ["passed"]
    assert [r.status.value for r in run_items(base, collect([tmp_path / "fx"]))] == ["failed"]
