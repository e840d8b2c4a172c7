"""Mechanism changes never change a decision: the JSON of every example and fixture, pinned by digest.

Case fixtures and examples by ``decide``'s JSON; information and query fixtures by their decision's JSON.

Speed-ups (memo tables, shared trace entries, whole-evaluation reuse) must
leave every decision byte-identical.  This pins the sha256 of ``decide``'s
JSON for every shipped example and every fixture.  A change to the law (rules,
catalogs) moves some digests on purpose: regenerate with
``python -m tests.test_decision_digests --write`` and say in the commit which
legal change moved which decisions.
"""

from __future__ import annotations

import hashlib
import re
import sys
from pathlib import Path

from credit_rules import Engine
from credit_rules.model.case import Case
from credit_rules.yamlsource import load_file

from .conftest import ROOT, all_fixtures, catalog_roots

DIGESTS = Path(__file__).parent / "golden" / "decision_digests.txt"

# The content hashes of the catalogs and rules name *which* data decided, not *what* was decided: a maintainer's
# note or a comment moved in a catalog changes them and no decision.  They are blanked before hashing.
_CONTENT_HASHES = re.compile(r'"(catalogs_hash|ruleset_hash|rules_hash|catalog_hashes?)": ?("[0-9a-f]{64}"|\{[^}]*\})')


# A catalog file is shown relative to the shipped tree's parent when it lies under it, else as given: an editable
# checkout shows tests/catalogs/…, an installed package (CI) the absolute path of the checkout.  Both are named from
# their catalog root on, so the digest does not depend on where the package is installed.
_CATALOG_FILE = re.compile(r'"file": ?"[^"]*?(catalogs/[^"]*)"')


def _digest(text: str) -> str:
    text = _CATALOG_FILE.sub(r'"file": "\1"', _CONTENT_HASHES.sub(r'"\1": ""', text))
    return hashlib.sha256(text.encode()).hexdigest()


def current(engine: Engine) -> dict[str, str]:
    out: dict[str, str] = {}
    for path in sorted((ROOT / "examples" / "cases").glob("*.yaml")):
        case = Case.model_validate(load_file(path).data)
        out[path.relative_to(ROOT).as_posix()] = _digest(engine.decide(case).to_json())
    for fx in all_fixtures():
        key = f"{Path(fx.file).resolve().relative_to(ROOT).as_posix()}#{fx.index}"
        out[key] = _digest(engine.decide(fx.case, fx.as_of, check_ids=False).to_json())
    return out


def current_information() -> dict[str, str]:
    """The same for every information and query fixture (their own engine: the shipped catalogs and their layer)."""
    from credit_rules.information.fixtures import decide_fixture, find_info_fixtures, load_info_fixture
    from credit_rules.shipped import shipped_catalogs_dir

    folder = Path(__file__).parent / "fixtures_information"
    engine = Engine.load([shipped_catalogs_dir(), folder / "catalogs"])
    out: dict[str, str] = {}
    for path in find_info_fixtures(folder):
        fx = load_info_fixture(path)
        text = decide_fixture(engine, fx).model_dump_json()
        out[Path(path).resolve().relative_to(ROOT).as_posix()] = _digest(text)
    return out


def _stored() -> dict[str, str]:
    pairs = (line.split() for line in DIGESTS.read_text(encoding="utf-8").splitlines() if line and not line.startswith("#"))
    return {k: v for k, v in pairs}


def test_every_decision_is_the_pinned_one(engine: Engine) -> None:
    got, want = {**current(engine), **current_information()}, _stored()
    moved = sorted(k for k in got.keys() | want.keys() if got.get(k) != want.get(k))
    assert not moved, f"{len(moved)} decisions changed (regenerate only for a legal change): {moved[:10]}"


if __name__ == "__main__":  # python -m tests.test_decision_digests --write
    if "--write" not in sys.argv:
        sys.exit("usage: python -m tests.test_decision_digests --write")
    lines = [f"{k} {v}" for k, v in {**current(Engine.load(catalog_roots())), **current_information()}.items()]
    DIGESTS.write_text("# sha256 of decide's JSON per example and fixture (tests/test_decision_digests.py)\n" + "\n".join(lines) + "\n", encoding="utf-8")
    print(f"{len(lines)} digests written to {DIGESTS}")
