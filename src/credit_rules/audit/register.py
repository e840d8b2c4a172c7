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

A chain alone proves only that the rows agree with each other: anyone who
can write the file can rebuild a consistent chain.  Version 2 registers
therefore add a ``mac`` column — HMAC-SHA256 of each row's hash under a key
that is never stored in the file — and an optional witness file of head
hashes (:mod:`.seal`); :class:`Verification` says which of these it checked.
Version 1 registers (no ``mac`` column) are still read and verified.

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
import os
import sqlite3
import tempfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Final

from .. import masking
from ..errors import InputError, Problem
from ..information.query import QueryDecision, QueryRequest
from .seal import RegisterKey, anchor, read_witness

FORMAT: Final = "credit_rules.query_register"
VERSION: Final = "2"
GENESIS: Final = "0" * 64
COLUMNS_V1: Final = (
    "seq", "at", "query_id", "actor", "role", "purpose", "jurisdiction",
    "subject_kind", "subject_name", "subject_id", "items", "outcome", "reasons", "prev_hash", "hash",
)
COLUMNS: Final = (*COLUMNS_V1, "mac")
VERSIONS: Final[dict[str, tuple[str, ...]]] = {"1": COLUMNS_V1, "2": COLUMNS}
HASHED: Final = COLUMNS_V1[:-1]
BUSY_SECONDS: Final = 60.0

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
    hash TEXT NOT NULL,
    mac TEXT
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
    mac: str | None = None

    def masked(self) -> dict[str, object]:
        """The row as outputs show it: the subject through the masking policy, lists decoded, every other text scrubbed.

        ``query_id``, ``actor`` and ``items`` are free text written by the
        querying system: a resident ID typed there (an officer's own ID as
        actor, a query named after the subject) must not come out in clear.
        """
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
                out[key] = raw
        return {k: v if k in ("subject_name", "subject_id") else masking.scrub_json(v) for k, v in out.items()}


@dataclass(frozen=True)
class Verification:
    """The result of checking a register: OK, or the first broken row and why — and what was proved.

    ``key_checked`` is true only when every row's MAC was checked with the
    key; ``witness_entries`` counts the witness heads that were checked.
    Without either, OK proves internal consistency only (docs/security.md).
    """

    file: str
    ok: bool
    rows: int
    head: str
    broken_at: int | None = None
    seq: int | None = None
    reason: str | None = None
    version: str = VERSION
    keyed: bool = False
    key_checked: bool = False
    key_id: str | None = None
    witness: str | None = None
    witness_entries: int = 0
    witness_last: int | None = None

    def proved(self) -> list[str]:
        """What an OK result does and does not establish, in plain words."""
        out = ["chain: every row links to the one before and matches its hash (internal consistency only: anyone who can write the file can rebuild a consistent chain)"]
        if self.key_checked:
            out.append(f"key: every row carries a valid HMAC-SHA256 under the given key (key id {self.key_id}): the rows were written by a holder of the key and not edited since")
        elif self.keyed:
            out.append(f"NOT proved: the rows' MACs were not checked (no key given; the register says key id {self.key_id}); set CREDIT_RULES_REGISTER_KEY or --key-file")
        else:
            out.append("NOT proved: authenticity — the register has no MACs (created without a key)")
        if self.witness is not None:
            last = f", last at seq {self.witness_last}" if self.witness_last is not None else ""
            out.append(f"witness: the chain holds all {self.witness_entries} heads recorded in {self.witness}{last}: no row up to there was edited, removed or reordered since it was recorded")
        else:
            out.append("NOT proved: that no rows were removed from the end or the whole file rebuilt — check the head against a witness (--witness) or a recorded --head")
        return out

    def render(self) -> str:
        if self.ok:
            return f"OK {self.file}: {self.rows} rows, head {self.head}\n" + "".join(f"  {line}\n" for line in self.proved())
        return f"BROKEN {self.file}: first broken link at row {self.broken_at} (seq {self.seq}): {self.reason}\n"


