"""The national list regimes shipped as catalog data (issue 7).

Checks the regime entries of ``catalogs/national/listing_standards.yaml`` as data — basis forms, domains,
fields, articles, date splits — and checks that the regime fixtures under ``tests/fixtures/regimes/`` pin
every numeric threshold from both sides, the minors rule where a regime excludes minors, and a removal,
early-exit or deletion case for every regime. The fixtures themselves are run by ``test_fixtures.py``.
"""

from __future__ import annotations

import subprocess
import sys
from datetime import date, timedelta
from decimal import Decimal
from functools import cache
from pathlib import Path

import pytest

from credit_rules import Decision, Engine
from credit_rules.catalog.schema import ListingStandard
from credit_rules.fixtures import Fixture, find_fixtures, load_fixture
from credit_rules.model.decision import RuleStatus

from .conftest import FIXTURES, ROOT

REGIME_FIXTURES = FIXTURES / "regimes"
DOCS = ROOT / "docs" / "regimes"
EXAMPLES = ROOT / "examples" / "regimes"

NATIONAL_FORMS = {"law", "admin_regulation", "party_state_policy", "departmental_rule"}
JUDICIAL_FORMS = {"law", "judicial_interpretation"}
ESTABLISHING_FORMS = {"law", "admin_regulation", "local_regulation", "party_state_policy"}

REGIMES = {
    "court_judgment_debtor_list",
    "tax_major_violation_list",
    "wage_arrears_joint_punishment_list",
    "samr_serious_illegal_dishonest_list",
    "work_safety_serious_dishonesty_list",
    "government_procurement_record",
    "statistics_serious_dishonest_enterprise",
    "statistics_serious_dishonest_enterprise_2019",
    "customs_dishonest_enterprise_251",
    "customs_dishonest_enterprise_282",
}


def national_standards(engine: Engine) -> dict[str, ListingStandard]:
    out: dict[str, ListingStandard] = {}
    for f in engine.catalogs.files:
        if f.envelope.kind == "listing_standards" and f.envelope.jurisdiction == "000000":
            out.update({e.id: e for e in f.entries if isinstance(e, ListingStandard)})
    return out


def regime_dir(standard_id: str) -> Path:
    """The fixture folder of a regime: its id, or the longest folder name it starts with (editions share one)."""
    names = sorted((p.name for p in REGIME_FIXTURES.iterdir() if p.is_dir()), key=len, reverse=True)
    for name in names:
        if standard_id == name or standard_id.startswith(name + "_"):
            return REGIME_FIXTURES / name
    raise AssertionError(f"no fixture folder under tests/fixtures/regimes for {standard_id}")


@cache
def _decided() -> list[tuple[Fixture, Decision]]:
    engine = Engine.load([ROOT / "catalogs", ROOT / "tests" / "catalogs"])
    out = []
    for path in find_fixtures(REGIME_FIXTURES):
        fx = load_fixture(path)
        out.append((fx, engine.decide(fx.case, fx.as_of)))
    return out


def test_every_regime_is_shipped(engine: Engine) -> None:
    assert REGIMES <= set(national_standards(engine))


@pytest.mark.parametrize("ident", sorted(REGIMES))
def test_regime_entry_is_lawful_data(engine: Engine, ident: str) -> None:
    std = national_standards(engine)[ident]
    on = std.effective_from
    basis = engine.catalogs.legal_basis(std.basis.legal_basis, on)
    establishing = engine.catalogs.legal_basis(std.establishing_basis.legal_basis, on)
    assert basis is not None and establishing is not None
    assert std.scope == "national"
    if std.issuer_branch.value == "judicial":
        assert basis.form.value in JUDICIAL_FORMS
    elif std.conforms_to_49:
        assert basis.form.value in NATIONAL_FORMS, f"{ident}: a nationwide standard in the form {basis.form.value}"
    else:
        assert std.effective_to is not None, f"{ident}: a non-conforming standard must be closed"
    assert establishing.form.value in ESTABLISHING_FORMS, f"{ident}: establishing basis {establishing.form.value} (49号(六))"
    assert std.domain_category in {1, 2, 3, 4}
    domains = [e for f in engine.catalogs.files if f.envelope.kind == "domains" for e in f.entries]
    sub_fields = {f.id: d.category for d in domains for f in d.fields}
    assert std.fields and all(f in sub_fields for f in std.fields), f"{ident}: fields {std.fields} must be 33号 sub-fields"
    assert std.domain_category in {sub_fields[f] for f in std.fields}, f"{ident}: no field in category {std.domain_category}"
    assert std.criteria, f"{ident}: criteria are the point of a regime entry"
    assert std.removal_conditions and std.procedure and std.remedies
    ids = [c.id for c in std.criteria]
    assert len(ids) == len(set(ids))
    for c in std.criteria:
        assert "第" in c.article or "条" in c.article, f"{ident}.{c.id}: cite the article ({c.article!r})"
        if not c.verified:
            assert c.note or not std.source.verified, f"{ident}.{c.id}: an unverified criterion says why"
    unverified = [c for c in std.criteria if not c.verified]
    if unverified or not std.period.verified:
        assert not std.source.verified or std.source.note, f"{ident}: unverified data is explained in the source note"


