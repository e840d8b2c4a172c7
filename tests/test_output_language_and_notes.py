"""Issue 15 item 11 and issue 12 item 6: what a user reads.

- The Chinese text report is Chinese: outcome and status words, headers and
  labels; the English one words the same statements in English only.
- Failed and unknown rules show the facts they read (``name = value``) in the
  text report, not only in the JSON trace.
- Structured statements (decision document, prior notice, removal conditions,
  remedies, unmet repair conditions) are data in the result, never a rendered
  ``id: zh / en [citation]`` string.
- No user-visible catalog citation (or rule source) carries research notes:
  dossier paths, URLs, internal source ids like A19/S43, "article not seen".
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel

from credit_rules import Engine, load_case
from credit_rules.model.decision import Statement
from credit_rules.render import render_text

from .conftest import ROOT

EXAMPLES = sorted((ROOT / "examples" / "cases").glob("*.yaml"))
RESEARCH_NOTE = re.compile(
    r"legal(-addendum)?\.md|research/|https?://|\[C:|\b[AS]\d{1,2}\b|not seen|未见|practice|种子|not confirmed|garbled", re.I
)
ENGLISH_WORDS = re.compile(r"\b(?:allowed|refused|undetermined|valid|invalid|pass|FAIL|n/a|UNKNOWN|met|missed|need|case|as-of|rules|backend)\b")


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine.load()


def _zh_prose(text: str) -> str:
    """The report without what stays code on purpose: ids, reason codes, fact names and values, catalog editions."""
    out = []
    for line in text.splitlines():
        if "读取的事实" in line or line.startswith("目录版本") or re.match(r"^\s+[\w.]+ = ", line):
            continue
        out.append(re.sub(r"[A-Za-z_][\w.@:-]*[A-Za-z0-9_]|\([^)]*\)|\[[^]]*\]", "", line))
    return "\n".join(out)


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.name)
def test_the_chinese_report_words_outcomes_statuses_and_headers_in_chinese(engine: Engine, example: Path) -> None:
    text = render_text(engine.decide(load_case(example)), "zh")
    assert "结论 = " in text and "规则" in text and "案件" in text
    for word in ("Outcome", "Reasons", "Warnings", "status", "citation", "message"):
        assert word not in text, word
    leftover = [m.group(0) for m in ENGLISH_WORDS.finditer(_zh_prose(text))]
    assert not leftover, leftover


def test_outcome_words(engine: Engine) -> None:
    decision = engine.decide(load_case(ROOT / "examples" / "cases" / "wuzhou_food_listing.yaml"))
    zh, en = render_text(decision, "zh"), render_text(decision, "en")
    assert "失信行为认定: 结论 = 成立" in zh and "列入严重失信主体名单: 结论 = 准予" in zh
    assert "Outcome = valid" in en and "Outcome = allowed" in en


def test_a_failed_rule_shows_the_facts_it_read(engine: Engine) -> None:
    decision = engine.decide(load_case(ROOT / "examples" / "cases" / "court_minor_debtor.yaml"))
    failed = [t for q in (decision.determination, decision.listing) if q for t in q.trace if t.status.value == "failed" and t.facts]
    assert failed
    for lang, label in (("zh", "读取的事实"), ("en", "facts read")):
        text = render_text(decision, lang)
        for t in failed:
            row = next(i for i, line in enumerate(text.splitlines()) if line.strip().startswith(t.rule + " "))
            below = text.splitlines()[row + 1]
            assert below.strip().startswith(label + ":"), (t.rule, below)
            for name in t.facts:
                assert f"{name} = " in below


def test_listing_statements_are_data_and_each_language_shows_its_own(engine: Engine) -> None:
    decision = engine.decide(load_case(ROOT / "examples" / "cases" / "wuzhou_food_listing.yaml"))
    listing = decision.listing
    assert listing is not None
    for item in (*listing.decision_document_must_state, *listing.removal_conditions, *listing.remedies):
        assert isinstance(item, Statement) and item.id and item.zh and item.citation
        assert " / " not in item.zh and not item.zh.startswith(item.id + ":")
    reasons = next(i for i in listing.decision_document_must_state if i.id == "reasons")
    assert (reasons.zh, reasons.en, reasons.citation) == ("事由", "the reasons", "49号(八)")
    assert [r.zh for r in listing.remedies] == ["行政复议", "行政诉讼"] and listing.remedies[0].en is None
    zh, en = render_text(decision, "zh"), render_text(decision, "en")
    assert "     - 事由 [49号(八)]" in zh and "the reasons" not in zh
    assert "     - the reasons [49号(八)]" in en and "事由" not in en
    assert "     - 行政复议 [" in en  # Chinese-only source text: shown as the law states it


def test_json_carries_no_rendered_statement_strings(engine: Engine) -> None:
    for example in EXAMPLES:
        text = engine.decide(load_case(example)).to_json()
        assert not re.search(r'"[a-z_]+: [^"]* / [^"]* \[[^"]*\]"', text), example.name


def test_unmet_repair_conditions_are_statements(engine: Engine) -> None:
    decision = engine.decide(load_case(ROOT / "examples" / "cases" / "wuzhou_penalty_repair.yaml"))
    assert decision.repair is not None
    for item in decision.repair.unmet_conditions:
        assert isinstance(item, Statement) and item.zh and item.en and item.citation


def _citations(obj: Any, path: str = "") -> Iterator[tuple[str, str]]:
    if isinstance(obj, BaseModel):
        for name in type(obj).model_fields:
            value = getattr(obj, name)
            if isinstance(value, str) and (name in ("citation", "article", "source") or name.endswith("_citation")):
                yield f"{path}.{name}", value
            else:
                yield from _citations(value, f"{path}.{name}")
    elif isinstance(obj, (list, tuple)):
        for i, value in enumerate(obj):
            yield from _citations(value, f"{path}[{i}]")
    elif isinstance(obj, dict):
        for key, value in obj.items():
            yield from _citations(value, f"{path}.{key}")


def test_no_user_visible_citation_carries_research_notes(engine: Engine) -> None:
    """Catalog citations, criteria articles, source citations (shown in warnings) and rule sources are what users
    read; research notes (dossier sections, source ids, 'not seen') belong in the maintainer-only notes (tests/test_maintainer_notes.py)."""
    found = [
        (f"{f.file}{where}", text)
        for f in engine.catalogs.files
        for where, text in _citations([f.entries, f.envelope])
        if RESEARCH_NOTE.search(text)
    ]
    found += [(rule.id, rule.spec.source) for rule in engine.ruleset.rules if RESEARCH_NOTE.search(rule.spec.source)]
    assert not found, found[:10]


def test_information_and_query_reports_in_chinese_are_chinese() -> None:
    """#15 item 11: the information and query text reports have no English labels under --lang zh."""
    from credit_rules import Engine
    from credit_rules.information.fixtures import decide_fixture, load_info_fixture
    from credit_rules.information.query import QueryDecision
    from credit_rules.information.render import render_information, render_query
    from credit_rules.shipped import shipped_catalogs_dir

    from .conftest import TESTS

    info = TESTS / "fixtures_information"
    engine = Engine.load([shipped_catalogs_dir(), info / "catalogs"])
    for name in ("good/company_penalty_on_time.info.yaml", *(str(p.relative_to(info)) for p in sorted((info / "good").glob("*.query.yaml"))[:1])):
        decision = decide_fixture(engine, load_info_fixture(info / name, info))
        text = render_query(decision, "zh") if isinstance(decision, QueryDecision) else render_information(decision, "zh")
        for word in ("request ", "asked-on", "backend", "jurisdiction ", "actor", "withheld", "on time", "LATE", "query "):
            assert word not in text, (name, word, text)


def test_every_note_in_a_trace_is_in_english_then_chinese() -> None:
    """A definition's note (why its value is unknown: a conflict, an unknown exception, a date the calendar does not
    cover) is read by auditors of either language: each says it in English, then after " / " in Chinese."""
    from .conftest import all_fixtures, catalog_roots

    engine = Engine.load(catalog_roots())
    notes: set[str] = set()
    for fx in all_fixtures():
        decision = engine.decide(fx.case, fx.as_of, check_ids=False)
        for q in ("determination", "listing", "repair"):
            result = getattr(decision, q, None)
            for entry in getattr(result, "definitions", None) or []:
                if entry.note:
                    notes.add(entry.note)
    assert len(notes) >= 3  # unknown exceptions and calendar years at least
    for note in notes:
        en, sep, zh = note.partition(" / ")
        # the English half may quote a Chinese legal name verbatim (国务院办公厅), so it is told by its Latin words
        assert sep and re.search(r"[\u4e00-\u9fff]", zh) and re.match(r"['A-Za-z]", en), note
