"""Issue 15 item 11: research notes are data for maintainers and never reach a user.

Catalog entries, catalog files, rules and definitions keep research remarks (dossier sections, source ids like
A19/S43, "条号未见") in a ``notes`` list (each ``"<field>: <remark>"``); nested sources, criteria, tiers and periods
may carry an older single ``note``.  Both are maintainer text: the models exclude them from every dump, and only
``credit-rules catalog show --notes`` prints them.

This test collects every note string of the shipped catalogs and rules (and of the example ministry suite's
layers), produces what users read — ``decide`` text (zh, en) and JSON on every example, ``info decide`` on the
information examples, ``catalog list`` and ``catalog show`` of every id of every kind (text and JSON), the
fixture runner's text and JUnit reports, ``diff`` in every format, and the service's decision and catalog
responses — and asserts that no note appears in any of it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from fastapi.testclient import TestClient

from credit_rules import Engine, load_case
from credit_rules.browse import KINDS, Scope, list_rows, maintainer_notes_of, show
from credit_rules.catalog.store import load_catalogs
from credit_rules.cli import main
from credit_rules.mutation.operators import mutants
from credit_rules.render import render_text
from credit_rules.shipped import shipped_catalogs_dir
from credit_rules.yamlsource import load_file

from .conftest import ROOT, TESTS
from .service_support import auth, example, make_app

TREES = (ROOT / "catalogs", ROOT / "rules", ROOT / "examples" / "ministry_suite")
SUITE = ROOT / "examples" / "ministry_suite"


def _notes_in(data: Any) -> Iterator[str]:
    if isinstance(data, dict):
        for key, value in data.items():
            if key == "note" and isinstance(value, str):
                yield value
            elif key == "notes" and isinstance(value, list):
                yield from (str(v) for v in value)
            else:
                yield from _notes_in(value)
    elif isinstance(data, list):
        for value in data:
            yield from _notes_in(value)


def _data_strings(data: Any) -> Iterator[str]:
    """Every text of the data that is not a note (what users may legitimately be shown)."""
    if isinstance(data, dict):
        for key, value in data.items():
            if key not in ("note", "notes"):
                yield from _data_strings(value)
    elif isinstance(data, list):
        for value in data:
            yield from _data_strings(value)
    elif isinstance(data, str):
        yield data


def _shipped_notes() -> list[str]:
    found: set[str] = set()
    data: list[str] = []
    for tree in TREES:
        for path in sorted(tree.rglob("*.yaml")):
            content = yaml.safe_load(path.read_text(encoding="utf-8"))
            data += _data_strings(content)
            for note in _notes_in(content):
                found.add(note)
                # an entry note is "<field>: <remark>": the remark alone must not leak either
                field, sep, remark = note.partition(": ")
                if sep and re.fullmatch(r"[\w.\[\]()-]+", field):
                    found.add(remark)
    # a remark that is word for word also a text of the data itself (a removal condition saying "（期限未核实）")
    # cannot tell a leak from the data: it is left out of the search, not the data changed
    shown = "\x00".join(data)
    return sorted(n.strip() for n in found if len(n.strip()) >= 4 and n.strip() not in shown)


NOTES = _shipped_notes()
_FLAT = [(n, " ".join(n.split())) for n in NOTES]


def _leaks(text: str) -> list[str]:
    """The notes found in *text*, also when a renderer re-wrapped their lines."""
    flat = " ".join(text.split())
    return [n for n, f in _FLAT if f in flat]


def test_the_shipped_data_has_notes_to_look_for() -> None:
    """The search below means something: the catalogs and rules hold the research notes moved out of comments."""
    assert len(NOTES) > 200
    assert "(单一公示期; A19/S43)" in NOTES and "criteria[major_accident].article: （条号未见）" in NOTES


def test_no_research_comment_is_left_in_catalogs_or_rules() -> None:
    """Research remarks are data (``notes``), not YAML comments that no tool, API or reviewer can see."""
    left = [
        f"{path.relative_to(ROOT)}:{n}"
        for tree in (ROOT / "catalogs", ROOT / "rules")
        for path in sorted(tree.rglob("*.yaml"))
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if re.search(r"#\s*research\b", line)
    ]
    assert not left, left[:10]


def _cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out + err


def test_decide_text_and_json_on_every_example_show_no_note(capsys: pytest.CaptureFixture[str]) -> None:
    """Every example through the renderers ``decide`` uses, and the first through the command itself."""
    cases = sorted((ROOT / "examples" / "cases").glob("*.yaml")) + sorted((ROOT / "examples" / "regimes").glob("*.yaml"))
    assert cases
    engine = Engine.load()
    for case in cases:
        decision = engine.decide(load_case(case))
        for out in (render_text(decision, "zh"), render_text(decision, "en"), decision.to_json()):
            assert not _leaks(out), (case.name, _leaks(out)[:3])
    for args in (("--lang", "zh"), ("--lang", "en"), ("--format", "json")):
        code, out = _cli(capsys, "decide", str(cases[0]), *args)
        assert code in (0, 1), out
        assert not _leaks(out), (cases[0].name, args, _leaks(out)[:3])


def test_information_decisions_show_no_note(capsys: pytest.CaptureFixture[str]) -> None:
    requests = [p for p in sorted((ROOT / "examples" / "information").glob("*.yaml")) if "query" not in p.name]
    assert requests
    for request in requests:
        for args in (("--lang", "zh"), ("--lang", "en"), ("--format", "json")):
            code, out = _cli(capsys, "info", "decide", str(request), *args)
            assert code in (0, 1), out
            assert not _leaks(out), (request.name, args, _leaks(out)[:3])
    code, out = _cli(capsys, "info", "catalog", "--on", "2024-06-01", "--format", "json")
    assert code == 0 and not _leaks(out)


def test_catalog_list_and_show_of_every_id_of_every_kind_show_no_note(capsys: pytest.CaptureFixture[str]) -> None:
    """Every entry, as ``catalog show`` prints it (the command's own text tree and JSON), and one CLI run per kind."""
    from credit_rules.commands.catalog import _tree

    cats = load_catalogs([shipped_catalogs_dir()])
    scope = Scope()
    shown = 0
    for kind in KINDS:
        rows = list_rows(kind, cats, scope)
        assert not _leaks(json.dumps(rows, ensure_ascii=False)), kind
        for ident in sorted({r["id"] for r in rows}):
            found = show(kind, ident, cats, scope)
            text = "\n".join("\n".join(_tree(entry)) for entry in found) + json.dumps(found, ensure_ascii=False)
            assert not _leaks(text), (kind, ident, _leaks(text)[:3])
            shown += 1
        ident = rows[0]["id"]
        for args in ((), ("--format", "json"), ("--lang", "en")):
            code, out = _cli(capsys, "catalog", "show", kind, str(ident), *args)
            assert code == 0 and not _leaks(out), (kind, ident, args)
        code, out = _cli(capsys, "catalog", "list", kind)
        assert code == 0 and not _leaks(out), kind
    assert shown > 100


def test_catalog_show_notes_prints_them_for_maintainers(capsys: pytest.CaptureFixture[str]) -> None:
    code, out = _cli(capsys, "catalog", "show", "regimes", "ndrc_order_58", "--notes")
    assert code == 0
    assert "tiers[0]: (单一公示期; A19/S43)" in out and "transition.citation: 58号's transition article not read" in out
    assert "source: periods disputed; see the tier note" in out  # the nested source's own note, with its field
    code, out = _cli(capsys, "catalog", "show", "standards", "work_safety_serious_dishonesty_list", "--notes", "--format", "json")
    notes = json.loads(out)["notes"]
    assert "criteria[major_accident].article: （条号未见）" in notes


def test_catalog_show_notes_walks_every_note_written() -> None:
    """What ``--notes`` walks (the loaded models) holds every note written in the files: none lost in loading."""
    cats = load_catalogs([shipped_catalogs_dir()])
    walked = {n for f in cats.files for e in (f.envelope, *f.entries) for n in maintainer_notes_of(e)}
    remarks = walked | {n.partition(": ")[2] for n in walked}
    written = {n for path in (ROOT / "catalogs").rglob("*.yaml") for n in _notes_in(yaml.safe_load(path.read_text(encoding="utf-8")))}
    calendar = {n for path in (ROOT / "catalogs").rglob("calendar/*.yaml") for n in _notes_in(yaml.safe_load(path.read_text(encoding="utf-8")))}
    assert not written - calendar - remarks, sorted(written - calendar - remarks)[:5]


def test_fixture_reports_text_and_junit_show_no_note(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    junit = tmp_path / "report.xml"
    for suite, layer in (
        ((TESTS / "fixtures" / "regimes", TESTS / "fixtures" / "repair"), TESTS / "catalogs"),
        ((TESTS / "fixtures_information",), TESTS / "fixtures_information" / "catalogs"),
    ):
        code, out = _cli(capsys, "test", *map(str, suite), "--catalogs", "shipped", "--catalogs", str(layer), "--junit-xml", str(junit))
        assert code == 0, out[-2000:]
        assert not _leaks(out) and not _leaks(junit.read_text(encoding="utf-8"))
    # the example suite against its draft amendment: failures, with their explanations, in both reports
    code, out = _cli(
        capsys, "test", str(SUITE / "fixtures"), "--catalogs", "shipped", "--catalogs", str(SUITE / "state-2026" / "catalogs"),
        "--fixture-root", str(SUITE), "--junit-xml", str(junit),
    )
    assert code != 0 and "FAILED" in out, out[-2000:]
    assert not _leaks(out) and not _leaks(junit.read_text(encoding="utf-8"))


@pytest.mark.parametrize("fmt", ["text", "markdown", "html", "json"])
def test_diff_reports_show_no_note(capsys: pytest.CaptureFixture[str], fmt: str) -> None:
    code, out = _cli(
        capsys, "diff", str(SUITE / "fixtures"), "--base", str(SUITE / "state-2025"), "--head", str(SUITE / "state-2026"),
        "--catalogs", "shipped", "--fixture-root", str(SUITE), "--format", fmt,
    )
    assert code == 1, out[-2000:]
    assert not _leaks(out), _leaks(out)[:3]


def test_service_decisions_and_catalog_responses_show_no_note(tmp_path: Path) -> None:
    with TestClient(make_app(tmp_path)) as client:
        r = client.post("/decisions", content=example("cases/wuzhou_penalty_repair.yaml"), headers=auth("clerk"))
        assert r.status_code == 200, r.text
        assert not _leaks(r.text)
        for path in ("/catalog/regimes/ndrc_order_58", "/catalog/standards/work_safety_serious_dishonesty_list", "/catalog/regimes"):
            r = client.get(path, headers=auth("reader"))
            assert r.status_code == 200, r.text
            assert not _leaks(r.text), (path, _leaks(r.text)[:3])


def test_mutation_never_changes_notes() -> None:
    """A note is not law: no mutant of a catalog or rule file touches a ``note`` or ``notes`` value."""
    touched = [
        m.where
        for area in ("catalogs", "rules")
        for path in sorted((ROOT / area).rglob("*.yaml"))
        for m in mutants(load_file(path), area)
        if any(p in ("note", "notes") for p in m.path)
    ]
    assert not touched, touched[:5]


@pytest.mark.parametrize("schema", sorted((ROOT / "docs" / "schemas").glob("catalog-*-entry.schema.json")) + [
    ROOT / "docs" / "schemas" / "catalog-envelope.schema.json", ROOT / "docs" / "schemas" / "rule.schema.json",
], ids=lambda p: p.name)
def test_the_json_schemas_describe_notes(schema: Path) -> None:
    doc = json.loads(schema.read_text(encoding="utf-8"))
    notes = doc["properties"]["notes"]
    assert notes["type"] == "array" and notes["items"] == {"type": "string"}
    assert "maintainers only" in notes["description"]
