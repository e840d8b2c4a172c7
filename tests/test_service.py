"""The REST service (issue #16) with FastAPI's test client: every endpoint with good input, bad input and
auth refusals; problem documents; masking; the query register; reload; the access log."""

from __future__ import annotations

import json
import logging
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from fastapi.testclient import TestClient

from credit_rules import Engine, parse_case
from credit_rules.audit.register import QueryRegister, verify_register
from credit_rules.cli import main
from credit_rules.errors import InputError
from credit_rules.masking import scrub_text
from credit_rules.service import Settings, create_app
from credit_rules.service.auth import KeyRing
from credit_rules.shipped import shipped_catalogs_dir

from .service_support import KEYS, auth, example, make_app, write_keys

PROBLEM = "application/problem+json"
LISTING = "cases/wuzhou_food_listing.yaml"
MINOR = "cases/court_minor_debtor.yaml"
MINOR_ID = "450404200605010023"


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[TestClient, Path]]:
    tmp = tmp_path_factory.mktemp("service")
    with TestClient(make_app(tmp)) as client:
        yield client, tmp


@pytest.fixture(scope="module")
def client(service: tuple[TestClient, Path]) -> TestClient:
    return service[0]


def problem(r, status: int) -> dict:  # type: ignore[no-untyped-def,type-arg]
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith(PROBLEM)
    doc = r.json()
    assert doc["status"] == status and doc["title"] and doc["type"].startswith("https://")
    assert "Traceback" not in r.text
    return doc  # type: ignore[no-any-return]


# ------------------------------------------------------------------ meta


def test_health_version_openapi_and_docs_need_no_key(client: TestClient) -> None:
    assert client.get("/health").json() == {"status": "ok"}
    v = client.get("/version").json()
    engine = Engine.load()
    assert v["ruleset_hash"] == engine.ruleset.content_hash and v["catalogs_hash"] == engine.catalogs.content_hash
    assert v["ruleset_version"] == engine.ruleset.version and v["generation"] >= 1
    assert {(e["kind"], e["jurisdiction"], e["edition"]) for e in v["catalog_editions"]} == {
        (f.envelope.kind, f.envelope.jurisdiction, f.envelope.edition) for f in engine.catalogs.files
    }
    spec = client.get("/openapi.json").json()
    for path in ("/decisions", "/decisions/batch", "/decisions/explain", "/repair", "/information/{use}", "/queries",
                 "/catalog/{kind}", "/catalog/{kind}/{ident}", "/health", "/version", "/admin/reload"):
        assert path in spec["paths"], path
    schemas = spec["components"]["schemas"]
    body = spec["paths"]["/decisions"]["post"]["requestBody"]["content"]["application/json"]["schema"]
    assert body == {"$ref": "#/components/schemas/Case"}
    from credit_rules.model.case import Case

    assert set(schemas["Case"]["properties"]) == set(Case.model_fields)  # the library's own model
    assert {"Decision", "InformationRequest", "QueryRequest", "QueryDecision", "BatchItem"} <= set(schemas)
    assert {"bearerAuth", "apiKeyHeader"} <= set(spec["components"]["securitySchemes"])
    assert "swagger" in client.get("/docs").text.lower()


def test_unknown_route_and_method_are_problem_documents(client: TestClient) -> None:
    problem(client.get("/nope"), 404)
    problem(client.get("/decisions", headers=auth("full")), 405)


# ----------------------------------------------------------------- auth


@pytest.mark.parametrize("method,path", [
    ("post", "/decisions"), ("post", "/decisions/batch"), ("post", "/decisions/explain"), ("post", "/repair"),
    ("post", "/information/record"), ("post", "/queries"), ("get", "/catalog/standards"), ("get", "/catalog/measures/x"),
    ("post", "/admin/reload"),
])
def test_every_protected_endpoint_refuses_without_a_known_key(client: TestClient, method: str, path: str) -> None:
    doc = problem(getattr(client, method)(path), 401)
    assert "API key" in doc["detail"]
    r = getattr(client, method)(path, headers={"Authorization": "Bearer not-a-key-of-this-service"})
    problem(r, 401)
    assert r.headers["www-authenticate"].startswith("Bearer")
    problem(getattr(client, method)(path, headers={"X-API-Key": "wrong"}), 401)


