"""Batch decisions: ``decide_many`` and ``credit-rules decide --batch``.

Order, per-item errors, the same results over one or two processes, lazy
streaming.  Speed and memory flatness are measured by ``benchmarks/run.py``,
not here (no timed unit tests).
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from credit_rules import Engine, load_case
from credit_rules.cli import main
from credit_rules.engine import batch as batch_module
from credit_rules.engine.batch import BatchItem, RawCase, RawLine, decide_many, decide_many_json, read_jsonl, read_jsonl_lines

from .conftest import ROOT

EXAMPLES = sorted((ROOT / "examples" / "cases").glob("*.yaml"))


def _raw_cases(n: int) -> list[dict[str, Any]]:
    """*n* JSON-ready case mappings, cycling through the shipped examples with distinct ids."""
    base = [load_case(p).model_dump(mode="json", exclude_unset=True) for p in EXAMPLES]
    return [{**base[i % len(base)], "case_id": f"batch-{i:03d}"} for i in range(n)]


def _write_jsonl(path: Path, lines: list[str]) -> Path:
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return path


def test_items_come_back_in_input_order_with_their_case_ids(engine: Engine) -> None:
    cases = _raw_cases(7)
    items = list(decide_many(engine, cases))
    assert [i.index for i in items] == list(range(7))
    assert [i.case_id for i in items] == [c["case_id"] for c in cases]
    assert all(i.ok and i.decision is not None and i.error is None for i in items)


def test_a_mapping_decides_like_the_case_it_validates_to(engine: Engine) -> None:
    raw = _raw_cases(1)[0]
    case = load_case(EXAMPLES[0]).model_copy(update={"case_id": raw["case_id"]})
    (item,) = decide_many(engine, [raw])
    assert item.decision == engine.decide(case)


def test_a_case_object_is_not_validated_again(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    case = load_case(EXAMPLES[0])

    def no_validation(*args: object, **kwargs: object) -> None:
        raise AssertionError("a Case must not be validated again")

    monkeypatch.setattr(batch_module, "validate", no_validation)
    (item,) = decide_many(engine, [case])
    assert item.ok and item.decision == engine.decide(case)


def test_bad_cases_give_located_errors_and_the_batch_goes_on(engine: Engine) -> None:
    good = _raw_cases(2)
    bad_field = {**good[0], "case_id": "bad-gravity", "act": {**good[0]["act"], "gravity": "catastrophic"}}
    no_date = {**good[1], "case_id": "no-date"}
    no_date.pop("as_of", None)
    no_date.pop("listing", None)
    items = list(decide_many(engine, [good[0], bad_field, 42, no_date, good[1]]))  # type: ignore[list-item]
    assert [i.ok for i in items] == [True, False, False, False, True]
    assert items[1].case_id == "bad-gravity" and items[1].decision is None
    assert items[1].error is not None and "(case 1): field 'act.gravity'" in items[1].error
    assert items[2].error is not None and "(case 2)" in items[2].error and "got int" in items[2].error
    assert items[3].error is not None and "as_of" in items[3].error


def test_bad_lines_of_a_jsonl_file_are_located_by_line(engine: Engine, tmp_path: Path) -> None:
    good = [json.dumps(c, ensure_ascii=False) for c in _raw_cases(2)]
    bad_case = json.dumps({**_raw_cases(1)[0], "case_id": "bad", "jurisdiction": "45"})
    path = _write_jsonl(tmp_path / "cases.jsonl", [good[0], "{not json", "", bad_case, "[1, 2]", good[1]])
    raws = list(read_jsonl(path))
    assert [r.line for r in raws] == [1, 2, 4, 5, 6]  # the blank line is skipped
    items = list(decide_many(engine, raws))
    assert [i.index for i in items] == [0, 1, 2, 3, 4]
    assert [i.ok for i in items] == [True, False, False, False, True]
    assert items[1].error is not None and items[1].error.startswith(f"{path}:2: field '(syntax)'")
    assert items[2].error is not None and f"{path}:4: field 'jurisdiction'" in items[2].error and items[2].case_id == "bad"
    assert items[3].error is not None and items[3].error.startswith(f"{path}:5: field '(document)'")


def test_personal_data_in_error_messages_is_masked(engine: Engine) -> None:
    item = next(decide_many(engine, [RawCase(None, "cases.jsonl", 3, "cases.jsonl:3: got 450402197809301511")]))
    assert item.error is not None and "450402197809301511" not in item.error


def test_streaming_pulls_cases_only_as_results_are_taken(engine: Engine) -> None:
    pulled = 0
    cases = _raw_cases(3)

    def source() -> Iterator[dict[str, Any]]:
        nonlocal pulled
        for i in range(1000):
            pulled += 1
            yield cases[i % 3]

    stream = decide_many(engine, source())
    first = next(stream)
    assert first.ok and pulled == 1
    next(stream)
    assert pulled == 2


def test_two_processes_give_exactly_what_one_process_gives(engine: Engine) -> None:
    cases: list[Any] = [*_raw_cases(9), {"case_id": "broken"}, load_case(EXAMPLES[1])]
    one = list(decide_many(engine, cases))
    two = list(decide_many(engine, cases, processes=2, chunk_size=2))
    assert two == one
    assert [i.model_dump_json() for i in two] == [i.model_dump_json() for i in one]
    assert [i.model_fields_set for i in two] == [i.model_fields_set for i in one]
    lines_one = list(decide_many_json(engine, cases))
    lines_two = list(decide_many_json(engine, cases, processes=2, chunk_size=3))
    assert lines_two == lines_one == [(i.ok, i.to_json_line()) for i in one]


def test_processes_need_an_engine_from_load(engine: Engine) -> None:
    bare = Engine(engine.catalogs, engine.ruleset, engine.calendar)
    with pytest.raises(ValueError, match="Engine.load"):
        list(decide_many(bare, _raw_cases(1), processes=2))
    with pytest.raises(ValueError, match="processes"):
        list(decide_many(engine, _raw_cases(1), processes=0))


# ------------------------------------------------------------------ the CLI


def test_cli_batch_writes_one_json_result_per_line_and_exits_0(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    cases = _raw_cases(4)
    path = _write_jsonl(tmp_path / "cases.jsonl", [json.dumps(c, ensure_ascii=False) for c in cases])
    assert main(["decide", "--batch", str(path)]) == 0
    lines = capsys.readouterr().out.splitlines()
    items = [BatchItem.model_validate_json(line) for line in lines]
    assert [i.case_id for i in items] == [c["case_id"] for c in cases]
    assert all(i.ok for i in items)


def test_cli_batch_exits_1_when_a_line_fails_and_writes_out(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    good = [json.dumps(c, ensure_ascii=False) for c in _raw_cases(2)]
    path = _write_jsonl(tmp_path / "cases.jsonl", [good[0], "{oops", good[1]])
    out = tmp_path / "results.jsonl"
    assert main(["decide", "--batch", str(path), "--out", str(out), "--processes", "2"]) == 1
    results = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [r["ok"] for r in results] == [True, False, True]
    assert results[1]["error"].startswith(f"{path}:2:")
    assert "1 of 3 cases not decided" in capsys.readouterr().err


def test_cli_batch_exits_2_for_an_unreadable_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["decide", "--batch", str(tmp_path / "missing.jsonl")]) == 2
    assert "missing.jsonl: field '(file)'" in capsys.readouterr().err
    assert main(["decide", "--batch", str(tmp_path)]) == 2  # a directory is not a readable file


def test_cli_decide_needs_a_case_or_batch(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["decide"]) == 2
    assert "--batch" in capsys.readouterr().err


def test_lines_parsed_by_workers_are_the_lines_read_in_the_parent(engine: Engine, tmp_path: Path) -> None:
    """With worker processes the parent hands each line over unparsed (read_jsonl_lines) and the worker parses
    it: every kind of bad line gives the same item, error and location as when the parent parses it."""
    from credit_rules.limits import Limits

    good = [json.dumps(c, ensure_ascii=False) for c in _raw_cases(2)]
    lines = [good[0], "{not json", "", "[1, 2]", '{"a": 1, "a": 2}', '{"case_id": "deep", "x": ' + "[" * 30 + "]" * 30 + "}",
             "\ufeff" + good[1], good[1]]
    path = tmp_path / "cases.jsonl"
    path.write_bytes("\n".join(lines).encode("utf-8") + b"\n\xff\xfe{\n" + b"x" * 30_000 + b"\n")
    limits = Limits(max_depth=20, max_file_bytes=20_000)
    parsed = list(read_jsonl(path, limits))
    handed = list(read_jsonl_lines(path, limits))
    assert any(isinstance(h, RawLine) for h in handed) and any(isinstance(h, RawCase) for h in handed)  # the long line
    assert [h.parse() if isinstance(h, RawLine) else h for h in handed] == parsed
    assert [r.line for r in parsed] == [1, 2, 4, 5, 6, 7, 8, 9, 10]
    assert sum(r.error is not None for r in parsed) == 7 and parsed[0].error is None and parsed[6].error is None
    want = list(decide_many_json(engine, parsed))
    assert list(decide_many_json(engine, handed)) == want
    assert list(decide_many_json(engine, handed, processes=2, chunk_size=3)) == want
    assert list(decide_many_json(engine, handed, compact=True, columnar=True, processes=2, chunk_size=4)) == list(
        decide_many_json(engine, parsed, compact=True)
    )


# --------------------------------------------------- a file written a chunk at a time


def _with_an_id(tmp_path: Path) -> tuple[Path, str]:
    """A batch whose case ids hold a valid resident ID (one also in a bad line's error): what masking must hide."""
    from credit_rules.identifiers import resident_id_check_char

    first17 = "11010119900307001"
    ident = first17 + resident_id_check_char(first17)
    good = [json.dumps({**c, "case_id": f"{ident}-{i}"}, ensure_ascii=False) for i, c in enumerate(_raw_cases(5))]
    bad = json.dumps({"case_id": f"{ident}-bad", "jurisdiction": ident})
    return _write_jsonl(tmp_path / "cases.jsonl", [*good[:3], bad, *good[3:]]), ident


@pytest.mark.parametrize("compact", [False, True])
@pytest.mark.parametrize("basis", [None, "consent on file"])
def test_an_out_file_written_in_blocks_holds_the_bytes_written_line_by_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], compact: bool, basis: str | None
) -> None:
    """``--out`` from a file goes through :func:`decide_many_blocks` (each chunk's lines masked and encoded where
    they were decided); standard output goes line by line through the CLI's masking pass.  Both write the same
    bytes, with one process or two, masked unless a disclosure basis is given."""
    path, ident = _with_an_id(tmp_path)
    extra = [*(["--compact"] if compact else []), *(["--disclosure-basis", basis] if basis else [])]
    assert main(["decide", "--batch", str(path), *extra]) == 1  # the bad line; stdout through the masking pass
    want = capsys.readouterr().out.encode("utf-8")
    assert (ident in want.decode("utf-8")) == (basis is not None)
    for processes in ("1", "2"):
        out = tmp_path / f"out-{processes}.jsonl"
        assert main(["decide", "--batch", str(path), "--out", str(out), "--processes", processes, *extra]) == 1
        assert out.read_bytes() == want, processes
        assert "1 of 6 cases not decided" in capsys.readouterr().err
    assert not list(tmp_path.glob(".credit-rules-*"))  # the spool folder of the two-process run is gone