def test_customs_editions_split_on_2026_04_01(engine: Engine) -> None:
    stds = national_standards(engine)
    old, new = stds["customs_dishonest_enterprise_251"], stds["customs_dishonest_enterprise_282"]
    assert old.effective_to == date(2026, 3, 31) and new.effective_from == date(2026, 4, 1)
    assert old.effective_to + timedelta(days=1) == new.effective_from


def test_statistics_predecessor_ends_when_35_begins(engine: Engine) -> None:
    stds = national_standards(engine)
    old, new = stds["statistics_serious_dishonest_enterprise_2019"], stds["statistics_serious_dishonest_enterprise"]
    assert old.effective_to is not None and old.effective_to + timedelta(days=1) == new.effective_from


def test_minors_excluded_only_where_the_text_says_so(engine: Engine) -> None:
    stds = national_standards(engine)
    assert [i for i in sorted(REGIMES) if stds[i].minors_excluded] == ["court_judgment_debtor_list"]


def _thresholds(std: ListingStandard) -> dict[tuple[str, str, Decimal], list[str]]:
    """Each distinct threshold of a regime, with the criteria that carry it."""
    out: dict[tuple[str, str, Decimal], list[str]] = {}
    for c in std.criteria:
        for t in [*c.thresholds, *c.any_thresholds]:
            out.setdefault((t.quantity, t.op, t.value), []).append(c.id)
    return out


def _near(value: Decimal, threshold: Decimal) -> bool:
    step = Decimal(1) if abs(threshold) >= 1 else abs(threshold) / 10
    return abs(value - threshold) <= step


@pytest.mark.parametrize("ident", sorted(REGIMES))
def test_every_threshold_is_pinned_from_both_sides(engine: Engine, ident: str) -> None:
    """For each numeric threshold: a fixture that meets it close to the line, and one that misses it close to the line."""
    std = national_standards(engine)[ident]
    missing = []
    for (quantity, op, value), crits in _thresholds(std).items():
        meets = misses = False
        for fx, d in _decided():
            if d.listing is None or d.listing.regime != ident:
                continue
            given = fx.case.act.amounts.get(quantity, fx.case.act.quantities.get(quantity))
            if given is None or not _near(given, value):
                continue
            for r in d.listing.criteria:
                if r.criterion not in crits or not r.conduct_matches:
                    continue
                meets = meets or r.met
                misses = misses or any(s.quantity == quantity and s.actual is not None for s in r.shortfalls)
        if not meets:
            missing.append(f"{crits}: no fixture meets {quantity} {op} {value} at the line")
        if not misses:
            missing.append(f"{crits}: no fixture misses {quantity} {op} {value} at the line")
    assert not missing, "\n".join(missing)


def test_minor_fixture_where_minors_are_excluded(engine: Engine) -> None:
    for ident, std in national_standards(engine).items():
        if ident not in REGIMES or not std.minors_excluded:
            continue
        assert any(
            d.listing is not None
            and d.listing.regime == ident
            and any(t.rule == "C10.minors_excluded" and t.status is RuleStatus.failed for t in d.listing.trace)
            for _, d in _decided()
        ), f"{ident}: no fixture with a minor"


@pytest.mark.parametrize("ident", sorted(REGIMES))
def test_every_regime_has_a_removal_case_and_both_kinds_of_fixture(ident: str) -> None:
    folder = regime_dir(ident)
    assert list((folder / "good").glob("*.case.yaml")) and list((folder / "bad").glob("*.case.yaml"))
    removal = [fx for fx, d in _decided() if d.repair is not None and Path(fx.file).resolve().is_relative_to(folder.resolve())]
    assert removal, f"{ident}: no repair (removal, early exit or deletion) fixture in {folder.name}"


@pytest.mark.parametrize("ident", sorted(REGIMES))
def test_every_regime_has_a_doc_page_and_an_example(ident: str) -> None:
    name = regime_dir(ident).name
    page = DOCS / f"{name}.md"
    assert page.exists(), f"docs/regimes/{name}.md missing"
    assert ident in page.read_text(encoding="utf-8"), f"docs/regimes/{name}.md does not name {ident}"
    assert f"{name}.md" in (DOCS / "index.md").read_text(encoding="utf-8")
    assert (EXAMPLES / f"{name}.yaml").exists(), f"examples/regimes/{name}.yaml missing"


@pytest.mark.parametrize("example", sorted(EXAMPLES.glob("*.yaml")), ids=lambda p: p.name)
def test_regime_example_decides_with_exit_0(example: Path) -> None:
    cli = Path(sys.executable).parent / "credit-rules"
    done = subprocess.run([str(cli), "decide", str(example), "--lang", "en"], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert "Regime " in done.stdout, "the decision names the regime and its criteria"
