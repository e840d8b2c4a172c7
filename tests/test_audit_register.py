"""The query register: access checked before the query, every query registered, tampering found at its row."""

from __future__ import annotations

import contextlib
import io
import itertools
import sqlite3
from datetime import timedelta
from pathlib import Path

import pytest

from credit_rules import Engine
from credit_rules.audit import QueryRegister, QueryRequest, decide_query, verify_register
from credit_rules.audit.register import GENESIS, row_hash
from credit_rules.cli import main
from credit_rules.errors import InputError
from credit_rules.validation import validate
from credit_rules.yamlsource import load_file

from .conftest import ROOT

BASES = ROOT / "tests" / "fixtures_information" / "base"


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine.load()


def _query(name: str, **update: object) -> QueryRequest:
    q = validate(QueryRequest, load_file(BASES / name))
    return q.model_copy(update=update)


def _filled(engine: Engine, path: Path, n: int = 6) -> QueryRegister:
    """A register of *n* queries, alternately a government query (allowed) and a bank query (refused)."""
    register = QueryRegister.open(path)
    gov, bank = _query("query_gov.yaml"), _query("query_bank_person.yaml")
    for i in range(n):
        q = (gov if i % 2 == 0 else bank).model_copy(update={"query_id": f"q-{i + 1}", "at": gov.at + timedelta(minutes=i)})
        register.append(q, decide_query(engine, q))
    return register


def _tamper(path: Path, *statements: str) -> None:
    """What an insider with write access to the file can do: drop the append-only triggers, then edit."""
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        conn.execute("DROP TRIGGER queries_append_only_update")
        conn.execute("DROP TRIGGER queries_append_only_delete")
        for sql in statements:
            conn.execute(sql)
    finally:
        conn.close()


def _cli(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(args))
    return code, out.getvalue(), err.getvalue()


def test_every_query_is_registered_with_its_outcome(engine: Engine, tmp_path: Path) -> None:
    register = _filled(engine, tmp_path / "r.sqlite", 4)
    rows = register.rows()
    assert [r.seq for r in rows] == [1, 2, 3, 4]
    assert [r.outcome for r in rows] == ["allowed", "refused", "allowed", "refused"]
    assert rows[0].prev_hash == GENESIS and all(b.prev_hash == a.hash for a, b in itertools.pairwise(rows))
    assert rows[1].reasons == '["no_consent_or_basis"]'
    assert rows[0].at == "2023-10-20T09:30:00+08:00"  # the caller's time, never a clock


def test_untouched_register_verifies(engine: Engine, tmp_path: Path) -> None:
    path = tmp_path / "r.sqlite"
    _filled(engine, path)
    result = verify_register(path)
    assert result.ok and result.rows == 6
    code, out, _ = _cli("audit", "verify", str(path))
    assert code == 0 and out.startswith("OK ") and result.head in out


def test_the_file_refuses_update_and_delete(engine: Engine, tmp_path: Path) -> None:
    path = tmp_path / "r.sqlite"
    _filled(engine, path, 2)
    conn = sqlite3.connect(path)
    try:
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            conn.execute("UPDATE queries SET purpose = 'audit_review' WHERE seq = 1")
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            conn.execute("DELETE FROM queries WHERE seq = 2")
    finally:
        conn.close()


def test_an_edited_row_is_found_at_that_row(engine: Engine, tmp_path: Path) -> None:
    path = tmp_path / "r.sqlite"
    _filled(engine, path)
    _tamper(path, "UPDATE queries SET purpose = 'audit_review' WHERE seq = 3")
    result = verify_register(path)
    assert (result.ok, result.broken_at, result.seq) == (False, 3, 3)
    assert "edited" in (result.reason or "")
    code, out, _ = _cli("audit", "verify", str(path))
    assert code == 1 and "row 3 (seq 3)" in out


def test_an_edit_that_also_rewrites_the_hash_is_found_at_the_next_row(engine: Engine, tmp_path: Path) -> None:
    path = tmp_path / "r.sqlite"
    register = _filled(engine, path)
    row = dict(vars(register.rows()[1]))
    assert row["outcome"] == "refused"
    row["outcome"] = "allowed"  # turn a refused query into an allowed one, and re-hash the row
    forged = row_hash(row)
    _tamper(path, f"UPDATE queries SET outcome = 'allowed', hash = '{forged}' WHERE seq = 2")
    result = verify_register(path)
    assert (result.broken_at, result.seq) == (3, 3) and "link" in (result.reason or "")


def test_a_deleted_row_is_found_at_the_row_after_it(engine: Engine, tmp_path: Path) -> None:
    path = tmp_path / "r.sqlite"
    _filled(engine, path)
    _tamper(path, "DELETE FROM queries WHERE seq = 3")
    result = verify_register(path)
    assert (result.ok, result.broken_at, result.seq) == (False, 3, 4)
    assert "deleted" in (result.reason or "")
    code, out, _ = _cli("audit", "verify", str(path))
    assert code == 1 and "row 3 (seq 4)" in out


