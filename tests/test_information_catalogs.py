"""The information catalogs by edition, their load-time checks, and located errors in requests."""

from __future__ import annotations

import contextlib
import io
import json
import shutil
from datetime import date
from pathlib import Path

import pytest

from credit_rules import Engine
from credit_rules.catalog.kinds.information import INFORMATION_CATALOG, ITEM_BASIS_FORMS, InformationCategory
from credit_rules.catalog.schema import BasisRef
from credit_rules.catalog.store import load_catalogs
from credit_rules.cli import main
from credit_rules.errors import InputError
from credit_rules.information import decide_information, load_request, parse_request
from credit_rules.information.catalog import find_item, items_in_force
from credit_rules.model.legal import LegalForm
from credit_rules.shipped import shipped_catalogs_dir

from .conftest import ROOT

BASES = ROOT / "tests" / "fixtures_information" / "base"


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine.load()


def _categories(engine: Engine, on: date) -> list[InformationCategory]:
    files = engine.catalogs.layered(INFORMATION_CATALOG, "000000", on)
    return [c for f in files for c in f.entries if isinstance(c, InformationCategory)]


@pytest.mark.parametrize(
    ("on", "edition", "count"),
    [(date(2022, 6, 1), "2021", 11), (date(2023, 10, 13), "2022", 12), (date(2024, 3, 4), "2024", 13), (date(2026, 11, 1), "2024", 13)],
)
def test_national_base_catalog_editions(engine: Engine, on: date, edition: str, count: int) -> None:
    files = engine.catalogs.layered(INFORMATION_CATALOG, "000000", on)
    assert [f.envelope.edition for f in files] == [edition]
    cats = _categories(engine, on)
    assert len(cats) == count
    assert sorted(c.number for c in cats) == list(range(1, count + 1))


def test_editions_add_compliance_in_2022_and_intellectual_property_in_2024(engine: Engine) -> None:
    ids = {on: {c.id for c in _categories(engine, on)} for on in (date(2022, 6, 1), date(2023, 6, 1), date(2024, 6, 1))}
    assert ids[date(2023, 6, 1)] - ids[date(2022, 6, 1)] == {"compliance_info"}
    assert ids[date(2024, 6, 1)] - ids[date(2023, 6, 1)] == {"intellectual_property_info"}
    assert not engine.catalogs.layered(INFORMATION_CATALOG, "000000", date(2021, 6, 1))  # no catalog before the first edition


def test_every_shipped_item_rests_on_a_law_regulation_or_central_policy(engine: Engine) -> None:
    """A1 / 49号(一): checked on the shipped data, so only test layers exercise A1.item_basis failing."""
    for f in engine.catalogs.files:
        if f.envelope.kind != INFORMATION_CATALOG:
            continue
        for c in f.entries:
            assert isinstance(c, InformationCategory)
            for item in c.items:
                if item.legal_basis is None:  # not recorded: the item answers undetermined, never allowed
                    assert not (item.source and item.source.verified), (f.file, item.id)
                    continue
                assert not (item.legal_basis.legal_basis == "guobanfa_2020_49" and (item.legal_basis.article or "").startswith("（一）"))
                basis = engine.catalogs.legal_basis(item.legal_basis.legal_basis, f.envelope.effective_from)
                assert basis is not None and basis.form in ITEM_BASIS_FORMS, (f.file, item.id)


def test_unconfirmed_data_is_flagged_not_silent(engine: Engine) -> None:
    on = date(2024, 6, 1)
    for f in engine.catalogs.layered(INFORMATION_CATALOG, "000000", on):
        assert f.envelope.source is not None and not f.envelope.source.verified  # edition dates unconfirmed
    items = {x.item.id: x for x in items_in_force(engine.catalogs, "450400", on)}
    debtor = items["dishonest_judgment_debtor"].item
    assert debtor.share_verified and debtor.publish_verified  # 法释〔2017〕7号 第七条、第八条
    assert not items["registration_basic"].item.publish_verified
    assert items["administrative_penalty"].item.publication_period is not None
    assert not items["administrative_penalty"].item.publication_period.verified
    flagged = [i for i in items.values() if not (i.item.share_verified and i.item.publish_verified)]
    assert all(i.item.source.note for i in flagged)  # every unconfirmed flag says why