def _bad(file: str, field: str, expected: str, got: str | None = None) -> InputError:
    return InputError([Problem(file, None, field, expected, got)])


@contextmanager
def _connect(path: Path, *, read_only: bool) -> Iterator[tuple[sqlite3.Connection, str, dict[str, str]]]:
    """An open register: the connection, its format version and its meta table."""
    shown = str(path)
    if not path.exists():
        raise _bad(shown, "(file)", "an existing query register file", "no such file")
    if path.is_dir():
        raise _bad(shown, "(file)", "a query register file", "a directory")
    uri = path.resolve().as_uri() + ("?mode=ro" if read_only else "?mode=rw")
    try:
        conn = sqlite3.connect(uri, uri=True, isolation_level=None, timeout=BUSY_SECONDS)
    except sqlite3.Error as exc:
        raise _bad(shown, "(file)", "a readable SQLite query register", str(exc)) from None
    try:
        version, meta = _check_structure(conn, shown)
        yield conn, version, meta
    except sqlite3.DatabaseError as exc:
        raise _bad(shown, "(file)", "a readable, writable SQLite query register", str(exc)) from None
    finally:
        conn.close()


def _check_structure(conn: sqlite3.Connection, file: str) -> tuple[str, dict[str, str]]:
    """A register has a ``meta`` table naming the format and a ``queries`` table with exactly the columns of its version."""
    try:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    except sqlite3.DatabaseError as exc:
        raise _bad(file, "(file)", "a SQLite query register", str(exc)) from None
    for table in ("meta", "queries"):
        if table not in tables:
            raise _bad(file, f"table {table}", f"a table '{table}' (a credit_rules query register)", "missing")
    try:
        meta = {str(k): str(v) for k, v in conn.execute("SELECT key, value FROM meta").fetchall()}
    except sqlite3.DatabaseError as exc:
        raise _bad(file, "table meta", "the columns key, value", str(exc)) from None
    if meta.get("format") != FORMAT:
        raise _bad(file, "meta.format", repr(FORMAT), repr(meta.get("format")))
    version = meta.get("version")
    if version not in VERSIONS:
        raise _bad(file, "meta.version", " or ".join(repr(v) for v in VERSIONS), repr(version))
    expected = VERSIONS[version]
    columns = tuple(r[1] for r in conn.execute("PRAGMA table_info(queries)"))
    if columns != expected:
        missing = [c for c in expected if c not in columns]
        extra = [c for c in columns if c not in expected]
        raise _bad(file, "table queries", f"the columns {list(expected)}", f"missing {missing}, unexpected {extra}")
    return version, meta


def create_register(path: Path | str, key: RegisterKey | None = None) -> Path:
    """A new, empty register; an existing file is never overwritten.

    The file is built under a temporary name and linked into place in one
    step, so a reader never sees a half-made register and two processes
    creating the same register at once cannot both succeed or corrupt it:
    the loser gets a located "existing file" error (which
    :meth:`QueryRegister.open` treats as "someone else created it").  With
    *key*, the register records the key's id (never the key) and every row
    must carry a MAC under it.
    """
    p = Path(path)
    if p.exists():
        raise _bad(str(p), "(file)", "a path where no file exists yet (a register is never overwritten)", "an existing file")
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{p.name}.", suffix=".tmp", dir=p.parent if str(p.parent) else ".")
    except OSError as exc:
        raise _bad(str(p), "(file)", "a path where a register file can be created", exc.strerror or type(exc).__name__) from None
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        conn = sqlite3.connect(tmp, isolation_level=None)
        try:
            conn.executescript(_SCHEMA)
            meta = [("format", FORMAT), ("version", VERSION)] + ([("key_id", key.key_id)] if key is not None else [])
            conn.executemany("INSERT INTO meta (key, value) VALUES (?, ?)", meta)
        finally:
            conn.close()
        try:
            os.link(tmp, p)
        except FileExistsError:
            raise _bad(str(p), "(file)", "a path where no file exists yet (a register is never overwritten)", "an existing file") from None
    except sqlite3.Error as exc:
        raise _bad(str(p), "(file)", "a path where a register file can be created", str(exc)) from None
    except OSError as exc:
        raise _bad(str(p), "(file)", "a path where a register file can be created", exc.strerror or type(exc).__name__) from None
    finally:
        tmp.unlink(missing_ok=True)
    return p