def test_workers_spool_their_chunks_beside_the_out_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    """With workers, ``--out FILE`` is written from the files the workers spooled their chunks to, copied by the
    kernel or, where it cannot (``os.sendfile`` refused), through memory: the same bytes either way, and the
    private spool folder is removed, also when the copy fails (a full disk is the --out file's error, exit 2)."""
    import errno

    from credit_rules.commands import decide as decide_command

    path, _ = _with_an_id(tmp_path)
    assert main(["decide", "--batch", str(path), "--compact"]) == 1
    want = capsys.readouterr().out.encode("utf-8")
    copied: list[str] = []
    real_append = decide_command._append

    def spy(out: Any, chunk: str, spool: str | None) -> None:
        copied.append(chunk)
        assert Path(chunk).parent.name.startswith(".credit-rules-") and Path(chunk).parent.parent == tmp_path
        assert Path(chunk).stat().st_mode & 0o077 == 0 and Path(chunk).parent.stat().st_mode & 0o077 == 0
        real_append(out, chunk, spool)
        assert not Path(chunk).exists()

    monkeypatch.setattr(decide_command, "_append", spy)
    out = tmp_path / "out.jsonl"
    argv = ["decide", "--batch", str(path), "--compact", "--out", str(out), "--processes", "2"]
    assert main(argv) == 1 and out.read_bytes() == want
    assert len(copied) == 2
    capsys.readouterr()

    def no_sendfile(*_: object) -> int:
        raise OSError(errno.EINVAL, "not between these files")

    monkeypatch.setattr(os, "sendfile", no_sendfile)
    out.unlink()
    assert main(argv) == 1 and out.read_bytes() == want
    capsys.readouterr()
    monkeypatch.delattr(os, "sendfile")  # a platform without it
    out.unlink()
    assert main(argv) == 1 and out.read_bytes() == want
    capsys.readouterr()

    def full(out: Any, chunk: str, spool: str | None) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(decide_command, "_append", full)
    assert main(argv) == 2
    assert "No space left on device" in capsys.readouterr().err
    assert not list(tmp_path.glob(".credit-rules-*"))


