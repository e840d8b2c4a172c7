"""`credit-rules lint` rejects a crafted bad measure list with located errors (49号(九)(十))."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from credit_rules.cli import main

from .conftest import ROOT

BAD = """\
kind: measure_lists
jurisdiction: "000000"
edition: crafted
effective_from: 2030-01-01
entries:
  - id: school_admission_ban
    name_zh: 限制失信被执行人子女入学
    name_en: children's school admission ban (crafted, unlawful)
    group: 1
    kind: administrative
    basis: {legal_basis: ndrc_2019_527, article: 一}
    subject_kinds: [natural_person]
    fields: [refusing_to_perform_judgments]
    gravity_floor: serious
    implementer: administrative_organ
    implementer_zh: 某教育局
    effective_from: 2030-01-01
    source: {citation: crafted for the test, verified: false}
  - id: street_sweeping_duty
    name_zh: 无依据的义务
    name_en: a duty without an article
    group: 1
    kind: administrative
    basis: {legal_basis: guofa_2016_33}
    subject_kinds: [natural_person]
    fields: [household_waste_sorting]
    gravity_floor: minor
    implementer: administrative_organ
    implementer_zh: 某街道
    effective_from: 2030-01-01
    source: {citation: crafted for the test, verified: false}
"""


def lint_with_crafted_list(tmp_path: Path, text: str) -> int:
    """``credit-rules lint`` over the shipped national catalogs plus one crafted measure list."""
    root = tmp_path / "catalogs"
    shutil.copytree(ROOT / "catalogs" / "national", root / "national")
    (root / "national" / "measure_lists.crafted.yaml").write_text(text, encoding="utf-8")
    return main(["lint", str(root)])


def test_lint_rejects_crafted_bad_measures(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert lint_with_crafted_list(tmp_path, BAD) == 2
    err = capsys.readouterr().err
    assert "measure_lists.crafted.yaml:6: field 'entries[0].basis'" in err
    assert "group-1 measure, a law, regulation or central policy document" in err
    assert "measure_lists.crafted.yaml:19: field 'entries[1].basis.article'" in err
    assert "entries[1].fields[0]" in err and "household_waste_sorting" in err


REGIME = """\
kind: listing_standards
jurisdiction: "359900"
edition: crafted
effective_from: 2000-01-01
entries:
  - id: crafted_traffic_blacklist
    name_zh: 交通违法黑名单（虚构）
    name_en: traffic blacklist (crafted)
    scope: local
    basis: {legal_basis: test_normative_notice}
    establishing_basis: {legal_basis: test_normative_notice}
    domain_category: null
    fields: []
    period: {years: 5, citation: crafted}
    effective_from: 2021-01-01
    source: {citation: crafted, verified: false}
"""


def test_lint_checks_every_regime_that_claims_to_conform(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Basis form fits the scope, the list field rests on a law/regulation/policy, one of the four domains."""
    root = tmp_path / "catalogs"
    shutil.copytree(ROOT / "catalogs" / "national", root / "national")
    layer = root / "359900-test"
    layer.mkdir()
    for name in ("jurisdiction.yaml", "legal_bases.yaml"):
        shutil.copy(ROOT / "tests" / "catalogs" / "359900-test" / name, layer / name)
    (layer / "listing_standards.yaml").write_text(REGIME, encoding="utf-8")
    assert main(["lint", str(root)]) == 2
    err = capsys.readouterr().err
    assert "listing_standards.yaml:6: field 'entries[0].basis'" in err and "local list (49号(七))" in err
    assert "entries[0].establishing_basis" in err and "entries[0].domain_category" in err


