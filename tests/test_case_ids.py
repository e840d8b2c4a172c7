"""Issue 15 items 8 and 10: a misspelled id is bad input (exit 2, located, did-you-mean), never a legal refusal;
jurisdictions are GB/T 2260 codes with their chain; `shipped`, `--version`, `decide -`."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import credit_rules
from credit_rules import SHIPPED, Engine, InputError, catalogs_path, check_case_ids, load_case, require_case_ids, rules_path
from credit_rules.case_ids import UNLISTED, vocabulary
from credit_rules.cli import main
from credit_rules.divisions import load_divisions, parse_divisions
from credit_rules.shipped import shipped_catalogs_dir, shipped_rules_dir

from .conftest import ROOT

IDS = ROOT / "tests" / "bad_inputs" / "ids"
EXAMPLE = ROOT / "examples" / "cases" / "wuzhou_food_listing.yaml"

# bad input file → (field, line, a suggestion the message must make, or None)
BAD_IDS = {
    "amount.yaml": ("act.amounts.goods_value_cyn", 21, "goods_value_cny"),
    "conduct.yaml": ("act.conduct[0]", 15, "food_safety_violation"),
    "field.yaml": ("act.field", 11, "food_drug"),
    "jurisdiction_never_existed.yaml": ("jurisdiction", 5, "'450400' 广西壮族自治区梧州市"),
    "measure.yaml": ("measures.proposed[0].measure", 40, "government_procurement_restriction"),
    "quantity.yaml": ("act.quantities.heavier_fine_under_benchmrk", 16, "heavier_fine_under_benchmark"),
    "repair_standard.yaml": ("repair.listing_standard", 45, None),
    "repair_tier.yaml": ("repair.tier", 43, None),
    "standard.yaml": ("listing.standard", 30, "samr_serious_illegal_dishonest_list"),
    "subject_list.yaml": ("subject.lists[0]", 10, "court_judgment_debtor_list"),
}


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine.load()


def test_every_bad_id_file_is_listed() -> None:
    assert sorted(p.name for p in IDS.glob("*.yaml")) == sorted(BAD_IDS)


@pytest.mark.parametrize("name", sorted(BAD_IDS))
@pytest.mark.parametrize("command", ["decide", "lint"])
def test_unknown_id_is_exit_2_located_with_did_you_mean(name: str, command: str, capsys: pytest.CaptureFixture[str]) -> None:
    path = IDS / name
    code = main([command, str(path)])
    out, err = capsys.readouterr()
    field, line, suggestion = BAD_IDS[name]
    assert code == 2, out + err
    assert f"{path}:{line}: field '{field}'" in err, err
    assert "Traceback" not in err
    if suggestion is not None:
        assert "did you mean" in err and suggestion in err, err
    if name != "jurisdiction_never_existed.yaml":
        assert "known: " in err, err  # the valid ids are listed
    assert out == "" if command == "decide" else "ok" not in out


def test_the_same_case_without_the_typo_has_known_ids(engine: Engine) -> None:
    text = (IDS / "measure.yaml").read_text(encoding="utf-8").replace("goverment_", "government_")
    case = credit_rules.parse_case(text, "fixed.yaml")
    assert check_case_ids(case, engine.catalogs) == []


def test_python_api_checks_ids(engine: Engine) -> None:
    case = load_case(IDS / "conduct.yaml")
    problems = check_case_ids(case, engine.catalogs, str(IDS / "conduct.yaml"))
    assert [p.field for p in problems] == ["act.conduct[0]"]
    with pytest.raises(InputError, match="food_safety_violation"):
        require_case_ids(case, engine.catalogs)
    assert check_case_ids(load_case(EXAMPLE), engine.catalogs) == []


def test_shipped_examples_and_fixtures_name_only_known_ids(capsys: pytest.CaptureFixture[str]) -> None:
    cases = [str(p) for p in sorted((ROOT / "examples" / "cases").glob("*.yaml"))]
    fixtures = [str(p) for p in sorted((ROOT / "tests" / "fixtures").rglob("*.case.yaml"))]
    code = main(["lint", "--catalogs", "shipped", "--catalogs", str(ROOT / "tests" / "catalogs"), *cases, *fixtures])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert out.count("ok  ") == len(cases) + len(fixtures)


def test_unlisted_prefix_asks_for_the_legal_answer(engine: Engine) -> None:
    text = EXAMPLE.read_text(encoding="utf-8").replace("conduct: [food_safety_violation]", f"conduct: [{UNLISTED}late_delivery]")
    case = credit_rules.parse_case(text, "unlisted.yaml")
    assert check_case_ids(case, engine.catalogs) == []
    decision = engine.decide(case)
    assert decision.listing is not None and decision.listing.outcome.value == "refused"


def test_vocabulary_takes_ids_of_every_standard(engine: Engine) -> None:
    vocab = vocabulary(engine.catalogs)
    # conduct of two different regimes may be named in one case
    assert {"tax_evasion", "food_safety_violation", "wage_arrears"} <= vocab.conduct
    assert "sufficient_guarantee" in vocab.conduct  # a bar is conduct too
    assert {"tax_evaded_ratio", "tax_payable_in_year_cny"} <= vocab.quantities  # ratios and their figures


def _fixture_suite(tmp_path: Path, conduct: str) -> Path:
    suite = tmp_path / "suite"
    suite.mkdir(parents=True)
    (suite / "base.yaml").write_text(EXAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
    (suite / "typo.case.yaml").write_text(
        "name: a typo in a patched id\nbase: base.yaml\npatch:\n  act:\n"
        f"    conduct: [{conduct}]\nexpect:\n  listing:\n    outcome: allowed\n",
        encoding="utf-8",
    )
    return suite


def test_credit_rules_test_reports_a_fixture_typo_as_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    suite = _fixture_suite(tmp_path, "food_safety_violaton")
    code = main(["test", str(suite)])
    out, _ = capsys.readouterr()
    assert code == 2, out
    assert "act.conduct[0]" in out and "food_safety_violation" in out
    good = _fixture_suite(tmp_path / "good", "food_safety_violation")
    assert main(["test", str(good)]) == 0


# ---------------------------------------------------------------- jurisdictions


def test_division_list_covers_every_county_with_its_chain() -> None:
    divs = load_divisions()
    assert divs.edition
    counties = [d for d in divs.by_code.values() if d.level == "county"]
    assert len(counties) > 2800
    assert sum(d.level == "province" for d in divs.by_code.values()) == 34
    for d in divs.by_code.values():
        assert d.parent == "000000" or d.parent in divs.by_code, d
    assert divs.chain("320581") == ("000000", "320000", "320500", "320581")
    assert divs.full_name("320581") == "江苏省苏州市常熟市"
    assert divs.chain("429004") == ("000000", "420000", "429004")  # 仙桃: a county directly under the province
    assert divs.chain("000000") == ("000000",)
    assert divs.get("540422") is not None and divs.get("540422").successor == "540481"  # type: ignore[union-attr]
    assert "500105" in divs.by_code and "500157" not in divs.by_code  # 江北区 kept; 两江新区 is no division


def _layer(root: Path, code: str, name: str, level: str, parent: str) -> None:
    folder = root / code
    folder.mkdir(parents=True)
    (folder / "jurisdiction.yaml").write_text(
        f'kind: jurisdiction\njurisdiction: "{code}"\nedition: "t"\neffective_from: 2013-10-01\nentries:\n'
        f'  - code: "{code}"\n    name_zh: {name}\n    name_en: {name}\n    level: {level}\n    parent: "{parent}"\n'
        "    source: {citation: test}\n",
        encoding="utf-8",
    )


def test_changshu_decides_under_jiangsu_and_suzhou_layers(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _layer(tmp_path / "layers", "320000", "江苏省", "provincial", "000000")
    _layer(tmp_path / "layers", "320500", "苏州市", "municipal", "320000")
    case = tmp_path / "changshu.yaml"
    case.write_text(EXAMPLE.read_text(encoding="utf-8").replace('jurisdiction: "450400"', 'jurisdiction: "320581"'), encoding="utf-8")
    code = main(["decide", str(case), "--format", "json", "--catalogs", "shipped", "--catalogs", str(tmp_path / "layers")])
    out, err = capsys.readouterr()
    assert code == 0, err
    used = {(e["kind"], e["jurisdiction"]) for e in json.loads(out)["catalog_editions"]}
    assert {("jurisdiction", "000000"), ("jurisdiction", "320000"), ("jurisdiction", "320500")} <= used


def test_a_code_that_never_existed_is_refused_with_did_you_mean(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    case = tmp_path / "x.yaml"
    case.write_text(EXAMPLE.read_text(encoding="utf-8").replace('jurisdiction: "450400"', 'jurisdiction: "320589"'), encoding="utf-8")
    assert main(["decide", str(case)]) == 2
    err = capsys.readouterr().err
    assert "field 'jurisdiction'" in err and "江苏省苏州市" in err, err  # its neighbours in 苏州


def test_a_catalog_jurisdiction_outside_the_list_is_accepted(engine: Engine) -> None:
    cats = Engine.load([shipped_catalogs_dir(), ROOT / "tests" / "catalogs"]).catalogs
    case = load_case(ROOT / "tests" / "fixtures" / "base" / "test_local_listing.yaml")  # 359900, a test jurisdiction
    assert check_case_ids(case, cats) == []
    assert "jurisdiction" in [p.field for p in check_case_ids(case, engine.catalogs)]


def test_division_file_errors_are_located(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="header"):
        parse_divisions("code,name\n", "x.csv")
    with pytest.raises(InputError, match=r"x.csv:3"):
        parse_divisions("code,name,level,parent,type,status,successor\n110000,北京市,province,000000,直辖市,current,\n11,bad\n", "x.csv")
    with pytest.raises(InputError, match="the readable GB/T 2260 division list"):
        load_divisions(tmp_path / "missing.csv")


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_division_parser_never_crashes(text: str) -> None:
    try:
        parse_divisions(text, "fuzz.csv")
    except InputError:
        pass


# ---------------------------------------------------------------- item 10: shipped, --version, stdin


def run(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "credit_rules.cli", *args], capture_output=True, text=True, cwd=ROOT, input=stdin, check=False)


def test_version() -> None:
    out = run("--version")
    assert out.returncode == 0 and out.stdout.strip() == f"credit-rules {credit_rules.__version__}"


def test_decide_dash_reads_stdin() -> None:
    text = EXAMPLE.read_text(encoding="utf-8")
    from_file = run("decide", str(EXAMPLE), "--format", "json")
    from_stdin = run("decide", "-", "--format", "json", stdin=text)
    assert from_stdin.returncode == 0, from_stdin.stderr
    assert from_stdin.stdout == from_file.stdout
    bad = run("decide", "-", stdin=text.replace("food_drug", "food_durg"))
    assert bad.returncode == 2 and "(stdin):" in bad.stderr and "Traceback" not in bad.stderr


@pytest.mark.parametrize(
    "args",
    [
        ["decide", str(EXAMPLE), "--catalogs", "shipped", "--rules", "shipped"],
        ["info", "catalog", "--catalogs", "shipped", "--on", "2024-06-01"],
        ["lint", "shipped"],
        ["lint", "--catalogs", "shipped"],
        ["test", str(ROOT / "tests" / "fixtures" / "determination"), "--catalogs", "shipped", "--catalogs", str(ROOT / "tests" / "catalogs"), "--rules", "shipped"],
    ],
    ids=lambda a: a[0] + "-" + a[1],
)
def test_the_word_shipped_works_everywhere(args: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert main(args) == 0, capsys.readouterr().err


def test_empty_catalogs_value_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["decide", str(EXAMPLE), "--catalogs", ""])
    assert exc.value.code == 2
    assert "'shipped'" in capsys.readouterr().err


def test_shipped_in_the_python_api() -> None:
    assert SHIPPED == "shipped"
    assert catalogs_path(SHIPPED) == shipped_catalogs_dir() and rules_path("shipped") == shipped_rules_dir()
    assert catalogs_path("some/dir") == Path("some/dir")
    engine = Engine.load([catalogs_path(SHIPPED)], rules_path(SHIPPED))
    assert engine.decide(load_case(EXAMPLE)).listing is not None


def test_lint_checks_a_layer_on_its_base(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import shutil

    shutil.copytree(ROOT / "catalogs" / "national", tmp_path / "base" / "national")
    shutil.copytree(ROOT / "catalogs" / "420000-hubei", tmp_path / "layer" / "420000-hubei")
    layer = str(tmp_path / "layer")
    assert main(["lint", layer]) == 2  # alone, a local layer lacks the national domains it refers to
    assert "domains catalog" in capsys.readouterr().err
    assert main(["lint", "--catalogs", str(tmp_path / "base"), layer]) == 0
    assert "over" in capsys.readouterr().out


# ---------------------------------------------------------------- information requests

REQUEST = ROOT / "examples" / "information" / "wuzhou_person_penalty_request.yaml"


@pytest.mark.parametrize("command", [["info", "decide"], ["lint"]])
def test_information_item_typo_is_exit_2(command: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = REQUEST.read_text(encoding="utf-8")
    assert "kind: administrative_penalty\n" in text
    bad = tmp_path / "request.yaml"
    bad.write_text(text.replace("kind: administrative_penalty\n", "kind: administrative_penalti\n"), encoding="utf-8")
    assert main([*command, str(bad)]) == 2
    err = capsys.readouterr().err
    assert "field 'item.kind'" in err and "did you mean 'administrative_penalty'" in err, err
    unlisted = tmp_path / "unlisted.yaml"
    unlisted.write_text(text.replace("kind: administrative_penalty\n", "kind: unlisted:gossip\n"), encoding="utf-8")
    assert main(["info", "decide", str(unlisted)]) == 0  # decided: the item is in no catalog, and the answer says so


_ENGINE_FOR_FUZZ: list[Engine] = []


@settings(max_examples=150, deadline=None)
@given(st.text(min_size=1, max_size=40))
def test_any_conduct_id_is_known_or_reported(word: str) -> None:
    if not _ENGINE_FOR_FUZZ:
        _ENGINE_FOR_FUZZ.append(Engine.load())
    cats = _ENGINE_FOR_FUZZ[0].catalogs
    case = load_case(EXAMPLE)
    act = case.act.model_copy(update={"conduct": [word]})
    problems = check_case_ids(case.model_copy(update={"act": act}), cats)
    known = word in vocabulary(cats).conduct or word.startswith(UNLISTED)
    assert [p.field for p in problems] == ([] if known else ["act.conduct[0]"])


def test_conduct_a_basis_names_persons_on_is_a_known_id(engine: Engine) -> None:
    """A conduct id that only a measure's ``named_by_basis.on_conduct`` uses may be stated by a case: the engine
    reads it (definition needs_listed_subject), so refusing it as unknown would make the exception unreachable."""
    from types import SimpleNamespace

    from credit_rules.case_ids import vocabulary
    from credit_rules.catalog.kinds.measures import Measure

    measure = next(e for f in engine.catalogs.files for e in f.entries if isinstance(e, Measure) and e.named_by_basis)
    assert measure.named_by_basis is not None
    only_here = measure.model_copy(update={"named_by_basis": measure.named_by_basis.model_copy(update={"on_conduct": ["conduct_only_named_here"]})})
    catalogs = SimpleNamespace(files=[SimpleNamespace(entries=[only_here])])
    assert "conduct_only_named_here" in vocabulary(catalogs).conduct  # type: ignore[arg-type]


def test_target_conduct_ids_are_checked(engine: Engine) -> None:
    """target_conduct names conduct like act.conduct does: a typo is located bad input, never a silently unmet ground."""
    case = load_case(EXAMPLE)
    from credit_rules.model.measures import MeasureProposal, MeasuresRequest

    proposal = MeasureProposal(measure="food_business_ban", target="legal_representative", target_conduct=["food_safety_crime_prison_sentnce"])
    asked = case.model_copy(update={"measures": MeasuresRequest(proposed=[proposal])})
    problems = check_case_ids(asked, engine.catalogs)
    assert [p.field for p in problems] == ["measures.proposed[0].target_conduct[0]"]
    assert "did you mean 'food_safety_crime_prison_sentence'" in problems[0].expected


def test_target_conduct_needs_a_target() -> None:
    """The subject's own conduct is act.conduct: target_conduct without a target is refused, not ignored."""
    from pydantic import ValidationError

    from credit_rules.model.measures import MeasureProposal

    with pytest.raises(ValidationError, match="give it only with a target"):
        MeasureProposal(measure="food_business_ban", target_conduct=["licence_revoked"])
