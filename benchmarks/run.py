"""credit_rules benchmark harness: ``python benchmarks/run.py [--quick]``.

Measures, in one run on this machine (method and latest figures: docs/performance.md):

1. The reference workload (../shared/bench: 12 rules R01-R12, 20 measures
   M01-M20, a fixed-seed case generator) decided by
   (a) credit_rules' default backend, (b) its durable_rules backend,
   (c) a hand-written plain-Python if-chain, plus typed end-to-end variants
   (pydantic model / TypedDict validation, then (a)).  All in one process,
   interleaved, the starting engine rotated each round; throughput is the
   median over rounds, each ratio the median of per-round ratios to (c).
   All implementations must agree on every case: a disagreement is reported
   and the harness exits 1.
2. The shipped rule set: latency of ``Engine.decide`` (full trace) on the
   example cases, on generated realistic cases decided again every round
   (repeated) and on never-seen generated cases (a new slice each round,
   each decided once) (median, p99), sampled in a round after every
   workload round.
3. ``decide_many`` throughput, 1 and 2 processes, JSON lines out; full lines
   and compact records side by side; and ``credit-rules decide --batch``
   end to end (a fresh process: start, load, parse, validate, decide,
   serialise, write), full and ``--compact``.
4. Catalog and rule-set load time (fresh processes, median of 5).
5. Peak memory above the input while streaming 100k cases (fresh process,
   RSS from /proc/self/status).

``--compact-batch [N]`` times only ``decide --batch --compact`` end to end, the per-case engine and the
columnar path side by side (and checks their lines are the same bytes).  ``--compact-batch N --against DIR
[--rounds R]`` times the columnar path of this tree beside that of the source tree DIR (alternating fresh
processes, R rounds) and checks both trees write the same bytes.

``--percase [--against DIR]`` runs benchmarks/percase.py instead: the CPU time of one ``Engine.decide`` with
the full trace (the examples decided again, never-seen cases), this tree beside another source tree in
alternating fresh processes.

``--cold-start [--pairs N]`` runs benchmarks/coldstart.py instead: ``import credit_rules`` and a one-case
``credit-rules decide`` beside ``python -c pass``, round by round, against issue #14's targets (exit 1 when one
is not met).

``--national`` runs benchmarks/national.py instead (the columnar rescan of a
generated national table: agreement, rows/s, peak memory, 26M extrapolation).

Every decision is a pure function of its input: nothing here feeds the clock
into a decision, the clock only times them.
"""

from __future__ import annotations

import argparse
import importlib.metadata
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from pydantic import TypeAdapter  # noqa: E402

import realistic  # noqa: E402
import workload as W  # noqa: E402
from credit_rules import Engine  # noqa: E402
from credit_rules.engine.backend import PythonBackend  # noqa: E402
from credit_rules.engine.batch import decide_many_json  # noqa: E402
from credit_rules.model.case import Case  # noqa: E402

Decide = Callable[[Any], W.Result]

TARGETS = {
    "default_vs_plain": 0.5,
    "default_vs_plain_stretch": 1.0,
    "default_vs_durable": 20.0,
    "typed_cases_per_s": 100_000,
    "real_median_us": 100.0,
    "memory_mb": 50.0,
    "load_ms": 200.0,
    "compact_cases_per_s": 10_000,
}


# ------------------------------------------------------------------ helpers


def _percentile(sorted_values: Sequence[float], q: float) -> float:
    if not sorted_values:
        return float("nan")
    k = min(len(sorted_values) - 1, max(0, round(q * (len(sorted_values) - 1))))
    return sorted_values[k]


def _machine() -> dict[str, str]:
    cpu = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    versions = {}
    for dist in ("credit_rules", "pydantic", "pydantic_core", "durable_rules", "PyYAML"):
        try:
            versions[dist] = importlib.metadata.version(dist)
        except importlib.metadata.PackageNotFoundError:
            versions[dist] = "-"
    return {
        "cpu": cpu,
        "cores": str(os.cpu_count()),
        "python": platform.python_version(),
        **versions,
    }


def _say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


# -------------------------------------------------- 1. reference workload


