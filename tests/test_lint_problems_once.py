"""Each problem is said once, however many paths reach it.

`credit-rules lint LAYER FILE` loads the layer for the directory and again to check the file's ids; a cross-check
problem of the layer (here ``check_deletion_restated``) used to be printed twice. ``InputError`` now keeps each
problem once, in the order first met, on every channel.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from credit_rules.errors import InputError, Problem
from credit_rules.shipped import shipped_catalogs_dir

from .conftest import ROOT


def test_input_error_keeps_each_problem_once_in_order() -> None:
    a, b = Problem("x.yaml", 1, "f", "one"), Problem("x.yaml", 2, "g", "two")
    assert InputError([a, b, a, b]).problems == [a, b]
    assert str(InputError([b, a, b])).splitlines() == [b.render(), a.render()]


def test_lint_prints_a_cross_check_problem_once(tmp_path: Path) -> None:
    layer = tmp_path / "catalogs"
    shutil.copytree(shipped_catalogs_dir(), layer)
    standards = layer / "national" / "listing_standards.yaml"
    text = standards.read_text(encoding="utf-8")
    assert text.count("deadline_working_days: 3") == 1
    standards.write_text(text.replace("deadline_working_days: 3", "deadline_working_days: 4"), encoding="utf-8")
    fixture = "tests/fixtures/listing/good/regime_criterion_met.case.yaml"
    done = subprocess.run(
        [sys.executable, "-m", "credit_rules.cli", "lint", str(layer), fixture], capture_output=True, text=True, cwd=ROOT, check=False
    )
    assert done.returncode == 2
    lines = [line for line in done.stderr.splitlines() if "deletion.deadline_working_days" in line]
    assert len(lines) == 1, done.stderr
    assert "Traceback" not in done.stderr
