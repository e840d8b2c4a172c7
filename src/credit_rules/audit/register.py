"""The query register (查询使用登记): append-only, hash-chained, in SQLite.

Why a hash chain
----------------
49号(十三) and 梧州(二十一) require every query of credit information to be
registered and reviewable, and leaking, altering or destroying it to be
pursued.  A register that an insider can quietly edit proves nothing, so each
row carries ``hash = sha256(canonical JSON of the row's columns, including
seq and prev_hash)`` and ``prev_hash`` = the previous row's hash (64 zeros
for the first row).  Editing a row breaks its own hash; deleting a row breaks
the next row's sequence number and link; reordering rows breaks the link at
the first row out of place.  :func:`verify_register` reports the first broken
row.  Removing rows from the *end* leaves a valid shorter chain: keep the head
hash that ``verify`` prints somewhere else (a daily report, a second system)
and pass it back as ``expected_head``.

The file also refuses ``UPDATE`` and ``DELETE`` through triggers, which stops
mistakes and casual edits; anyone who can write the file can drop them, which
is what the chain is for.

Canonical JSON: ``json.dumps(row, ensure_ascii=False, sort_keys=True,
separators=(",", ":"))`` over the stored column values (text, integers,
null), encoded as UTF-8.  List columns (``items``, ``reasons``) are stored as
canonical JSON text.  Times are supplied by the caller (ISO 8601 with UTC
offset); the register never reads a clock.

The register stores the subject's identifier in clear: it is the record
reviewers need to see who looked at whom, and it must be protected like the
credit system itself.  Every *output* of it (``credit-rules audit show``)
goes through :mod:`credit_rules.masking`.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Final

from .. import masking
from ..errors import InputError, Problem
from .access import QueryDecision, QueryRequest

FORMAT: Final = "credit_rules.query_register"
VERSION: Final = "1"
GENESIS: Final = "0" * 64
COLUMNS: Final = (
    "seq", "at", "query_id", "actor", "role", "purpose", "jurisdiction",
    "subject_kind", "subject_name", "subject_id", "items", "outcome", "reasons", "prev_hash", "hash",
)
HASHED: Final = COLUMNS[:-1]

_SCHEMA: Final = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE queries (
    seq INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    query_id TEXT NOT NULL,
    actor TEXT NOT NULL,
    role TEXT NOT NULL,
    purpose TEXT NOT NULL,
    jurisdiction TEXT NOT NULL,
    subject_kind TEXT NOT NULL,
    subject_name TEXT NOT NULL,
    subject_id TEXT,
    items TEXT NOT NULL,
    outcome TEXT NOT NULL,
    reasons TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
);
CREATE TRIGGER queries_append_only_update BEFORE UPDATE ON queries
BEGIN SELECT RAISE(ABORT, 'the query register is append-only'); END;
CREATE TRIGGER queries_append_only_delete BEFORE DELETE ON queries
BEGIN SELECT RAISE(ABORT, 'the query register is append-only'); END;
"""