def workload(n: int, n_durable: int, rounds: int, between_rounds: Callable[[], None] = lambda: None) -> dict[str, Any]:
    from credit_rules.engine.durable_backend import DurableBackend

    cases = W.gen_cases(n)
    rules = W.load_rules()
    python_backend = PythonBackend()
    durable_backend = DurableBackend()
    default = W.make_decider(python_backend, rules)
    durable = W.make_decider(durable_backend, rules)
    plain = W.plain_decide
    as_model = W.WorkloadCase.model_validate
    as_typed_dict = TypeAdapter(W.WorkloadCaseDict).validate_python
    as_model_list = TypeAdapter(list[W.WorkloadCase]).validate_python

    def typed_model(c: Any) -> W.Result:
        return default(as_model(c).__dict__)

    def typed_dict(c: Any) -> W.Result:
        return default(as_typed_dict(c))

    # ---- correctness: every implementation on every case
    _say(f"workload: checking agreement on {n:,} cases (durable_rules included) …")
    expected = [plain(c) for c in cases]
    checks: dict[str, Callable[[], list[W.Result]]] = {
        "default": lambda: [default(c) for c in cases],
        "durable": lambda: [durable(c) for c in cases],
        "typed_model": lambda: [typed_model(c) for c in cases],
        "typed_dict": lambda: [typed_dict(c) for c in cases],
        "typed_model_list": lambda: [default(m.__dict__) for m in as_model_list(cases)],
    }
    disagreements: dict[str, list[int]] = {}
    for name, run in checks.items():
        got = run()
        bad = [i for i, (a, b) in enumerate(zip(got, expected, strict=True)) if a != b]
        disagreements[name] = bad
        if bad:
            i = bad[0]
            _say(f"  DISAGREEMENT {name} vs plain on {len(bad)} cases; first case {i}: {got[i]} != {expected[i]}")
    allowed = sum(r[0] for r in expected) / n
    failed_per_case = sum(len(r[1]) for r in expected) / n
    measures_per_case = sum(len(r[2]) for r in expected) / n

    # ---- throughput: interleaved rounds, starting engine rotated
    # Each round walks the corpus in K chunks and runs every engine on each
    # chunk before moving on, the starting engine rotating from chunk to chunk
    # and round to round: the machine's speed drifts over seconds, and
    # fine-grained interleaving lets every engine see the same drift.
    k = 20 if n >= 100_000 else 10
    step, dstep = n // k, n_durable // k
    chunks = [cases[i * step:(i + 1) * step] for i in range(k)]
    dchunks = [cases[i * dstep:(i + 1) * dstep] for i in range(k)]

    def per_case(fn: Callable[[Any], W.Result], parts: list[list[dict[str, Any]]]) -> Callable[[int], tuple[int, float]]:
        def go(i: int) -> tuple[int, float]:
            data = parts[i]
            t0 = time.perf_counter()
            out = [fn(c) for c in data]
            dt = time.perf_counter() - t0
            assert len(out) == len(data)
            return len(data), dt

        return go

    def model_list(i: int) -> tuple[int, float]:
        data = chunks[i]
        t0 = time.perf_counter()
        out = [default(m.__dict__) for m in as_model_list(data)]
        dt = time.perf_counter() - t0
        assert len(out) == len(data)
        return len(data), dt

    engines: dict[str, Callable[[int], tuple[int, float]]] = {
        "plain": per_case(plain, chunks),
        "default": per_case(default, chunks),
        "durable": per_case(durable, dchunks),
        "typed_model": per_case(typed_model, chunks),
        "typed_dict": per_case(typed_dict, chunks),
        "typed_model_list": model_list,
    }
    names = list(engines)
    for name in names:  # warm-up: compile programs, fill caches, warm the allocator
        engines[name](0)
    rates: dict[str, list[float]] = {name: [] for name in names}
    for r in range(rounds):
        _say(f"workload: round {r + 1}/{rounds} ({k} chunks, every engine on each chunk in rotated order)")
        done = {name: [0, 0.0] for name in names}
        for i in range(k):
            shift = (r + i) % len(names)
            for name in names[shift:] + names[:shift]:
                cnt, dt = engines[name](i)
                done[name][0] += cnt
                done[name][1] += dt
        for name in names:
            rates[name].append(done[name][0] / done[name][1])
        between_rounds()
    durable_backend.close()
    out: dict[str, Any] = {
        "cases": n,
        "durable_cases": n_durable,
        "rounds": rounds,
        "chunks_per_round": k,
        "allowed_share": allowed,
        "failed_per_case": failed_per_case,
        "measures_per_case": measures_per_case,
        "disagreements": {k: len(v) for k, v in disagreements.items()},
        "engines": {},
    }
    for name in names:
        ratios = [a / p for a, p in zip(rates[name], rates["plain"], strict=True)]
        vs_durable = [a / d for a, d in zip(rates[name], rates["durable"], strict=True)]
        out["engines"][name] = {
            "median": statistics.median(rates[name]),
            "min": min(rates[name]),
            "max": max(rates[name]),
            "x_plain": statistics.median(ratios),
            "x_durable": statistics.median(vs_durable),
        }
    return out


