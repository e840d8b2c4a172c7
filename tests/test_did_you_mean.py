"""An unknown field or a misspelled enumeration value gets a did-you-mean, as an unknown catalog id does.

The suggestion comes from the model that was validated: the fields of the mapping the unknown key sits in (a case's
top level, its subject, a list item of a catalog entry, a rule), or the values the enumeration allows.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from credit_rules import InputError, load_case
from credit_rules.model.case import Case
from credit_rules.ruleset.model import RuleSpec
from credit_rules.validation import validate
from credit_rules.yamlsource import load_text

from .conftest import ROOT

EXAMPLE = ROOT / "examples" / "cases" / "court_minor_debtor.yaml"


def _messages(text: str, tmp_path: Path) -> list[str]:
    path = tmp_path / "case.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_case(path)
    return [str(p) for p in caught.value.problems]


@pytest.mark.parametrize(
    ("old", "new", "field", "hint"),
    [
        ("case_id:", "case_idd:", "case_idd", "did you mean 'case_id'?"),
        ("  name:", "  nmae:", "subject.nmae", "did you mean 'name'?"),
        ("gravity: serious", "gravity: seriuos", "act.gravity", "did you mean 'serious'?"),
    ],
)
def test_a_misspelling_in_a_case_gets_the_closest_name(tmp_path: Path, old: str, new: str, field: str, hint: str) -> None:
    text = EXAMPLE.read_text(encoding="utf-8").replace(old, new, 1)
    assert text != EXAMPLE.read_text(encoding="utf-8")
    found = [m for m in _messages(text, tmp_path) if f"'{field}'" in m]
    assert found and hint in found[0], found


def test_a_name_close_to_nothing_gets_no_guess(tmp_path: Path) -> None:
    text = EXAMPLE.read_text(encoding="utf-8") + "zzqqxx: 1\n"
    [message] = [m for m in _messages(text, tmp_path) if "'zzqqxx'" in m]
    assert "did you mean" not in message


def test_a_catalog_entry_gets_its_own_fields(tmp_path: Path) -> None:
    from credit_rules.catalog.store import load_catalogs

    shipped = (ROOT / "catalogs" / "national" / "domains.yaml").read_text(encoding="utf-8")
    (tmp_path / "domains.yaml").write_text(shipped.replace("    name_zh:", "    nam_zh:", 1), encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_catalogs(tmp_path)
    assert any("nam_zh" in str(p) and "did you mean 'name_zh'?" in str(p) for p in caught.value.problems), caught.value.problems


def test_nested_models_in_lists_and_other_loaders() -> None:
    src = load_text("id: x\nquestion: listing\nprinciple: legality\nsource: s\nreason: r\neffect: refuse\nrequier: a\n", "r.yaml")
    with pytest.raises(InputError) as caught:
        validate(RuleSpec, src)
    assert any("'requier'" in str(p) and "did you mean 'require'?" in str(p) for p in caught.value.problems)
    src = load_text("subject: {kind: legal_person, name: x, uscc: y, responsible_persons: [{rol: legal_representative}]}\n", "c.yaml")
    with pytest.raises(InputError) as caught:
        validate(Case, src)
    assert any("'subject.responsible_persons[0].rol'" in str(p) and "did you mean 'role'?" in str(p) for p in caught.value.problems)