def test_no_spool_beside_what_is_not_a_regular_file(tmp_path: Path) -> None:
    from credit_rules.commands.decide import _spool_beside

    assert _spool_beside(Path("/dev/null")) is None
    assert _spool_beside(tmp_path / "missing" / "out.jsonl") is None
    out = tmp_path / "out.jsonl"
    out.write_text("", encoding="utf-8")
    made = _spool_beside(out)
    assert made is not None and Path(made).parent == tmp_path and Path(made).stat().st_mode & 0o777 == 0o700


def test_a_relative_out_file_is_spooled_beside_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    path, _ = _with_an_id(tmp_path)
    assert main(["decide", "--batch", str(path), "--compact"]) == 1
    want = capsys.readouterr().out.encode("utf-8")
    monkeypatch.chdir(tmp_path)
    assert main(["decide", "--batch", str(path), "--compact", "--out", "out.jsonl", "--processes", "2"]) == 1
    assert (tmp_path / "out.jsonl").read_bytes() == want
    assert not list(tmp_path.glob(".credit-rules-*"))
    capsys.readouterr()


def test_blocks_are_the_json_lines_masked_one_by_one(engine: Engine, tmp_path: Path) -> None:
    from credit_rules.engine.batch import decide_many_blocks
    from credit_rules.masking import scrub_text

    path, ident = _with_an_id(tmp_path)
    for processes, basis in ((1, None), (2, None), (2, "consent on file")):
        masked = basis is None
        lines = list(decide_many_json(engine, read_jsonl(path), compact=True, disclosure_basis=basis))
        blocks = list(
            decide_many_blocks(engine, read_jsonl_lines(path), masked=masked, processes=processes, chunk_size=4, compact=True, disclosure_basis=basis)
        )
        assert [b.cases for b in blocks] == [4, 2] and [b.failed for b in blocks] == [1, 0]
        want = "".join(scrub_text(line + "\n") if masked else line + "\n" for _, line in lines)
        assert "".join(line + "\n" for b in blocks for line in b.lines) == want
        assert (ident in want) == (not masked)


