"""``credit-rules info``: decide information requests and list the information catalogs in force.

``info decide REQUEST.yaml`` answers may this item be recorded / shared with
this recipient / published, and by when (DOMAIN A1–A4, F2).  ``info catalog
--on DATE`` lists the items in force with their share/publish flags and
which of them are unverified.  Output goes through the masking policy; error
messages are scrubbed of identifiers too (a rejected resident ID is still a
resident ID).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from ..errors import InputError, Problem
from ._common import catalogs_arg, iso_date, rules_arg


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    info = sub.add_parser("info", help="public credit information: record / share / publish decisions, catalogs")
    cmds = info.add_subparsers(dest="info_command", required=True)

    d = cmds.add_parser("decide", help="decide an information request file")
    d.add_argument("request", type=Path)
    d.add_argument("--format", choices=("json", "text"), default="text")
    d.add_argument("--lang", choices=("zh", "en"), default="zh")
    d.add_argument("--catalogs", type=catalogs_arg, action="append", help="catalog directory or 'shipped' (default: shipped); repeat to layer")
    d.add_argument("--rules", type=rules_arg, help="rule directory or 'shipped' (default: shipped)")
    d.add_argument("--backend", choices=("python", "durable"), default="python")
    d.add_argument("--disclosure-basis", help="law or consent allowing the subject's identifiers unmasked in this output")
    d.set_defaults(run=run_decide)

    c = cmds.add_parser("catalog", help="list the information catalog items in force")
    c.add_argument("--on", type=iso_date, required=True, help="date (the engine never reads the clock)")
    c.add_argument("--jurisdiction", default="000000", help="GB/T 2260 code (default: national)")
    c.add_argument("--format", choices=("json", "text"), default="text")
    c.add_argument("--catalogs", type=catalogs_arg, action="append")
    c.set_defaults(run=run_catalog)


def scrubbed(exc: InputError) -> InputError:
    """The same located problems with identifiers in the offending values masked."""
    from ..masking import scrub_text

    return InputError([Problem(p.file, p.line, p.field, p.expected, scrub_text(p.got) if p.got else p.got) for p in exc.problems])


def run_decide(args: argparse.Namespace) -> int:
    from ..case_ids import check_request_ids
    from ..engine.decide import Engine
    from ..information.decide import decide_information
    from ..information.loading import load_request
    from ..information.render import render_information

    try:
        request, origin = load_request(args.request)
        engine = Engine.load(args.catalogs, args.rules, backend=args.backend)
        problems = check_request_ids(request, engine.catalogs, origin)  # a misspelled item is bad input, not a refusal
        if problems:
            raise InputError(problems)
        decision = decide_information(engine, request, disclosure_basis=args.disclosure_basis, origin=origin)
    except InputError as exc:
        raise scrubbed(exc) from None
    sys.stdout.write(decision.to_json() if args.format == "json" else render_information(decision, args.lang))
    return 0


def run_catalog(args: argparse.Namespace) -> int:
    from ..catalog.store import load_catalogs
    from ..information.catalog import items_in_force, period_text
    from ..shipped import shipped_catalogs_dir

    roots = args.catalogs or [shipped_catalogs_dir()]
    cats = load_catalogs(roots, relative_to=Path(roots[0]).parent)
    found_items = items_in_force(cats, args.jurisdiction, args.on)
    if args.format == "json":
        rows = [
            {
                "catalog": f"{f.file.envelope.jurisdiction}:{f.file.envelope.edition}",
                "scope": f.scope.value,
                "category": f.category.id,
                "item": f.item.id,
                "name_zh": f.item.name_zh,
                "shared_with": [k.value for k in f.item.shared_with],
                "share_verified": f.item.share_verified,
                "published": f.item.published,
                "publish_verified": f.item.publish_verified,
                "publication_period": period_text(f.item.publication_period),
                "personal_information": f.item.personal_information,
                "verified": f.item.source.verified and f.category.source.verified,
            }
            for f in found_items
        ]
        sys.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2, sort_keys=True) + "\n")
        return 0
    if not found_items:
        print(f"no information catalog in force on {args.on} for {args.jurisdiction}")
    for f in found_items:
        i = f.item
        flags = ("share " + ",".join(k.value for k in i.shared_with) if i.shared_with else "not shared") + ("" if i.share_verified else "?")
        flags += "; " + ("published" if i.published else "not published") + ("" if i.publish_verified else "?")
        mark = "" if i.source.verified and f.category.source.verified else "  [unverified]"
        catalog = f"{f.file.envelope.jurisdiction}:{f.file.envelope.edition}"
        print(f"{catalog:<22} {f.category.id:<28} {i.id:<30} {flags}{mark}")
    return 0
