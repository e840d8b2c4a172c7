"""``credit-rules catalog list|show KIND [ID]``: browse what the catalogs define, to write a case without reading YAML.

KIND is one of ``standards`` (with their criteria), ``conduct`` and
``quantities`` (the ids criteria read, and which criteria read them),
``measures``, ``fields``, ``information`` (catalog items), ``regimes``
(credit repair) and ``jurisdictions``.  ``--jurisdiction CODE`` keeps the
layers of that code's chain, ``--on DATE`` the editions in force that day.
Output is text (``--lang zh|en``) or ``--format json``.  The catalogs' maintainer notes (research remarks) are
never printed, except by ``show --notes``, which is for maintainers.  Exit codes: 0 shown,
2 bad input (an unknown KIND or ID, with a did-you-mean).
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from ._common import catalogs_arg, iso_date

_HEADERS = {
    "zh": {"id": "标识", "name": "名称", "jurisdiction": "管辖", "edition": "版本", "effective_from": "施行", "read_by": "读取它的标准.条件",
           "list_kind": "名单", "criteria": "条件数", "group": "组", "domain": "领域", "category": "类", "tiers": "分级", "level": "层级",
           "full_name": "全称", "required_lists": "须在名单", "period_years": "期限(年)"},
    "en": {},
}
_COLUMNS = {
    "standards": ["id", "name", "list_kind", "criteria", "period_years", "jurisdiction", "edition", "effective_from"],
    "conduct": ["id", "read_by"],
    "quantities": ["id", "read_by"],
    "measures": ["id", "name", "group", "required_lists", "jurisdiction", "edition"],
    "fields": ["id", "name", "domain", "category"],
    "information": ["id", "name", "category", "jurisdiction", "edition"],
    "regimes": ["id", "name", "tiers", "edition", "effective_from"],
    "jurisdictions": ["id", "name", "level", "full_name", "edition"],
}


KINDS = tuple(_COLUMNS)
"""What ``catalog list|show`` can browse: the same as :data:`credit_rules.browse.KINDS` (a test checks), named here
so that building the command line does not import the catalog models (most of a cold start)."""


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    cat = sub.add_parser("catalog", help="browse the catalogs: standards and their criteria, conduct and quantity ids, measures …")
    cmds = cat.add_subparsers(dest="catalog_command", required=True)
    for name, help_text in (("list", "list the ids of KIND"), ("show", "show one entry of KIND in full")):
        c = cmds.add_parser(name, help=help_text)
        c.add_argument("kind", choices=KINDS, metavar="KIND", help=f"one of: {', '.join(KINDS)}")
        if name == "show":
            c.add_argument("id", metavar="ID", help="the id (a jurisdiction: its GB/T 2260 code)")
        c.add_argument("--jurisdiction", metavar="CODE", help="only the layers of this jurisdiction's chain (national → … → CODE)")
        c.add_argument("--on", type=iso_date, metavar="DATE", help="only the editions in force on DATE (default: every edition)")
        c.add_argument("--catalogs", type=catalogs_arg, action="append", metavar="DIR", help="catalog directory or 'shipped' (default: shipped); repeat to layer")
        c.add_argument("--format", choices=("text", "json"), default="text")
        c.add_argument("--lang", choices=("zh", "en"), default="zh")
        if name == "show":
            c.add_argument("--notes", action="store_true", help="for maintainers: also print the research notes the catalogs keep (never shown otherwise)")
        c.set_defaults(run=run)


_WIDTH = 60
"""Widest table cell in text output (``catalog show`` and ``--format json`` give everything)."""


def _cell(value: Any, width: int | None = None) -> str:
    if value is None:
        text = "-"
    elif isinstance(value, list):
        text = ", ".join(str(v) for v in value) or "-"
    else:
        text = str(value)
    if width is not None and len(text) > width:
        text = text[: width - 1] + "…"
    return text


def _tree(value: Any, indent: int = 0) -> list[str]:
    pad = "  " * indent
    out: list[str] = []
    if isinstance(value, dict):
        for key, item in value.items():
            if isinstance(item, (dict, list)) and item:
                out.append(f"{pad}{key}:")
                out += _tree(item, indent + 1)
            else:
                out.append(f"{pad}{key}: {_cell(item) if item != [] else '-'}")
    elif isinstance(value, list):
        for item in value:
            lines = _tree(item, indent + 1)
            if lines:
                out.append(f"{pad}- {lines[0].strip()}")
                out += lines[1:]
    else:
        out.append(f"{pad}{_cell(value)}")
    return out


def run(args: argparse.Namespace) -> int:
    from ..browse import Scope, list_rows, show
    from ..case_ids import check_jurisdiction
    from ..catalog.store import load_catalogs
    from ..errors import InputError
    from ..regression.runner import table
    from ..shipped import shipped_catalogs_dir

    cats = load_catalogs(args.catalogs or [shipped_catalogs_dir()])
    if args.jurisdiction is not None:
        wrong = check_jurisdiction(args.jurisdiction, cats)
        if wrong is not None:
            raise InputError.one("(command line)", None, "--jurisdiction", wrong, args.jurisdiction)
    scope = Scope(args.jurisdiction, args.on, args.lang)
    if args.catalog_command == "list":
        rows = list_rows(args.kind, cats, scope)
        if args.format == "json":
            sys.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2) + "\n")
            return 0
        columns = _COLUMNS[args.kind]
        names = _HEADERS[args.lang]
        sys.stdout.write(table([names.get(c, c) for c in columns], [[_cell(r.get(c), _WIDTH) for c in columns] for r in rows]))
        word = "项" if args.lang == "zh" else "entries"
        sys.stdout.write(f"\n{len(rows)} {word}\n")
        return 0
    found = show(args.kind, args.id, cats, scope, notes=args.notes)
    if args.format == "json":
        sys.stdout.write(json.dumps(found if len(found) > 1 else found[0], ensure_ascii=False, indent=2) + "\n")
        return 0
    blocks = ["\n".join(_tree(entry)) for entry in found]
    sys.stdout.write("\n\n".join(blocks) + "\n")
    return 0
