"""Agreement at scale: ``python benchmarks/agreement.py --rows 1000000 [--processes 2] [--seed S]``;
``--measures N``: N drawn cases asking every applicable measure (and some a proposed term), compact lines.

Issue #14's agreement target: the columnar evaluator and the per-case engine give identical determinations,
listing outcomes, reasons, fired rules and list terms on a million generated entries covering every shipped
listing standard. :mod:`national` checks a sample of a few thousand per run (the per-case engine decides a
few hundred to a thousand entries a second); this runs the whole million, in chunks (memory stays flat) spread
over worker processes, and exits 1 on any disagreement, printing the first ones.

With ``--measures N`` the cases are drawn from the shipped 梧州 example (start dates 2019-2026 across every
edition of the national and 梧州 measure lists, the four gravities, the subject kinds, responsible persons, lists,
conduct the measures' own laws name, with and without a listing, some with a proposed measure and term) and
each compact line of ``decide --batch --compact`` (the measures decided column-wise, ``columnar/rows.py``) must
equal the per-case engine's.

Each chunk is rows ``offset … offset+chunk-1`` of the generated table of the seed
(:func:`credit_rules.columnar.generate.generate`, the table ``national.py`` and ``rescan`` benchmarks use), so
the million rows are the first million of that table. Per-case decisions are made lean (no definition trace
entries: no outcome depends on them), as ``decide --compact`` makes them.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import sys
import time
from collections import Counter
from collections.abc import Callable

from credit_rules import Engine
from credit_rules.columnar.entries import to_case
from credit_rules.columnar.evaluate import ColumnarEngine, decide_chunk
from credit_rules.columnar.generate import generate, standards
from credit_rules.engine.evaluation import LEAN

_engine: Engine | None = None
_cengine: ColumnarEngine | None = None


def _init() -> None:
    global _engine, _cengine
    _engine = Engine.load()
    _cengine = ColumnarEngine.of(_engine)
    LEAN.set(True)


def check(job: tuple[int, int, int]) -> tuple[int, list[str], Counter[str], Counter[str], float]:
    """Rows *offset* … *offset*+*n*-1 of the table of *seed* decided both ways: (rows, disagreements (the first 20),
    rows by standard, rows by outcome, seconds)."""
    seed, offset, n = job
    assert _engine is not None and _cengine is not None
    start = time.perf_counter()
    sample = generate(_engine.catalogs, n, seed=seed, offset=offset)
    got = decide_chunk(sample, _cengine)
    wrong: list[str] = []
    by_standard: Counter[str] = Counter()
    by_outcome: Counter[str] = Counter()
    for row, g in zip(sample.iter_rows(named=True), got.iter_rows(named=True), strict=True):
        case = to_case(row)
        d = _engine.decide(case, check_ids=False)
        assert d.listing is not None and d.determination is not None
        want = (d.determination.outcome.value, d.listing.outcome.value, d.listing.reasons, d.listing.fired,
                d.listing.period.years if d.listing.period else None)
        have = (g["determination"], g["outcome"], g["reasons"], g["fired"], g["term_years"])
        if want != have and len(wrong) < 20:
            wrong.append(f"{case.case_id}: per-case {want} != columnar {have}")
        elif want != have:
            wrong.append("…")
        by_standard[row["listing_standard"]] += 1
        by_outcome[d.listing.outcome.value] += 1
    return n, wrong, by_standard, by_outcome, time.perf_counter() - start


_CONDUCT = ("food_safety_crime_prison_sentence", "guarantee_provided", "large_debt_unpaid_when_due", "licence_revoked",
            "major_illegal_record", "tax_or_late_fees_unpaid", "food_safety_violation")
_FIELDS = ("food_drug", "ecology_environment", "engineering_quality", "malicious_wage_arrears", "fire_safety", "product_quality_safety")
_ROLES = ("legal_representative", "principal_responsible_person", "actual_controller", "directly_responsible_person")


def measures_case(seed: int, k: int) -> dict[str, object]:
    """The *k*-th drawn case of *seed* asking every applicable measure (see the module doc)."""
    import json
    import random
    from datetime import date, timedelta
    from pathlib import Path

    from credit_rules.yamlsource import load_file

    rng = random.Random(seed * 1_000_003 + k)
    example = Path(__file__).resolve().parents[1] / "examples" / "cases" / "wuzhou_food_listing.yaml"
    raw: dict[str, object] = json.loads(json.dumps(load_file(example).data, default=str))
    start = date(2019, 1, 1) + timedelta(days=rng.randrange(2922))
    act: dict[str, object] = raw["act"]  # type: ignore[assignment]
    subject: dict[str, object] = raw["subject"]  # type: ignore[assignment]
    raw["case_id"] = f"m-{seed}-{k}"
    act["gravity"] = rng.choice(["minor", "general", "serious", "especially_serious"])
    act["field"] = rng.choice(_FIELDS)
    act["conduct"] = rng.sample(_CONDUCT, rng.randint(0, 3))
    kind = rng.choice(["legal_person", "unincorporated_organisation", "individual_business", "natural_person"])
    subject["kind"] = kind
    if kind == "natural_person":
        subject.pop("uscc", None)
    else:
        subject["responsible_persons"] = [{"role": r, "name": f"某{i}"} for i, r in enumerate(rng.sample(_ROLES, rng.randint(0, 4)))]
    subject["lists"] = rng.sample(["samr_serious_illegal_dishonest_list", "court_judgment_debtor_list"], rng.randint(0, 2))
    if rng.random() < 0.3:
        raw.pop("listing")
    measures: dict[str, object] = {"all_applicable": True, "start": start.isoformat()}
    if rng.random() < 0.3:
        measures["proposed"] = [{"measure": "government_procurement_restriction", "duration_years": rng.randint(1, 12)}]
    raw["measures"] = measures
    return raw


def check_measures(job: tuple[int, int, int]) -> tuple[int, list[str], Counter[str], Counter[str], float]:
    """Drawn cases *offset* … *offset*+*n*-1 of *seed*: the compact batch's lines against the per-case engine's."""
    from credit_rules.engine.batch import _compact_chunk, _decide_one
    import json

    seed, offset, n = job
    assert _engine is not None
    start = time.perf_counter()
    chunk = [(k, measures_case(seed, k)) for k in range(offset, offset + n)]
    got = _compact_chunk(_engine, chunk, None, None)  # type: ignore[arg-type]
    wrong: list[str] = []
    measures: Counter[str] = Counter()
    outcomes: Counter[str] = Counter()
    for (k, raw), (_, line) in zip(chunk, got, strict=True):
        want = _decide_one(_engine, k, raw, None, None, compact=True).to_json_line()
        if line != want:
            wrong.append(f"case {k}: the lines differ" if len(wrong) < 20 else "…")
        item = json.loads(want)
        if not item["ok"]:
            outcomes["(case not decided: " + item["error"].split(": ", 1)[-1][:60] + ")"] += 1
        record = item.get("compact") or {}
        for m in record.get("measures") or []:
            measures[m["measure"]] += 1
            outcomes[m["outcome"]] += 1
    return n, wrong, measures, outcomes, time.perf_counter() - start


Check = Callable[[tuple[int, int, int]], tuple[int, list[str], Counter[str], Counter[str], float]]


def _pooled(check: Check, jobs: list[tuple[int, int, int]], processes: int, total: int, unit: str) -> tuple[int, list[str], Counter[str], Counter[str], float]:
    """*check* over *jobs* on spawned workers (polars' thread pool does not survive a fork): the summed counts,
    the disagreements, and the seconds taken; progress on standard error."""
    started = time.perf_counter()
    done = 0
    wrong: list[str] = []
    covered: Counter[str] = Counter()
    outcomes: Counter[str] = Counter()
    with multiprocessing.get_context("spawn").Pool(processes, initializer=_init) as pool:
        for n, w, c, o, _ in pool.imap_unordered(check, jobs):
            done += n
            wrong += w
            covered.update(c)
            outcomes.update(o)
            print(f"\r{done:,} / {total:,} {unit}, {len(wrong)} disagreements, {time.perf_counter() - started:,.0f} s", end="", file=sys.stderr)
    print(file=sys.stderr)
    return done, wrong, covered, outcomes, time.perf_counter() - started


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--rows", type=int, default=1_000_000)
    p.add_argument("--chunk", type=int, default=10_000)
    p.add_argument("--processes", type=int, default=os.cpu_count() or 1)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--measures", type=int, metavar="N", help="instead: N drawn cases asking every applicable measure (compact lines)")
    args = p.parse_args(argv)
    engine = Engine.load()
    if args.measures:
        jobs = [(args.seed, off, min(1_000, args.measures - off)) for off in range(0, args.measures, 1_000)]
        done, wrong, covered, outcomes, seconds = _pooled(check_measures, jobs, args.processes, args.measures, "cases")
        shipped = {str(getattr(e, "id")) for f in engine.catalogs.files if f.envelope.kind == "measure_lists" for e in f.entries}
        what = (f"measures agreement: {done:,} drawn cases asking every applicable measure (seed {args.seed}), compact batch vs per-case",
                "identical lines", "measures decided", "shipped measures", "measure outcomes")
    else:
        jobs = [(args.seed, off, min(args.chunk, args.rows - off)) for off in range(0, args.rows, args.chunk)]
        done, wrong, covered, outcomes, seconds = _pooled(check, jobs, args.processes, args.rows, "entries")
        shipped = {s.std.id for s in standards(engine.catalogs)}
        what = (f"agreement: {done:,} generated entries (seed {args.seed}), per-case Engine.decide vs columnar",
                "identical (determination, outcome, reasons, fired rules, term)", "entries by standard", "shipped standards", "listing outcomes")
    head, same, counted, of, outcomes_name = what
    print(f"{head}, {args.processes} processes, {seconds:,.0f} s: {same if not wrong else f'{len(wrong)} DISAGREE'}")
    missing = sorted(shipped - set(covered))
    print(f"{counted}: {sum(covered.values()):,} ({len(covered)} of {len(shipped)} {of}{'; missing: ' + ', '.join(missing) if missing else ''})")
    print(f"{outcomes_name}: " + ", ".join(f"{k} {v:,}" for k, v in sorted(outcomes.items())))
    for line in wrong[:20]:
        print("  " + line)
    return 1 if wrong or missing else 0


if __name__ == "__main__":
    raise SystemExit(main())
