"""The second security audit's findings, each with the input that showed it (docs/security.md).

1. a rule folder's ``ruleset.yaml`` symlinked out of the folder was followed and its content echoed;
2. a ``diff`` / ``rescan-diff`` REF's top-level ``catalogs`` or ``rules`` symlink was followed out of the REF;
3. an error quoted the whole content of a file that is not a case (a string, a set's members);
4. ``serve``'s problem documents left the request path (``instance``) and each problem's field and file unmasked,
   and its bug log wrote the path unmasked;
5. ``rescan`` and ``rescan-diff`` wrote ``case_id`` to Parquet unmasked;
6. ``explain --index N`` with no such batch line exited 0 with no output.
"""

from __future__ import annotations

import json
import logging
import shutil
from pathlib import Path

import pytest

from credit_rules.errors import InputError, Problem
from credit_rules.masking import scrub_text
from credit_rules.shipped import shipped_rules_dir

from .conftest import ROOT
from .test_fail_closed_trees import SECRET, cli

EXAMPLE = ROOT / "examples" / "cases" / "court_minor_debtor.yaml"
RID = "110101199003074514"
MASKED_RID = "110*************14"


@pytest.fixture
def secret(tmp_path: Path) -> Path:
    """A folder outside every tree a test builds, holding a YAML file whose content must never be shown."""
    folder = tmp_path / "outside"
    folder.mkdir()
    (folder / "leak.yaml").write_text(f"kind: {SECRET}\nentries: [{SECRET}]\nname: {SECRET}\nversion: '1'\n", encoding="utf-8")
    (folder / "plain.txt").write_text(f"{SECRET}\n", encoding="utf-8")
    return folder


# ------------------------------------------------------------------ 1: ruleset.yaml symlinked out of the rule folder


def _rules_copy(tmp_path: Path) -> Path:
    target = tmp_path / "r"
    shutil.copytree(shipped_rules_dir(), target)
    return target