def test_deleted_and_renumbered_rows_are_found_at_the_gap(engine: Engine, tmp_path: Path) -> None:
    path = tmp_path / "r.sqlite"
    _filled(engine, path)
    _tamper(path, "DELETE FROM queries WHERE seq = 3", "UPDATE queries SET seq = seq - 1 WHERE seq > 3")
    result = verify_register(path)
    assert (result.broken_at, result.seq) == (3, 3) and "link" in (result.reason or "")


def test_reordered_rows_are_found_at_the_first_row_out_of_place(engine: Engine, tmp_path: Path) -> None:
    path = tmp_path / "r.sqlite"
    _filled(engine, path)
    cols = "at, query_id, actor, role, purpose, jurisdiction, subject_kind, subject_name, subject_id, items, outcome, reasons, prev_hash, hash"
    # swap the contents of rows 4 and 5, keeping their sequence numbers (storage order 1,2,3,5,4,6)
    _tamper(
        path,
        f"CREATE TEMP TABLE t AS SELECT seq, {cols} FROM queries WHERE seq IN (4, 5)",
        *[
            f"UPDATE queries SET {c} = (SELECT {c} FROM t WHERE t.seq = CASE queries.seq WHEN 4 THEN 5 ELSE 4 END) WHERE seq IN (4, 5)"
            for c in cols.split(", ")
        ],
    )
    result = verify_register(path)
    assert (result.ok, result.broken_at, result.seq) == (False, 4, 4)


def test_reordered_storage_with_original_sequence_numbers_is_found(engine: Engine, tmp_path: Path) -> None:
    """Rows copied into a new table in another order keep their seq values but not their storage order."""
    path = tmp_path / "r.sqlite"
    _filled(engine, path)
    _tamper(
        path,
        "CREATE TABLE q2 AS SELECT * FROM queries WHERE 0",
        "INSERT INTO q2 SELECT * FROM queries WHERE seq <= 1",
        "INSERT INTO q2 SELECT * FROM queries WHERE seq = 3",
        "INSERT INTO q2 SELECT * FROM queries WHERE seq = 2",
        "INSERT INTO q2 SELECT * FROM queries WHERE seq >= 4",
        "DROP TABLE queries",
        "ALTER TABLE q2 RENAME TO queries",
    )
    result = verify_register(path)
    assert (result.ok, result.broken_at, result.seq) == (False, 2, 3)


def test_rows_removed_from_the_end_need_the_recorded_head(engine: Engine, tmp_path: Path) -> None:
    path = tmp_path / "r.sqlite"
    head = _filled(engine, path).verify().head
    _tamper(path, "DELETE FROM queries WHERE seq = 6")
    assert verify_register(path).ok  # a shorter chain is still a chain …
    result = verify_register(path, head)  # … which the recorded head exposes
    assert not result.ok and result.broken_at == 6
    code, out, _ = _cli("audit", "verify", str(path), "--head", head)
    assert code == 1 and "expected head" in out


@pytest.mark.parametrize(
    ("content", "field"),
    [
        (b"this is not a database, just text\n" * 40, "(file)"),
        (None, "table meta"),
    ],
)
def test_a_file_that_is_not_a_register_exits_2_with_a_located_message(tmp_path: Path, content: bytes | None, field: str) -> None:
    path = tmp_path / "bad.sqlite"
    if content is None:
        sqlite3.connect(path).execute("CREATE TABLE other (x)").connection.close()
    else:
        path.write_bytes(content)
    with pytest.raises(InputError) as exc:
        verify_register(path)
    assert exc.value.problems[0].file == str(path) and exc.value.problems[0].field == field
    code, _, err = _cli("audit", "verify", str(path))
    assert code == 2 and str(path) in err and field in err and "Traceback" not in err


def test_missing_columns_and_missing_file_are_bad_input(engine: Engine, tmp_path: Path) -> None:
    path = tmp_path / "r.sqlite"
    _filled(engine, path, 1)
    _tamper(path, "ALTER TABLE queries DROP COLUMN reasons")
    code, _, err = _cli("audit", "verify", str(path))
    assert code == 2 and "table queries" in err and "reasons" in err
    code, _, err = _cli("audit", "verify", str(tmp_path / "nowhere.sqlite"))
    assert code == 2 and "no such file" in err


def test_audit_show_masks_the_subject(engine: Engine, tmp_path: Path) -> None:
    path = tmp_path / "r.sqlite"
    _filled(engine, path, 2)
    for fmt in ("text", "json"):
        code, out, _ = _cli("audit", "show", str(path), "--format", fmt)
        assert code == 0 and "蒙海燕" not in out and "450421199511110040" not in out and "蒙**" in out


def test_audit_query_command_registers_and_prints_the_decision(tmp_path: Path) -> None:
    path = tmp_path / "q.sqlite"
    example = ROOT / "examples" / "information" / "bank_query.yaml"
    code, out, _ = _cli("audit", "query", str(example), "--register", str(path), "--lang", "en")
    assert code == 0 and "Outcome = allowed" in out and "陈**" in out
    code, out, _ = _cli("audit", "query", str(BASES / "query_bank_person.yaml"), "--register", str(path), "--format", "json")
    assert code == 0 and '"outcome": "refused"' in out
    assert [r.outcome for r in QueryRegister(path).rows()] == ["allowed", "refused"]
    assert verify_register(path).ok
