"""A rule tree that cannot be read whole, or lacks the rules of a question asked, never decides: fail closed."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from credit_rules import Engine, load_case
from credit_rules.cli import main
from credit_rules.errors import InputError
from credit_rules.ruleset.loader import load_ruleset
from credit_rules.shipped import shipped_rules_dir

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "cases" / "wuzhou_food_listing.yaml"


def test_manifest_only_rules_folder_refuses_to_decide(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    shutil.copy(shipped_rules_dir() / "ruleset.yaml", tmp_path / "ruleset.yaml")
    code = main(["decide", str(EXAMPLE), "--rules", str(tmp_path)])
    err = capsys.readouterr().err
    assert code == 2
    assert "rules for every question asked" in err and "Traceback" not in err


def test_unreadable_rules_subfolder_is_an_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    rules = tmp_path / "rules"
    shutil.copytree(shipped_rules_dir(), rules)
    hidden = rules / "national" / "gf-2019-35"
    real = os.scandir

    def scandir(path: object) -> object:
        if Path(str(path)).resolve() == hidden.resolve():
            raise PermissionError(13, "Permission denied")
        return real(path)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "scandir", scandir)
    with pytest.raises(InputError) as info:
        load_ruleset(rules)
    assert "gf-2019-35" in info.value.render() and "a readable directory" in info.value.render()


def test_decision_names_the_rule_set_and_catalogs_it_used() -> None:
    engine = Engine.load()
    decision = engine.decide(load_case(EXAMPLE))
    assert len(decision.ruleset_hash) == 64 and decision.ruleset_hash == engine.ruleset.content_hash
    assert len(decision.catalogs_hash) == 64 and decision.catalogs_hash == engine.catalogs.content_hash


def test_changing_a_rule_changes_the_hash(tmp_path: Path) -> None:
    rules = tmp_path / "rules"
    shutil.copytree(shipped_rules_dir(), rules)
    before = load_ruleset(rules).content_hash
    path = rules / "national" / "gf-2019-35" / "listing.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("社会危害较大", "社会危害大"), encoding="utf-8")
    assert load_ruleset(rules).content_hash != before