def _rows(conn: sqlite3.Connection, columns: tuple[str, ...] = COLUMNS) -> Iterator[dict[str, object]]:
    cursor = conn.execute(f"SELECT {', '.join(columns)} FROM queries ORDER BY rowid")
    for values in cursor:
        yield dict(zip(columns, values, strict=True))


def _key_matches(file: str, meta: Mapping[str, str], version: str, key: RegisterKey | None) -> None:
    """Appending needs the key a keyed register was made with, and no key for an unkeyed one (never a mixed chain)."""
    stored = meta.get("key_id")
    if stored is not None and key is None:
        raise _bad(file, "(key)", f"the register key (key id {stored}) in CREDIT_RULES_REGISTER_KEY or --key-file: this register MACs every row", "no key")
    if stored is not None and key is not None and key.key_id != stored:
        raise _bad(file, "(key)", f"the key this register was created with (key id {stored})", f"a key with id {key.key_id}")
    if stored is None and key is not None:
        why = "a version 1 register (no MACs)" if version == "1" else "a register created without a key"
        raise _bad(file, "(key)", "no key for this register, or a new register created with the key", why)


class QueryRegister:
    """An append-only register file of queries (SQLite, standard library only)."""

    def __init__(self, path: Path | str, *, key: RegisterKey | None = None, witness: Path | None = None) -> None:
        self.path = Path(path)
        self.key = key
        self.witness = witness

    @classmethod
    def open(cls, path: Path | str, *, create: bool = True, key: RegisterKey | None = None, witness: Path | None = None) -> QueryRegister:
        """Open a register, creating it when it does not exist (and *create* is true).

        Concurrent first use is safe: when another process creates the file
        first, this one opens what it made.
        """
        p = Path(path)
        if create and not p.exists():
            try:
                create_register(p, key)
            except InputError:
                if not p.exists():
                    raise
        with _connect(p, read_only=True):
            pass
        return cls(p, key=key, witness=witness)

    def append(self, query: QueryRequest, decision: QueryDecision) -> RegisterRow:
        """Register one query and its access decision (allowed or refused); anchor the new head in the witness file."""
        with _connect(self.path, read_only=False) as (conn, version, meta):
            _key_matches(str(self.path), meta, version, self.key)
            columns = VERSIONS[version]
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
                values["mac"] = self.key.mac(str(values["hash"])) if self.key is not None else None
                conn.execute(
                    f"INSERT INTO queries ({', '.join(columns)}) VALUES ({', '.join('?' for _ in columns)})",
                    [values[c] for c in columns],
                )
                if self.witness is not None:
                    # inside the transaction: no other writer can append between the row and its anchor
                    anchor(self.witness, seq, str(values["hash"]))
                conn.execute("COMMIT")
            except BaseException:
                conn.execute("ROLLBACK")
                raise
        return _row(values)

    def anchor(self) -> Verification:
        """Verify the register, then record its head in the witness file (``audit anchor``)."""
        if self.witness is None:
            raise _bad(str(self.path), "(witness)", "a witness file to anchor the head in (--witness or CREDIT_RULES_REGISTER_WITNESS)", "none")
        # a witness that does not exist yet is started here; an existing one must agree with the chain first
        witness = self.witness if self.witness.exists() else None
        result = verify_register(self.path, key=self.key, witness=witness)
        if result.ok and result.rows:
            anchor(self.witness, result.rows, result.head)
        return result

    def rows(self) -> list[RegisterRow]:
        with _connect(self.path, read_only=True) as (conn, version, _):
            return [_row(v) for v in _rows(conn, VERSIONS[version])]

    def verify(self, expected_head: str | None = None) -> Verification:
        return verify_register(self.path, expected_head, key=self.key, witness=self.witness)


