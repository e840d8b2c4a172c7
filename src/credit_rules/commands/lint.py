"""``credit-rules lint [PATHS]``: check catalogs, rules and case files."""

from __future__ import annotations

import argparse
from pathlib import Path

from ..errors import InputError, Problem
from ..yamlsource import load_file


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    lint = sub.add_parser("lint", help="check catalogs, rules and case files")
    lint.add_argument("paths", nargs="*", type=Path, help="directories (catalogs or rules) or case files; default: shipped")
    lint.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from ..audit.access import QueryRequest
    from ..cases import load_case
    from ..catalog.regime_lint import regime_problems
    from ..catalog.store import load_catalogs
    from ..information.loading import load_request
    from ..ruleset.loader import MANIFEST, load_ruleset
    from ..shipped import shipped_catalogs_dir, shipped_rules_dir
    from ..validation import validate

    targets = list(args.paths) or [shipped_catalogs_dir(), shipped_rules_dir()]
    problems: list[Problem] = []
    for path in targets:
        try:
            if path.is_dir() and (path / MANIFEST).exists():
                rs = load_ruleset(path)
                print(f"ok  {path}: {len(rs.rules)} rules")
            elif path.is_dir():
                cats = load_catalogs(path)
                found = regime_problems(cats)
                if found:
                    raise InputError(found)
                print(f"ok  {path}: {len(cats.files)} catalog files, {len(cats.calendar_files)} calendar years")
            else:
                data = load_file(path).data
                if isinstance(data, dict) and "case_id" in data:
                    load_case(path)
                    print(f"ok  {path}: case")
                elif isinstance(data, dict) and "request_id" in data:
                    load_request(path)
                    print(f"ok  {path}: information request")
                elif isinstance(data, dict) and "query_id" in data:
                    validate(QueryRequest, load_file(path))
                    print(f"ok  {path}: query")
                else:
                    raise InputError.one(
                        str(path), None, "(file)", "a catalog or rule directory, or a case, information request or query file"
                    )
        except InputError as exc:
            problems += exc.problems
    if problems:
        raise InputError(problems)
    return 0
