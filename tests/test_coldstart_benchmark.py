"""``benchmarks/coldstart.py``: its table checks the targets by the median ratio, and its breakdown rows time what they say.

Not timed here (timing belongs to the benchmark): the rows' commands are run once to show they work, and the table is
fed made-up seconds.
"""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from types import ModuleType

import pytest

from .conftest import ROOT


@pytest.fixture(scope="module")
def coldstart() -> ModuleType:
    spec = importlib.util.spec_from_file_location("coldstart", ROOT / "benchmarks" / "coldstart.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _runs(walls: dict[str, list[float]]) -> dict[str, dict[str, list[float]]]:
    return {name: {"wall": seconds, "cpu": seconds} for name, seconds in walls.items()}


def test_a_target_is_met_by_the_median_round_ratio_and_breakdown_rows_never_fail(coldstart: ModuleType) -> None:
    decide = "credit-rules decide (one example)"
    base = [0.010, 0.010, 0.010]
    lines, met = coldstart.table(
        _runs({"python -c pass": base, "import credit_rules": [0.02] * 3, coldstart.DECIDE_IMPORTS: [0.9] * 3, decide: [0.1, 0.3, 0.2]})
    )
    assert met  # 20× is the median of 10×, 30×, 20×; the breakdown row at 90× has no target
    assert any(line.startswith(f"| {coldstart.DECIDE_IMPORTS} |") and line.endswith("| — | — |") for line in lines)
    _, met = coldstart.table(_runs({"python -c pass": base, "import credit_rules": [0.02] * 3, decide: [0.1, 0.3, 0.21]}))
    assert not met  # 21× in the middle round


def test_the_decide_path_modules_are_those_of_a_real_decide_and_import_cleanly(coldstart: ModuleType) -> None:
    modules = coldstart.decide_path_modules()
    assert {"credit_rules.cli", "credit_rules.commands.decide", "credit_rules.engine.decide", "credit_rules.model.case"} <= set(modules)
    assert all(m.startswith("credit_rules") for m in modules)
    commands = coldstart.commands()
    assert list(commands)[0] == "python -c pass" and list(commands)[-1] == "credit-rules decide (one example)"
    for name in (coldstart.LIBRARIES, coldstart.DECIDE_IMPORTS):
        program = commands[name][-1]
        done = subprocess.run([sys.executable, "-c", program + "\nimport json, sys\nprint(json.dumps([m for m in sys.modules if m.startswith('credit_rules')]))"],
                              cwd=ROOT, capture_output=True, text=True, check=False)
        assert done.returncode == 0, done.stderr
        imported = set(json.loads(done.stdout))
        if name == coldstart.DECIDE_IMPORTS:
            assert set(modules) <= imported and "credit_rules.catalog.store" in imported
        else:  # the libraries alone: nothing of the package
            assert not imported
