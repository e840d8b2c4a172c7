"""``credit-rules audit``: check a query against the access policy, register it, verify the register.

``audit query QUERY.yaml --register FILE`` decides the query (49号(十三)(十四))
and appends it to the register whatever the outcome.  ``audit verify FILE``
walks the hash chain: exit 0 and ``OK …`` with the head hash and what was
proved (with the key: every row's MAC; with a witness: every recorded head),
or exit 1 and the first broken row; a file that is not a register exits 2
with a located message.  ``audit anchor FILE --witness W`` records the head
in the witness file.  ``audit show FILE`` lists the rows, masked.

The key comes from ``--key-file`` or ``CREDIT_RULES_REGISTER_KEY`` and is
never stored in the register; the witness from ``--witness`` or
``CREDIT_RULES_REGISTER_WITNESS`` (docs/security.md).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from ..errors import InputError
from ._common import catalogs_arg, rules_arg


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    audit = sub.add_parser("audit", help="query access checks and the hash-chained query register")
    cmds = audit.add_subparsers(dest="audit_command", required=True)

    q = cmds.add_parser("query", help="check a query file against the access policy and register it")
    q.add_argument("query", type=Path)
    q.add_argument("--register", type=Path, required=True, help="register file (created when missing)")
    q.add_argument("--format", choices=("json", "text"), default="text")
    q.add_argument("--lang", choices=("zh", "en"), default="zh")
    q.add_argument("--catalogs", type=catalogs_arg, action="append")
    q.add_argument("--rules", type=rules_arg)
    q.add_argument("--backend", choices=("python", "durable"), default="python")
    q.add_argument("--disclosure-basis", help="law or consent allowing the subject's identifiers unmasked in this output")
    _seal_options(q)
    q.set_defaults(run=run_query)

    v = cmds.add_parser("verify", help="verify the hash chain of a register; exit 1 at the first broken row")
    v.add_argument("register", type=Path)
    v.add_argument("--head", help="the head hash recorded earlier (detects rows removed from the end)")
    _seal_options(v)
    v.set_defaults(run=run_verify)

    a = cmds.add_parser("anchor", help="verify a register and append its head hash to the witness file")
    a.add_argument("register", type=Path)
    _seal_options(a)
    a.set_defaults(run=run_anchor)

    s = cmds.add_parser("show", help="list the rows of a register (masked)")
    s.add_argument("register", type=Path)
    s.add_argument("--format", choices=("json", "text"), default="text")
    s.set_defaults(run=run_show)


def _seal_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--key-file", type=Path, metavar="FILE", help="the register's MAC key (default: $CREDIT_RULES_REGISTER_KEY); never stored in the register")
    p.add_argument("--witness", type=Path, metavar="FILE", help="append-only witness file of head hashes (default: $CREDIT_RULES_REGISTER_WITNESS)")


def run_query(args: argparse.Namespace) -> int:
    from ..information.query import QueryRequest, decide_query
    from ..audit.register import QueryRegister
    from ..engine.decide import Engine
    from ..information.render import render_query
    from ..validation import validate
    from ..yamlsource import load_file
    from .info import scrubbed

    try:
        src = load_file(args.query)
        query = validate(QueryRequest, src)
        engine = Engine.load(args.catalogs, args.rules, backend=args.backend)
        decision = decide_query(engine, query, disclosure_basis=args.disclosure_basis, origin=src)
        from ..audit.seal import find_key, find_witness

        register = QueryRegister.open(args.register, key=find_key(args.key_file), witness=find_witness(args.witness))
        register.append(query, decision)
    except InputError as exc:
        raise scrubbed(exc) from None
    sys.stdout.write(decision.to_json() if args.format == "json" else render_query(decision, args.lang))
    return 0


def run_verify(args: argparse.Namespace) -> int:
    from ..audit.register import verify_register
    from ..audit.seal import find_key, find_witness

    result = verify_register(args.register, args.head, key=find_key(args.key_file), witness=find_witness(args.witness))
    sys.stdout.write(result.render())
    return 0 if result.ok else 1


def run_anchor(args: argparse.Namespace) -> int:
    from ..audit.register import QueryRegister
    from ..audit.seal import find_key, find_witness

    result = QueryRegister(args.register, key=find_key(args.key_file), witness=find_witness(args.witness)).anchor()
    sys.stdout.write(result.render())
    if result.ok:
        print(f"anchored seq {result.rows} head {result.head} in {find_witness(args.witness)}", file=sys.stderr)
    return 0 if result.ok else 1


def run_show(args: argparse.Namespace) -> int:
    from ..audit.register import QueryRegister

    rows = QueryRegister(args.register).rows()
    if args.format == "json":
        sys.stdout.write(json.dumps([r.masked() for r in rows], ensure_ascii=False, indent=2, sort_keys=True) + "\n")
        return 0
    for row in rows:
        shown = row.masked()  # every field through the one masking policy, not only the subject
        print(f"{shown['seq']:>5} {shown['at']} {shown['actor']} {shown['role']}/{shown['purpose']} {shown['subject_name']} {shown['subject_id'] or ''} "
              f"{json.dumps(shown['items'], ensure_ascii=False)} -> {shown['outcome']} {json.dumps(shown['reasons'], ensure_ascii=False)} {row.hash[:12]}")
    return 0