# ---------------------------------------------------- 2. shipped rule set


class RealLatency:
    """``Engine.decide`` latency on the shipped rule set, sampled in rounds spread over the whole run.

    The machine's speed drifts by up to 2x over minutes, so one block of
    timings can land in a slow or a fast stretch; a round runs after every
    workload round and the figures are taken over all rounds.
    """

    def __init__(self, n_generated: int, reps: int, n_fresh: int = 0, rounds: int = 0) -> None:
        self.engine = Engine.load()
        # never-seen cases: another seed, a new slice every round, each decided exactly once
        fresh = [Case.model_validate(raw) for raw in realistic.iter_realistic(n_fresh * (rounds + 1), seed=realistic.SEED + 1)]
        self.fresh_slices = [fresh[i * n_fresh:(i + 1) * n_fresh] for i in range(rounds + 1)]
        self.fresh_ts: list[float] = []
        self.reps = reps
        self.examples = [Case.model_validate(raw) for raw in realistic.example_raws()]
        self.raws = list(realistic.iter_realistic(n_generated))
        self.generated = [Case.model_validate(raw) for raw in self.raws]
        self.trace_entries: list[int] = []
        for case in self.generated:  # warm-up pass (also counts the trace)
            d = self.engine.decide(case)
            measures = [*d.measures.applied, *d.measures.refused] if d.measures else []
            self.trace_entries.append(
                sum(len(q.trace) for q in (d.determination, d.listing, d.supervision) if q is not None) + sum(len(m.trace) for m in measures)
            )
        for case in self.examples:
            for _ in range(50):
                self.engine.decide(case)
        self.per_example: dict[str, list[float]] = {case.case_id: [] for case in self.examples}
        self.gen_ts: list[float] = []
        self.e2e_ts: list[float] = []
        self.round_medians: list[float] = []

    def round(self) -> None:
        engine, clock = self.engine, time.perf_counter_ns
        for case in self.examples:
            ts = self.per_example[case.case_id]
            for _ in range(self.reps):
                t0 = clock()
                engine.decide(case)
                ts.append((clock() - t0) / 1000)
        gen = []
        for case, raw in zip(self.generated, self.raws, strict=True):
            t0 = clock()
            engine.decide(case)
            t1 = clock()
            engine.decide(Case.model_validate(raw))
            t2 = clock()
            gen.append((t1 - t0) / 1000)
            self.e2e_ts.append((t2 - t1) / 1000)
        self.gen_ts += gen
        self.round_medians.append(statistics.median(gen))
        for case in self.fresh_slices.pop() if self.fresh_slices else []:
            t0 = clock()
            engine.decide(case)
            self.fresh_ts.append((clock() - t0) / 1000)

    def summary(self) -> dict[str, Any]:
        per_example = {}
        everything: list[float] = []
        for ident, ts in self.per_example.items():
            ts = sorted(ts)
            everything += ts
            per_example[ident] = {"median_us": _percentile(ts, 0.5), "p99_us": _percentile(ts, 0.99)}
        everything.sort()
        gen, e2e, fresh = sorted(self.gen_ts), sorted(self.e2e_ts), sorted(self.fresh_ts)
        return {
            "examples": per_example,
            "examples_median_us": _percentile(everything, 0.5),
            "examples_p99_us": _percentile(everything, 0.99),
            "generated": len(self.generated),
            "rounds": len(self.round_medians),
            "generated_median_us": _percentile(gen, 0.5),
            "generated_p99_us": _percentile(gen, 0.99),
            "generated_round_medians_us": self.round_medians,
            "generated_validate_median_us": _percentile(e2e, 0.5),
            "generated_validate_p99_us": _percentile(e2e, 0.99),
            "trace_entries_median": statistics.median(self.trace_entries),
            "never_seen": len(fresh),
            "never_seen_median_us": _percentile(fresh, 0.5) if fresh else None,
            "never_seen_p99_us": _percentile(fresh, 0.99) if fresh else None,
        }


