"""Issue 15 item 4: the register's MAC key and witness file, what ``verify`` proves, and concurrent first use."""

from __future__ import annotations

import contextlib
import io
import multiprocessing
import sqlite3
import threading
from datetime import timedelta
from pathlib import Path

import pytest

from credit_rules import Engine
from credit_rules.audit import QueryRegister, QueryRequest, decide_query, verify_register
from credit_rules.information.query import QueryDecision
from credit_rules.audit.register import GENESIS, row_hash
from credit_rules.audit.seal import KEY_ENV, RegisterKey
from credit_rules.cli import main
from credit_rules.errors import InputError
from credit_rules.validation import validate
from credit_rules.yamlsource import load_file

from .conftest import ROOT

BASES = ROOT / "tests" / "fixtures_information" / "base"
SECRET = "register-key-0123456789abcdef"
KEY = RegisterKey(SECRET.encode())


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine.load()


@pytest.fixture(scope="module")
def query_and_decision(engine: Engine) -> tuple[QueryRequest, QueryDecision]:
    q = validate(QueryRequest, load_file(BASES / "query_gov.yaml"))
    return q, decide_query(engine, q)


def _fill(path: Path, qd: tuple[QueryRequest, QueryDecision], n: int = 5, **kw: object) -> QueryRegister:
    register = QueryRegister.open(path, **kw)  # type: ignore[arg-type]
    q, d = qd
    for i in range(n):
        register.append(q.model_copy(update={"query_id": f"q-{i + 1}", "at": q.at + timedelta(minutes=i)}), d)
    return register


