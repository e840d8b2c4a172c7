"""The ``credit-rules`` command line.

Exit codes: 0 decided / clean, 1 a check failed, 2 bad input (with a located
message and never a traceback).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from .errors import InputError
from .yamlsource import load_file


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a date YYYY-MM-DD, got {text!r}") from None


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="credit-rules", description="Decide Chinese social-credit questions with reasons and citations.")
    sub = p.add_subparsers(dest="command", required=True)

    d = sub.add_parser("decide", help="decide a case file")
    d.add_argument("case", type=Path)
    d.add_argument("--as-of", type=_date, help="decision date (default: the case's as_of)")
    d.add_argument("--format", choices=("json", "text"), default="text")
    d.add_argument("--lang", choices=("zh", "en"), default="zh")
    d.add_argument("--catalogs", type=Path, action="append", help="catalog directory (default: shipped); repeat to layer")
    d.add_argument("--rules", type=Path, help="rule directory (default: shipped)")
    d.add_argument("--backend", choices=("python", "durable"), default="python")
    d.add_argument("--disclosure-basis", help="law or consent allowing personal identifiers unmasked")

    lint = sub.add_parser("lint", help="check catalogs, rules and case files")
    lint.add_argument("paths", nargs="*", type=Path, help="directories (catalogs or rules) or case files; default: shipped")

    s = sub.add_parser("schema", help="write JSON Schemas of every input format")
    s.add_argument("--out", type=Path, default=Path("schemas"))
    return p


def _decide(args: argparse.Namespace) -> int:
    from .cases import load_case
    from .engine.decide import Engine
    from .render import render_text

    case = load_case(args.case)
    engine = Engine.load(args.catalogs, args.rules, backend=args.backend)
    if args.as_of is None and case.as_of is None:
        raise InputError.one(str(args.case), None, "as_of", "an as_of date in the case or --as-of")
    decision = engine.decide(case, args.as_of, disclosure_basis=args.disclosure_basis)
    sys.stdout.write(decision.to_json() if args.format == "json" else render_text(decision, args.lang))
    return 0


def _lint(paths: Sequence[Path]) -> int:
    from .cases import load_case
    from .catalog.store import load_catalogs
    from .ruleset.loader import MANIFEST, load_ruleset
    from .shipped import shipped_catalogs_dir, shipped_rules_dir

    targets = list(paths) or [shipped_catalogs_dir(), shipped_rules_dir()]
    problems = []
    for path in targets:
        try:
            if path.is_dir() and (path / MANIFEST).exists():
                rs = load_ruleset(path)
                print(f"ok  {path}: {len(rs.rules)} rules")
            elif path.is_dir():
                cats = load_catalogs(path)
                print(f"ok  {path}: {len(cats.files)} catalog files, {len(cats.calendar_files)} calendar years")
            else:
                data = load_file(path).data
                if isinstance(data, dict) and "case_id" in data:
                    load_case(path)
                    print(f"ok  {path}: case")
                else:
                    raise InputError.one(str(path), None, "(file)", "a catalog or rule directory, or a case file")
        except InputError as exc:
            problems += exc.problems
    if problems:
        raise InputError(problems)
    return 0


def _schema(out: Path) -> int:
    from .schemas import write_schemas

    for path in write_schemas(out):
        print(path)
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        if args.command == "decide":
            return _decide(args)
        if args.command == "lint":
            return _lint(args.paths)
        return _schema(args.out)
    except InputError as exc:
        print(exc.render(), file=sys.stderr)
        return 2
    except ImportError as exc:
        print(f"credit-rules: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    raise SystemExit(main())