LIFETIME_WITHOUT_PERMANENT = """\
kind: measure_lists
jurisdiction: "000000"
edition: crafted
effective_from: 2030-01-01
entries:
  - id: crafted_food_ban
    name_zh: 食品行业禁入（构造）
    name_en: food industry ban (crafted)
    group: 1
    kind: industry
    basis: {legal_basis: food_safety_law, article: 第一百三十五条}
    subject_kinds: [legal_person]
    fields: [food_drug]
    gravity_floor: serious
    implementer: administrative_organ
    implementer_zh: 某市场监管局
    ban:
      fields: [food_drug]
      citation: 食品安全法 第一百三十五条
      grounds:
        - {conduct: food_safety_crime_prison_sentence, citation: 第二款}
        - {conduct: food_safety_crime_prison_sentence, years: 5, citation: 第二款 again}
    effective_from: 2030-01-01
    source: {citation: crafted for the test, verified: false}
"""


def test_lint_rejects_a_lifetime_ground_without_permanent_possible(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert lint_with_crafted_list(tmp_path, LIFETIME_WITHOUT_PERMANENT) == 2
    err = capsys.readouterr().err
    assert "measure_lists.crafted.yaml:17: field 'entries[0].ban'" in err
    assert "a ground for life (no years) needs permanent_possible: true" in err


def test_lint_rejects_a_ban_ground_listed_twice(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = LIFETIME_WITHOUT_PERMANENT.replace("      fields: [food_drug]\n      citation:", "      fields: [food_drug]\n      permanent_possible: true\n      citation:")
    assert lint_with_crafted_list(tmp_path, text) == 2
    assert "grounds: each conduct may appear once" in capsys.readouterr().err


def test_ban_term_grounds_share_one_term(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The rules read one fixed term per ban (measure.ban_term_years): two different terms are refused at load."""
    text = LIFETIME_WITHOUT_PERMANENT.replace(
        "        - {conduct: food_safety_crime_prison_sentence, citation: 第二款}\n"
        "        - {conduct: food_safety_crime_prison_sentence, years: 5, citation: 第二款 again}\n",
        "        - {conduct: licence_revoked, years: 5, citation: 第一款}\n"
        "        - {conduct: other_ground, years: 3, citation: crafted}\n",
    )
    assert lint_with_crafted_list(tmp_path, text) == 2
    assert "the fixed-term grounds of one ban share one term" in capsys.readouterr().err


LOCAL_ON_NOTICE = """\
kind: measure_lists
jurisdiction: "359900"
edition: crafted
effective_from: 2019-01-01
entries:
  - id: crafted_notice_measure
    name_zh: 依规范性文件的补充措施（构造）
    name_en: a supplementary measure on a normative document (crafted)
    group: 2
    kind: administrative
    basis: {legal_basis: test_normative_notice, article: 第五条}
    subject_kinds: [legal_person]
    fields: [food_drug]
    gravity_floor: general
    implementer: administrative_organ
    implementer_zh: 测试
    effective_from: 2019-01-01
    source: {citation: crafted for the test, verified: false}
"""


def test_a_personal_ground_must_be_a_ground_for_life(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The rules read personal grounds (食品安全法 第一百三十五条第二款: the person sentenced) for life only
    (definition ban_life_ground_met, exception person_shows_it): a personal fixed-term ground would be read as
    reaching every person of the organisation, so it is refused at load."""
    text = LIFETIME_WITHOUT_PERMANENT.replace(
        "        - {conduct: food_safety_crime_prison_sentence, citation: 第二款}\n"
        "        - {conduct: food_safety_crime_prison_sentence, years: 5, citation: 第二款 again}\n",
        "        - {conduct: licence_revoked, years: 5, personal: true, citation: 第一款}\n",
    )
    assert lint_with_crafted_list(tmp_path, text) == 2
    assert "a personal ground (personal: true) must be a ground for life (no years)" in capsys.readouterr().err


def test_local_measure_without_local_regulation_is_a_warning(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """49号(九), 梧州(十): lint warns, with the location, and still loads (exit 0); decisions refuse the measure
    (fixture measures/bad/local_measure_on_local_regulation)."""
    root = tmp_path / "catalogs"
    shutil.copytree(ROOT / "catalogs" / "national", root / "national")
    layer = root / "359900-test"
    layer.mkdir()
    for name in ("jurisdiction.yaml", "legal_bases.yaml"):
        shutil.copy(ROOT / "tests" / "catalogs" / "359900-test" / name, layer / name)
    (layer / "measure_lists.yaml").write_text(LOCAL_ON_NOTICE, encoding="utf-8")
    assert main(["lint", str(root)]) == 0
    err = capsys.readouterr().err
    assert "warning: " in err and "measure_lists.yaml:6: field 'entries[0].basis'" in err
    assert "local supplementary list, a local regulation (49号(九), 梧州(十))" in err


NAMED_BEYOND_REACH = """\
kind: measure_lists
jurisdiction: "000000"
edition: crafted
effective_from: 2030-01-01
entries:
  - id: crafted_exit_ban
    name_zh: 阻止出境（构造）
    name_en: exit ban (crafted)
    group: 1
    kind: administrative
    basis: {legal_basis: tax_collection_administration_law, article: 第四十四条}
    subject_kinds: [natural_person]
    responsible_persons: [legal_representative]
    named_by_basis:
      roles: [legal_representative, actual_controller]
      citation: 税收征收管理法 第四十四条
    fields: [tax_evasion_fraud]
    gravity_floor: general
    implementer: administrative_organ
    implementer_zh: 某税务机关
    effective_from: 2030-01-01
    source: {citation: crafted for the test, verified: false}
"""


def test_lint_rejects_a_named_person_the_measure_does_not_reach(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """named_by_basis: a person the basis names is one the measure reaches — each role is also in responsible_persons
    (else D3.target_reached would refuse the person the rules let through D7)."""
    assert lint_with_crafted_list(tmp_path, NAMED_BEYOND_REACH) == 2
    err = capsys.readouterr().err
    assert "measure_lists.crafted.yaml:6: field 'entries[0].named_by_basis.roles[1]'" in err
    assert "a role also in responsible_persons" in err and "actual_controller" in err
    assert "roles[0]" not in err


def test_lint_rejects_a_named_role_listed_twice(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = NAMED_BEYOND_REACH.replace("roles: [legal_representative, actual_controller]", "roles: [legal_representative, legal_representative]")
    assert lint_with_crafted_list(tmp_path, text) == 2
    err = capsys.readouterr().err
    assert "entries[0].named_by_basis" in err and "roles: each role may appear once" in err


@pytest.mark.parametrize(("old", "new", "expected"), [
    ("      deadline_working_days: 3\n", "      deadline_working_days: 4\n", "the deadline of list repair regime 'spc_judgment_debtor_deletion' (ground_deletion.working_days: 3), which decisions read"),
    ("    lists: [court_judgment_debtor_list]\n", "    lists: [tax_major_violation_list]\n", "a list repair regime (list_repair_regimes) listing 'court_judgment_debtor_list' that carries this deadline"),
])
def test_a_standard_restating_its_deletion_deadline_must_agree_with_the_regime(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], old: str, new: str, expected: str
) -> None:
    """The court list's ``deletion`` restates 法释〔2017〕7号 第十条 for the reader; decisions read the list repair
    regime's deadline. A restated number that differs, or one no regime carries, is a drafting error caught at load."""
    root = tmp_path / "catalogs"
    shutil.copytree(ROOT / "catalogs" / "national", root / "national")
    for name in ("listing_standards.yaml", "repair_list_regimes.yaml"):
        path = root / "national" / name
        text = path.read_text(encoding="utf-8")
        if old in text:
            path.write_text(text.replace(old, new, 1), encoding="utf-8")
            break
    else:
        raise AssertionError(f"{old!r} not found")
    assert main(["lint", str(root)]) == 2
    err = capsys.readouterr().err
    assert "field 'entries[1].deletion.deadline_working_days'" in err and expected in err, err
