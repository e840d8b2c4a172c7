"""The command line: decisions on shipped examples, stable JSON, located errors."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from credit_rules.cli import main

from .conftest import ROOT

EXAMPLES = sorted((ROOT / "examples" / "cases").glob("*.yaml"))


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "credit_rules.cli", *args], capture_output=True, text=True, cwd=ROOT, check=False)


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.name)
def test_decide_example_cites_paragraphs(example: Path) -> None:
    out = run("decide", str(example), "--format", "text", "--lang", "en")
    assert out.returncode == 0, out.stderr
    assert "49号(" in out.stdout
    data = json.loads(run("decide", str(example), "--format", "json").stdout)
    cited = {t["citation"] for q in ("determination", "listing") if data.get(q) for t in data[q]["trace"]}
    assert any(c.startswith("49号") for c in cited)


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.name)
def test_json_is_byte_identical_across_runs(example: Path) -> None:
    first = run("decide", str(example), "--format", "json")
    second = run("decide", str(example), "--format", "json")
    assert first.returncode == 0
    assert first.stdout == second.stdout


BAD_CASES = {
    "wrong_type.yaml": ("act.gravity", 13),
    "unknown_field.yaml": ("subject.nickname", 9),
    "bad_uscc_check.yaml": ("subject.uscc", 8),
    "impossible_date.yaml": ("act.document.issued", 14),
    "bad_resident_id.yaml": ("subject.resident_id", 9),
}


@pytest.mark.parametrize("name", sorted(BAD_CASES))
def test_malformed_case_exits_2_with_location(name: str, capsys: pytest.CaptureFixture[str]) -> None:
    path = ROOT / "tests" / "bad_inputs" / name
    code = main(["decide", str(path)])
    err = capsys.readouterr().err
    field, line = BAD_CASES[name]
    assert code == 2
    assert f"{path}:{line}:" in err, err
    assert field in err, err
    assert "Traceback" not in err


def test_malformed_case_via_subprocess_has_no_traceback() -> None:
    out = run("decide", "tests/bad_inputs/wrong_type.yaml")
    assert out.returncode == 2
    assert "Traceback" not in out.stderr
    assert "wrong_type.yaml:13" in out.stderr


def test_missing_file_exits_2() -> None:
    assert main(["decide", "no/such/case.yaml"]) == 2


def test_lint_shipped_is_clean() -> None:
    assert main(["lint"]) == 0


def test_lint_reports_bad_rule_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "ruleset.yaml").write_text("name: t\nversion: '1'\n", encoding="utf-8")
    (tmp_path / "r.yaml").write_text(
        "rules:\n"
        "  - id: T1.x\n"
        "    question: listing\n"
        "    principle: legality\n"
        "    source: 49号(六)\n"
        "    reason: r\n"
        "    effect: refuse\n"
        "    require: {fact: act.colour, eq: red}\n"
        "    message: {zh: 中, en: en}\n",
        encoding="utf-8",
    )
    assert main(["lint", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "r.yaml:8" in err and "rules[0].require.fact" in err


def _catalogs_with_restated_deadline_off(tmp_path: Path) -> Path:
    """A copy of the shipped catalogs whose court list restates a deletion deadline its repair regime does not
    carry (check_deletion_restated, a cross-check of every catalog load)."""
    import shutil

    from credit_rules.shipped import shipped_catalogs_dir

    cats = tmp_path / "catalogs"
    shutil.copytree(shipped_catalogs_dir(), cats)
    standards = cats / "national" / "listing_standards.yaml"
    text = standards.read_text(encoding="utf-8")
    assert "deadline_working_days: 3" in text
    standards.write_text(text.replace("deadline_working_days: 3", "deadline_working_days: 4", 1), encoding="utf-8")
    return cats


def _each_once(err: str) -> list[str]:
    lines = [line for line in err.splitlines() if "deletion.deadline_working_days" in line]
    assert lines, err
    assert len(lines) == len(set(lines)), err
    return lines


def test_lint_prints_a_cross_check_problem_once(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    """``lint`` checks the catalogs, then loads the rules, which load the same catalogs: one problem, printed once."""
    import credit_rules.shipped

    cats = _catalogs_with_restated_deadline_off(tmp_path)
    monkeypatch.setattr(credit_rules.shipped, "shipped_catalogs_dir", lambda: cats)
    assert main(["lint"]) == 2
    assert len(_each_once(capsys.readouterr().err)) == 1


def test_lint_layer_prints_each_problem_once(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A layer over the shipped catalogs meets the same repair regime twice (once per layer): still one line."""
    cats = _catalogs_with_restated_deadline_off(tmp_path)
    assert main(["lint", "--catalogs", "shipped", str(cats)]) == 2
    err = capsys.readouterr().err
    _each_once(err)
    assert len(err.splitlines()) == len(set(err.splitlines())), err


def test_schema_writes_every_format(tmp_path: Path) -> None:
    assert main(["schema", "--out", str(tmp_path)]) == 0
    names = {p.name for p in tmp_path.iterdir()}
    assert {"case.schema.json", "decision.schema.json", "rule.schema.json", "catalog-listing-standard-entry.schema.json"} <= names
    schema = json.loads((tmp_path / "case.schema.json").read_text(encoding="utf-8"))
    assert "subject" in schema["properties"]