@pytest.mark.parametrize("method,path", [
    ("post", "/decisions"), ("post", "/decisions/batch"), ("post", "/decisions/explain"), ("post", "/repair"),
    ("post", "/information/share"), ("post", "/admin/reload"),
])
def test_a_key_without_the_permission_is_forbidden(client: TestClient, method: str, path: str) -> None:
    doc = problem(getattr(client, method)(path, headers=auth("reader"), content=example(LISTING)), 403)
    assert "'reader'" in doc["detail"] and KEYS["reader"][0] not in json.dumps(doc)


def test_catalog_reader_cannot_decide_but_can_browse(client: TestClient) -> None:
    assert client.get("/catalog/standards", headers={"X-API-Key": KEYS["reader"][0]}).status_code == 200
    problem(client.get("/catalog/standards", headers=auth("clerk")), 403)


def test_key_file_is_checked_with_located_messages(tmp_path: Path) -> None:
    bad = tmp_path / "keys.yaml"
    bad.write_text("keys:\n  - id: a\n    sha256: nothex\n    authority: x\n    permissions: [decide, fly]\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        KeyRing.load(bad)
    text = err.value.render()
    assert "keys.yaml:3: field 'keys[0].sha256'" in text and "keys.yaml:5: field 'keys[0].permissions[1]'" in text
    dup = write_keys(tmp_path / "dup.yaml")
    dup.write_text(dup.read_text(encoding="utf-8").replace("id: clerk", "id: full"), encoding="utf-8")
    with pytest.raises(InputError, match="an id used once"):
        KeyRing.load(dup)


# ------------------------------------------------------------- decisions


def test_decision_is_the_library_decision_masked_as_the_cli(client: TestClient) -> None:
    text = example(LISTING)
    r = client.post("/decisions", content=text, headers=auth("clerk"))
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/json")
    assert r.json() == json.loads(scrub_text(Engine.load().decide(parse_case(text)).to_json()))
    assert r.json()["listing"]["outcome"] == "allowed"


def test_as_of_parameter_overrides_and_is_required_somewhere(client: TestClient) -> None:
    text = example(LISTING)
    r = client.post("/decisions", content=text, params={"as_of": "2023-08-01"}, headers=auth("clerk"))
    assert r.json()["as_of"] == "2023-08-01"
    no_date = "\n".join(line for line in text.splitlines() if not line.startswith("as_of:"))
    doc = problem(client.post("/decisions", content=no_date, headers=auth("clerk")), 422)
    assert doc["problems"][0]["field"] == "as_of"
    problem(client.post("/decisions", content=text, params={"as_of": "yesterday"}, headers=auth("clerk")), 422)


def test_bad_case_gets_the_clis_located_messages(client: TestClient, capsys: pytest.CaptureFixture[str]) -> None:
    text = example(LISTING).replace("gravity: serious", "gravity: awful")
    assert text != example(LISTING)
    doc = problem(client.post("/decisions", content=text, headers=auth("clerk")), 422)
    with pytest.raises(InputError) as err:
        parse_case(text, "(request)")
    assert [p["message"] for p in doc["problems"]] == [p.render() for p in err.value.problems]
    assert doc["problems"][0]["line"] is not None and doc["problems"][0]["field"] == "act.gravity"
    # the command line says the same about the same text (its file is called (stdin))
    import io
    import sys

    old = sys.stdin
    sys.stdin = io.TextIOWrapper(io.BytesIO(text.encode("utf-8")))
    try:
        assert main(["decide", "-"]) == 2
    finally:
        sys.stdin = old
    assert doc["problems"][0]["message"].replace("(request)", "(stdin)") in capsys.readouterr().err


def test_misspelled_catalog_id_is_bad_input_with_did_you_mean(client: TestClient) -> None:
    text = example(LISTING).replace("field: food_drug", "field: food_drugs")
    assert text != example(LISTING)
    doc = problem(client.post("/decisions", content=text, headers=auth("clerk")), 422)
    assert "food_drug" in doc["detail"]


@pytest.mark.parametrize("body", [b"", b"[1, 2]", b"\xff\xfe", b"{a: [", b"case_id: x\ncase_id: y\n", b"a: &x [*x]\n", b"null"])
def test_malformed_bodies_are_422_never_500(client: TestClient, body: bytes) -> None:
    problem(client.post("/decisions", content=body, headers=auth("clerk")), 422)


def test_body_over_the_size_limit_is_413(tmp_path: Path) -> None:
    with TestClient(make_app(tmp_path, max_body_bytes=1000)) as small:
        doc = problem(small.post("/decisions", content=example(LISTING), headers=auth("clerk")), 413)
        assert "CREDIT_RULES_MAX_FILE_BYTES" in doc["detail"]

        def chunks() -> Iterator[bytes]:  # no Content-Length: counted as it arrives
            yield b"{" + b" " * 800
            yield b" " * 800 + b"}"

        problem(small.post("/decisions", content=chunks(), headers=auth("clerk")), 413)


def test_personal_identifiers_masked_unless_a_permitted_disclosure_basis(client: TestClient) -> None:
    text = example(MINOR)
    masked = client.post("/decisions", content=text, headers=auth("full"))
    assert masked.status_code == 200 and MINOR_ID not in masked.text and "韦晓燕" not in masked.text
    basis = {"disclosure_basis": "最高人民法院关于公布失信被执行人名单信息的若干规定 第六条"}
    clear = client.post("/decisions", content=text, params=basis, headers=auth("full"))
    assert clear.status_code == 200 and MINOR_ID in clear.text
    problem(client.post("/decisions", content=text, params=basis, headers=auth("clerk")), 403)  # no 'disclose' permission
    bad = text.replace(MINOR_ID, MINOR_ID[:-1] + "9")  # a wrong check digit: the error repeats it, masked
    doc = problem(client.post("/decisions", content=bad, headers=auth("full")), 422)
    assert MINOR_ID[:-1] not in json.dumps(doc, ensure_ascii=False)


def test_explain_names_the_deciding_rules_and_their_citations(client: TestClient) -> None:
    r = client.post("/decisions/explain", content=example(MINOR), headers=auth("clerk"))
    assert r.status_code == 200
    by_q = {q["question"]: q for q in r.json()["questions"]}
    listing = by_q["listing"]
    assert listing["outcome"] == "refused"
    assert "C10.minors_excluded" in [d["rule"] for d in listing["decided_by"]]
    assert all(d["citation"] for d in listing["decided_by"]) and listing["consulted"] >= len(listing["decided_by"])
    assert by_q["determination"]["outcome"] == "valid" and by_q["determination"]["passed"]
    assert MINOR_ID not in r.text
    problem(client.post("/decisions/explain", content="case_id: x\n", headers=auth("clerk")), 422)


def test_repair_answers_only_repair(client: TestClient) -> None:
    r = client.post("/repair", content=example("cases/wuzhou_penalty_repair.yaml"), headers=auth("clerk"))
    assert r.status_code == 200
    d = r.json()
    assert d["repair"]["outcome"] in ("repairable", "not_yet", "not_repairable") and d["listing"] is None and d["determination"] is None
    doc = problem(client.post("/repair", content=example(LISTING), headers=auth("clerk")), 422)
    assert doc["problems"][0]["field"] == "repair"


@given(st.text(alphabet=st.sampled_from("0123456789Xx \t-_.,/\u00a0\u3000a:\"١٢"), max_size=60))
@settings(max_examples=300, deadline=None)
def test_strings_the_fast_path_skips_are_those_masking_leaves_alone(text: str) -> None:
    from credit_rules.service.bodies import _CANDIDATE

    if not _CANDIDATE.search(text):
        assert scrub_text(text) == text


def test_answers_are_masked_field_by_field_as_the_cli_masks_the_whole_text(client: TestClient) -> None:
    text = example(MINOR).replace("case_id: wx-2024-zx-0031", f"case_id: wx-{MINOR_ID}-13907745588")
    r = client.post("/decisions", content=text, headers=auth("full"))
    assert r.status_code == 200 and MINOR_ID not in r.text and "13907745588" not in r.text
    assert r.json() == json.loads(scrub_text(Engine.load().decide(parse_case(text)).to_json()))


# ----------------------------------------------------------------- batch


def _ndjson(*texts: str) -> bytes:
    import yaml

    return b"".join(json.dumps(yaml.safe_load(t), default=str, ensure_ascii=False).encode("utf-8") + b"\n" for t in texts)


def test_batch_streams_one_result_per_line_in_order(client: TestClient) -> None:
    body = _ndjson(example(LISTING), example(MINOR)) + b"\n{not json\n" + b'"a string"\n' + _ndjson(example(LISTING))
    r = client.post("/decisions/batch", content=body, headers=auth("clerk"))
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/x-ndjson")
    items = [json.loads(line) for line in r.text.splitlines()]
    assert [i["index"] for i in items] == [0, 1, 2, 3, 4]
    assert [i["ok"] for i in items] == [True, True, False, False, True]
    assert items[2]["error"].startswith("(request):4: field '(syntax)'")
    assert items[0]["decision"]["listing"]["outcome"] == "allowed" and MINOR_ID not in r.text


def test_batch_limits_lines_and_line_size(tmp_path: Path) -> None:
    with TestClient(make_app(tmp_path, max_batch_lines=2, max_body_bytes=4000)) as small:
        line = _ndjson(example(LISTING))
        r = small.post("/decisions/batch", content=line * 3, headers=auth("clerk"))
        items = [json.loads(x) for x in r.text.splitlines()]
        assert [i["ok"] for i in items] == [True, True, False] and "at most 2 cases" in items[2]["error"]
        r = small.post("/decisions/batch", content=b'{"x": "' + b"y" * 5000 + b'"}\n' + line, headers=auth("clerk"))
        items = [json.loads(x) for x in r.text.splitlines()]
        assert [i["ok"] for i in items] == [False, True] and "a line of at most 4000 bytes" in items[0]["error"]


# ------------------------------------------------------------ information


def test_information_record_share_publish(client: TestClient) -> None:
    text = example("information/wuzhou_person_penalty_request.yaml")
    for use in ("record", "share", "publish"):
        r = client.post(f"/information/{use}", content=text, headers=auth("clerk"))
        assert r.status_code == 200, r.text
        d = r.json()
        assert d[use] is not None and d[use]["outcome"] in ("allowed", "refused", "undetermined")
        others = {"share", "publish"} - {use}
        assert all(d[o] is None for o in others)
        assert "45040520001231006X" not in r.text and "13907745588" not in r.text
    assert client.post("/information/publish", content=text, headers=auth("clerk")).json()["publish"]["outcome"] == "allowed"


def test_information_bad_input(client: TestClient) -> None:
    text = example("information/wuzhou_company_share_request.yaml")
    no_recipient = "\n".join(line for line in text.splitlines() if not line.startswith("recipient:"))
    problem(client.post("/information/share", content=no_recipient, headers=auth("clerk")), 422)
    wrong_item = example("information/wuzhou_person_penalty_request.yaml").replace("kind: administrative_penalty", "kind: administrative_penalties")
    doc = problem(client.post("/information/record", content=wrong_item, headers=auth("clerk")), 422)
    assert "administrative_penalty" in doc["detail"]
    problem(client.post("/information/query", content=text, headers=auth("clerk")), 404)
    problem(client.post("/information/forget", content=text, headers=auth("clerk")), 422)


# ---------------------------------------------------------------- queries


def test_query_is_decided_and_registered(service: tuple[TestClient, Path]) -> None:
    client, tmp = service
    register = tmp / "queries.sqlite"
    before = len(QueryRegister(register).rows()) if register.exists() else 0
    r = client.post("/queries", content=example("information/bank_query.yaml"), headers=auth("full"))
    assert r.status_code == 200, r.text
    assert r.json()["result"]["outcome"] == "allowed" and r.json()["actor"] == "full/bank-wz-007"
    assert "45040520001231006X" not in r.text
    rows = QueryRegister(register).rows()
    assert len(rows) == before + 1 and rows[-1].actor == "full/bank-wz-007" and rows[-1].outcome == "allowed"
    assert verify_register(register).ok


def test_query_outside_the_keys_permissions_is_refused_and_still_registered(service: tuple[TestClient, Path]) -> None:
    client, tmp = service
    register = tmp / "queries.sqlite"
    before = len(QueryRegister(register).rows()) if register.exists() else 0
    for who in ("clerk", "reader"):  # clerk: another role and purpose; reader: no query permission at all
        doc = problem(client.post("/queries", content=example("information/bank_query.yaml"), headers=auth(who)), 403)
        assert doc["register_seq"] >= 1
    rows = QueryRegister(register).rows()
    assert len(rows) == before + 2
    assert [(r.actor, r.outcome) for r in rows[-2:]] == [("clerk/bank-wz-007", "refused"), ("reader/bank-wz-007", "refused")]
    assert "caller_not_permitted" in rows[-1].reasons
    assert verify_register(register).ok
    # bad input is not a query: nothing to register
    problem(client.post("/queries", content="query_id: q\n", headers=auth("full")), 422)
    assert len(QueryRegister(register).rows()) == before + 2
    # unauthenticated: refused before anything is read
    problem(client.post("/queries", content=example("information/bank_query.yaml")), 401)
    assert len(QueryRegister(register).rows()) == before + 2


def test_no_register_no_queries(tmp_path: Path) -> None:
    settings = Settings(keys=str(write_keys(tmp_path / "keys.yaml")), signals=False)
    with TestClient(create_app(settings)) as c:
        doc = problem(c.post("/queries", content=example("information/bank_query.yaml"), headers=auth("full")), 503)
        assert "49号(十三)" in doc["detail"]


# ---------------------------------------------------------------- catalog


def test_catalog_browsing_by_jurisdiction_and_date(client: TestClient) -> None:
    every = client.get("/catalog/standards", headers=auth("reader")).json()
    wuzhou = client.get("/catalog/standards", params={"jurisdiction": "450400", "on": "2023-01-01"}, headers=auth("reader")).json()
    assert wuzhou and len(wuzhou) <= len(every) and all(r["effective_from"] <= "2023-01-01" for r in wuzhou)
    for kind in ("conduct", "quantities", "measures", "fields", "information", "regimes", "jurisdictions"):
        assert client.get(f"/catalog/{kind}", headers=auth("reader")).status_code == 200, kind
    one = client.get(f"/catalog/standards/{every[0]['id']}", headers=auth("reader"))
    assert one.status_code == 200 and one.json()[0]["id"] == every[0]["id"] and "criteria" in one.json()[0]
    assert client.get("/catalog/jurisdictions/450400", headers=auth("reader")).status_code == 200
    doc = problem(client.get("/catalog/measures/food_busines_ban", headers=auth("reader")), 404)
    assert "food_business_ban" in doc["detail"]
    problem(client.get("/catalog/standards", params={"jurisdiction": "999999"}, headers=auth("reader")), 422)
    problem(client.get("/catalog/standards", params={"jurisdiction": "45"}, headers=auth("reader")), 422)
    problem(client.get("/catalog/standards", params={"on": "2023-02-30"}, headers=auth("reader")), 422)
    problem(client.get("/catalog/planets", headers=auth("reader")), 422)


# ----------------------------------------------------------------- reload


def test_reload_swaps_a_new_edition_and_keeps_the_old_on_a_broken_tree(tmp_path: Path) -> None:
    tree = tmp_path / "catalogs"
    shutil.copytree(shipped_catalogs_dir(), tree)
    with TestClient(make_app(tmp_path, catalogs=(str(tree),))) as c:
        first = c.get("/version").json()
        problem(c.post("/admin/reload", headers=auth("clerk")), 403)
        r = c.post("/admin/reload", headers=auth("full"))
        assert r.status_code == 200 and r.json()["generation"] == 2 and r.json()["catalogs_hash"] == first["catalogs_hash"]
        victim = next(p for p in sorted(tree.rglob("*.yaml")) if "listing_standards" in p.name)
        victim.write_text(victim.read_text(encoding="utf-8").replace("period", "perod", 1), encoding="utf-8")
        doc = problem(c.post("/admin/reload", headers=auth("full")), 422)
        assert doc["problems"] and doc["problems"][0]["file"].endswith(victim.name)
        after = c.get("/version").json()
        assert after["generation"] == 2 and after["catalogs_hash"] == first["catalogs_hash"]
        assert c.post("/decisions", content=example(LISTING), headers=auth("clerk")).status_code == 200


# ------------------------------------------------------ errors and logs


def test_a_bug_is_a_500_problem_without_a_trace(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    app = make_app(tmp_path)

    def broken(*args: object, **kwargs: object) -> None:
        raise KeyError("secret detail 450404200605010023")

    monkeypatch.setattr(app.state.holder.current.engine, "decide", broken)
    with TestClient(app, raise_server_exceptions=False) as c, caplog.at_level(logging.INFO, logger="credit_rules.service"):
        r = c.post("/decisions", content=example(LISTING), headers=auth("clerk"))
    doc = problem(r, 500)
    assert "secret" not in r.text and "KeyError" not in r.text
    assert "secret" not in caplog.text and "KeyError" in caplog.text


def test_access_log_is_json_without_keys_or_personal_data(client: TestClient, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO, logger="credit_rules.service.access"):
        client.post("/decisions", content=example(MINOR), params={"disclosure_basis": "consent 450404200605010023"}, headers=auth("full"))
        client.get("/catalog/measures/food_business_ban", headers=auth("reader"))
        client.post("/decisions", content=example(MINOR), headers={"Authorization": "Bearer guessed-key-12345"})
    records = [json.loads(r.getMessage()) for r in caplog.records if r.name == "credit_rules.service.access"]
    assert [(r["route"], r["status"], r["caller"]) for r in records] == [
        ("/decisions", 200, "full"), ("/catalog/{kind}/{ident}", 200, "reader"), ("/decisions", 401, None),
    ]
    assert all(r["ms"] >= 0 and r["method"] for r in records)
    text = caplog.text
    for secret in (*(k[0] for k in KEYS.values()), "guessed-key-12345", MINOR_ID, "韦晓燕", "food_business_ban", "consent"):
        assert secret not in text


# -------------------------------------------------------------------- CLI


def test_serve_check_hash_key_and_bad_arguments(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    keys = write_keys(tmp_path / "keys.yaml")
    assert main(["serve", "--check", "--keys", str(keys)]) == 0
    out = capsys.readouterr().out
    assert Engine.load().ruleset.content_hash in out and "keys 3" in out
    import io

    monkeypatch.setattr("sys.stdin", io.StringIO(KEYS["full"][0] + "\n"))
    assert main(["serve", "--hash-key"]) == 0
    from credit_rules.service.auth import hash_key

    assert capsys.readouterr().out.strip() == hash_key(KEYS["full"][0])
    monkeypatch.setattr("sys.stdin", io.StringIO("short\n"))
    assert main(["serve", "--hash-key"]) == 2
    assert main(["serve", "--check", "--workers", "0"]) == 2
    assert main(["serve", "--check", "--port", "70000"]) == 2
    bad = tmp_path / "bad.yaml"
    bad.write_text("keys: []\n", encoding="utf-8")
    assert main(["serve", "--check", "--keys", str(bad)]) == 2
    assert "bad.yaml:1: field 'keys'" in capsys.readouterr().err
