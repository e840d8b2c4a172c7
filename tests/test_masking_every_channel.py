"""Issue 15 item 3: a valid resident ID planted in any string field of any input never reaches an output.

Every string leaf of a case, an information request and a query is replaced,
one at a time, by a valid resident ID (GB 11643 check digit computed with
``credit_rules.identifiers``) written plainly, glued to letters, spaced, or
followed by Chinese text; fixture names and file names carry it too.  Each
variant goes through every command that reads that input kind, and every
channel — stdout in text and JSON, stderr (errors, warnings), JUnit XML, the
four ``diff`` formats on stdout and in ``--output`` files, ``audit show`` —
is searched for the ID, with separators removed so a spaced form is caught.

The register *file* keeps the subject's identifier in clear by design (the
record reviewers need; docs/security.md); what it shows is what is checked.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from copy import deepcopy
from pathlib import Path
from typing import Any

import pytest
import yaml

from credit_rules.cli import main
from credit_rules.identifiers import resident_id_check_char
from credit_rules.masking import scrub_json, scrub_text

from .conftest import FIXTURES, ROOT

_FIRST17 = "45040219870615123"
ID = _FIRST17 + resident_id_check_char(_FIRST17)
MASKED = scrub_text(ID)
SECRET_PART = ID[3:16]  # what masking hides: the rest of the region, the birth date, the sequence number
STYLES = (ID, f"ID{ID}", f"{ID[:6]} {ID[6:14]} {ID[14:]}", f"{ID}号", f"x-{ID[:3]}-{ID[3:]}", f"A{ID}b")

CASES = [FIXTURES / "base" / "natural_person.yaml", FIXTURES / "base" / "samr_listing.yaml", FIXTURES / "base" / "repair_penalty.yaml"]
REQUESTS = [ROOT / "examples" / "information" / "wuzhou_person_penalty_request.yaml", ROOT / "examples" / "information" / "wuzhou_company_share_request.yaml"]
QUERIES = [ROOT / "examples" / "information" / "bank_query.yaml", ROOT / "tests" / "fixtures_information" / "base" / "query_gov.yaml"]


def leaks(text: str) -> bool:
    """True when *text* shows the planted ID, in any spelling (separators dropped before searching)."""
    compact = re.sub(r"[\s\-_.,/\u00a0\u3000]", "", text)
    return SECRET_PART in compact


def assert_clean(text: str, where: str) -> None:
    assert not leaks(text), f"{where} shows the planted resident ID:\n{text[:3000]}"


def string_paths(data: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    if isinstance(data, dict):
        for k, v in data.items():
            yield from string_paths(v, (*path, k))
    elif isinstance(data, list):
        for i, v in enumerate(data):
            yield from string_paths(v, (*path, i))
    elif isinstance(data, str):
        yield path


def planted(data: Any, path: tuple[Any, ...], value: str) -> Any:
    out = deepcopy(data)
    node = out
    for step in path[:-1]:
        node = node[step]
    node[path[-1]] = value
    return out


def variants(file: Path) -> list[tuple[str, Any]]:
    data = yaml.safe_load(file.read_text(encoding="utf-8"))
    out = []
    for n, path in enumerate(string_paths(data)):
        label = ".".join(str(p) for p in path)
        out.append((label, planted(data, path, STYLES[n % len(STYLES)])))
    return out


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    return code, out + err


def dump(path: Path, data: Any) -> Path:
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


# ------------------------------------------------------------------ the scrubber itself


@pytest.mark.parametrize("style", STYLES)
def test_the_scrubber_finds_every_spelling(style: str) -> None:
    assert not leaks(scrub_text(f"before {style} after"))
    assert not leaks(json.dumps(scrub_json({style: [style, {"k": style}]}), ensure_ascii=False))


def test_the_scrubber_leaves_a_uscc_alone() -> None:
    assert scrub_text("USCC 91350100M000100Y43 ok") == "USCC 91350100M000100Y43 ok"


# ------------------------------------------------------------------ cases: decide, batch, test (+ JUnit), diff


def test_a_planted_id_in_any_case_field_never_reaches_decide_output(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    lines = []
    for base in CASES:
        for label, data in variants(base):
            case = dump(tmp_path / "case.yaml", data)
            for fmt in ("text", "json"):
                _, text = run(capsys, "decide", str(case), "--format", fmt)
                assert_clean(text, f"decide --format {fmt} with {label} of {base.name}")
            lines.append(json.dumps(data, ensure_ascii=False, default=str))
    batch = tmp_path / "cases.jsonl"
    batch.write_text("\n".join(lines) + "\n", encoding="utf-8")
    _, text = run(capsys, "decide", "--batch", str(batch))
    assert_clean(text, "decide --batch")


@pytest.fixture
def suite(tmp_path: Path) -> Path:
    """Fixture suites whose file names, fixture names, cases and expectations all carry the ID."""
    root = tmp_path / f"suite-{ID}"
    root.mkdir()
    base_file = dump(root / f"base_{ID}.yaml", yaml.safe_load(CASES[0].read_text(encoding="utf-8")))
    for n, base in enumerate(CASES):
        # one file per variant, so that a variant the engine rejects does not hide the ones it decides
        for i, (label, data) in enumerate(variants(base)):
            style = STYLES[i % len(STYLES)]
            expect = {"fields": {"case_id": ID, "subject.identifier": style}, "listing": {"outcome": style}}
            dump(root / f"v{n}_{i}_{style}.case.yaml", {"name": f"{label} {style}", "case": data, "expect": expect})
        # a decision masks a case_id shaped like a resident ID (as every channel does): the plain one matches its masked form
        cases = [{"name": f"{ID} {k}", "base": base_file.name, "patch": {"case_id": STYLES[k]}, "expect": {"fields": {"case_id": MASKED}}} for k in range(2)]
        dump(root / f"s{n}_{ID}.case.yaml", {"name": f"suite {ID}", "cases": cases})
    dump(root / f"based_{ID}.case.yaml", {"name": f"based {ID}", "base": base_file.name, "patch": {"case_id": ID}, "expect": {"listing": {"outcome": ID}}})
    dump(root / f"missing_{ID}.case.yaml", {"name": f"missing {ID}", "base": f"nowhere_{ID}.yaml", "expect": {}})
    (root / f"broken_{ID}.case.yaml").write_text(f"name: [{ID}\n", encoding="utf-8")
    return root


def test_a_planted_id_never_reaches_test_output_or_junit(suite: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    junit = tmp_path / "junit.xml"
    code, text = run(capsys, "test", str(suite), "--junit-xml", str(junit), "--coverage")
    assert code == 2 and re.search(r"[1-9]\d* passed, [1-9]\d* failed, [1-9]\d* errors", text), text[-500:]
    assert_clean(text, "credit-rules test")
    assert_clean(junit.read_text(encoding="utf-8"), "--junit-xml")


@pytest.mark.parametrize("fmt", ["text", "markdown", "html", "json"])
def test_a_planted_id_never_reaches_any_diff_format(suite: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], fmt: str) -> None:
    out_file = tmp_path / f"diff.{fmt}"
    _, text = run(capsys, "diff", str(suite), "--base", "shipped@2026-03-31", "--head", "shipped", "--format", fmt)
    assert_clean(text, f"diff --format {fmt}")
    if fmt == "text":
        assert re.search(r"[1-9]\d* fixtures decided both ways, [1-9]\d* changed, [1-9]\d* errors", text), text[:300]
    run(capsys, "diff", str(suite), "--base", "shipped@2026-03-31", "--head", "shipped", "--format", fmt, "--output", str(out_file))
    assert_clean(out_file.read_text(encoding="utf-8"), f"diff --format {fmt} --output")


# ------------------------------------------------------------------ information requests


def test_a_planted_id_in_any_request_field_never_reaches_info_output(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for base in REQUESTS:
        for label, data in variants(base):
            request = dump(tmp_path / "request.yaml", data)
            for fmt in ("text", "json"):
                _, text = run(capsys, "info", "decide", str(request), "--format", fmt)
                assert_clean(text, f"info decide --format {fmt} with {label} of {base.name}")


# ------------------------------------------------------------------ queries and the register


def test_a_planted_id_in_any_query_field_never_reaches_audit_output(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    register = tmp_path / "register.sqlite"
    for base in QUERIES:
        for label, data in variants(base):
            query = dump(tmp_path / "query.yaml", data)
            for fmt in ("text", "json"):
                _, text = run(capsys, "audit", "query", str(query), "--register", str(register), "--format", fmt)
                assert_clean(text, f"audit query --format {fmt} with {label} of {base.name}")
    for fmt in ("text", "json"):
        code, text = run(capsys, "audit", "show", str(register), "--format", fmt)
        assert code == 0 and text.count("\n") > 5
        assert_clean(text, f"audit show --format {fmt}")
    code, text = run(capsys, "audit", "verify", str(register))
    assert code == 0
    assert_clean(text, "audit verify")


def test_the_published_record_masks_an_id_in_its_document_number(tmp_path: Path) -> None:
    """The record meant for a public website is desensitised in the Python API too, not only on the CLI."""
    from credit_rules import Engine
    from credit_rules.information.decide import decide_information
    from credit_rules.information.loading import load_request

    data = yaml.safe_load(REQUESTS[0].read_text(encoding="utf-8"))
    data["item"]["document_number"] = f"梧市监处罚〔2023〕{ID}号"
    request, _ = load_request(dump(tmp_path / "request.yaml", data))
    record = decide_information(Engine.load(), request).published_record
    assert record is not None and record.document_number is not None
    assert record.document_number.startswith("梧市监处罚〔2023〕450")
    assert_clean(record.model_dump_json(), "the published record")
