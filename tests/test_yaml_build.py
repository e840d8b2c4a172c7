"""The fast YAML builder (yamlsource._build) gives exactly what PyYAML's safe constructor gives.

It builds strings, mappings and lists itself and leaves every other node to the
constructor; on every shipped catalog and rule file, every example, fixture and
bad-input file, and on a set of awkward documents, the data must be equal —
same types, same order of keys, aliases shared as there.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from credit_rules.errors import InputError
from credit_rules.yamlsource import _LocatingLoader, load_text

ROOT = Path(__file__).resolve().parents[1]

AWKWARD = [
    "a: 1\nb: 1.5\nc: 2024-02-29\nd: true\ne: null\nf: ~\ng: ''\nh:\n",
    "? !!str 1\n: x\n0x1f: hex\n1_000: under\n=: value key\n",
    "x: &a {k: [1, 2, {z: 3}]}\ny: *a\n",
    "s: !!set {a, b}\nb: !!binary aGVsbG8=\no: !!omap [{a: 1}, {b: 2}]\np: !!pairs [{a: 1}]\n",
    "t: 2023-02-30\nu: 2024-01-01 10:00:00\nv: !!str 2024-01-01\nw: [yes, no, on, off]\n",
    "- a\n- [b, c]\n- {d: e}\n- 1e3\n- .inf\n- -.5\n",
    "plain text\n",
]


def _reference(text: str) -> object:
    loader = _LocatingLoader(text)
    try:
        return loader.get_single_data()
    finally:
        loader.dispose()


def _same(a: object, b: object) -> bool:
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return list(a) == list(b) and all(_same(a[k], b[k]) for k in a)  # type: ignore[index]
    if isinstance(a, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b))  # type: ignore[arg-type]
    return a == b


@pytest.mark.parametrize("text", AWKWARD)
def test_awkward_documents(text: str) -> None:
    assert _same(load_text(text, "(t)").data, _reference(text))


def test_aliases_stay_shared() -> None:
    data = load_text("x: &a {k: 1}\ny: *a\n", "(t)").data
    assert data["x"] is data["y"]


def test_every_yaml_file_of_the_project() -> None:
    files = [p for d in ("catalogs", "rules", "examples", "tests") for p in sorted((ROOT / d).rglob("*.yaml"))]
    assert len(files) > 300
    for path in files:
        text = path.read_text(encoding="utf-8")
        try:
            ours = load_text(text, str(path)).data
        except InputError:
            continue  # bad-input files: refused before anything is built
        try:
            theirs = _reference(text)
        except yaml.YAMLError:
            continue
        assert _same(ours, theirs), path
