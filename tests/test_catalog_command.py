"""Issue 15 item 9: `credit-rules catalog list|show` lets a user find every id a case may name without reading YAML."""

from __future__ import annotations

import json

import pytest

from credit_rules.browse import KINDS
from credit_rules.cli import main


def cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["catalog", *args])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("kind", KINDS)
def test_every_kind_lists_as_text_and_json(kind: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = cli(capsys, "list", kind)
    assert code == 0, err
    assert "项" in out.splitlines()[-1]
    code, out, _ = cli(capsys, "list", kind, "--format", "json", "--lang", "en")
    rows = json.loads(out)
    assert code == 0 and rows and all("id" in r for r in rows)


def test_conduct_and_quantities_say_which_criteria_read_them(capsys: pytest.CaptureFixture[str]) -> None:
    rows = {r["id"]: r for r in json.loads(cli(capsys, "list", "conduct", "--format", "json")[1])}
    assert "tax_major_violation_list.tax_evasion" in rows["tax_evasion"]["read_by"]
    assert "food_safety_violation" in rows and "sufficient_guarantee" in rows  # conduct and bars
    quantities = {r["id"] for r in json.loads(cli(capsys, "list", "quantities", "--format", "json")[1])}
    assert {"tax_evaded_cny", "tax_evaded_ratio", "tax_payable_in_year_cny"} <= quantities


def test_show_a_standard_with_its_criteria(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = cli(capsys, "show", "standards", "tax_major_violation_list", "--format", "json")
    entry = json.loads(out)
    assert code == 0
    assert entry["id"] == "tax_major_violation_list" and entry["criteria"]
    assert any("tax_evasion" in c["conduct"] for c in entry["criteria"])
    code, out, _ = cli(capsys, "show", "standards", "tax_major_violation_list", "--lang", "en")
    assert code == 0 and "criteria:" in out and "thresholds:" in out


def test_show_a_jurisdiction_gives_its_chain_and_layers(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = cli(capsys, "show", "jurisdictions", "450481", "--format", "json")
    entry = json.loads(out)
    assert code == 0
    assert entry["full_name"] == "广西壮族自治区梧州市岑溪市"
    assert [layer["code"] for layer in entry["chain"]] == ["000000", "450000", "450400", "450481"]
    assert any(c.startswith("measure_lists") for c in entry["chain"][2]["catalogs"])


def test_on_and_jurisdiction_narrow_the_editions(capsys: pytest.CaptureFixture[str]) -> None:
    ids = [r["id"] for r in json.loads(cli(capsys, "list", "regimes", "--on", "2024-01-01", "--format", "json")[1])]
    assert ids == ["ndrc_order_58"]
    hubei = {r["id"] for r in json.loads(cli(capsys, "list", "standards", "--jurisdiction", "420100", "--format", "json")[1])}
    wuzhou = {r["id"] for r in json.loads(cli(capsys, "list", "standards", "--jurisdiction", "450400", "--format", "json")[1])}
    assert "hubei_2017_black_list" in hubei and "hubei_2017_black_list" not in wuzhou
    wuzhou_measures = {r["id"] for r in json.loads(cli(capsys, "list", "measures", "--jurisdiction", "450400", "--format", "json")[1])}
    national_measures = {r["id"] for r in json.loads(cli(capsys, "list", "measures", "--jurisdiction", "000000", "--format", "json")[1])}
    assert national_measures < wuzhou_measures


@pytest.mark.parametrize(
    "args, expected",
    [
        (("show", "standards", "samr_serious_ilegal_dishonest_list"), "did you mean 'samr_serious_illegal_dishonest_list'"),
        (("show", "conduct", "tax_evasoin"), "did you mean 'tax_evasion'"),
        (("show", "jurisdictions", "450499"), "'450400' 广西壮族自治区梧州市"),
        (("list", "standards", "--jurisdiction", "999999"), "--jurisdiction"),
    ],
)
def test_unknown_ids_are_exit_2_with_did_you_mean(args: tuple[str, ...], expected: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = cli(capsys, *args)
    assert code == 2
    assert expected in err and "Traceback" not in err


def test_english_headers(capsys: pytest.CaptureFixture[str]) -> None:
    out = cli(capsys, "list", "fields", "--lang", "en")[1]
    assert out.startswith("id ") and "entries" in out.splitlines()[-1]
    assert "food_drug" in out


def test_the_command_line_knows_every_browsable_kind_without_importing_the_models() -> None:
    from credit_rules import browse
    from credit_rules.commands import catalog

    assert catalog.KINDS == browse.KINDS
