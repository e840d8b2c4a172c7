"""What makes the query register more than self-consistent: a secret key and a witness file.

Why
---
A plain hash chain only proves that the rows agree with each other: anyone
who can write the register file can edit a row and recompute every hash after
it, and ``verify`` says OK.  Two independent defences close that gap, and
``verify`` says which of them it actually checked (docs/security.md):

- **Key (HMAC-SHA256).**  Each row's chain hash is MACed with a secret key
  that is *never stored in the register*: it comes from the environment
  variable ``CREDIT_RULES_REGISTER_KEY`` or a key file (``--key-file``).
  Only a holder of the key can write rows that verify.  The register keeps a
  *key id* (an HMAC of a fixed label, which does not reveal the key) so that
  a wrong key is told apart from edited rows.
- **Witness.**  After each append (or on demand, ``audit anchor``) the head
  hash and its sequence number are appended to a separate, append-only text
  file — ideally on another machine or medium.  A rewritten or truncated
  register no longer contains a head the witness recorded.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from ..errors import InputError, Problem

KEY_ENV: Final = "CREDIT_RULES_REGISTER_KEY"
WITNESS_ENV: Final = "CREDIT_RULES_REGISTER_WITNESS"
MIN_KEY_BYTES: Final = 16
_MAC_LABEL: Final = b"credit_rules.query_register.row\n"
_ID_LABEL: Final = b"credit_rules.query_register.key-id"
_WITNESS_LINE: Final = re.compile(r"^(\d+) ([0-9a-f]{64})$")


@dataclass(frozen=True)
class RegisterKey:
    """A secret MAC key; :attr:`key_id` may be shown and stored, the key never."""

    secret: bytes

    def __repr__(self) -> str:  # never print the secret by accident
        return f"RegisterKey(id={self.key_id})"

    @property
    def key_id(self) -> str:
        return hmac.new(self.secret, _ID_LABEL, hashlib.sha256).hexdigest()[:16]

    def mac(self, row_hash: str) -> str:
        """HMAC-SHA256 of a row's chain hash (which covers the row and, through prev_hash, every row before it)."""
        return hmac.new(self.secret, _MAC_LABEL + row_hash.encode("ascii"), hashlib.sha256).hexdigest()

    def check(self, row_hash: str, mac: object) -> bool:
        return isinstance(mac, str) and hmac.compare_digest(self.mac(row_hash), mac)


def _key(secret: bytes, where: str) -> RegisterKey:
    if len(secret) < MIN_KEY_BYTES:
        raise InputError.one(where, None, "(key)", f"a register key of at least {MIN_KEY_BYTES} bytes", f"{len(secret)} bytes")
    return RegisterKey(secret)


def key_from_file(path: Path) -> RegisterKey:
    """The key in *path* (its bytes, a trailing newline dropped)."""
    try:
        secret = path.read_bytes()
    except OSError as exc:
        raise InputError.one(str(path), None, "(key file)", "a readable key file", exc.strerror or type(exc).__name__) from None
    return _key(secret.rstrip(b"\r\n"), str(path))


def key_from_env(environ: dict[str, str] | None = None) -> RegisterKey | None:
    """The key in ``CREDIT_RULES_REGISTER_KEY``, or None when it is not set."""
    value = (os.environ if environ is None else environ).get(KEY_ENV)
    if value is None or value == "":
        return None
    return _key(value.encode("utf-8"), f"${KEY_ENV}")


def find_key(key_file: Path | None) -> RegisterKey | None:
    """``--key-file`` when given, else the environment variable, else None."""
    return key_from_file(key_file) if key_file is not None else key_from_env()


def find_witness(witness: Path | None) -> Path | None:
    """``--witness`` when given, else ``CREDIT_RULES_REGISTER_WITNESS``, else None."""
    if witness is not None:
        return witness
    value = os.environ.get(WITNESS_ENV)
    return Path(value) if value else None


def anchor(witness: Path, seq: int, head: str) -> None:
    """Append ``seq head`` to the witness file (created when missing) and flush it to disk."""
    try:
        with open(witness, "a", encoding="ascii") as fh:
            fh.write(f"{seq} {head}\n")
            fh.flush()
            os.fsync(fh.fileno())
    except OSError as exc:
        raise InputError.one(str(witness), None, "(witness)", "a witness file that can be appended to", exc.strerror or type(exc).__name__) from None


def read_witness(witness: Path) -> list[tuple[int, str, int]]:
    """Every ``(seq, head, line)`` the witness recorded; a malformed line is a located error."""
    try:
        text = witness.read_text(encoding="ascii")
    except FileNotFoundError:
        raise InputError.one(str(witness), None, "(witness)", "an existing witness file", "no such file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError.one(str(witness), None, "(witness)", "a readable ASCII witness file", str(exc)) from None
    out: list[tuple[int, str, int]] = []
    problems: list[Problem] = []
    for number, line in enumerate(text.splitlines(), start=1):
        match = _WITNESS_LINE.match(line)
        if match is None:
            problems.append(Problem(str(witness), number, "(line)", "'SEQ HEAD' (a sequence number and a 64-digit hex hash)", f"{len(line)} characters"))
            continue
        out.append((int(match.group(1)), match.group(2), number))
    if problems:
        raise InputError(problems)
    return out