@pytest.mark.parametrize("processes", [1, 2])
def test_a_block_masks_what_a_line_would_leak(engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, processes: int) -> None:
    """The masking of a block is the output channel's own pass, not only the engine's masking of what it writes:
    a line that held an ID in clear (a defect upstream) is still masked in the file, unless *masked* is off.
    (Workers are forked, so they decide with the patched function too.)"""
    from credit_rules.engine.batch import decide_many_blocks

    path, ident = _with_an_id(tmp_path)

    def leaky(engine: Engine, chunk: list[tuple[int, Any]], *args: object) -> list[tuple[bool, str]]:
        return [(True, json.dumps({"index": i, "note": f"subject {ident}"})) for i, _ in chunk]

    monkeypatch.setattr(batch_module, "_chunk_lines", leaky)
    for masked in (True, False):
        blocks = decide_many_blocks(engine, read_jsonl_lines(path), masked=masked, processes=processes, chunk_size=4, mp_context="fork")
        data = [line for b in blocks for line in b.lines]
        assert len(data) == 6
        assert any(ident in line for line in data) == (not masked)
        spool = tmp_path / f"spool-{masked}"
        spool.mkdir()
        spooled = list(decide_many_blocks(engine, read_jsonl_lines(path), masked=masked, processes=processes, chunk_size=4, mp_context="fork", spool=str(spool)))
        if processes == 1:  # one process: nothing to pass back, the lines stay in memory
            assert [b.spooled for b in spooled] == [None, None]
            continue
        assert all(b.lines == [] and b.spooled is not None and Path(b.spooled).parent == spool for b in spooled)
        text = "".join(Path(b.spooled).read_text(encoding="utf-8") for b in spooled if b.spooled)
        assert text == "".join(line + "\n" for line in data)  # masked in the worker, before it is written