def test_wuzhou_supplementary_catalog_rests_on_the_guangxi_regulation(engine: Engine) -> None:
    found = find_item(engine.catalogs, "450400", date(2023, 10, 13), "falsification")
    assert found is not None and found.scope.value == "local_supplementary"
    assert not found.item.source.verified and found.file.envelope.source is not None and not found.file.envelope.source.verified
    j = engine.catalogs.jurisdiction("450400", date(2023, 10, 13))
    assert j is not None and j.supplementary_basis is not None
    basis = engine.catalogs.legal_basis(j.supplementary_basis.legal_basis, date(2023, 10, 13))
    assert basis is not None and basis.form is LegalForm.local_regulation and basis.id == "guangxi_social_credit_regulation"
    assert find_item(engine.catalogs, "450400", date(2023, 4, 30), "falsification") is None  # before the regulation
    assert find_item(engine.catalogs, "420100", date(2023, 10, 13), "falsification") is None  # not in Wuhan


def _layer(tmp: Path, text: str) -> Path:
    root = tmp / "layer"
    (root / "459800-x").mkdir(parents=True)
    (root / "459800-x" / "jurisdiction.yaml").write_text(
        'kind: jurisdiction\njurisdiction: "459800"\nedition: t\neffective_from: 2013-10-01\nsource: {citation: t}\nentries:\n'
        '  - {code: "459800", name_zh: 甲, name_en: x, level: municipal, parent: "450000", source: {citation: t}}\n',
        encoding="utf-8",
    )
    (root / "459800-x" / "information_catalog.yaml").write_text(text, encoding="utf-8")
    return root


_HEAD = 'kind: information_catalog\njurisdiction: "459800"\nedition: t\neffective_from: 2023-06-01\nsource: {citation: t}\nentries:\n'
_ITEM = (
    "      - {{id: {id}, name_zh: 乙, name_en: y, source_body: z, legal_basis: {{legal_basis: {basis}}}, shared_with: [], "
    "share_verified: false, published: false, publish_verified: false, personal_information: false, source: {{citation: t}}}}\n"
)


def test_a_supplementary_catalog_without_a_local_regulation_is_refused_at_load(tmp_path: Path) -> None:
    text = _HEAD + "  - id: c\n    number: 1\n    name_zh: 丙\n    name_en: c\n    source: {citation: t}\n    items:\n" + _ITEM.format(
        id="x_item", basis="guangxi_social_credit_regulation"
    ) + _ITEM.format(id="x_item", basis="no_such_basis") + _ITEM.format(id="administrative_penalty", basis="guangxi_social_credit_regulation")
    layer = _layer(tmp_path, text)
    with pytest.raises(InputError) as exc:
        load_catalogs([shipped_catalogs_dir(), layer])
    rendered = exc.value.render()
    assert "459800-x/information_catalog.yaml:1: field 'jurisdiction'" in rendered  # no supplementary basis (49号(一))
    assert "entries[0].items[1].id" in rendered and "used once" in rendered
    assert "entries[0].items[1].legal_basis.legal_basis" in rendered and "no_such_basis" in rendered
    assert "entries[0].items[2].id" in rendered and "national base catalog" in rendered


def test_a_bad_item_field_is_located(tmp_path: Path) -> None:
    text = _HEAD + "  - id: c\n    number: 1\n    name_zh: 丙\n    name_en: c\n    source: {citation: t}\n    items:\n" + _ITEM.format(
        id="x_item", basis="guangxi_social_credit_regulation"
    ).replace("shared_with: []", "shared_with: [the_press]")
    layer = _layer(tmp_path, text)
    with pytest.raises(InputError) as exc:
        load_catalogs([shipped_catalogs_dir(), layer])
    assert "information_catalog.yaml:13: field 'entries[0].items[0].shared_with[0]'" in exc.value.render()