# ------------------------------------------------------- 3. batch API


def batch_throughput(n: int) -> dict[str, Any]:
    """``decide_many_json`` over realistic case mappings: all cases/s, and after the first item (pool started)."""
    engine = Engine.load()
    raws = list(realistic.iter_realistic(n))
    out: dict[str, Any] = {"cases": n}
    lines: dict[int, list[str]] = {}
    for processes in (1, 2):
        got: list[str] = []
        t0 = time.perf_counter()
        t_first = 0.0
        for _, line in decide_many_json(engine, raws, processes=processes):
            if not got:
                t_first = time.perf_counter()
            got.append(line)
        t_end = time.perf_counter()
        lines[processes] = got
        out[f"p{processes}_cases_per_s"] = n / (t_end - t0)
        out[f"p{processes}_first_item_s"] = t_first - t0
        out[f"p{processes}_after_first_per_s"] = (n - 1) / (t_end - t_first)
    out["p1_equals_p2"] = lines[1] == lines[2]
    # compact records, side by side with the full lines over the same cases (1 process)
    for label, compact in (("full", False), ("compact", True)):
        t0 = time.perf_counter()
        got = [line for _, line in decide_many_json(engine, raws, compact=compact)]
        out[f"{label}_cases_per_s"] = n / (time.perf_counter() - t0)
        out[f"{label}_bytes_per_case"] = sum(len(x.encode()) for x in got) / n
    return out


CLI_VARIANTS: dict[str, list[str]] = {
    "full": [],
    "compact_per_case": ["--compact", "--per-case"],
    "compact": ["--compact"],
}
"""``decide --batch`` variants timed side by side: full lines; compact records from the per-case engine only;
compact records with the listing cases decided in chunks by the columnar evaluator (the default)."""


def cli_batch(n: int, variants: Sequence[str] = tuple(CLI_VARIANTS)) -> dict[str, Any]:
    """End to end: ``credit-rules decide --batch FILE --out FILE`` (process start, load, parse, validate, decide,
    serialise, mask, write) over the same *n* realistic cases (the mix of the four examples: a quarter ask repair,
    some Wuzhou cases measures), and over *n* realistic cases asking only the determination and listing questions
    (``listing_*``), each variant in turn; the compact lines of both paths must be byte-identical."""
    import tempfile

    out: dict[str, Any] = {"cases": n}
    mix = list(realistic.iter_realistic(n, seed=realistic.SEED + 2))
    listing = [r for r in realistic.iter_realistic(3 * n, seed=realistic.SEED + 3) if "repair" not in r and "measures" not in r][:n]
    out["fast_share"] = sum(1 for r in mix if "repair" not in r and "measures" not in r) / n
    with tempfile.TemporaryDirectory() as tmp:
        for prefix, raws in (("", mix), ("listing_", listing)):
            cases = Path(tmp) / f"{prefix}cases.jsonl"
            cases.write_text("".join(json.dumps(raw, ensure_ascii=False) + "\n" for raw in raws), encoding="utf-8")
            written: dict[str, bytes] = {}
            for label in variants:
                if prefix and label == "full":
                    continue
                result = Path(tmp) / f"{prefix}{label}.jsonl"
                t0 = time.perf_counter()
                subprocess.run(
                    [sys.executable, "-m", "credit_rules.cli", "decide", "--batch", str(cases), "--out", str(result), *CLI_VARIANTS[label]],
                    check=True, cwd=HERE.parent, capture_output=True,
                )
                out[f"{prefix}{label}_cases_per_s"] = len(raws) / (time.perf_counter() - t0)
                written[label] = result.read_bytes()
            if "compact" in written and "compact_per_case" in written:
                out[f"{prefix}compact_identical"] = written["compact"] == written["compact_per_case"]
    return out


