"""``credit-rules explain RECORDS --case CASE.yaml`` / ``--cases CASES.jsonl``: compact records back to full decisions.

A compact record (``decide --compact``, or a line of ``decide --batch
--compact``) states a decision's outcomes, reasons, fired rules and the facts
it read, but not its trace, and not the case (it could not hold a resident ID
unmasked).  ``explain`` takes the records and the case input they were decided
from, checks the rule set, catalogs and case digest against each record,
decides again, checks that the result is exactly the one recorded, and prints
what ``credit-rules decide CASE`` prints (``--format json``: the same bytes).
A batch line is matched to its case by its ``index`` (the position in
CASES.jsonl).  Exit codes: 0 every record explained; 1 a record is a failed
batch line (nothing to explain); 2 bad input, or a record that does not match
its case, rules or catalogs (the message says which field).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import InputError
from ._common import catalogs_arg, rules_arg

if TYPE_CHECKING:
    from ..engine.compact import CompactDecision


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    e = sub.add_parser("explain", help="turn compact decisions (decide --compact) back into full traced decisions")
    e.add_argument("records", type=Path, help="JSON lines: records of 'decide --compact' or lines of 'decide --batch --compact' ('-': stdin)")
    src = e.add_mutually_exclusive_group(required=True)
    src.add_argument("--case", type=Path, help="the case file the (single) record was decided from")
    src.add_argument("--cases", type=Path, metavar="CASES.jsonl", help="the batch input the records were decided from (matched by index)")
    e.add_argument("--index", type=int, action="append", help="explain only the batch line(s) with this index (repeatable)")
    e.add_argument("--format", choices=("json", "text"), default="text")
    e.add_argument("--lang", choices=("zh", "en"), default="zh")
    e.add_argument("--catalogs", type=catalogs_arg, action="append", help="catalog directory or 'shipped' (default: shipped); repeat to layer")
    e.add_argument("--rules", type=rules_arg, help="rule directory or 'shipped' (default: shipped)")
    e.add_argument("--backend", choices=("python", "durable"), default="python")
    e.add_argument("--disclosure-basis", help="law or consent allowing personal identifiers unmasked")
    e.set_defaults(run=run)


def _records(path: Path) -> list[tuple[str, int | None, CompactDecision | None]]:
    """(where, batch index or None, record or None for a failed batch line) for every line of *path*."""
    from ..engine.batch import read_jsonl
    from ..engine.compact import CompactDecision, CompactItem
    from ..validation import validate
    from ..yamlsource import Located

    out: list[tuple[str, int | None, CompactDecision | None]] = []
    for raw in read_jsonl(path):
        where = f"{raw.file}:{raw.line}"
        if raw.error is not None:
            raise InputError.one(raw.file, raw.line, "(line)", "a compact record (JSON)", raw.error)
        src = Located(raw.data, raw.file, {(): raw.line} if raw.line is not None else {})
        if isinstance(raw.data, dict) and "format" in raw.data:
            out.append((where, None, validate(CompactDecision, src)))
        else:
            item = validate(CompactItem, src)
            out.append((where, item.index, item.compact))
    return out


def _chosen(
    records: list[tuple[str, int | None, CompactDecision | None]], wanted: list[int], file: str
) -> list[tuple[str, int | None, CompactDecision | None]]:
    """The records of the batch lines *wanted* (``--index``); an index no line has is a located error, never an
    empty, successful run."""
    present = sorted({r[1] for r in records if r[1] is not None})
    missing = [i for i in dict.fromkeys(wanted) if i not in present]
    if missing:
        if not present:
            expected = "--index only with records of 'decide --batch --compact' (these lines have no index)"
        else:
            span = f"{present[0]}" if len(present) == 1 else f"{present[0]} to {present[-1]}"
            expected = f"the index of a batch line in the records ({len(present)} lines, indexes {span})"
        raise InputError.one(file, None, "--index", expected, ", ".join(map(str, missing)))
    chosen = set(wanted)
    return [r for r in records if r[1] in chosen]


def run(args: argparse.Namespace) -> int:
    from ..case_ids import require_case_ids
    from ..engine.batch import read_jsonl
    from ..engine.compact import explain
    from ..engine.decide import Engine
    from ..model.case import Case
    from ..render import render_text
    from ..validation import validate
    from ..yamlsource import Located
    from .decide import _read_case

    records = _records(args.records)
    if args.index:
        records = _chosen(records, args.index, str(args.records))
    engine = Engine.load(args.catalogs, args.rules, backend=args.backend)
    cases: dict[int, tuple[Case, Located | str]] = {}
    if args.case is not None:
        if len(records) != 1:
            raise InputError.one(str(args.records), None, "(records)", "exactly one record with --case (use --cases for a batch)", str(len(records)))
        single, single_src = _read_case(args.case)
        cases[records[0][1] or 0] = (single, single_src)
    else:
        need = {r[1] for r in records if r[1] is not None}
        for index, raw in enumerate(read_jsonl(args.cases)):
            if index in need:
                if raw.error is not None:
                    raise InputError.one(raw.file, raw.line, "(line)", "a case (JSON)", raw.error)
                located = Located(raw.data, raw.file, {(): raw.line} if raw.line is not None else {})
                cases[index] = (validate(Case, located), located)
    failed = 0
    for where, position, record in records:
        if record is None:  # a batch line that failed: its error says why; there is no decision to explain
            print(f"{where}: batch line {position} has no decision (ok: false)", file=sys.stderr)
            failed += 1
            continue
        found = cases.get(position if position is not None else 0)
        if found is None:
            raise InputError.one(where, None, "index", f"a case at index {position} in {args.cases}", "no such line")
        case, src = found
        require_case_ids(case, engine.catalogs, src)
        decision = explain(engine, record, case, where=where, disclosure_basis=args.disclosure_basis)
        sys.stdout.write(decision.to_json() if args.format == "json" else render_text(decision, args.lang))
    return 1 if failed else 0