def canonical_json(value: object) -> str:
    """Sorted keys, no whitespace, UTF-8 text; a value JSON cannot hold (a BLOB planted in a column) as its repr."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=repr)


def row_hash(row: Mapping[str, object]) -> str:
    """sha256 over the canonical JSON of the hashed columns (``prev_hash`` included)."""
    payload = {name: row.get(name) for name in HASHED}
    return hashlib.sha256(canonical_json(payload).encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class RegisterRow:
    seq: int
    at: str
    query_id: str
    actor: str
    role: str
    purpose: str
    jurisdiction: str
    subject_kind: str
    subject_name: str
    subject_id: str | None
    items: str
    outcome: str
    reasons: str
    prev_hash: str
    hash: str

    def masked(self) -> dict[str, object]:
        """The row as outputs show it: the subject through the masking policy, lists decoded."""
        out: dict[str, object] = dict(asdict(self))
        rid = self.subject_id if self.subject_kind == masking.NATURAL_PERSON else None
        uscc = None if rid else self.subject_id
        name, ident = masking.mask_subject(self.subject_kind, self.subject_name, resident_id=rid, uscc=uscc)
        out["subject_name"], out["subject_id"] = name, ident
        for key in ("items", "reasons"):
            raw = str(out[key])
            try:
                out[key] = json.loads(raw)
            except ValueError:
                out[key] = masking.scrub_text(raw)
        return out


@dataclass(frozen=True)
class Verification:
    """The result of checking a register: OK, or the first broken row and why."""

    file: str
    ok: bool
    rows: int
    head: str
    broken_at: int | None = None
    seq: int | None = None
    reason: str | None = None

    def render(self) -> str:
        if self.ok:
            return f"OK {self.file}: {self.rows} rows, head {self.head}\n"
        return f"BROKEN {self.file}: first broken link at row {self.broken_at} (seq {self.seq}): {self.reason}\n"


def _bad(file: str, field: str, expected: str, got: str | None = None) -> InputError:
    return InputError([Problem(file, None, field, expected, got)])


@contextmanager
def _connect(path: Path, *, read_only: bool) -> Iterator[sqlite3.Connection]:
    shown = str(path)
    if not path.exists():
        raise _bad(shown, "(file)", "an existing query register file", "no such file")
    if path.is_dir():
        raise _bad(shown, "(file)", "a query register file", "a directory")
    uri = path.resolve().as_uri() + ("?mode=ro" if read_only else "?mode=rw")
    try:
        conn = sqlite3.connect(uri, uri=True, isolation_level=None)
    except sqlite3.Error as exc:
        raise _bad(shown, "(file)", "a readable SQLite query register", str(exc)) from None
    try:
        _check_structure(conn, shown)
        yield conn
    except sqlite3.DatabaseError as exc:
        raise _bad(shown, "(file)", "a readable, writable SQLite query register", str(exc)) from None
    finally:
        conn.close()


def _check_structure(conn: sqlite3.Connection, file: str) -> None:
    """A register has a ``meta`` table naming the format and a ``queries`` table with exactly the columns."""
    try:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    except sqlite3.DatabaseError as exc:
        raise _bad(file, "(file)", "a SQLite query register", str(exc)) from None
    for table in ("meta", "queries"):
        if table not in tables:
            raise _bad(file, f"table {table}", f"a table '{table}' (a credit_rules query register)", "missing")
    try:
        meta = dict(conn.execute("SELECT key, value FROM meta").fetchall())
    except sqlite3.DatabaseError as exc:
        raise _bad(file, "table meta", "the columns key, value", str(exc)) from None
    if meta.get("format") != FORMAT:
        raise _bad(file, "meta.format", repr(FORMAT), repr(meta.get("format")))
    if meta.get("version") != VERSION:
        raise _bad(file, "meta.version", repr(VERSION), repr(meta.get("version")))
    columns = tuple(r[1] for r in conn.execute("PRAGMA table_info(queries)"))
    if columns != COLUMNS:
        missing = [c for c in COLUMNS if c not in columns]
        extra = [c for c in columns if c not in COLUMNS]
        raise _bad(file, "table queries", f"the columns {list(COLUMNS)}", f"missing {missing}, unexpected {extra}")


def create_register(path: Path | str) -> Path:
    """A new, empty register; an existing file is never overwritten."""
    p = Path(path)
    if p.exists():
        raise _bad(str(p), "(file)", "a path where no file exists yet (a register is never overwritten)", "an existing file")
    try:
        conn = sqlite3.connect(p, isolation_level=None)
    except sqlite3.Error as exc:
        raise _bad(str(p), "(file)", "a path where a register file can be created", str(exc)) from None
    try:
        conn.executescript(_SCHEMA)
        conn.executemany("INSERT INTO meta (key, value) VALUES (?, ?)", [("format", FORMAT), ("version", VERSION)])
    finally:
        conn.close()
    return p


def _rows(conn: sqlite3.Connection) -> Iterator[dict[str, object]]:
    cursor = conn.execute(f"SELECT {', '.join(COLUMNS)} FROM queries ORDER BY rowid")
    for values in cursor:
        yield dict(zip(COLUMNS, values, strict=True))


class QueryRegister:
    """An append-only register file of queries (SQLite, standard library only)."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)

    @classmethod
    def open(cls, path: Path | str, *, create: bool = True) -> QueryRegister:
        """Open a register, creating it when it does not exist (and *create* is true)."""
        p = Path(path)
        if create and not p.exists():
            create_register(p)
        with _connect(p, read_only=True):
            pass
        return cls(p)

    def append(self, query: QueryRequest, decision: QueryDecision) -> RegisterRow:
        """Register one query and its access decision (allowed or refused)."""
        with _connect(self.path, read_only=False) as conn:
            conn.execute("BEGIN IMMEDIATE")
            try:
                last = conn.execute("SELECT seq, hash FROM queries ORDER BY rowid DESC LIMIT 1").fetchone()
                seq = int(last[0]) + 1 if last else 1
                s = query.subject
                values: dict[str, object] = {
                    "seq": seq,
                    "at": query.at.isoformat(),
                    "query_id": query.query_id,
                    "actor": query.actor,
                    "role": query.role.value,
                    "purpose": query.purpose.value,
                    "jurisdiction": query.jurisdiction,
                    "subject_kind": s.kind.value,
                    "subject_name": s.name,
                    "subject_id": s.resident_id or s.uscc,
                    "items": canonical_json(list(query.items)),
                    "outcome": decision.result.outcome.value,
                    "reasons": canonical_json(list(decision.result.reasons)),
                    "prev_hash": str(last[1]) if last else GENESIS,
                }
                values["hash"] = row_hash(values)
                conn.execute(
                    f"INSERT INTO queries ({', '.join(COLUMNS)}) VALUES ({', '.join('?' for _ in COLUMNS)})",
                    [values[c] for c in COLUMNS],
                )
                conn.execute("COMMIT")
            except BaseException:
                conn.execute("ROLLBACK")
                raise
        return _row(values)

    def rows(self) -> list[RegisterRow]:
        with _connect(self.path, read_only=True) as conn:
            return [_row(v) for v in _rows(conn)]

    def verify(self, expected_head: str | None = None) -> Verification:
        return verify_register(self.path, expected_head)


