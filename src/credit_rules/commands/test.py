"""``credit-rules test PATH…``: run fixture suites against the shipped or given catalogs and rules.

Case (``*.case.yaml``), information (``*.info.yaml``) and query
(``*.query.yaml``) fixtures are all run, by the one runner
(:mod:`credit_rules.regression.runner`) that ``diff`` and the pytest plugin
use too; the report, ``--junit-xml`` and ``--coverage`` include every kind.

Exit codes: 0 every fixture passed (and coverage is above ``--fail-under``),
1 a fixture failed (or coverage is too low), 2 bad input — a fixture, catalog
or rule file that cannot be read, reported with file, line and field.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from ..errors import InputError


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    t = sub.add_parser("test", help="run fixture files (*.case.yaml, *.info.yaml, *.query.yaml) and report which decisions differ from expectations")
    t.add_argument("paths", nargs="*", type=Path, default=[Path(".")], help="fixture files or directories searched for *.case.yaml, *.info.yaml and *.query.yaml (default: .)")
    t.add_argument("--catalogs", action="append", metavar="DIR", help="catalog directory, or 'shipped' (default: shipped); repeat to layer")
    t.add_argument("--rules", metavar="DIR", help="rule directory, or 'shipped' (default: shipped)")
    t.add_argument("--fixture-root", type=Path, metavar="DIR", help="a fixture's base: must lie inside DIR (default: the working directory when the fixtures are below it, else the path given)")
    t.add_argument("--backend", choices=("python", "durable"), default="python")
    t.add_argument("-k", dest="keyword", metavar="EXPR", help="run fixtures whose path::name matches: substrings with and/or/not, like pytest -k")
    t.add_argument("--junit-xml", type=Path, metavar="FILE", help="also write the results as JUnit XML")
    t.add_argument("--progress", action="store_true", help="show the progress bar even when stderr is not a terminal")
    t.add_argument("--coverage", action="store_true", help="list every cited paragraph with its passing and failing fixture counts")
    t.add_argument("--fail-under", type=float, metavar="N", help="exit 1 unless N%% of the rules of the question families run are seen both passing and failing (implies --coverage)")
    t.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from ..engine.decide import Engine
    from ..regression.coverage import measure_results, render_coverage
    from ..regression.junit import write_junit
    from ..regression.refs import catalog_dir, rules_dir
    from ..regression.runner import PATTERNS, Progress, collect, exit_code, report, run_items, select

    catalogs = [catalog_dir(c) for c in args.catalogs] if args.catalogs else None
    engine = Engine.load(catalogs, rules_dir(args.rules) if args.rules else None, backend=args.backend)
    items = select(collect(args.paths, root=args.fixture_root), args.keyword)
    if not items:
        what = "fixtures matching -k" if args.keyword else f"fixture files ({PATTERNS})"
        raise InputError.one("(command line)", None, "PATH", f"{what} under {' '.join(str(p) for p in args.paths)}", "none")
    started = time.perf_counter()
    progress = Progress(sys.stderr, len(items), Progress.wanted(sys.stderr, args.progress))
    results = run_items(engine, items, progress)
    seconds = time.perf_counter() - started
    sys.stdout.write(report(results, seconds))
    if args.junit_xml is not None:
        write_junit(results, seconds, args.junit_xml)
    code = exit_code(results)
    if args.coverage or args.fail_under is not None:
        cov = measure_results(engine.ruleset, results)
        sys.stdout.write("\n" + render_coverage(cov))
        if args.fail_under is not None and cov.percent < args.fail_under:
            print(f"coverage {cov.percent:.1f}% is under --fail-under {args.fail_under:g}%", file=sys.stderr)
            code = code or 1
    return code
