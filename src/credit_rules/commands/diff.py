"""``credit-rules diff --base REF --head REF FIXTURES…``: which decisions a policy change moves, and how.

Case, information and query fixtures are all decided both ways (the one
runner, :mod:`credit_rules.regression.runner`, finds and names them).

Every fixture is decided under both states of the catalogs and rules; the
changes are classified by legal effect (newly refused listing, measure
lengthened, citation changed, …).  Exit codes: 0 nothing changed (or the
changes were written into the fixtures with ``--accept``), 1 something
changed, 2 bad input.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..errors import InputError
from ..masking import scrub_text


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    d = sub.add_parser("diff", help="decide fixtures under two states of the catalogs/rules and classify what changed")
    d.add_argument("fixtures", nargs="+", type=Path, help="fixture files or directories searched for *.case.yaml, *.info.yaml and *.query.yaml")
    d.add_argument("--base", required=True, metavar="REF", help="the state before: a directory (catalogs/ [+ rules/]), a git revision of --repo, or 'shipped'")
    d.add_argument("--head", required=True, metavar="REF", help="the state after, like --base")
    d.add_argument("--repo", type=Path, default=Path("."), metavar="DIR", help="where git revisions are read (a sub-directory selects that part of the tree); default: .")
    d.add_argument("--catalogs", action="append", metavar="DIR", help="catalog layer added on both sides after the REF's own, or 'shipped'; repeatable")
    d.add_argument("--fixture-root", type=Path, metavar="DIR", help="a fixture's base: must lie inside DIR (default: the working directory when the fixtures are below it, else the path given)")
    d.add_argument("--backend", choices=("python", "durable"), default="python")
    d.add_argument("-k", dest="keyword", metavar="EXPR", help="only fixtures whose path::name matches, like pytest -k")
    d.add_argument("--format", choices=("text", "markdown", "md", "html", "json"), default="text")
    d.add_argument("--output", "-o", type=Path, metavar="FILE", help="write the report here instead of stdout")
    d.add_argument("--accept", action="store_true", help="write the head decisions into the changed fixtures' expectations; exit 0")
    d.add_argument("--progress", action="store_true", help="show the progress bar even when stderr is not a terminal")
    d.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from contextlib import ExitStack

    from ..regression.accept import accept
    from ..regression.diff import run_diff
    from ..regression.refs import catalog_dir, resolve_ref
    from ..regression.report import render
    from ..regression.runner import PATTERNS, Progress, collect, select

    extra = [catalog_dir(c) for c in args.catalogs or []]
    items = select(collect(args.fixtures, root=args.fixture_root), args.keyword)
    if not items:
        what = "fixtures matching -k" if args.keyword else f"fixture files ({PATTERNS})"
        raise InputError.one("(command line)", None, "FIXTURES", f"{what} under {' '.join(str(p) for p in args.fixtures)}", "none")
    with ExitStack() as stack:
        base = resolve_ref(args.base, repo=args.repo, stack=stack, option="--base")
        head = resolve_ref(args.head, repo=args.repo, stack=stack, option="--head")
        base_engine = base.engine(extra, args.backend)
        head_engine = head.engine(extra, args.backend)
        progress = Progress(sys.stderr, len(items), Progress.wanted(sys.stderr, args.progress))
        report = run_diff(items, base_engine, head_engine, base.label, head.label, progress)
    # the one masking pass over the whole report (change details carry decision values such as case_id),
    # whether it goes to stdout or to --output
    text = scrub_text(render(report, "markdown" if args.format == "md" else args.format))
    if args.output is not None:
        args.output.parent.mkdir(parents=True, exist_ok=True)
        args.output.write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    if args.accept and not report.errors:
        written = accept(report)
        print(f"accepted: {len(written)} fixture expectation(s) rewritten", file=sys.stderr)
        for ident in written:
            print(f"  {ident}", file=sys.stderr)
        return 0
    return report.exit_code()