def _run(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(args))
    return code, out.getvalue(), err.getvalue()


def test_request_errors_name_file_line_and_field(tmp_path: Path) -> None:
    base = (BASES / "company_penalty.yaml").read_text(encoding="utf-8")
    cases = {
        "unknown_field.yaml": (base.replace("  summary:", "  summery:"), "item.summery", 14),
        "bad_recipient.yaml": (base.replace("kind: government_internal", "kind: the_press"), "recipient.kind", 19),
        "bad_date.yaml": (base.replace("decision_date: 2023-09-28", "decision_date: 2023-09-31"), "item.decision_date", 12),
        "late_before_decision.yaml": (base.replace("published_on: 2023-10-13", "published_on: 2023-09-01"), "(document)", None),
        "bad_basis.yaml": (base + "personal_basis: {legal_basis: no_such_law, article: 第一条}\n", "personal_basis.legal_basis", 21),
    }
    for name, (text, field, line) in cases.items():
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        code, _, err = _run("info", "decide", str(path))
        assert code == 2, name
        where = f"{path}:{line}:" if line else f"{path}"
        assert where in err and f"field '{field}'" in err and "Traceback" not in err, (name, err)


def test_python_api_locates_a_bad_basis_without_a_file(engine: Engine) -> None:
    request = parse_request((BASES / "company_penalty.yaml").read_text(encoding="utf-8"))
    bad = request.model_copy(update={"personal_basis": BasisRef(legal_basis="nope")})
    with pytest.raises(InputError, match="personal_basis.legal_basis"):
        decide_information(engine, bad)


def test_info_catalog_lists_items_and_marks_unverified_ones() -> None:
    code, out, _ = _run("info", "catalog", "--on", "2023-10-13", "--jurisdiction", "450400")
    assert code == 0 and "administrative_penalty" in out and "falsification" in out and "[unverified]" in out
    code, out, _ = _run("info", "catalog", "--on", "2023-10-13", "--format", "json")
    rows = json.loads(out)
    assert len({r["category"] for r in rows}) == 12 and not any(r["scope"] == "local_supplementary" for r in rows)


def test_the_examples_run_from_the_cli(tmp_path: Path) -> None:
    example = ROOT / "examples" / "information" / "wuzhou_person_penalty_request.yaml"
    code, out, _ = _run("info", "decide", str(example), "--format", "json")
    data = json.loads(out)
    assert code == 0 and data["publish"]["outcome"] == "allowed"
    assert data["publication"]["deadline"] == "2023-10-13" and data["publication"]["on_time"] is False
    assert data["published_record"]["subject_name"] == "陈**"
    request, _ = load_request(example)
    assert request.subject.name == "陈国栋" and "陈国栋" not in out
    shutil.copy(example, tmp_path / "copy.yaml")
    assert _run("info", "decide", str(tmp_path / "copy.yaml"), "--format", "json")[1] == out  # byte-identical


def test_a_state_council_decision_is_stated_in_the_catalog_never_guessed_from_a_title(engine: Engine) -> None:
    """49号(四): a 国务院决定、命令 is a basis for using personal information; whether a document is one is catalog data."""
    from credit_rules.information.facts import personal_basis_facts
    from credit_rules.model.legal import LegalBasis

    basis = next(e for f in engine.catalogs.files for e in f.entries if isinstance(e, LegalBasis))
    assert personal_basis_facts(basis)["personal.basis_state_council_decision"] is basis.state_council_decision_or_order
    stated = basis.model_copy(update={"state_council_decision_or_order": True})
    assert personal_basis_facts(stated)["personal.basis_state_council_decision"] is True
