"""``decide --batch --compact`` through the columnar evaluator writes the same bytes as the per-case engine.

A batch of generated entries over every shipped listing standard, every listing fixture's case, the examples
(measures and repair among them, which go to the per-case engine) and a few bad lines is decided both ways; the
JSON lines must be equal byte for byte, whatever the chunk size, with one process or two.  The columnar path must
really have built the records of the listing cases (else the comparison proves nothing), and ``explain`` of such
a record gives back exactly what ``decide`` prints.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

pl = pytest.importorskip("polars")

from credit_rules import Engine  # noqa: E402
from credit_rules.cli import main  # noqa: E402
from credit_rules.columnar.compact import CompactColumnar  # noqa: E402
from credit_rules.columnar.entries import to_case  # noqa: E402
from credit_rules.columnar.generate import generate, standards  # noqa: E402
from credit_rules.engine.batch import decide_many_json  # noqa: E402
from credit_rules.engine.compact import CompactItem, explain  # noqa: E402
from credit_rules.model.case import Case, Question  # noqa: E402
from credit_rules.yamlsource import load_file  # noqa: E402

from .conftest import ROOT, all_fixtures  # noqa: E402


@pytest.fixture(scope="module")
def shipped() -> Engine:
    return Engine.load()


def _generated(engine: Engine, n: int, seed: int = 0, offset: int = 0) -> list[Case]:
    return [to_case(row) for row in generate(engine.catalogs, n, seed=seed, offset=offset).iter_rows(named=True)]


def _fixture_cases() -> list[Case]:
    """Every fixture's case with its decision date written in (a batch has one --as-of for all)."""
    out = []
    for fx in all_fixtures():
        case = fx.case if fx.as_of is None else fx.case.model_copy(update={"as_of": fx.as_of})
        out.append(case)
    return out


def _items(cases: list[Case]) -> list[Any]:
    """The cases as a batch file holds them (mappings, validated on the way), the examples, and bad lines."""
    raws: list[Any] = [c.model_dump(mode="json", exclude_none=True) for c in cases]
    raws += [load_file(p).data for p in sorted((ROOT / "examples" / "cases").glob("*.yaml"))]
    listed = next(r for r in raws if "listing" in r)  # the first case asking the listing question
    raws += [{"case_id": "broken"}, {**listed, "listing": {**listed["listing"], "standard": "no_such_standard"}}]
    return raws


def _both(engine: Engine, items: list[Any], as_of: date | None = None, **kw: Any) -> tuple[list[str], list[str]]:
    per_case = [line for _, line in decide_many_json(engine, items, compact=True, as_of=as_of)]
    columnar = [line for _, line in decide_many_json(engine, items, compact=True, columnar=True, as_of=as_of, **kw)]
    return per_case, columnar


def _first_difference(want: list[str], got: list[str]) -> str:
    for i, (a, b) in enumerate(zip(want, got, strict=True)):
        if a != b:
            k = next((j for j in range(min(len(a), len(b))) if a[j] != b[j]), min(len(a), len(b)))
            return f"line {i}:\n per-case: …{a[max(0, k - 150):k + 150]}\n columnar: …{b[max(0, k - 150):k + 150]}"
    return ""


def test_generated_and_fixture_batches_give_the_same_bytes(shipped: Engine) -> None:
    cases = _generated(shipped, 300, seed=3) + [c for c in _fixture_cases() if c.listing is not None]
    assert {c.listing.standard for c in cases if c.listing is not None} >= {s.std.id for s in standards(shipped.catalogs)}
    items = _items(cases)
    want, got = _both(shipped, items, chunk_size=97)
    assert got == want, _first_difference(want, got)
    # the chunk size changes nothing
    assert [line for _, line in decide_many_json(shipped, items, compact=True, columnar=True, chunk_size=1000)] == want
    assert [line for _, line in decide_many_json(shipped, items[:25], compact=True, columnar=True, chunk_size=1)] == want[:25]
    # and the columnar path did build the records of every listing case (the comparison is not vacuous)
    fast = CompactColumnar.of(shipped)
    listing = [(i, c) for i, c in enumerate(cases) if fast.eligible(c, None)]
    # every case asking only the determination and listing questions (on a date) is built by the columnar path
    only = [i for i, c in enumerate(cases) if c.as_of is not None and set(c.asked()) <= {Question.determination, Question.listing}]
    assert [i for i, _ in listing] == only and len(only) > 600
    built = fast.lines(listing, None, None)
    assert sorted(built) == [i for i, _ in listing]
    # (a case naming an id the shipped catalogs lack — a fixture of the test catalogs — is an error item: the
    # batch checks ids before either path decides)
    decided = [i for i in built if json.loads(want[i])["ok"]]
    assert len(decided) > 500 and all(built[i] == want[i] for i in decided)


def test_every_fixture_gives_the_same_bytes(engine: Engine) -> None:
    """All fixtures, listing or not, on the test catalogs (layered): the non-listing ones go to the per-case path."""
    items = _items(_fixture_cases())
    want, got = _both(engine, items, chunk_size=64)
    assert got == want, _first_difference(want, got)


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=st.integers(0, 10_000), offset=st.integers(0, 10**9), on=st.none() | st.dates(date(2019, 1, 1), date(2026, 6, 30)),
       size=st.integers(1, 80))
