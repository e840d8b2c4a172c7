"""Who asks: API keys from a config file, each mapped to an authority and its permissions.

The access policy (49号(十三)(十四), DOMAIN F1) judges a query by the asker's role and purpose.  A caller
must not be able to claim a role it does not hold, so the key — not the request body — says which roles
and purposes a caller may query under.  The policy itself (which role may see which category for which
purpose) stays in the catalogs; this file only says who a key belongs to.

Only the SHA-256 of each key is stored (``credit-rules serve --hash-key`` prints it), so the config file
does not hold a usable secret, and keys are never logged: logs name the key's ``id``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from ..catalog.kinds.information import Purpose, QueryRole
from ..errors import InputError, Problem
from ..validation import validate
from ..yamlsource import load_file


class Permission(StrEnum):
    """What a key may do; each endpoint names the one it needs."""

    decide = "decide"  # POST /decisions, /decisions/batch
    explain = "explain"  # POST /decisions/explain
    repair = "repair"  # POST /repair
    information = "information"  # POST /information/{record,share,publish}
    query = "query"  # POST /queries (refused attempts are registered too)
    catalog = "catalog"  # GET /catalog/…
    disclose = "disclose"  # may pass disclosure_basis: personal identifiers unmasked in its answers
    admin = "admin"  # POST /admin/reload


class KeyEntry(BaseModel):
    """One API key: its public id, the SHA-256 of the secret, the authority holding it, what it may do."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9._-]+$", description="named in logs and the query register")
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$", description="hex SHA-256 of the key (the key itself is never stored)")
    authority: str = Field(min_length=1, description="the authority holding the key, e.g. 梧州市市场监督管理局")
    permissions: list[Permission] = Field(min_length=1)
    query_roles: list[QueryRole] = Field(default_factory=list, description="roles this caller may query under")
    query_purposes: list[Purpose] = Field(default_factory=list, description="purposes this caller may query for")


class KeyFile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    keys: list[KeyEntry] = Field(min_length=1)


@dataclass(frozen=True)
class Caller:
    """An authenticated caller: the key's entry (never the key)."""

    entry: KeyEntry

    @property
    def id(self) -> str:
        return self.entry.id

    def may(self, permission: Permission) -> bool:
        return permission in self.entry.permissions

    def may_query_as(self, role: QueryRole, purpose: Purpose) -> bool:
        return self.may(Permission.query) and role in self.entry.query_roles and purpose in self.entry.query_purposes


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class KeyRing:
    """The keys of one config file, by the hash of the secret."""

    by_hash: Mapping[str, KeyEntry]

    @classmethod
    def empty(cls) -> KeyRing:
        return cls({})

    @classmethod
    def load(cls, path: Path | str) -> KeyRing:
        """Read and check a key file; a bad one is a located InputError (the service does not start)."""
        src = load_file(path)
        parsed = validate(KeyFile, src)
        problems: list[Problem] = []
        seen_ids: set[str] = set()
        by_hash: dict[str, KeyEntry] = {}
        for i, entry in enumerate(parsed.keys):
            if entry.id in seen_ids:
                problems.append(Problem(src.file, src.line_of(("keys", i, "id")), f"keys[{i}].id", "an id used once", entry.id))
            if entry.sha256 in by_hash:
                problems.append(Problem(src.file, src.line_of(("keys", i, "sha256")), f"keys[{i}].sha256", "a key used once", "a key listed twice"))
            seen_ids.add(entry.id)
            by_hash[entry.sha256] = entry
        if problems:
            raise InputError(problems)
        return cls(by_hash)

    def caller(self, presented: str | None) -> Caller | None:
        """The caller a presented key belongs to, or None (unknown or absent)."""
        if not presented:
            return None
        entry = self.by_hash.get(hash_key(presented))
        return Caller(entry) if entry is not None else None


def presented_key(headers: Mapping[str, str]) -> str | None:
    """The key from ``Authorization: Bearer KEY`` or ``X-API-Key: KEY``."""
    auth = headers.get("authorization")
    if auth:
        scheme, _, value = auth.partition(" ")
        if scheme.lower() == "bearer" and value.strip():
            return value.strip()
    key = headers.get("x-api-key")
    return key.strip() if key and key.strip() else None
