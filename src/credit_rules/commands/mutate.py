"""``credit-rules mutate [FIXTURES…]``: would the fixtures catch a drafting error?

Generates one-point mutants of the catalogs and rules (a threshold ±1, a date ±1 day, a flag flipped, an item
dropped from a list, an operator shifted, a rule's effect weakened, an exception dropped), runs the fixture
suite against each in memory, and reports the mutation score with every survivor's location, legal meaning
and the boundary fixture that would kill it.

Exit codes: 0 the score is at least ``--fail-under`` (or none was asked), 1 it is below, 2 bad input (an
unreadable fixture, catalog or rule file, or a suite that already fails on the unmutated data).
"""

from __future__ import annotations

import argparse
import fnmatch
import os
import sys
from pathlib import Path

from ..errors import InputError


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    m = sub.add_parser("mutate", help="mutation testing: change one legal datum at a time and see whether some fixture notices")
    m.add_argument("paths", nargs="*", type=Path, default=[Path(".")], help="fixture files or directories (*.case.yaml, *.info.yaml, *.query.yaml; default: .)")
    m.add_argument("--catalogs", action="append", metavar="DIR", help="catalog directory, or 'shipped' (default: shipped); repeat to layer")
    m.add_argument("--rules", metavar="DIR", help="rule directory, or 'shipped' (default: shipped)")
    m.add_argument("--mutate", action="append", metavar="DIR", help="a catalog root to mutate, or 'shipped' (default: every --catalogs root); repeat")
    m.add_argument("--fixture-root", type=Path, metavar="DIR", help="a fixture's base must lie inside DIR")
    m.add_argument("--only", choices=("catalogs", "rules"), help="mutate only the catalogs or only the rules")
    m.add_argument("--file", action="append", metavar="GLOB", dest="file_globs",
                   help="mutate only files whose shown path matches GLOB (e.g. '*/measure_lists.2024.yaml'); repeat")
    m.add_argument("--budget", type=int, metavar="N", help="judge at most N mutants, sampled with --seed (default: all)")
    m.add_argument("--seed", type=int, default=0, help="the sampling seed (default 0): the same seed gives the same mutants")
    m.add_argument("--processes", type=int, default=1, metavar="N", help="worker processes (at most the CPU count)")
    m.add_argument("--format", choices=("text", "json", "html"), default="text")
    m.add_argument("--limit", type=int, default=50, metavar="N", help="survivors listed in the text report (default 50)")
    m.add_argument("--equivalent", action="append", type=Path, metavar="FILE",
                   help="a file recording legally equivalent mutants with why (left out of the score); repeat")
    m.add_argument("--fail-under", type=float, metavar="PCT", help="exit 1 when the score is below PCT")
    m.add_argument("--progress", action="store_true", help="show progress even when stderr is not a terminal")
    m.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from ..mutation.report import as_html, as_json, render_text, score
    from ..mutation.equivalent import load_equivalents, stale
    from ..mutation.run import Tree, mark_equivalent, run as run_mutants, sample
    from ..regression.refs import catalog_dir, rules_dir
    from ..regression.runner import Progress, collect
    from ..shipped import shipped_catalogs_dir, shipped_rules_dir

    cpus = os.cpu_count() or 1
    if args.processes < 1 or args.processes > cpus:
        raise InputError.one("(command line)", None, "--processes", f"a number from 1 to the CPU count ({cpus})", str(args.processes))
    if args.budget is not None and args.budget < 1:
        raise InputError.one("(command line)", None, "--budget", "a positive number of mutants", str(args.budget))
    catalogs = [catalog_dir(c) for c in args.catalogs] if args.catalogs else [shipped_catalogs_dir()]
    rules = rules_dir(args.rules) if args.rules else shipped_rules_dir()
    items = collect(args.paths, root=args.fixture_root)
    errors = [p for i in items if i.error is not None for p in i.error.problems]
    if errors:
        raise InputError(errors)
    fixtures = [i for i in items if i.fixture is not None]
    if not fixtures:
        what = "fixture files (*.case.yaml, *.info.yaml, *.query.yaml)"
        raise InputError.one("(command line)", None, "PATH", f"{what} under {' '.join(map(str, args.paths))}", "none")
    mutable = [catalog_dir(c) for c in args.mutate] if args.mutate else None
    if mutable is not None:
        given = {c.resolve() for c in catalogs}
        stray = [str(m) for m in mutable if m.resolve() not in given]
        if stray:
            raise InputError.one("(command line)", None, "--mutate", "one of the --catalogs roots", ", ".join(stray))
    registry = [e for f in args.equivalent or () for e in load_equivalents(f)]
    tree = Tree.read(catalogs, rules, mutable)
    every = tree.mutants(args.only)
    if args.file_globs:
        every = [(p, m) for p, m in every if any(fnmatch.fnmatchcase(m.file, g) for g in args.file_globs)]
        if not every:
            files = sorted({m.file for _, m in tree.mutants(args.only)})
            raise InputError.one("(command line)", None, "--file", f"a pattern matching a mutated file, e.g. {files[0] if files else '*.yaml'}",
                                 ", ".join(args.file_globs))
    chosen = sample(every, args.budget, args.seed)
    bar = Progress(sys.stderr, len(chosen), Progress.wanted(sys.stderr, args.progress))
    outcomes = run_mutants(tree, fixtures, chosen, processes=args.processes, progress=lambda done, total: bar.update(done))
    bar.close()
    outcomes, wrongly = mark_equivalent(tree, outcomes, registry)
    shown_files = {src.file: src for src in tree.files.values()}
    notes = [f"stale equivalent entry (matches no mutant of the data as it is now): {e.source} {e.file} {e.entry or ''} {e.field}"
             for e in stale(registry, [m for _, m in every], shown_files)]
    notes += [f"listed as equivalent but killed by {o.by}: {o.mutant.where} [{o.mutant.operator}]" for o in wrongly]
    if args.format == "json":
        sys.stdout.write(as_json(tree, fixtures, outcomes, notes=notes))
    elif args.format == "html":
        sys.stdout.write(as_html(tree, fixtures, outcomes))
    else:
        sys.stdout.write(render_text(tree, fixtures, outcomes, limit=args.limit, notes=notes))
    s = score(outcomes)
    if args.fail_under is not None and s.percent < args.fail_under:
        print(f"mutation score {s.percent:.1f}% is under --fail-under {args.fail_under:g}%", file=sys.stderr)
        return 1
    return 0