def test_drawn_batches_give_the_same_bytes(shipped: Engine, seed: int, offset: int, on: date | None, size: int) -> None:
    items = [c.model_dump(mode="json", exclude_none=True) for c in _generated(shipped, 60, seed=seed, offset=offset)]
    want, got = _both(shipped, items, as_of=on, chunk_size=size)
    assert got == want, _first_difference(want, got)


def test_explain_of_a_columnar_record_is_the_decision(shipped: Engine) -> None:
    cases = _generated(shipped, 40, seed=11) + [c for c in _fixture_cases() if c.listing is not None][:40]
    fast = CompactColumnar.of(shipped)
    listing = [(i, c) for i, c in enumerate(cases) if fast.eligible(c, None)]
    built = fast.lines(listing, None, None)
    assert len(built) == len(listing) >= 70
    for i, case in listing:
        record = CompactItem.model_validate_json(built[i]).compact
        assert record is not None
        assert explain(shipped, record, case).to_json() == shipped.decide(case, check_ids=False).to_json()


def test_two_processes_give_the_same_bytes(shipped: Engine) -> None:
    items = _items(_generated(shipped, 120, seed=5))
    want = [line for _, line in decide_many_json(shipped, items, compact=True)]
    got = [line for _, line in decide_many_json(shipped, items, compact=True, columnar=True, processes=2, chunk_size=50)]
    assert got == want, _first_difference(want, got)


def test_what_the_columnar_path_leaves_to_the_per_case_engine(shipped: Engine) -> None:
    fast = CompactColumnar.of(shipped)
    case = _generated(shipped, 1, seed=1)[0]
    assert fast.eligible(case, None)
    assert not fast.eligible(case.model_copy(update={"questions": [Question.determination]}), None)  # no listing asked
    assert not fast.eligible(case.model_copy(update={"as_of": None}), None)  # no date: the per-case error item
    late = case.model_copy(update={"as_of": date(9999, 12, 1)})
    assert fast.lines([(0, late)], None, None) == {}  # a period could overflow: the per-case engine reports it
    repair = Case.model_validate(load_file(ROOT / "examples" / "cases" / "wuzhou_penalty_repair.yaml").data)
    assert not fast.eligible(repair, None)


def test_the_command_line_writes_the_same_bytes(tmp_path: Path, shipped: Engine, capsys: pytest.CaptureFixture[str]) -> None:
    items = _items(_generated(shipped, 150, seed=7))
    cases = tmp_path / "cases.jsonl"
    cases.write_text("".join(json.dumps(i, ensure_ascii=False, default=str) + "\n" for i in items), encoding="utf-8")
    out = tmp_path / "out.jsonl"
    assert main(["decide", "--batch", str(cases), "--compact", "--out", str(out)]) == 1  # the broken lines
    capsys.readouterr()
    from credit_rules.engine.batch import read_jsonl

    want = [line for _, line in decide_many_json(shipped, read_jsonl(cases), compact=True)]
    from credit_rules.masking import scrub_text

    assert out.read_text(encoding="utf-8").splitlines() == [scrub_text(line) for line in want]


_FORKED = r'''
import json, multiprocessing, sys
from credit_rules import Engine
from credit_rules.engine import batch

def main() -> None:
    engine = Engine.load()
    items = [json.loads(line) for line in sys.stdin]
    assert "polars" not in sys.modules, "the parent of the batch has not loaded polars"
    assert batch._columnar_start_method() == "fork"
    want = [line for _, line in batch.decide_many_json(engine, items, compact=True)]
    loads = multiprocessing.Value("i", 0)  # made before the fork: a worker that loads an engine counts here
    real = Engine.load.__func__

    def counted(cls, *args, **kwargs):
        with loads.get_lock():
            loads.value += 1
        return real(cls, *args, **kwargs)

    Engine.load = classmethod(counted)
    got = [line for _, line in batch.decide_many_json(engine, items, compact=True, columnar=True, processes=2, chunk_size=40)]
    assert "polars" not in sys.modules, "the workers loaded polars, not the parent"
    print(json.dumps({"same": got == want, "n": len(got), "loads": loads.value}))

if __name__ == "__main__":
    main()
'''


def test_forked_workers_share_the_parents_engine_and_give_the_same_bytes(shipped: Engine, tmp_path: Path) -> None:
    """``decide --batch --compact --processes N``: a parent that has not loaded polars forks its workers, which take
    the parent's loaded engine instead of loading the catalogs and rules again; the lines are the same bytes."""
    import subprocess
    import sys

    if "fork" not in __import__("multiprocessing").get_all_start_methods()[:1]:
        pytest.skip("this platform does not fork by default")
    items = _items(_generated(shipped, 90, seed=11))
    script = tmp_path / "forked.py"
    script.write_text(_FORKED, encoding="utf-8")
    text = "".join(json.dumps(item, default=str, ensure_ascii=False) + "\n" for item in items)
    done = subprocess.run([sys.executable, str(script)], input=text, capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert report == {"same": True, "n": len(items), "loads": 0}
