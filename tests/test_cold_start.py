"""A one-case ``credit-rules decide`` imports only what deciding one case needs (docs/performance.md, cold start).

Not timed here (benchmarks time it): these tests pin *what* is imported, so a module-level import of the batch
machinery, polars or the information models on the decide path shows up as a failure, not as a slow drift.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from .conftest import ROOT

EXAMPLE = ROOT / "examples" / "cases" / "wuzhou_food_listing.yaml"

NOT_ON_THE_DECIDE_PATH = (
    "polars", "multiprocessing", "importlib.metadata", "email", "concurrent.futures",
    "credit_rules.columnar", "credit_rules.audit", "credit_rules.service", "credit_rules.regression",
    "credit_rules.mutation", "credit_rules.engine.batch", "credit_rules.engine.durable_backend",
    "credit_rules.information.model", "credit_rules.information.decide", "credit_rules.information.query",
    "credit_rules.commands.audit", "credit_rules.commands.rescan", "credit_rules.commands.serve",
)


def _decide_in_fresh_process(env: dict[str, str] | None = None) -> dict[str, object]:
    code = (
        "import contextlib, io, json, sys\n"
        "from credit_rules.cli import main\n"
        "out = io.StringIO()\n"
        "with contextlib.redirect_stdout(out):\n"
        f"    rc = main(['decide', {str(EXAMPLE)!r}, '--format', 'json'])\n"
        "print(json.dumps({'rc': rc, 'out': out.getvalue(), 'modules': sorted(sys.modules)}))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, env=env, check=False)
    assert done.returncode == 0, done.stderr
    result: dict[str, object] = json.loads(done.stdout)
    return result


def test_one_case_decide_imports_only_what_it_needs() -> None:
    result = _decide_in_fresh_process()
    assert result["rc"] == 0
    modules = result["modules"]
    assert isinstance(modules, list)
    loaded = [m for m in modules if any(m == name or m.startswith(name + ".") for name in NOT_ON_THE_DECIDE_PATH)]
    assert loaded == []


def test_plugin_lookup_stand_in_changes_no_output() -> None:
    """With pydantic's plugin lookup answered by the CLI's stand-in (the default) and by pydantic itself (plugins
    asked for by name: the variable set to something else), the decision is the same text."""
    plain = _decide_in_fresh_process()
    env = dict(os.environ, PYDANTIC_DISABLE_PLUGINS="no-such-plugin")
    looked_up = _decide_in_fresh_process(env)
    assert plain["out"] == looked_up["out"]
    assert "importlib.metadata" in looked_up["modules"]  # type: ignore[operator]


@pytest.mark.parametrize(
    ("args", "shown"),
    [
        (["--help"], "rescan-diff"),  # no command named: every command is listed
        (["decid"], "invalid choice"),
        (["rescan-diff", "--help"], "--base-on"),  # registered by a module of another name
        (["decide", "--no-such-option", str(EXAMPLE)], "unrecognized arguments"),
    ],
)
def test_parser_registers_the_named_command_or_all(args: list[str], shown: str) -> None:
    done = subprocess.run([sys.executable, "-m", "credit_rules.cli", *args], capture_output=True, text=True, cwd=ROOT, check=False)
    assert shown in done.stdout + done.stderr
    assert "Traceback" not in done.stderr
