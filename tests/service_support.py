"""Shared set-up of the service tests: a key file with one key per kind of caller, and an app over it."""

from __future__ import annotations

from pathlib import Path

from credit_rules.service import Settings, create_app
from credit_rules.service.auth import hash_key

from .conftest import ROOT

KEYS = {
    # id: (key, permissions, query roles, query purposes)
    "full": ("test-full-key-0001-abcdefgh", ["decide", "explain", "repair", "information", "query", "catalog", "disclose", "admin"],
             ["financial_institution"], ["financial_services"]),
    "clerk": ("test-clerk-key-0002-abcdefgh", ["decide", "explain", "repair", "information", "query"],
              ["government_department"], ["administrative_supervision"]),
    "reader": ("test-reader-key-0003-abcdefg", ["catalog"], [], []),
}
EXAMPLES = ROOT / "examples"


def auth(who: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {KEYS[who][0]}"}


def write_keys(path: Path) -> Path:
    lines = ["keys:"]
    for ident, (key, perms, roles, purposes) in KEYS.items():
        lines += [
            f"  - id: {ident}", f"    sha256: {hash_key(key)}", "    authority: 梧州市市场监督管理局",
            f"    permissions: [{', '.join(perms)}]", f"    query_roles: [{', '.join(roles)}]", f"    query_purposes: [{', '.join(purposes)}]",
        ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def make_app(tmp: Path, **overrides: object):  # type: ignore[no-untyped-def]
    settings = Settings(keys=str(write_keys(tmp / "keys.yaml")), register=str(tmp / "queries.sqlite"), signals=False, **overrides)  # type: ignore[arg-type]
    return create_app(settings)


def example(name: str) -> str:
    return (EXAMPLES / name).read_text(encoding="utf-8")