def test_a_manifest_symlinked_out_of_the_rule_folder_is_refused_unread(tmp_path: Path, secret: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from credit_rules.ruleset.loader import load_ruleset

    rules = _rules_copy(tmp_path)
    (rules / "ruleset.yaml").unlink()
    (rules / "ruleset.yaml").symlink_to(secret / "plain.txt")
    with pytest.raises(InputError) as err:
        load_ruleset(rules)
    assert SECRET not in str(err.value)
    assert err.value.problems[0].field == "(symlink)" and "stays inside" in err.value.problems[0].expected
    code, out, text = cli(capsys, "decide", str(EXAMPLE), "--rules", str(rules))
    assert code == 2 and SECRET not in out + text and "Traceback" not in text
    assert "ruleset.yaml" in text and "a link leading outside the tree" in text


def test_a_manifest_that_is_a_fifo_or_a_directory_is_refused_without_opening(tmp_path: Path) -> None:
    import os

    from credit_rules.ruleset.loader import load_ruleset

    rules = _rules_copy(tmp_path)
    (rules / "ruleset.yaml").unlink()
    os.mkfifo(rules / "ruleset.yaml")  # opening it would hang
    with pytest.raises(InputError, match="a regular file"):
        load_ruleset(rules)


# ------------------------------------------------------------------ 2: REF trees follow no symlink out of their root


@pytest.mark.parametrize("name", ["catalogs", "rules", "ruleset.yaml"])
def test_a_ref_whose_top_level_entry_links_out_is_refused(tmp_path: Path, secret: Path, name: str) -> None:
    from credit_rules.regression.refs import from_directory

    ref = tmp_path / "ref"
    ref.mkdir()
    if name == "rules":
        shutil.copytree(ROOT / "catalogs", ref / "catalogs")
    (ref / name).symlink_to(secret / "leak.yaml" if name == "ruleset.yaml" else secret)
    with pytest.raises(InputError) as err:
        from_directory(ref, "ref")
    assert SECRET not in str(err.value)
    assert err.value.problems[0].field == "(symlink)" and str(ref / name) == err.value.problems[0].file


def test_a_ref_catalogs_link_to_etc_is_not_walked(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    ref = tmp_path / "ref"
    ref.mkdir()
    (ref / "catalogs").symlink_to("/etc")
    code, out, err = cli(capsys, "diff", "--base", str(ref), "--head", "shipped", str(ROOT / "tests" / "fixtures"))
    assert code == 2 and "Traceback" not in err
    assert "a link leading outside the tree" in err and "/etc/" not in err


def test_a_ref_link_inside_the_ref_is_still_followed(tmp_path: Path) -> None:
    from credit_rules.regression.refs import from_directory

    ref = tmp_path / "ref"
    ref.mkdir()
    shutil.copytree(ROOT / "catalogs", ref / "real-catalogs")
    (ref / "catalogs").symlink_to(ref / "real-catalogs")
    assert from_directory(ref, "ref").catalogs == (ref / "catalogs",)


def test_rescan_diff_refuses_a_ref_linking_out(tmp_path: Path, secret: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pytest.importorskip("polars")
    ref = tmp_path / "ref"
    ref.mkdir()
    (ref / "catalogs").symlink_to(secret)
    entries = _entries(tmp_path, ["e-1"])
    code, out, err = cli(capsys, "rescan-diff", str(entries), "--out", str(tmp_path / "d.parquet"), "--base", str(ref))
    assert code == 2 and SECRET not in out + err and "a link leading outside the tree" in err


# ------------------------------------------------------------------ 3: a document that is not the expected shape is named by its type

NOT_A_CASE = {
    "note.yaml": "张三丰 电话 138 1234 5678 " + SECRET + "\n",
    "key.yaml": f"-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA{SECRET}\n-----END OPENSSH PRIVATE KEY-----\n",
    "set.yaml": f"!!set {{{SECRET}, other}}\n",
    "number.yaml": "4711\n",
}


@pytest.mark.parametrize("name", sorted(NOT_A_CASE))
def test_a_file_that_is_not_a_case_is_reported_by_its_type(tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str) -> None:
    path = tmp_path / name
    path.write_text(NOT_A_CASE[name], encoding="utf-8")
    for args in (["decide", str(path)], ["info", "decide", str(path)], ["audit", "query", str(path), "--register", str(tmp_path / "q.sqlite")]):
        code, out, err = cli(capsys, *args)
        assert code == 2, (args, err)
        assert SECRET not in out + err and "张三丰" not in err and "4711" not in err, (args, err)
        kind = {"set.yaml": "a set", "number.yaml": "an int"}.get(name, "a str")
        assert f"{name}:1: field '(document)': expected " in err and f"got {kind}" in err, (args, err)
        assert "Input should be" not in err


def test_every_loader_names_the_type_through_problems_from(tmp_path: Path) -> None:
    from credit_rules.cases import load_case, parse_case
    from credit_rules.ruleset.loader import load_ruleset

    note = NOT_A_CASE["note.yaml"]
    with pytest.raises(InputError) as err:
        parse_case(note, "(stdin)")
    assert str(err.value) == "(stdin):1: field '(document)': expected a Case: a mapping (key: value pairs) of its fields, got a str"
    (tmp_path / "c.yaml").write_text(note, encoding="utf-8")
    with pytest.raises(InputError, match="got a str") as err:
        load_case(tmp_path / "c.yaml")
    assert SECRET not in str(err.value)
    rules = _rules_copy(tmp_path)
    (rules / "ruleset.yaml").write_text(note, encoding="utf-8")
    with pytest.raises(InputError) as err:
        load_ruleset(rules)
    assert "got a str" in str(err.value) and SECRET not in str(err.value) and "Manifest" in str(err.value)


def test_an_unknown_fields_value_is_not_echoed(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "env.yaml"
    path.write_text(f"password: {SECRET}\ntoken: [{SECRET}]\n", encoding="utf-8")
    code, _, err = cli(capsys, "decide", str(path))
    assert code == 2 and "field 'password': expected no such field" in err and SECRET not in err


def test_a_set_or_tuple_value_is_named_by_its_type() -> None:
    from pydantic import BaseModel, ValidationError

    from credit_rules.validation import problems_from
    from credit_rules.yamlsource import Located

    class Thing(BaseModel):
        x: int

    for value, kind in (({SECRET, "b"}, "a set"), ((SECRET,), "a tuple"), (frozenset({SECRET}), "a frozenset")):
        with pytest.raises(ValidationError) as exc:
            Thing.model_validate({"x": value})
        (problem,) = problems_from(exc.value, Located({"x": value}, "f.yaml", {}))
        assert problem.got == kind and SECRET not in problem.render()
    with pytest.raises(ValidationError) as exc:
        Thing.model_validate({SECRET, "b"})
    (problem,) = problems_from(exc.value, Located(None, "f.yaml", {}))
    assert problem.got == "a set" and problem.expected == "a Thing: a mapping (key: value pairs) of its fields"


def test_a_field_value_of_the_right_shape_is_still_quoted(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "case.yaml"
    path.write_text(EXAMPLE.read_text(encoding="utf-8").replace("gravity: serious", "gravity: awful"), encoding="utf-8")
    if "awful" not in path.read_text(encoding="utf-8"):
        pytest.skip("the example has no gravity line to damage")
    code, _, err = cli(capsys, "decide", str(path))
    assert code == 2 and "got 'awful'" in err


# ------------------------------------------------------------------ 4: serve's problem documents and bug log


@pytest.fixture
def client(tmp_path: Path):  # type: ignore[no-untyped-def]
    from fastapi.testclient import TestClient

    from .service_support import make_app

    with TestClient(make_app(tmp_path), raise_server_exceptions=False) as c:
        yield c


def test_a_problem_documents_instance_is_masked(client) -> None:  # type: ignore[no-untyped-def]
    r = client.get(f"/decisions/{RID}")
    assert r.status_code in (404, 405)
    doc = r.json()
    assert RID not in r.text and doc["instance"] == f"/decisions/{MASKED_RID}"


def test_an_unknown_key_shaped_like_an_id_is_masked_in_field_and_message(client) -> None:  # type: ignore[no-untyped-def]
    from .service_support import auth, example

    body = json.loads(json.dumps(__import__("yaml").safe_load(example("cases/court_minor_debtor.yaml")), default=str))
    body[RID] = 1
    r = client.post("/decisions", content=json.dumps(body, ensure_ascii=False), headers={**auth("clerk"), "Content-Type": "application/json"})
    assert r.status_code == 422, r.text
    assert RID not in r.text
    fields = [p["field"] for p in r.json()["problems"]]
    assert MASKED_RID in fields


def test_problem_entries_mask_file_field_expected_and_got() -> None:
    from credit_rules.service.problems import entries

    (entry,) = entries([Problem(f"/cases/{RID}.yaml", 3, f"subject.{RID}", f"not {RID}", RID)])
    for text in (entry.file, entry.field, entry.expected, entry.got, entry.message):
        assert text is not None and RID not in text and MASKED_RID in text


def test_the_bug_log_masks_the_request_path(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    import asyncio

    from starlette.requests import Request

    from .service_support import make_app

    app = make_app(tmp_path)
    handler = app.exception_handlers[Exception]
    scope = {"type": "http", "method": "GET", "path": f"/catalog/standards/{RID}", "raw_path": f"/catalog/standards/{RID}".encode(),
             "headers": [], "query_string": b"", "server": ("test", 80), "scheme": "http", "root_path": ""}
    with caplog.at_level(logging.ERROR, logger="credit_rules.service"):
        response = asyncio.run(handler(Request(scope), RuntimeError(f"bug while showing {RID}")))
    body = bytes(response.body).decode("utf-8")
    assert response.status_code == 500 and RID not in body and json.loads(body)["instance"] == f"/catalog/standards/{MASKED_RID}"
    logged = "\n".join(rec.getMessage() for rec in caplog.records)
    assert "internal error RuntimeError" in logged and RID not in logged and MASKED_RID in logged


def test_a_bug_under_a_path_holding_an_id_answers_without_it(client, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    from credit_rules.service import routes_catalog

    from .service_support import auth

    def boom(*args: object, **kwargs: object) -> object:
        raise RuntimeError(f"bug while showing {RID}")

    monkeypatch.setattr(routes_catalog, "show", boom)
    r = client.get(f"/catalog/standards/{RID}", headers=auth("reader"))
    assert r.status_code == 500 and RID not in r.text and r.json()["instance"] == f"/catalog/standards/{MASKED_RID}"


# ------------------------------------------------------------------ 5: rescan and rescan-diff mask case_id

IDS = [RID, f"p-{RID}", f"ID{RID}abc", "110101 19900307 4514", "１１０１０１１９９００３０７４５１４", "13812345678", "E-000042", "ok-1"]


def _entries(tmp_path: Path, ids: list[str]) -> Path:
    from credit_rules.cases import load_case
    from credit_rules.columnar.entries import frame_of, from_case

    row = from_case(load_case(EXAMPLE))
    path = tmp_path / "entries.parquet"
    frame_of([{**row, "case_id": i} for i in ids]).write_parquet(path)
    return path


def test_masked_is_scrub_text_column_wise() -> None:
    pl = pytest.importorskip("polars")
    from credit_rules.columnar.rescan import masked

    frame = pl.DataFrame({"case_id": [*IDS, None], "outcome": ["x"] * (len(IDS) + 1)})
    got = masked(frame, None)["case_id"].to_list()
    assert got == [*(scrub_text(i) for i in IDS), None]
    # the values polars masks itself (exactly a resident ID, valid or not) and those scrub_text masks, mixed
    plain = ["11010119900307451x", "110101199003074515", "110101900307451", "1101011990030745", "11010119900307451X ", " 110101199003074514"]
    mixed = pl.DataFrame({"case_id": [*plain, *IDS]})
    assert masked(mixed, None)["case_id"].to_list() == [scrub_text(i) for i in [*plain, *IDS]]
    assert RID not in "".join(v for v in got if v)
    assert masked(frame, "law 1")["case_id"].to_list() == [*IDS, None]


def test_rescan_masks_case_id_unless_a_disclosure_basis(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pl = pytest.importorskip("polars")
    entries = _entries(tmp_path, IDS)
    out = tmp_path / "out.parquet"
    code, _, err = cli(capsys, "rescan", str(entries), "--out", str(out))
    assert code == 0, err
    shown = pl.read_parquet(out)["case_id"].to_list()
    assert shown == [scrub_text(i) for i in IDS] and RID not in "".join(shown)
    # the same ids as decide --batch --compact shows them
    batch = tmp_path / "b.jsonl"
    case = json.loads(json.dumps(__import__("yaml").safe_load(EXAMPLE.read_text(encoding="utf-8")), default=str))
    batch.write_text("".join(json.dumps({**case, "case_id": i}, ensure_ascii=False) + "\n" for i in IDS), encoding="utf-8")
    cli(capsys, "decide", "--batch", str(batch), "--compact", "--out", str(tmp_path / "c.jsonl"))
    compact = [json.loads(line)["case_id"] for line in (tmp_path / "c.jsonl").read_text(encoding="utf-8").splitlines()]
    assert compact == shown
    code, _, err = cli(capsys, "rescan", str(entries), "--out", str(out), "--disclosure-basis", "法律依据")
    assert code == 0, err
    assert pl.read_parquet(out)["case_id"].to_list() == IDS


def test_rescan_diff_masks_case_id_unless_a_disclosure_basis(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pl = pytest.importorskip("polars")
    entries = _entries(tmp_path, IDS)
    out = tmp_path / "d.parquet"
    args = ["rescan-diff", str(entries), "--out", str(out), "--base-on", "2019-01-01", "--head-on", "2026-06-01"]
    code, _, err = cli(capsys, *args)
    assert code == 1, err
    shown = pl.read_parquet(out)["case_id"].to_list()
    assert shown == [scrub_text(i) for i in IDS] and RID not in "".join(shown)
    code, _, err = cli(capsys, *args, "--disclosure-basis", "法律依据")
    assert code == 1, err
    assert pl.read_parquet(out)["case_id"].to_list() == IDS


# ------------------------------------------------------------------ 6: explain --index out of range


@pytest.mark.parametrize("index", ["99", "-1", "2"])
def test_explain_an_index_no_batch_line_has_is_a_located_error(tmp_path: Path, capsys: pytest.CaptureFixture[str], index: str) -> None:
    case = json.loads(json.dumps(__import__("yaml").safe_load(EXAMPLE.read_text(encoding="utf-8")), default=str))
    cases = tmp_path / "cases.jsonl"
    cases.write_text(json.dumps(case, ensure_ascii=False) + "\n" + json.dumps(case, ensure_ascii=False) + "\n", encoding="utf-8")
    records = tmp_path / "records.jsonl"
    code, _, err = cli(capsys, "decide", "--batch", str(cases), "--compact", "--out", str(records))
    assert code == 0, err
    code, out, err = cli(capsys, "explain", str(records), "--cases", str(cases), "--index", index)
    assert code == 2 and out == "" and "Traceback" not in err
    assert f"{records}: field '--index': expected the index of a batch line in the records (2 lines, indexes 0 to 1), got {index}" in err


def test_explain_index_with_single_records_is_a_located_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    record = tmp_path / "one.jsonl"
    code, out, err = cli(capsys, "decide", str(EXAMPLE), "--compact")
    assert code == 0, err
    record.write_text(out, encoding="utf-8")
    code, out, err = cli(capsys, "explain", str(record), "--case", str(EXAMPLE), "--index", "0")
    assert code == 2 and out == "" and "--index only with records of 'decide --batch --compact'" in err
