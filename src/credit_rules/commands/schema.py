"""``credit-rules schema``: write JSON Schemas of every format."""

from __future__ import annotations

import argparse
from pathlib import Path


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    s = sub.add_parser("schema", help="write JSON Schemas of every input format")
    s.add_argument("--out", type=Path, default=Path("schemas"))
    s.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from ..schemas import write_schemas

    for path in write_schemas(args.out):
        print(path)
    return 0
