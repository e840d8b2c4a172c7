"""No output path of the CLI shows a natural person's name or identifier from its input.

Every command runs over every input the project ships or tests with: the
example cases, every case fixture (materialised from its base and patch), the
information and query fixtures, the information examples; ``decide``,
``lint``, ``info decide``, ``info catalog``, ``audit query``, ``audit show``,
``audit verify`` and ``schema``, in JSON and in both text languages.  The
personal values of the inputs — natural persons' names (subjects and
responsible persons), resident ID numbers, phone numbers, addresses and bank
accounts — must not appear in any stdout or stderr.  A positive control
(``--disclosure-basis``) shows the grep would catch a leak.

``Engine.load`` is memoised here so that ~400 command runs take seconds; the
loading itself is covered by tests/test_cli.py.
"""

from __future__ import annotations

import contextlib
import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from credit_rules.cli import main
from credit_rules.engine.decide import Engine
from credit_rules.fixtures import find_fixtures, load_fixtures
from credit_rules.information.fixtures import find_info_fixtures, load_info_fixture
from credit_rules.shipped import shipped_catalogs_dir
from credit_rules.yamlsource import load_file

from .conftest import FIXTURES, ROOT, TEST_CATALOGS

INFO_FIXTURES = ROOT / "tests" / "fixtures_information"
INFO_CATALOGS = INFO_FIXTURES / "catalogs"
PERSONAL_KEYS = ("resident_id", "phone", "address", "bank_account")


def personal_values(data: Any) -> set[str]:
    """Names of natural persons and every personal detail anywhere in an input document."""
    found: set[str] = set()
    if isinstance(data, dict):
        if data.get("kind") == "natural_person" and isinstance(data.get("name"), str):
            found.add(data["name"])
        if "role" in data and "resident_id" in data and isinstance(data.get("name"), str):
            found.add(data["name"])  # a responsible person
        for key in PERSONAL_KEYS:
            if isinstance(data.get(key), str):
                found.add(data[key])
        for value in data.values():
            found |= personal_values(value)
        for person in data.get("responsible_persons") or []:
            if isinstance(person, dict) and isinstance(person.get("name"), str):
                found.add(person["name"])
    elif isinstance(data, list):
        for value in data:
            found |= personal_values(value)
    return found


def run_cli(*args: str) -> tuple[int, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(args))
    return code, out.getvalue() + err.getvalue()