def _cli_rows(rows: list[tuple[str, str, str, str]], cb: dict[str, Any]) -> bool:
    """The rows of :func:`cli_batch`; False when the two compact paths wrote different bytes."""
    n = cb["cases"]
    if "full_cases_per_s" in cb:
        _row(rows, f"credit-rules decide --batch end to end, {n:,} never-seen cases, full lines", f"{cb['full_cases_per_s']:,.0f}/s")
    same = cb.get("compact_identical", True) and cb.get("listing_compact_identical", True)
    for prefix, what in (("", f"realistic mix ({cb['fast_share']:.0%} ask only determination + listing)"), ("listing_", "determination + listing only")):
        per_case, fast = cb[f"{prefix}compact_per_case_cases_per_s"], cb[f"{prefix}compact_cases_per_s"]
        _row(rows, f"decide --batch --compact end to end, {n:,} cases, {what}",
             f"per-case {per_case:,.0f}/s; columnar {fast:,.0f}/s ({fast / per_case:.2f}x)"
             f"{'' if cb.get(f'{prefix}compact_identical', True) else ' (OUTPUT DIFFERS)'}",
             ">= 10,000/s", fast >= TARGETS["compact_cases_per_s"])
    return bool(same)


# ------------------------------------------------- 4./5. fresh processes


def _probe(*args: str) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, str(HERE / "probes.py"), *args], capture_output=True, text=True, check=True, cwd=HERE.parent
    )
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def load_times(runs: int) -> dict[str, Any]:
    samples = [_probe("load") for _ in range(runs)]
    return {key: statistics.median(s[key] for s in samples) for key in samples[0]} | {"runs": runs}


# --------------------------------------------------------------- report


def _row(rows: list[tuple[str, str, str, str]], what: str, value: str, target: str = "", met: bool | None = None) -> None:
    rows.append((what, value, target, "" if met is None else ("yes" if met else "NO")))


