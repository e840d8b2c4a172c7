"""An information or query answer lists the catalog data it rests on that is not confirmed (fail closed).

49号(一)(三)(四)(十三): what may be recorded, shared, published and queried is catalog and access-policy data;
where that data is unconfirmed, the definition that read it takes its status from the data (``verified_by``)
and the answer lists it in ``unverified``.  The shipped catalogs are unconfirmed nearly everywhere, so the
confirmed side is shown on a small test layer (fictional jurisdiction 459800 under 广西) whose entries are
confirmed, flipping one flag at a time.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from credit_rules import Engine
from credit_rules.information.decide import decide_information
from credit_rules.information.model import InformationRequest
from credit_rules.information.query import QueryRequest, decide_query
from credit_rules.shipped import shipped_catalogs_dir
from credit_rules.validation import validate
from credit_rules.yamlsource import load_file

_JURISDICTION = (
    'kind: jurisdiction\njurisdiction: "459800"\nedition: t\neffective_from: 2013-10-01\nsource: {citation: t, verified: true}\n'
    "entries:\n"
    '  - {code: "459800", name_zh: 甲, name_en: x, level: municipal, parent: "450000", '
    "supplementary_basis: {legal_basis: guangxi_social_credit_regulation, article: 第十九条}, source: {citation: t}}\n"
)


def _catalog(header: bool = True, category: bool = True, item: bool = True, share: bool = True, publish: bool = True) -> str:
    low = lambda b: str(b).lower()  # noqa: E731
    return (
        'kind: information_catalog\njurisdiction: "459800"\nedition: t\neffective_from: 2023-06-01\n'
        f"source: {{citation: t, verified: {low(header)}}}\nentries:\n"
        f"  - id: x_category\n    number: 1\n    name_zh: 丙\n    name_en: c\n    source: {{citation: t, verified: {low(category)}}}\n    items:\n"
        "      - {id: x_item, name_zh: 乙, name_en: y, source_body: z, legal_basis: {legal_basis: guangxi_social_credit_regulation, article: 第二十条}, "
        f"shared_with: [market_body], share_verified: {low(share)}, published: true, publish_verified: {low(publish)}, "
        f"personal_information: false, source: {{citation: t, verified: {low(item)}}}}}\n"
    )


def _policy(header: bool = True, entry: bool = True) -> str:
    low = lambda b: str(b).lower()  # noqa: E731
    return (
        'kind: information_access_policy\njurisdiction: "459800"\nedition: t\neffective_from: 2020-12-07\n'
        f"source: {{citation: t, verified: {low(header)}}}\nentries:\n"
        "  - {id: associations_evaluate, roles: [industry_association], purposes: [credit_service], categories: [administrative_info], "
        f"citation: t, source: {{citation: t, verified: {low(entry)}}}}}\n"
    )


def _engine(tmp: Path, catalog: str, policy: str | None = None) -> Engine:
    root = tmp / "layer" / "459800-x"
    root.mkdir(parents=True)
    (root / "jurisdiction.yaml").write_text(_JURISDICTION, encoding="utf-8")
    (root / "information_catalog.yaml").write_text(catalog, encoding="utf-8")
    if policy is not None:
        (root / "information_catalog_access_policy.yaml").write_text(policy, encoding="utf-8")
    return Engine.load([shipped_catalogs_dir(), tmp / "layer"])


_REQUEST = {
    "request_id": "t",
    "asked_on": "2023-10-13",
    "jurisdiction": "459800",
    "questions": ["record", "share", "publish"],
    "subject": {"kind": "legal_person", "name": "某某有限公司", "uscc": "91450400MA5L0001X8"},
    "item": {"kind": "x_item", "decision_date": "2023-09-28"},
    "recipient": {"kind": "market_body", "name": "某公司", "purpose": "credit_service"},
    "publication": {"published_on": "2023-10-13", "channel": "department_site"},
}


def _unverified(engine: Engine) -> dict[str, list[str]]:
    d = decide_information(engine, InformationRequest.model_validate(_REQUEST))
    assert d.record and d.share and d.publish
    assert (d.record.outcome.value, d.share.outcome.value, d.publish.outcome.value) == ("allowed", "allowed", "allowed")
    return {"record": d.record.unverified, "share": d.share.unverified, "publish": d.publish.unverified}


def test_confirmed_catalog_data_is_not_listed(tmp_path: Path) -> None:
    assert _unverified(_engine(tmp_path, _catalog())) == {"record": [], "share": [], "publish": []}


@pytest.mark.parametrize("flag", ["header", "category", "item"])
def test_an_unconfirmed_edition_category_or_item_makes_every_answer_unverified(tmp_path: Path, flag: str) -> None:
    """49号(一): the item is recordable only as the catalog in force says; share and publish rest on that too."""
    got = _unverified(_engine(tmp_path, _catalog(**{flag: False})))
    assert got == {q: ["item_in_catalog (49号(一))"] for q in ("record", "share", "publish")}


def test_an_unconfirmed_sharing_scope_is_listed_by_the_share_answer_only(tmp_path: Path) -> None:
    """49号(三): the catalog's shared_with decides the recipient; share_verified says whether it is confirmed."""
    assert _unverified(_engine(tmp_path, _catalog(share=False))) == {"record": [], "share": ["recipient_in_catalog_scope (49号(三))"], "publish": []}


