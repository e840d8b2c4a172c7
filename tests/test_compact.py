"""Compact decisions (issue #14 item 4): ``explain`` gives back exactly the decision ``decide`` prints.

Every example and every fixture is decided in compact form, the record goes
through its JSON line, and ``explain`` turns it back into the full traced
decision; its JSON must be byte-identical to a plain ``decide``.  A record
that does not match its case, rules or outcome is refused with a located
error, never explained into something else.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from credit_rules import Engine
from credit_rules.engine.batch import decide_many_json
from credit_rules.engine.compact import CompactDecision, CompactItem, decide_compact, explain
from credit_rules.errors import InputError
from credit_rules.model.case import Case
from credit_rules.yamlsource import load_file

from .conftest import ROOT, all_fixtures

EXAMPLES = sorted((ROOT / "examples" / "cases").glob("*.yaml"))


def _round_trip(engine: Engine, case: Case, as_of: object = None) -> None:
    record = decide_compact(engine, case, as_of)  # type: ignore[arg-type]
    line = record.to_json_line()
    assert "\n" not in line and "trace" not in json.loads(line)
    back = CompactDecision.model_validate_json(line)
    assert back == record
    assert explain(engine, back, case).to_json() == engine.decide(case, as_of, check_ids=False).to_json()  # type: ignore[arg-type]


def test_every_example_and_fixture_explains_to_the_same_bytes(engine: Engine) -> None:
    for path in EXAMPLES:
        _round_trip(engine, Case.model_validate(load_file(path).data))
    for fx in all_fixtures():
        _round_trip(engine, fx.case, fx.as_of)


def test_a_record_reads_the_facts_and_states_the_outcomes(engine: Engine) -> None:
    case = Case.model_validate(load_file(ROOT / "examples" / "cases" / "court_minor_debtor.yaml").data)
    full = engine.decide(case)
    record = decide_compact(engine, case)
    assert record.listing is not None and full.listing is not None
    assert (record.listing.outcome, record.listing.reasons, record.listing.fired) == (full.listing.outcome.value, full.listing.reasons, full.listing.fired)
    assert record.facts["determination"]["act.date"] == "2023-09-01"
    assert record.ruleset_hash == full.ruleset_hash and record.catalogs_hash == full.catalogs_hash


def test_a_record_that_does_not_match_is_refused(engine: Engine) -> None:
    paths = EXAMPLES[:2]
    first, second = (Case.model_validate(load_file(p).data) for p in paths)
    record = decide_compact(engine, first)
    with pytest.raises(InputError, match="case_sha256"):
        explain(engine, record, second)
    assert record.determination is not None
    forged = record.model_copy(update={"determination": record.determination.model_copy(update={"outcome": "invalid", "fired": []})})
    with pytest.raises(InputError, match="determination"):
        explain(engine, forged, first)
    with pytest.raises(InputError, match="ruleset_hash"):
        explain(engine, record.model_copy(update={"ruleset_hash": "0" * 64}), first)


def test_batch_compact_lines_equal_the_full_decisions(engine: Engine) -> None:
    raws = [load_file(p).data for p in EXAMPLES] + [{"case_id": "broken"}]
    lines = [line for _, line in decide_many_json(engine, raws, compact=True)]
    assert [line for _, line in decide_many_json(engine, raws, compact=True, processes=2, chunk_size=2)] == lines
    compact = [CompactItem.model_validate_json(line) for line in lines]
    full = [json.loads(line) for _, line in decide_many_json(engine, raws)]
    assert [c.ok for c in compact] == [f["ok"] for f in full] == [True] * len(EXAMPLES) + [False]
    assert compact[-1].error == full[-1]["error"]
    for item, raw in zip(compact[:-1], raws[:-1], strict=True):
        assert item.compact is not None
        decision = explain(engine, item.compact, Case.model_validate(raw))
        assert decision.model_dump(mode="json") == full[item.index]["decision"]


def _cli(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "credit_rules.cli", *args], capture_output=True, text=True, cwd=ROOT, check=False, input=stdin)


def test_cli_explain_prints_what_decide_prints(tmp_path: Path) -> None:
    example = EXAMPLES[0]
    record = _cli("decide", str(example), "--compact")
    assert record.returncode == 0, record.stderr
    (tmp_path / "r.jsonl").write_text(record.stdout, encoding="utf-8")
    explained = _cli("explain", str(tmp_path / "r.jsonl"), "--case", str(example), "--format", "json")
    assert explained.returncode == 0, explained.stderr
    assert explained.stdout == _cli("decide", str(example), "--format", "json").stdout
    wrong = _cli("explain", str(tmp_path / "r.jsonl"), "--case", str(EXAMPLES[1]), "--format", "json")
    assert wrong.returncode == 2 and "case_sha256" in wrong.stderr and "Traceback" not in wrong.stderr


def test_cli_batch_compact_and_explain_by_index(tmp_path: Path) -> None:
    cases = tmp_path / "cases.jsonl"
    cases.write_text("".join(json.dumps(load_file(p).data, default=str, ensure_ascii=False) + "\n" for p in EXAMPLES), encoding="utf-8")
    records = _cli("decide", "--batch", str(cases), "--compact")
    assert records.returncode == 0, records.stderr
    (tmp_path / "c.jsonl").write_text(records.stdout, encoding="utf-8")
    explained = _cli("explain", str(tmp_path / "c.jsonl"), "--cases", str(cases), "--index", "2", "--format", "json")
    assert explained.returncode == 0, explained.stderr
    assert explained.stdout == _cli("decide", str(EXAMPLES[2]), "--format", "json").stdout


def test_a_lean_compact_decision_leaves_no_lean_result_behind(engine: Engine) -> None:
    """Compact decisions skip the definitions' trace entries; a full decision after one (sharing every cache)
    must still carry them, byte for byte as with cold caches."""
    cases = [Case.model_validate(load_file(p).data) for p in EXAMPLES]
    engine.clear_caches()
    cold = [engine.decide(c).to_json() for c in cases]
    engine.clear_caches()
    for c in cases:
        decide_compact(engine, c)
    assert [engine.decide(c).to_json() for c in cases] == cold
    assert all('"definitions": [\n' in text for text in cold)


def test_the_case_digest_is_the_sha256_of_the_validated_cases_json() -> None:
    """What docs/decision.md says ``case_sha256`` is, for every example and fixture (records already written
    must keep finding their cases whatever the digest's code becomes)."""
    import hashlib

    from credit_rules.engine.compact import case_digest

    cases = [Case.model_validate(load_file(path).data) for path in EXAMPLES] + [fx.case for fx in all_fixtures()]
    for case in cases:
        assert case_digest(case) == hashlib.sha256(case.model_dump_json().encode("utf-8")).hexdigest(), case.case_id