def _row(values: Mapping[str, object]) -> RegisterRow:
    def text(name: str) -> str:
        return str(values[name])

    sid = values["subject_id"]
    return RegisterRow(
        seq=int(str(values["seq"])),
        at=text("at"), query_id=text("query_id"), actor=text("actor"), role=text("role"), purpose=text("purpose"),
        jurisdiction=text("jurisdiction"), subject_kind=text("subject_kind"), subject_name=text("subject_name"),
        subject_id=None if sid is None else str(sid), items=text("items"), outcome=text("outcome"),
        reasons=text("reasons"), prev_hash=text("prev_hash"), hash=text("hash"),
    )


def verify_register(path: Path | str, expected_head: str | None = None) -> Verification:
    """Walk the chain in storage order; the first row whose sequence, link or hash is wrong is reported.

    Raises :class:`InputError` (file and field named) when the file is not a
    register at all; a register whose rows were tampered with is a
    *verification result*, not bad input.
    """
    p = Path(path)
    shown = str(path)
    prev = GENESIS
    count = 0
    with _connect(p, read_only=True) as conn:
        for position, row in enumerate(_rows(conn), start=1):
            count = position
            seq = row["seq"]
            seq_int = seq if isinstance(seq, int) else None
            if seq != position:
                why = (
                    f"expected sequence number {position}, found {seq!r}: "
                    + ("a row before it was deleted" if isinstance(seq, int) and seq > position else "rows were reordered or renumbered")
                )
                return Verification(shown, False, position - 1, prev, position, seq_int, why)
            if row["prev_hash"] != prev:
                why = f"its link to row {position - 1} is broken (prev_hash does not match): rows were deleted, inserted or reordered"
                return Verification(shown, False, position - 1, prev, position, seq_int, why)
            if row_hash(row) != row["hash"]:
                return Verification(shown, False, position - 1, prev, position, seq_int, "its content does not match its hash: the row was edited")
            prev = str(row["hash"])
    if expected_head is not None and prev != expected_head:
        why = f"the chain ends at head {prev}, not the expected head {expected_head}: rows were removed from the end, or added"
        return Verification(shown, False, count, prev, count + 1, None, why)
    return Verification(shown, True, count, prev)