def report(res: dict[str, Any]) -> tuple[str, bool]:
    rows: list[tuple[str, str, str, str]] = []
    wl = res["workload"]
    eng = wl["engines"]
    labels = {
        "plain": "(c) hand-written plain Python",
        "default": "(a) credit_rules default backend",
        "durable": "(b) credit_rules durable_rules backend",
        "typed_model": "typed e2e: pydantic model per case + (a)",
        "typed_dict": "typed e2e: TypedDict per case + (a)",
        "typed_model_list": "typed e2e: TypeAdapter(list[model]) + (a)",
    }
    for name in ("plain", "default", "durable", "typed_model", "typed_dict", "typed_model_list"):
        e = eng[name]
        _row(rows, labels[name], f"{e['median']:>10,.0f} cases/s   {e['x_plain']:.3f}x (c)   {e['x_durable']:.1f}x (b)")
    a = eng["default"]
    _row(rows, "target: (a) vs (c)", f"{a['x_plain']:.2f}x", ">= 0.5x", a["x_plain"] >= TARGETS["default_vs_plain"])
    _row(rows, "stretch: (a) vs (c)", f"{a['x_plain']:.2f}x", ">= 1.0x", a["x_plain"] >= TARGETS["default_vs_plain_stretch"])
    _row(rows, "target: (a) vs (b)", f"{a['x_durable']:.1f}x", ">= 20x", a["x_durable"] >= TARGETS["default_vs_durable"])
    typed = eng["typed_model"]["median"]
    _row(rows, "target: typed e2e (pydantic model per case)", f"{typed:,.0f} cases/s", ">= 100,000", typed >= TARGETS["typed_cases_per_s"])
    agree = all(v == 0 for v in wl["disagreements"].values())
    _row(rows, "agreement (a)(b)(c) + typed, every case", "0 disagreements" if agree else json.dumps(wl["disagreements"]), "0", agree)
    rl = res["real"]
    for ident, ex in rl["examples"].items():
        _row(rows, f"real rules, example {ident}", f"median {ex['median_us']:.0f} µs, p99 {ex['p99_us']:.0f} µs")
    lo, hi = min(rl["generated_round_medians_us"]), max(rl["generated_round_medians_us"])
    _row(rows, f"real rules, {rl['generated']:,} generated cases x {rl['rounds']} rounds",
         f"median {rl['generated_median_us']:.0f} µs, p99 {rl['generated_p99_us']:.0f} µs (round medians {lo:.0f}-{hi:.0f}; {rl['trace_entries_median']:.0f} trace entries)")
    _row(rows, "  … with Case validation from a dict", f"median {rl['generated_validate_median_us']:.0f} µs, p99 {rl['generated_validate_p99_us']:.0f} µs")
    if rl.get("never_seen"):
        _row(rows, f"real rules, {rl['never_seen']:,} never-seen generated cases (each decided once)",
             f"median {rl['never_seen_median_us']:.0f} µs, p99 {rl['never_seen_p99_us']:.0f} µs")
    worst = max(rl["examples_median_us"], rl["generated_median_us"], rl.get("never_seen_median_us") or 0.0)
    _row(rows, "target: real rules median, full trace", f"{worst:.0f} µs (worst of examples / generated / never-seen)", "<= 100 µs",
         worst <= TARGETS["real_median_us"])
    bt = res["batch"]
    _row(rows, f"decide_many → JSON lines, {bt['cases']:,} realistic cases", f"1 process {bt['p1_cases_per_s']:,.0f}/s; 2 processes {bt['p2_cases_per_s']:,.0f}/s,"
         f" {bt['p2_after_first_per_s']:,.0f}/s after the pool start ({bt['p2_first_item_s']:.1f} s)"
         f"{'' if bt['p1_equals_p2'] else ' (OUTPUT DIFFERS)'}")
    _row(rows, f"decide_many → JSON lines, full vs compact, {bt['cases']:,} cases, 1 process",
         f"full {bt['full_cases_per_s']:,.0f}/s ({bt['full_bytes_per_case'] / 1000:.1f} KB/case); compact {bt['compact_cases_per_s']:,.0f}/s"
         f" ({bt['compact_bytes_per_case'] / 1000:.1f} KB/case), {bt['compact_cases_per_s'] / bt['full_cases_per_s']:.2f}x")
    cb = res.get("cli_batch")
    same = True
    if cb is not None:
        same = _cli_rows(rows, cb)
    ld = res["load"]
    load_ms = ld["engine_load_s"] * 1000
    _row(rows, "load: Engine.load() (catalogs + rules + calendars)", f"{load_ms:.0f} ms, CPU {ld['engine_load_cpu_s'] * 1000:.0f} ms"
         f" (catalogs {ld['catalogs_s'] * 1000:.0f}, rules {ld['rules_s'] * 1000:.0f},"
         f" calendars {ld['calendars_s'] * 1000:.0f}; import {ld['import_s'] * 1000:.0f})", "<= 200 ms", load_ms <= TARGETS["load_ms"])
    mem = res.get("memory")
    if mem is not None:
        samples = ", ".join(f"{k:,}: {mb:.0f}" for k, mb in mem["rss_samples_mb"])
        _row(rows, f"memory: stream {mem['cases']:,} cases (RSS MB at {samples})",
             f"+{mem['peak_above_input_mb']:.1f} MB above input (input {mem['input_mb']:.0f} MB, {mem['cases'] / mem['seconds']:,.0f} cases/s)",
             "<= 50 MB", mem["peak_above_input_mb"] <= TARGETS["memory_mb"])
    width = [max(len(r[i]) for r in rows) for i in range(4)]
    head = ("measurement", "result", "target", "met")
    width = [max(w, len(h)) for w, h in zip(width, head, strict=True)]
    lines = [" | ".join(h.ljust(w) for h, w in zip(head, width, strict=True)), "-+-".join("-" * w for w in width)]
    lines += [" | ".join(c.ljust(w) for c, w in zip(r, width, strict=True)) for r in rows]
    ok = agree and bt["p1_equals_p2"] and same
    return "\n".join(lines), ok