@pytest.fixture
def memoised_load(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    cache: dict[tuple[object, ...], Engine] = {}
    real = Engine.load.__func__  # type: ignore[attr-defined]

    def load(cls: type[Engine], catalogs: Any = None, rules: Any = None, *, backend: str = "python") -> Engine:
        key = (tuple(map(str, catalogs)) if isinstance(catalogs, list) else catalogs, rules, backend)
        if key not in cache:
            cache[key] = real(cls, catalogs, rules, backend=backend)
        return cache[key]

    monkeypatch.setattr(Engine, "load", classmethod(load))
    yield


def _dump(tmp: Path, name: str, data: Any) -> Path:
    path = tmp / name
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def case_inputs(tmp: Path) -> list[Path]:
    """Example cases, base cases, and every case fixture written out as a plain case file."""
    paths = sorted((ROOT / "examples" / "cases").glob("*.yaml")) + sorted((FIXTURES / "base").glob("*.yaml"))
    for i, fx_path in enumerate(find_fixtures(FIXTURES)):
        fx = load_fixtures(fx_path)[0]  # a suite file's cases share their subjects: its first case stands for them
        data = fx.case.model_dump(mode="json", exclude_none=True)
        if fx.as_of is not None:
            data["as_of"] = fx.as_of.isoformat()
        paths.append(_dump(tmp, f"case_{i:03}.yaml", data))
    return paths


def info_inputs(tmp: Path) -> tuple[list[Path], list[Path]]:
    requests = sorted((ROOT / "examples" / "information").glob("*request*.yaml"))
    queries = sorted((ROOT / "examples" / "information").glob("*query*.yaml"))
    for i, path in enumerate(find_info_fixtures(INFO_FIXTURES)):
        fx = load_info_fixture(path)
        if fx.query is not None:
            queries.append(_dump(tmp, f"query_{i:03}.yaml", fx.query.model_dump(mode="json", exclude_none=True)))
        elif fx.request is not None:
            requests.append(_dump(tmp, f"request_{i:03}.yaml", fx.request.model_dump(mode="json", exclude_none=True)))
    return requests, queries


def test_no_cli_output_shows_an_unmasked_personal_value(tmp_path: Path, memoised_load: None) -> None:
    cases = case_inputs(tmp_path)
    requests, queries = info_inputs(tmp_path)
    assert len(cases) > 60 and len(requests) > 20 and len(queries) > 5
    secrets: set[str] = set()
    for path in [*cases, *requests, *queries]:
        secrets |= personal_values(load_file(path).data)
    assert len(secrets) >= 8, secrets
    case_cats = ["--catalogs", str(shipped_catalogs_dir()), "--catalogs", str(TEST_CATALOGS)]
    info_cats = ["--catalogs", str(shipped_catalogs_dir()), "--catalogs", str(INFO_CATALOGS)]
    outputs: list[tuple[str, str]] = []

    def record(*args: str) -> None:
        code, text = run_cli(*args)
        assert code in (0, 1), f"{args}: exit {code}\n{text}"
        outputs.append((" ".join(args), text))

    for path in cases:
        record("decide", str(path), "--format", "json", *case_cats)
        record("decide", str(path), "--format", "text", "--lang", "zh", *case_cats)
        record("decide", str(path), "--format", "text", "--lang", "en", *case_cats)
        record("lint", str(path), *case_cats)  # ids are checked against the catalogs the case needs
    for path in requests:
        record("info", "decide", str(path), "--format", "json", *info_cats)
        record("info", "decide", str(path), "--format", "text", "--lang", "zh", *info_cats)
        record("info", "decide", str(path), "--format", "text", "--lang", "en", *info_cats)
    register = tmp_path / "queries.sqlite"
    for path in queries:
        record("audit", "query", str(path), "--register", str(register), "--format", "json", *info_cats)
        record("audit", "query", str(path), "--register", str(register), "--format", "text", *info_cats)
    record("audit", "show", str(register))
    record("audit", "show", str(register), "--format", "json")
    record("audit", "verify", str(register))
    record("info", "catalog", "--on", "2023-10-13", "--jurisdiction", "450400")
    record("schema", "--out", str(tmp_path / "schemas"))

    leaks = [(cmd, s) for cmd, text in outputs for s in secrets if s in text]
    assert not leaks, "unmasked personal values in CLI output:\n" + "\n".join(f"{s!r} in: {cmd}" for cmd, s in leaks[:20])

    # positive control: with a disclosure basis the grep does find the values
    person_case = next(p for p in cases if "natural_person" in p.read_text(encoding="utf-8"))
    code, text = run_cli("decide", str(person_case), "--disclosure-basis", "test", *case_cats)
    assert code == 0 and any(s in text for s in personal_values(load_file(person_case).data))


def test_info_and_audit_error_messages_mask_a_rejected_resident_id(tmp_path: Path) -> None:
    """A resident ID that fails its check digit is still personal data; the located error masks it."""
    bad = "450402197809301512"  # check digit should be 1
    request = (ROOT / "tests" / "fixtures_information" / "base" / "person_penalty.yaml").read_text(encoding="utf-8")
    path = tmp_path / "bad_request.yaml"
    path.write_text(request.replace("450402197809301511", bad), encoding="utf-8")
    code, text = run_cli("info", "decide", str(path))
    assert code == 2
    assert f"{path}:9: field 'subject.resident_id'" in text
    assert bad not in text and "450*************12" in text
    query = (ROOT / "tests" / "fixtures_information" / "base" / "query_bank_person.yaml").read_text(encoding="utf-8")
    qpath = tmp_path / "bad_query.yaml"
    qpath.write_text(query.replace("450421199511110040", "450421199511110041"), encoding="utf-8")
    code, text = run_cli("audit", "query", str(qpath), "--register", str(tmp_path / "r.sqlite"))
    assert code == 2 and "450421199511110041" not in text and "subject.resident_id" in text


def test_decide_error_messages_mask_a_rejected_resident_id() -> None:
    path = ROOT / "tests" / "bad_inputs" / "bad_resident_id.yaml"
    code, text = run_cli("decide", str(path))
    assert code == 2
    assert "450404198503150034" not in text
