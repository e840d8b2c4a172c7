"""``credit-rules lint [PATHS] [--catalogs DIR|shipped …]``: check catalogs, rules, cases and fixtures.

A catalog directory is checked on top of the ``--catalogs`` it layers over
(``lint --catalogs shipped LAYER``): a local layer alone lacks the national
legal bases and domains it refers to.  Case, fixture, information-request
and query files are checked as files, and every id a case names is checked
against the catalogs (``--catalogs`` plus any catalog directory among the
paths; default: shipped), as ``decide`` and ``test`` would.  The word
``shipped`` stands for the shipped catalogs and rules.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import InputError, Problem
from ..yamlsource import load_file
from ._common import catalogs_arg

if TYPE_CHECKING:
    from ..catalog.store import Catalogs


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    lint = sub.add_parser("lint", help="check catalogs, rules, case and fixture files")
    lint.add_argument(
        "paths", nargs="*", type=Path,
        help="catalog or rule directories, 'shipped', case files, fixture files (*.case.yaml); default: shipped",
    )
    lint.add_argument(
        "--catalogs", type=catalogs_arg, action="append", metavar="DIR",
        help="catalogs the checked catalog directories layer over and case ids are checked against; 'shipped'; repeatable",
    )
    lint.add_argument(
        "--stats", action="store_true",
        help="count the legal decision points in rules/ (rules, condition leaves, definitions, parameters) and the facts Python derives",
    )
    lint.set_defaults(run=run)


def _distinct(paths: list[Path]) -> list[Path]:
    """Each directory once (``--catalogs shipped`` and the shipped directory named again would clash)."""
    seen: set[Path] = set()
    out = []
    for p in paths:
        key = p.resolve()
        if key not in seen:
            seen.add(key)
            out.append(p)
    return out


def _is_fixture(data: object, path: Path) -> bool:
    return path.name.endswith(".case.yaml") or (isinstance(data, dict) and ("expect" in data or "cases" in data))


class _Linter:
    def __init__(self, base: list[Path]) -> None:
        self.base = base
        self.layers: list[Path] = []
        self._cats: Catalogs | None = None

    def catalogs(self) -> Catalogs:
        """The catalogs case ids are checked against: --catalogs (default shipped) plus the catalog paths."""
        if self._cats is None:
            from ..catalog.store import load_catalogs
            from ..shipped import shipped_catalogs_dir

            roots = [*(self.base or ([] if self.layers else [shipped_catalogs_dir()])), *self.layers]
            self._cats = load_catalogs(_distinct(roots))
        return self._cats

    def catalog_dir(self, path: Path) -> str:
        from ..catalog.regime_lint import regime_problems
        from ..catalog.store import load_catalogs

        cats = load_catalogs(_distinct([*self.base, path]))
        found = regime_problems(cats)
        if found:
            raise InputError(found)
        from ..catalog.kinds.measures import measure_list_warnings

        for w in measure_list_warnings(cats):  # refused at decision time; a warning here, never a load error
            print(f"warning: {w.render()}", file=sys.stderr)
        over = f" over {', '.join(str(b) for b in self.base)}" if self.base else ""
        return f"{len(cats.files)} catalog files{over}, {len(cats.calendar_files)} calendar years"

    def file(self, path: Path) -> str:
        from ..information.query import QueryRequest
        from ..case_ids import check_case_ids, check_fixture_ids, check_request_ids
        from ..fixtures import load_fixtures
        from ..information.loading import load_request
        from ..model.case import Case
        from ..validation import validate

        src = load_file(path)
        data = src.data
        if _is_fixture(data, path):
            fixtures = load_fixtures(path)
            problems = [p for f in fixtures for p in check_fixture_ids(f, self.catalogs())]
            if problems:
                raise InputError(problems)
            return f"fixture file, {len(fixtures)} case{'s' if len(fixtures) != 1 else ''}"
        if isinstance(data, dict) and "case_id" in data:
            case = validate(Case, src)
            problems = check_case_ids(case, self.catalogs(), src)
            if problems:
                raise InputError(problems)
            return "case"
        if isinstance(data, dict) and "request_id" in data:
            request, origin = load_request(path)
            problems = check_request_ids(request, self.catalogs(), origin)
            if problems:
                raise InputError(problems)
            return "information request"
        if isinstance(data, dict) and "query_id" in data:
            validate(QueryRequest, src)
            return "query"
        raise InputError.one(
            str(path), None, "(file)", "a catalog or rule directory, or a case, fixture, information request or query file"
        )


def run(args: argparse.Namespace) -> int:
    from ..ruleset.loader import MANIFEST, load_ruleset
    from ..shipped import SHIPPED, shipped_catalogs_dir, shipped_rules_dir

    targets: list[Path] = []
    for path in args.paths or ([] if args.catalogs else [Path(SHIPPED)]):
        targets += [shipped_catalogs_dir(), shipped_rules_dir()] if str(path) == SHIPPED else [path]
    linter = _Linter(list(args.catalogs or []))
    linter.layers = [p for p in targets if p.is_dir() and not (p / MANIFEST).exists()]
    if not targets:  # only --catalogs: check that layering
        cats = linter.catalogs()
        print(f"ok  {' + '.join(str(b) for b in linter.base)}: {len(cats.files)} catalog files")
        return 0
    problems: list[Problem] = []
    for path in targets:
        try:
            if path.is_dir() and (path / MANIFEST).exists():
                rs = load_ruleset(path)
                print(f"ok  {path}: {len(rs.rules)} rules, {sum(len(g.members()) for g in rs.definitions.groups.values())} definitions")
                if getattr(args, "stats", False):
                    from ..facts.schema import all_facts
                    from ..ruleset.stats import render_stats, stats

                    print(render_stats(stats(rs, all_facts())))
            elif path.is_dir():
                print(f"ok  {path}: {linter.catalog_dir(path)}")
            else:
                print(f"ok  {path}: {linter.file(path)}")
        except InputError as exc:
            problems += exc.problems
    if problems:
        raise InputError(problems)
    return 0
