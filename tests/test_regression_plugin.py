"""The pytest plugin: a ministry's suite runs under plain ``pytest``; this project's own fixtures are not collected twice."""

from __future__ import annotations

import shutil
import subprocess
import sys
from importlib.metadata import entry_points
from pathlib import Path

from .conftest import FIXTURES, ROOT

SUITE = ROOT / "examples" / "ministry_suite"


def pytest_in(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Plain pytest in a subprocess, as a ministry would run it (the plugin comes from the entry point)."""
    return subprocess.run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", *args], cwd=cwd, capture_output=True, text=True, check=False)


def test_plugin_is_registered_by_entry_point() -> None:
    assert any(ep.value == "credit_rules.pytest_plugin" for ep in entry_points(group="pytest11"))


def test_ministry_suite_runs_under_plain_pytest(tmp_path: Path) -> None:
    suite = tmp_path / "suite"
    shutil.copytree(SUITE, suite)
    done = pytest_in(suite, "-q")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "6 passed" in done.stdout
    # pytest's own -k selects fixture cases by name
    done = pytest_in(suite, "-q", "-k", "focus")
    assert done.returncode == 0 and "1 passed, 5 deselected" in done.stdout


def test_wrong_expectation_fails_with_a_diff_naming_the_field(tmp_path: Path) -> None:
    suite = tmp_path / "suite"
    shutil.copytree(SUITE, suite)
    (suite / "fixtures" / "wrong.case.yaml").write_text(
        "name: deliberately wrong\nbase: base/food_listing.yaml\nexpect:\n  listing:\n    outcome: refused\n    period_end: 2030-01-01\n",
        encoding="utf-8",
    )
    (suite / "fixtures" / "broken.case.yaml").write_text("name: broken\nbase: base/food_listing.yaml\nexpect: {listng: {}}\n", encoding="utf-8")
    done = pytest_in(suite, "-q")
    assert done.returncode == 1
    out = done.stdout
    assert "2 failed, 6 passed" in out
    assert "fixture 'deliberately wrong' (fixtures/wrong.case.yaml:1) differs from its expectation:" in out
    assert "listing.outcome: expected 'refused', got 'allowed'" in out
    assert "listing.period_end: expected 2030-01-01, got 2029-03-02" in out
    assert "broken.case.yaml:3: field 'expect.listng'" in out
    assert "Traceback" not in out


def test_inactive_unless_asked(tmp_path: Path) -> None:
    """Without the option or ini setting nothing is collected, so tests/test_fixtures.py's fixtures never run twice."""
    shutil.copytree(FIXTURES, tmp_path / "fixtures")
    (tmp_path / "pytest.ini").write_text("[pytest]\n", encoding="utf-8")
    done = pytest_in(tmp_path, "-q", "fixtures")
    assert done.returncode == 5, done.stdout  # no tests collected
    # the command-line switch turns it on; catalog layers are given the same way
    done = pytest_in(
        tmp_path, "-q", "fixtures", "--credit-rules-fixtures", "--credit-rules-catalogs", "shipped", "--credit-rules-catalogs", str(ROOT / "tests" / "catalogs")
    )
    assert done.returncode == 0, done.stdout[-3000:]
    assert " passed" in done.stdout and "failed" not in done.stdout