def main(argv: Sequence[str] | None = None) -> int:
    args_in = list(sys.argv[1:] if argv is None else argv)
    if "--national" in args_in:  # the columnar rescan at national scale: benchmarks/national.py
        import national

        return national.main([a for a in args_in if a != "--national"])
    if "--percase" in args_in:  # only the per-case CPU time of Engine.decide, this tree beside another: benchmarks/percase.py
        import percase

        return percase.main([a for a in args_in if a != "--percase"])
    if "--cold-start" in args_in:  # import credit_rules and a one-case decide beside python -c pass: benchmarks/coldstart.py
        import coldstart

        return coldstart.main([a for a in args_in if a != "--cold-start"])
    if "--compact-batch" in args_in:  # only decide --batch --compact, per-case and columnar side by side
        return compact_batch_main([a for a in args_in if a != "--compact-batch"])
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--quick", action="store_true", help="smaller corpora and fewer rounds (about a minute)")
    p.add_argument("--rounds", type=int, help="interleaved rounds (default 7; --quick 5)")
    p.add_argument("--json", type=Path, metavar="FILE", help="also write every figure as JSON")
    p.add_argument("--no-memory", action="store_true", help="skip the 100k-case memory probe")
    args = p.parse_args(argv)
    quick = args.quick
    n = 20_000 if quick else 100_000
    n_durable = 2_000 if quick else 10_000
    rounds = args.rounds or (5 if quick else 7)
    res: dict[str, Any] = {"machine": _machine(), "quick": quick, "command": " ".join(["python", "benchmarks/run.py", *(argv or sys.argv[1:])])}
    started = time.perf_counter()
    _say("real rule set: loading, generating cases …")
    real = RealLatency(300 if quick else 1_000, 100 if quick else 300, 100 if quick else 300, rounds)
    res["workload"] = workload(n, n_durable, rounds, real.round)
    res["real"] = real.summary()
    _say("batch: decide_many with 1 and 2 processes …")
    res["batch"] = batch_throughput(2_000 if quick else 10_000)
    _say("batch: credit-rules decide --batch, full and --compact …")
    res["cli_batch"] = cli_batch(2_000 if quick else 10_000)
    _say("load time (fresh processes) …")
    res["load"] = load_times(5)
    if not args.no_memory:
        m = 10_000 if quick else 100_000
        _say(f"memory: streaming {m:,} cases in a fresh process …")
        res["memory"] = _probe("memory", str(m))
    res["seconds"] = time.perf_counter() - started
    table, ok = report(res)
    mach = res["machine"]
    print(f"credit_rules benchmark — {mach['cpu']}, {mach['cores']} cores, Python {mach['python']}, pydantic {mach['pydantic']},"
          f" durable_rules {mach['durable_rules']}{' (--quick)' if quick else ''}")
    wl = res["workload"]
    print(f"reference workload: {wl['cases']:,} cases ({wl['durable_cases']:,} for durable_rules), {wl['rounds']} interleaved rounds;"
          f" {wl['allowed_share']:.1%} allowed, {wl['failed_per_case']:.2f} failed rules and {wl['measures_per_case']:.2f} measures per case")
    print(table)
    print(f"({res['seconds']:.0f} s)")
    if args.json is not None:
        args.json.write_text(json.dumps(res, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    if not ok:
        print("FAILED: the implementations disagree (see above)", file=sys.stderr)
        return 1
    return 0


def compact_against(n: int, other: Path, rounds: int = 3, processes: int = 1) -> dict[str, Any]:
    """``decide --batch --compact`` (the columnar path) of this tree and of the source tree *other* (another
    worktree or an exported commit: its ``src`` is put first on ``PYTHONPATH``, its catalogs and rules are its
    own) over the same *n* realistic-mix and *n* listing cases, in alternating fresh processes, *rounds* each;
    per file the median cases/s of each tree, the median of the per-round ratios, and whether both trees wrote
    the same bytes (they do not when the two trees' rules or catalogs differ: compare speed-ups on the same law).
    *processes*: the batch's ``--processes``."""
    import tempfile

    mix = list(realistic.iter_realistic(n, seed=realistic.SEED + 2))
    listing = [r for r in realistic.iter_realistic(3 * n, seed=realistic.SEED + 3) if "repair" not in r and "measures" not in r][:n]
    trees = {"this": (HERE.parent, dict(os.environ)), "other": (other, {**os.environ, "PYTHONPATH": str(other / "src")})}
    out: dict[str, Any] = {"cases": n, "rounds": rounds, "against": str(other), "processes": processes}
    with tempfile.TemporaryDirectory() as tmp:
        for prefix, raws in (("", mix), ("listing_", listing)):
            cases = Path(tmp) / f"{prefix}cases.jsonl"
            cases.write_text("".join(json.dumps(raw, ensure_ascii=False) + "\n" for raw in raws), encoding="utf-8")
            speeds: dict[str, list[float]] = {t: [] for t in trees}
            written: dict[str, bytes] = {}
            for _ in range(rounds):
                for tree, (cwd, env) in trees.items():
                    result = Path(tmp) / f"{prefix}{tree}.jsonl"
                    t0 = time.perf_counter()
                    subprocess.run(
                        [sys.executable, "-m", "credit_rules.cli", "decide", "--batch", str(cases), "--out", str(result), "--compact",
                         "--processes", str(processes)],
                        check=True, cwd=cwd, env=env, capture_output=True,
                    )
                    speeds[tree].append(len(raws) / (time.perf_counter() - t0))
                    written[tree] = result.read_bytes()
            out[f"{prefix}this_per_s"] = statistics.median(speeds["this"])
            out[f"{prefix}other_per_s"] = statistics.median(speeds["other"])
            out[f"{prefix}ratio"] = statistics.median(a / b for a, b in zip(speeds["this"], speeds["other"], strict=True))
            out[f"{prefix}identical"] = written["this"] == written["other"]
    return out


def compact_batch_main(argv: Sequence[str]) -> int:
    """``python benchmarks/run.py --compact-batch [N]``: the compact batch rows alone (about a minute for 2,000);
    ``--compact-batch N --against DIR [--rounds R] [--processes P]``: this tree's columnar path beside the source
    tree DIR's."""
    argv = list(argv)
    if "--against" in argv:
        at = argv.index("--against")
        other = Path(argv[at + 1]).resolve()
        rounds = 3
        if "--rounds" in argv:
            rounds = int(argv[argv.index("--rounds") + 1])
        processes = int(argv[argv.index("--processes") + 1]) if "--processes" in argv else 1
        n = int(argv[0]) if argv and argv[0].isdigit() else 2_000
        started = time.perf_counter()
        ca = compact_against(n, other, rounds, processes)
        for prefix, what in (("", "realistic mix"), ("listing_", "determination + listing only")):
            print(f"decide --batch --compact --processes {processes} end to end, {n:,} cases, {what}: this tree {ca[prefix + 'this_per_s']:,.0f}/s; "
                  f"{other.name} {ca[prefix + 'other_per_s']:,.0f}/s; ratio {ca[prefix + 'ratio']:.2f}x (median of {rounds} pairs)"
                  f"{'' if ca[prefix + 'identical'] else ' (OUTPUT DIFFERS)'}")
        print(f"({time.perf_counter() - started:.0f} s; {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f})")
        if not (ca["identical"] and ca["listing_identical"]):
            print("FAILED: the two trees wrote different compact lines", file=sys.stderr)
            return 1
        return 0
    n = int(argv[0]) if argv else 2_000
    started = time.perf_counter()
    cb = cli_batch(n, ("compact_per_case", "compact"))
    rows: list[tuple[str, str, str, str]] = []
    same = _cli_rows(rows, cb)
    width = [max(len(r[i]) for r in rows) for i in range(4)]
    for r in rows:
        print(" | ".join(c.ljust(w) for c, w in zip(r, width, strict=True)))
    print(f"({time.perf_counter() - started:.0f} s; {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f})")
    if not same:
        print("FAILED: the columnar and per-case compact lines differ", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
