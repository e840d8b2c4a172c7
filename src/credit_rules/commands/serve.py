"""``credit-rules serve``: the REST service (FastAPI + uvicorn) over the shipped or given catalogs and rules.

Catalogs and rules are loaded once, before the service listens; a tree that does not load is exit 2 with the
CLI's located messages.  ``--keys FILE`` maps API keys to authorities and permissions (docs/service.md);
``--hash-key`` prints the SHA-256 to put in that file for a key read from standard input.  SIGTERM or
Ctrl-C stop taking connections and let requests in flight finish (``--graceful-timeout``); SIGHUP reloads
the catalog and rule directories without dropping requests (with ``--workers N``: uvicorn replaces the
workers one by one).  Needs the ``serve`` extra: ``pip install 'credit_rules[serve]'``.
"""

from __future__ import annotations

import argparse
import copy
import os
import sys
from pathlib import Path
from typing import Any

from ..errors import InputError
from ._common import catalogs_arg, rules_arg


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    s = sub.add_parser("serve", help="serve every question family over HTTP (FastAPI + uvicorn; docs/service.md)")
    s.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    s.add_argument("--port", type=int, default=8000, help="port (default 8000)")
    s.add_argument("--catalogs", type=catalogs_arg, action="append", help="catalog directory or 'shipped' (default: shipped); repeat to layer")
    s.add_argument("--rules", type=rules_arg, help="rule directory or 'shipped' (default: shipped)")
    s.add_argument("--backend", choices=("python", "durable"), default="python")
    s.add_argument("--workers", type=int, default=1, metavar="N", help="worker processes (default 1, at most the CPU count)")
    s.add_argument("--keys", type=Path, metavar="FILE", help="API key file: key hashes → authority and permissions (none: every endpoint but /health, /version and the docs answers 401)")
    s.add_argument("--register", type=Path, metavar="FILE", help="query register (created when missing); without it, POST /queries answers 503")
    s.add_argument("--key-file", type=Path, metavar="FILE", help="the register's MAC key (default: $CREDIT_RULES_REGISTER_KEY)")
    s.add_argument("--witness", type=Path, metavar="FILE", help="the register's witness file (default: $CREDIT_RULES_REGISTER_WITNESS)")
    s.add_argument("--max-batch-lines", type=int, default=None, metavar="N", help="cases in one NDJSON batch request (default 10000)")
    s.add_argument("--graceful-timeout", type=int, default=30, metavar="S", help="seconds requests in flight get to finish on shutdown (default 30)")
    s.add_argument("--log-level", choices=("debug", "info", "warning", "error"), default="info")
    s.add_argument("--check", action="store_true", help="load everything, print what would be served, exit (0: it loads)")
    s.add_argument("--hash-key", action="store_true", help="print the SHA-256 of the key on standard input (for the key file) and exit")
    s.set_defaults(run=run)


def _log_config(level: str) -> dict[str, Any]:
    """uvicorn's logging, plus the service's own loggers (JSON access lines) on standard error."""
    from uvicorn.config import LOGGING_CONFIG

    cfg = copy.deepcopy(LOGGING_CONFIG)
    cfg["formatters"]["plain"] = {"format": "%(message)s"}
    cfg["handlers"]["service"] = {"class": "logging.StreamHandler", "formatter": "plain", "stream": "ext://sys.stderr"}
    cfg["loggers"]["credit_rules.service"] = {"handlers": ["service"], "level": level.upper(), "propagate": False}
    return dict(cfg)


def run(args: argparse.Namespace) -> int:
    if args.hash_key:
        from ..service.auth import hash_key

        key = sys.stdin.readline().strip()
        if len(key) < 16:
            raise InputError.one("(stdin)", None, "(key)", "a key of at least 16 characters", f"{len(key)} characters")
        print(hash_key(key))
        return 0
    try:
        import uvicorn

        from ..service import Settings, create_app
        from ..service.settings import DEFAULT_MAX_BATCH_LINES, ENV
    except ImportError as exc:
        raise ImportError(f"the service needs the 'serve' extra (pip install 'credit_rules[serve]'): {exc}") from None
    from ..limits import max_processes

    if not 1 <= args.workers <= max_processes():
        raise InputError.one("(command line)", None, "--workers", f"a number from 1 to {max_processes()} (the CPU count)", str(args.workers))
    if not 0 < args.port < 65536:
        raise InputError.one("(command line)", None, "--port", "a port from 1 to 65535", str(args.port))
    lines = args.max_batch_lines if args.max_batch_lines is not None else DEFAULT_MAX_BATCH_LINES
    if lines < 1:
        raise InputError.one("(command line)", None, "--max-batch-lines", "a number >= 1", str(lines))
    settings = Settings(
        catalogs=tuple(str(c) for c in args.catalogs or ()), rules=str(args.rules) if args.rules else None, backend=args.backend,
        keys=str(args.keys) if args.keys else None, register=str(args.register) if args.register else None,
        register_key_file=str(args.key_file) if args.key_file else None, witness=str(args.witness) if args.witness else None,
        max_batch_lines=lines,
    )
    app = create_app(settings)  # loads and checks everything once, before listening (bad trees: exit 2 here)
    if args.check:
        v = app.state.holder.current.version
        print(f"ruleset {v.ruleset} {v.ruleset_version} {v.ruleset_hash}\ncatalogs {v.catalogs_hash} ({len(v.catalog_editions)} editions)\n"
              f"keys {len(app.state.keys.by_hash)}\nregister {settings.register or '(none: POST /queries answers 503)'}")
        return 0
    common: dict[str, Any] = {
        "host": args.host, "port": args.port, "access_log": False, "log_config": _log_config(args.log_level),
        "timeout_graceful_shutdown": args.graceful_timeout, "server_header": False,
    }
    if args.workers == 1:
        uvicorn.run(app, **common)
    else:  # each worker imports the app by name and reads the settings from the environment
        os.environ[ENV] = settings.to_env()
        uvicorn.run("credit_rules.service.app:app_from_env", factory=True, workers=args.workers, **common)
    return 0
