"""``credit-rules decide CASE.yaml``: decide one case."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..errors import InputError
from ._common import iso_date


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    d = sub.add_parser("decide", help="decide a case file")
    d.add_argument("case", type=Path)
    d.add_argument("--as-of", type=iso_date, help="decision date (default: the case's as_of)")
    d.add_argument("--format", choices=("json", "text"), default="text")
    d.add_argument("--lang", choices=("zh", "en"), default="zh")
    d.add_argument("--catalogs", type=Path, action="append", help="catalog directory (default: shipped); repeat to layer")
    d.add_argument("--rules", type=Path, help="rule directory (default: shipped)")
    d.add_argument("--backend", choices=("python", "durable"), default="python")
    d.add_argument("--disclosure-basis", help="law or consent allowing personal identifiers unmasked")
    d.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from ..cases import load_case
    from ..engine.decide import Engine
    from ..render import render_text

    case = load_case(args.case)
    engine = Engine.load(args.catalogs, args.rules, backend=args.backend)
    if args.as_of is None and case.as_of is None:
        raise InputError.one(str(args.case), None, "as_of", "an as_of date in the case or --as-of")
    decision = engine.decide(case, args.as_of, disclosure_basis=args.disclosure_basis)
    sys.stdout.write(decision.to_json() if args.format == "json" else render_text(decision, args.lang))
    return 0
