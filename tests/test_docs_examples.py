"""Issue 15 item 10: the examples in docs/ and README run and decide as the pages say, as doctests would.

- every ``credit-rules …`` line of a ``sh`` block runs (exit 0; ``test``/``diff`` may report differences, 1);
- every ``python`` block runs;
- a ``yaml`` block headed ``# PATH`` is that file: equal to it when it exists, else written for the commands;
- the annotated example of case-format.md is the example file and decides as the page says;
- the example table of index.md states each example's outcomes.

A block the page marks ``<!-- not run: REASON -->`` (just before it) is skipped, with its reason in the page.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from credit_rules import Engine, load_case, parse_case
from credit_rules.cli import main

from .conftest import ROOT

PAGES = [*sorted((ROOT / "docs").glob("*.md")), ROOT / "README.md"]
_BLOCK = re.compile(r"(<!-- not run: [^>]*-->\s*\n)?```(\w*)\n(.*?)```", re.S)
_LINKED = ("examples", "tests", "catalogs", "rules", "benchmarks")
"""Folders of the checkout the commands' workspace links to (read only: block files are never written into them)."""


def blocks(lang: str) -> Iterator[tuple[str, str]]:
    """(where, body) of every block of *lang* not marked not-run."""
    for page in PAGES:
        text = page.read_text(encoding="utf-8")
        for m in _BLOCK.finditer(text):
            if m.group(2) == lang and m.group(1) is None:
                line = text[: m.start()].count("\n") + 1 + (1 if m.group(1) else 0)
                yield f"{page.relative_to(ROOT)}:{line}", m.group(3)


def commands() -> list[tuple[str, str]]:
    out = []
    for where, body in blocks("sh"):
        for line in body.replace("\\\n", " ").splitlines():
            words = shlex.split(line, comments=True)
            if words and words[0] == "credit-rules":
                out.append((where, shlex.join(words)))
    return out


def file_blocks() -> list[tuple[str, str, str]]:
    out = []
    for where, body in blocks("yaml"):
        first, _, rest = body.partition("\n")
        if first.startswith("# ") and first[2:].strip().endswith((".yaml", ".yml")) and " " not in first[2:].strip():
            out.append((where, first[2:].strip(), rest))
    return out


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder where the docs' relative paths resolve: the checkout's folders linked, the docs' own files written."""
    ws = tmp_path_factory.mktemp("docs")
    for name in _LINKED:
        (ws / name).symlink_to(ROOT / name, target_is_directory=True)
    for _, path, body in file_blocks():
        if path.split("/", 1)[0] not in _LINKED:
            target = ws / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(body, encoding="utf-8")
    return ws


def test_the_docs_have_commands_and_python_examples() -> None:
    assert len(commands()) >= 10
    assert len(list(blocks("python"))) >= 4


@pytest.mark.parametrize("where, command", commands(), ids=[c for _, c in commands()])
def test_doc_command_runs(where: str, command: str, workspace: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(workspace)
    args = [a.replace("/tmp/", f"{workspace}/") for a in shlex.split(command)[1:]]
    code = main(args)
    out, err = capsys.readouterr()
    allowed = (0, 1) if args[0] in ("test", "diff") else (0,)
    assert code in allowed, f"{where}: `{command}` exited {code}\n{err[-2000:]}"
    assert "Traceback" not in err


@pytest.mark.parametrize("where, body", list(blocks("python")), ids=[w for w, _ in blocks("python")])
def test_doc_python_runs(where: str, body: str, workspace: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(workspace)
    exec(compile(body, where, "exec"), {"__name__": "__doc_example__"})  # noqa: S102 - the project's own docs
    capsys.readouterr()


@pytest.mark.parametrize("where, path, body", file_blocks(), ids=[p for _, p, _ in file_blocks()])
def test_doc_file_blocks_match_the_files(where: str, path: str, body: str) -> None:
    existing = ROOT / path
    if path.split("/", 1)[0] in _LINKED:
        assert existing.exists(), f"{where}: {path} is not in the checkout"
        assert yaml.safe_load(body) == yaml.safe_load(existing.read_text(encoding="utf-8")), f"{where}: differs from {path}"


def _annotated() -> str:
    text = (ROOT / "docs" / "case-format.md").read_text(encoding="utf-8")
    section = text[text.index("## Annotated example") :]
    return section[section.index("```yaml\n") + 8 : section.index("```\n", section.index("```yaml\n") + 8)]


def test_annotated_example_is_the_example_file_and_decides_as_the_page_says() -> None:
    body = _annotated()
    example = ROOT / "examples" / "cases" / "wuzhou_food_listing.yaml"
    assert yaml.safe_load(body) == yaml.safe_load(example.read_text(encoding="utf-8"))
    decision = Engine.load().decide(parse_case(body, "docs/case-format.md"))
    assert decision.determination is not None and decision.determination.outcome.value == "valid"
    assert decision.listing is not None and decision.listing.outcome.value == "allowed"
    assert sorted(decision.listing.warnings) == ["consultation_not_recorded", "no_third_party_evaluation", "publication_not_recorded"]
    page = (ROOT / "docs" / "case-format.md").read_text(encoding="utf-8")
    assert all(f"`{w}`" in page for w in decision.listing.warnings)


def _index_rows() -> list[tuple[str, str]]:
    text = (ROOT / "docs" / "index.md").read_text(encoding="utf-8")
    return re.findall(r"^\| `([a-z_]+\.yaml)` \| [^|]+ \| ([^|]+) \|$", text, re.M)


@pytest.mark.parametrize("name, result", _index_rows())
def test_index_table_states_each_examples_outcome(name: str, result: str) -> None:
    decision = Engine.load().decide(load_case(ROOT / "examples" / "cases" / name))
    for question in ("determination", "listing"):
        said = re.search(rf"{question} `(\w+)`", result)
        if said is not None:
            got = getattr(decision, question)
            assert got is not None and got.outcome.value == said.group(1), f"index.md says {question} {said.group(1)} for {name}"


def test_index_table_has_rows() -> None:
    assert len(_index_rows()) >= 3