def test_an_unconfirmed_published_flag_is_listed_by_the_publish_answer_only(tmp_path: Path) -> None:
    """49号(四): the catalog's 'published' decides publication; publish_verified says whether it is confirmed."""
    assert _unverified(_engine(tmp_path, _catalog(publish=False))) == {"record": [], "share": [], "publish": ["catalog_publishes_item (49号(四))"]}


_QUERY = {
    "query_id": "t",
    "at": "2023-11-02T14:05:00+08:00",
    "actor": "assoc-1",
    "role": "industry_association",
    "purpose": "credit_service",
    "jurisdiction": "459800",
    "subject": {"kind": "legal_person", "name": "某某有限公司", "uscc": "91450400MA5L0001X8"},
    "items": ["administrative_penalty"],
}


@pytest.mark.parametrize(("header", "entry", "listed"), [(True, True, False), (True, False, True), (False, True, True)])
def test_a_grant_lists_access_permitted_unless_its_entry_and_edition_are_confirmed(tmp_path: Path, header: bool, entry: bool, listed: bool) -> None:
    """49号(十三): the access policy's entry decides the query; its (and its edition's) source.verified says whether it is confirmed."""
    engine = _engine(tmp_path, _catalog(), _policy(header, entry))
    d = decide_query(engine, QueryRequest.model_validate(_QUERY))
    assert d.result.outcome.value == "allowed"
    assert d.result.unverified == (["access_permitted (49号(十三))"] if listed else [])


def test_the_shipped_illustrative_policy_is_never_a_plain_allowed() -> None:
    """examples/information/bank_query.yaml under the shipped policy (every entry verified: false): allowed, unverified."""
    engine = Engine.load([shipped_catalogs_dir()])
    src = load_file(Path(__file__).parent.parent / "examples" / "information" / "bank_query.yaml")
    d = decide_query(engine, validate(QueryRequest, src))
    assert d.result.outcome.value == "allowed"
    assert "access_permitted (49号(十三))" in d.result.unverified
    assert next(x for x in d.result.definitions if x.id == "access_permitted").verified is False


_STATE_COUNCIL = (
    'kind: legal_bases\njurisdiction: "459800"\nedition: t\neffective_from: 2020-01-01\nsource: {citation: t, verified: true}\nentries:\n'
    "  - {id: x_state_council_decision, title_zh: 国务院关于某事项的决定（虚构）, title_en: x, issuer_zh: 国务院, form: party_state_policy, "
    "level: national, effective_from: 2020-01-01, state_council_decision_or_order: true, source: {citation: t, verified: true}}\n"
)


def test_a_state_council_decision_allows_publication_only_as_unverified(tmp_path: Path) -> None:
    """49号(四) 国务院决定、命令明确规定: the catalog says the document is one; what it provides, the engine does not read."""
    _engine(tmp_path, _catalog())  # writes the layer
    (tmp_path / "layer" / "459800-x" / "legal_bases.yaml").write_text(_STATE_COUNCIL, encoding="utf-8")
    engine = Engine.load([shipped_catalogs_dir(), tmp_path / "layer"])
    request = {
        **_REQUEST,
        "questions": ["record", "publish"],
        "recipient": None,
        "subject": {"kind": "natural_person", "name": "覃卫东", "resident_id": "450402197809301511"},
        "item": {"kind": "administrative_licensing", "decision_date": "2023-09-28"},
        "personal_basis": {"legal_basis": "x_state_council_decision"},
    }
    d = decide_information(engine, InformationRequest.model_validate(request))
    assert d.publish is not None and d.publish.outcome.value == "allowed"
    assert "state_council_basis (49号(四))" in d.publish.unverified
    assert "personal_basis_by_law (49号(十四))" not in d.publish.unverified  # a policy document is no 法律、法规
    without = decide_information(engine, InformationRequest.model_validate({**request, "personal_basis": None}))
    assert without.publish is not None and without.publish.outcome.value == "refused"