def test_the_batch_command_masks_its_out_file_in_blocks(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    """``decide --batch --out`` asks the blocks to be masked unless a disclosure basis is given (the same leaky line)."""
    path, ident = _with_an_id(tmp_path)
    monkeypatch.setattr(batch_module, "_chunk_lines", lambda engine, chunk, *a: [(True, f'{{"note": "{ident}"}}') for _ in chunk])
    out = tmp_path / "out.jsonl"
    assert main(["decide", "--batch", str(path), "--out", str(out)]) == 0
    assert ident not in out.read_text(encoding="utf-8") and out.read_text(encoding="utf-8").count("\n") == 6
    assert main(["decide", "--batch", str(path), "--out", str(out), "--disclosure-basis", "consent on file"]) == 0
    assert ident in out.read_text(encoding="utf-8")
    capsys.readouterr()


@pytest.mark.parametrize(
    ("total", "processes", "size"),
    [(3_000, 2, 1_500), (50_000, 2, 1_924), (20_000, 2, 2_000), (4_097, 2, 1_025), (1, 2, 1), (3_000, 1, 2_048), (None, 2, 2_048), (200_000, 3, 2_021)],
)
def test_balanced_chunks_leave_no_worker_alone_with_the_last_ones(total: int | None, processes: int, size: int) -> None:
    from credit_rules.engine.batch import balanced_chunk_size

    assert balanced_chunk_size(2_048, total, processes) == size


@settings(max_examples=300, deadline=None)
@given(st.integers(1, 100_000), st.integers(1, 5_000), st.integers(2, 16))
def test_balanced_chunks_are_never_larger_and_end_together(total: int, chunk_size: int, processes: int) -> None:
    """At most *chunk_size*; and dealt in turn, no worker's share passes an equal share by more than about one case
    per chunk it takes (chunks of *chunk_size* can leave one worker a whole chunk more: 2,048 of 3,000)."""
    from credit_rules.engine.batch import balanced_chunk_size

    size = balanced_chunk_size(chunk_size, total, processes)
    assert 1 <= size <= chunk_size
    sizes = [min(size, total - start) for start in range(0, total, size)]
    shares = [sum(sizes[w::processes]) for w in range(processes)]
    assert max(shares) - total / processes <= total / (chunk_size * processes) + 1