def _rebuild(path: Path, edit_seq: int, actor: str, *, keep_macs: bool = True) -> None:
    """What an insider who can write the file but has no key can do: edit a row and recompute the whole chain."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.row_factory = sqlite3.Row
    try:
        conn.execute("DROP TRIGGER queries_append_only_update")
        conn.execute("DROP TRIGGER queries_append_only_delete")
        rows = [dict(r) for r in conn.execute("SELECT * FROM queries ORDER BY seq")]
        conn.execute("DELETE FROM queries")
        prev = GENESIS
        for row in rows:
            if row["seq"] == edit_seq:
                row["actor"] = actor
            row["prev_hash"] = prev
            row["hash"] = row_hash(row)
            if not keep_macs:
                row["mac"] = None
            prev = row["hash"]
            conn.execute(f"INSERT INTO queries ({', '.join(row)}) VALUES ({', '.join('?' for _ in row)})", list(row.values()))
    finally:
        conn.close()


def _cli(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(args))
    return code, out.getvalue(), err.getvalue()


def test_a_rebuilt_chain_fools_the_plain_check_but_not_the_key(tmp_path: Path, query_and_decision: tuple[QueryRequest, QueryDecision]) -> None:
    path = tmp_path / "r.sqlite"
    _fill(path, query_and_decision, key=KEY)
    assert verify_register(path, key=KEY).ok
    _rebuild(path, 3, "someone-else")
    plain = verify_register(path)
    assert plain.ok and not plain.key_checked  # without the key a consistent chain is all that can be checked …
    assert any(line.startswith("NOT proved: the rows' MACs were not checked") for line in plain.proved())
    keyed = verify_register(path, key=KEY)  # … the key finds the rewritten row
    assert not keyed.ok and keyed.broken_at == 3 and "MAC" in (keyed.reason or "")


def test_removing_macs_or_the_key_id_does_not_help(tmp_path: Path, query_and_decision: tuple[QueryRequest, QueryDecision]) -> None:
    path = tmp_path / "r.sqlite"
    _fill(path, query_and_decision, key=KEY)
    _rebuild(path, 2, "x", keep_macs=False)
    assert verify_register(path, key=KEY).broken_at == 1  # every MAC was removed
    sqlite3.connect(path, isolation_level=None).execute("DELETE FROM meta WHERE key = 'key_id'").connection.close()
    result = verify_register(path, key=KEY)
    assert not result.ok and "records no key" in (result.reason or "")


def test_a_wrong_key_is_reported_as_such(tmp_path: Path, query_and_decision: tuple[QueryRequest, QueryDecision]) -> None:
    path = tmp_path / "r.sqlite"
    _fill(path, query_and_decision, 2, key=KEY)
    result = verify_register(path, key=RegisterKey(b"another-key-of-enough-length"))
    assert not result.ok and "wrong key" in (result.reason or "")


def test_the_key_is_never_stored_and_the_cli_takes_it_from_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "q.sqlite"
    monkeypatch.setenv(KEY_ENV, SECRET)
    code, _, err = _cli("audit", "query", str(BASES / "query_gov.yaml"), "--register", str(path))
    assert code == 0, err
    assert SECRET.encode() not in path.read_bytes()
    code, out, _ = _cli("audit", "verify", str(path))
    assert code == 0 and "key: every row carries a valid HMAC-SHA256" in out
    monkeypatch.delenv(KEY_ENV)
    code, out, _ = _cli("audit", "verify", str(path))
    assert code == 0 and "NOT proved: the rows' MACs were not checked" in out
    code, _, err = _cli("audit", "query", str(BASES / "query_gov.yaml"), "--register", str(path))
    assert code == 2 and "this register MACs every row" in err  # no unkeyed rows in a keyed register
    key_file = tmp_path / "key"
    key_file.write_text(SECRET + "\n", encoding="utf-8")
    code, out, _ = _cli("audit", "verify", str(path), "--key-file", str(key_file))
    assert code == 0 and "key: every row" in out


def test_a_short_key_and_a_key_for_an_unkeyed_register_are_bad_input(tmp_path: Path, query_and_decision: tuple[QueryRequest, QueryDecision], monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "q.sqlite"
    monkeypatch.setenv(KEY_ENV, "short")
    code, _, err = _cli("audit", "verify", str(path))
    assert code == 2 and "at least 16 bytes" in err
    _fill(path, query_and_decision, 1)
    with pytest.raises(InputError) as exc:
        _fill(path, query_and_decision, 1, key=KEY)
    assert "created without a key" in exc.value.render()


def test_the_witness_exposes_truncation_and_rebuilding(tmp_path: Path, query_and_decision: tuple[QueryRequest, QueryDecision]) -> None:
    path, witness = tmp_path / "r.sqlite", tmp_path / "witness.txt"
    _fill(path, query_and_decision, 4, witness=witness)
    assert len(witness.read_text(encoding="ascii").splitlines()) == 4
    ok = verify_register(path, witness=witness)
    assert ok.ok and ok.witness_entries == 4 and ok.witness_last == 4
    _rebuild(path, 2, "someone-else")
    rebuilt = verify_register(path, witness=witness)
    assert not rebuilt.ok and "rewritten or truncated" in (rebuilt.reason or "")
    assert verify_register(path).ok  # the chain alone cannot tell
    code, out, _ = _cli("audit", "verify", str(path), "--witness", str(witness))
    assert code == 1 and "BROKEN" in out


def test_truncation_is_found_by_the_witness(tmp_path: Path, query_and_decision: tuple[QueryRequest, QueryDecision]) -> None:
    path, witness = tmp_path / "r.sqlite", tmp_path / "w.txt"
    _fill(path, query_and_decision, 3)
    code, _, err = _cli("audit", "anchor", str(path), "--witness", str(witness))
    assert code == 0 and "anchored seq 3" in err
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("DROP TRIGGER queries_append_only_delete")
    conn.execute("DELETE FROM queries WHERE seq = 3")
    conn.close()
    assert verify_register(path).ok
    result = verify_register(path, witness=witness)
    assert not result.ok and "missing" in (result.reason or "")


def test_a_malformed_witness_line_is_located(tmp_path: Path, query_and_decision: tuple[QueryRequest, QueryDecision]) -> None:
    path, witness = tmp_path / "r.sqlite", tmp_path / "w.txt"
    _fill(path, query_and_decision, 1)
    witness.write_text("1 not-a-hash\n", encoding="ascii")
    code, _, err = _cli("audit", "verify", str(path), "--witness", str(witness))
    assert code == 2 and f"{witness}:1: field '(line)'" in err


def test_a_version_1_register_still_verifies(tmp_path: Path, query_and_decision: tuple[QueryRequest, QueryDecision]) -> None:
    path = tmp_path / "r.sqlite"
    _fill(path, query_and_decision, 3)
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("ALTER TABLE queries DROP COLUMN mac")
    conn.execute("UPDATE meta SET value = '1' WHERE key = 'version'")
    conn.close()
    result = verify_register(path)
    assert result.ok and result.rows == 3 and result.version == "1"
    _fill(path, query_and_decision, 1)
    assert verify_register(path).rows == 4


def test_concurrent_first_use_from_threads(tmp_path: Path, query_and_decision: tuple[QueryRequest, QueryDecision]) -> None:
    path = tmp_path / "new.sqlite"
    q, d = query_and_decision
    errors: list[BaseException] = []
    start = threading.Barrier(8)

    def worker(i: int) -> None:
        try:
            start.wait()
            QueryRegister.open(path, key=KEY).append(q.model_copy(update={"query_id": f"t-{i}"}), d)
        except BaseException as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    result = verify_register(path, key=KEY)
    assert result.ok and result.rows == 8
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def _process_worker(args: tuple[str, int, QueryRequest, QueryDecision]) -> str:
    path, i, q, d = args
    QueryRegister.open(path, key=KEY).append(q.model_copy(update={"query_id": f"p-{i}"}), d)
    return "ok"


def test_concurrent_first_use_from_processes(tmp_path: Path, query_and_decision: tuple[QueryRequest, QueryDecision]) -> None:
    path = tmp_path / "new.sqlite"
    q, d = query_and_decision
    with multiprocessing.get_context("fork").Pool(4) as pool:
        assert pool.map(_process_worker, [(str(path), i, q, d) for i in range(8)]) == ["ok"] * 8
    result = verify_register(path, key=KEY)
    assert result.ok and result.rows == 8