def _row(values: Mapping[str, object]) -> RegisterRow:
    def text(name: str) -> str:
        return str(values[name])

    sid = values["subject_id"]
    mac = values.get("mac")
    return RegisterRow(
        seq=int(str(values["seq"])),
        at=text("at"), query_id=text("query_id"), actor=text("actor"), role=text("role"), purpose=text("purpose"),
        jurisdiction=text("jurisdiction"), subject_kind=text("subject_kind"), subject_name=text("subject_name"),
        subject_id=None if sid is None else str(sid), items=text("items"), outcome=text("outcome"),
        reasons=text("reasons"), prev_hash=text("prev_hash"), hash=text("hash"), mac=None if mac is None else str(mac),
    )


def verify_register(
    path: Path | str, expected_head: str | None = None, *, key: RegisterKey | None = None, witness: Path | None = None
) -> Verification:
    """Walk the chain in storage order; the first row whose sequence, link, hash or MAC is wrong is reported.

    With *key*, every row must carry a valid MAC under it (a register that
    records another key id, or none, fails).  With *witness*, every head the
    witness recorded must be the hash of the row with that sequence number.
    Raises :class:`InputError` (file and field named) when the file is not a
    register at all; a register whose rows were tampered with is a
    *verification result*, not bad input.
    """
    p = Path(path)
    shown = str(path)
    prev = GENESIS
    count = 0
    heads: dict[int, str] = {}
    recorded = read_witness(witness) if witness is not None else []
    with _connect(p, read_only=True) as (conn, version, meta):
        stored_id = meta.get("key_id")
        info = {
            "version": version, "keyed": stored_id is not None, "key_checked": key is not None,
            "key_id": key.key_id if key is not None else stored_id, "witness": None if witness is None else str(witness),
        }

        def broken(at: int, seq: int | None, why: str) -> Verification:
            return Verification(shown, False, at - 1, prev, at, seq, why, **info)  # type: ignore[arg-type]

        if key is not None and stored_id != key.key_id:
            why = (
                f"the register records key id {stored_id}, the given key has id {key.key_id}: a wrong key, or the register was rebuilt with another key"
                if stored_id is not None
                else "the register records no key (created without one, or its key id was removed)"
            )
            return broken(1, None, why)
        for position, row in enumerate(_rows(conn, VERSIONS[version]), start=1):
            count = position
            seq = row["seq"]
            seq_int = seq if isinstance(seq, int) else None
            if seq != position:
                why = (
                    f"expected sequence number {position}, found {seq!r}: "
                    + ("a row before it was deleted" if isinstance(seq, int) and seq > position else "rows were reordered or renumbered")
                )
                return broken(position, seq_int, why)
            if row["prev_hash"] != prev:
                why = f"its link to row {position - 1} is broken (prev_hash does not match): rows were deleted, inserted or reordered"
                return broken(position, seq_int, why)
            if row_hash(row) != row["hash"]:
                return broken(position, seq_int, "its content does not match its hash: the row was edited")
            if key is not None and not key.check(str(row["hash"]), row.get("mac")):
                return broken(position, seq_int, "its MAC does not match under the key: the row was edited or written without the key")
            prev = str(row["hash"])
            heads[position] = prev
    for seq_w, head_w, line in recorded:
        if heads.get(seq_w) != head_w:
            what = "is missing" if seq_w not in heads else "has another hash"
            why = f"the witness {witness}:{line} recorded head {head_w[:12]}… at seq {seq_w}; that row {what}: the register was rewritten or truncated"
            return Verification(shown, False, count, prev, min(seq_w, count + 1), seq_w, why, **info)  # type: ignore[arg-type]
    if expected_head is not None and prev != expected_head:
        why = f"the chain ends at head {prev}, not the expected head {expected_head}: rows were removed from the end, or added"
        return Verification(shown, False, count, prev, count + 1, None, why, **info)  # type: ignore[arg-type]
    last = max((w[0] for w in recorded), default=None)
    return Verification(shown, True, count, prev, witness_entries=len(recorded), witness_last=last, **info)  # type: ignore[arg-type]
