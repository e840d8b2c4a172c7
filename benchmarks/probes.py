"""Measurements that need a fresh process: load time and peak memory.

``python benchmarks/probes.py load`` prints, as JSON, the time to import the
package and to load the shipped catalogs, rules and calendars.
``python benchmarks/probes.py memory N`` builds N realistic case mappings (the
input), then streams them through ``decide_many`` and prints the resident set
size (from /proc/self/status) before and at its peak, sampled along the way.
"""

from __future__ import annotations

import gc
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))


def _status_kb(field: str) -> int:
    with open("/proc/self/status", encoding="ascii") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return -1


def _reset_peak() -> bool:
    """Linux: writing 5 to clear_refs resets VmHWM (the peak RSS) to the current RSS."""
    try:
        with open("/proc/self/clear_refs", "w", encoding="ascii") as f:
            f.write("5")
        return True
    except OSError:
        return False


def load() -> dict[str, float]:
    """Import, ``Engine.load()`` (wall and CPU time), then the catalogs, rules and calendars again one by one.

    The parts are loaded as ``Engine.load()`` loads them (the rules with the catalogs' parameter types, the
    garbage collector paused), so they add up to about the whole.
    """
    t0 = time.perf_counter()
    from credit_rules.catalog.kinds.parameters import parameters_of
    from credit_rules.catalog.store import load_catalogs
    from credit_rules.engine.decide import Engine
    from credit_rules.gcpause import gc_paused
    from credit_rules.ruleset.loader import load_ruleset
    from credit_rules.shipped import shipped_catalogs_dir, shipped_rules_dir
    from credit_rules.workdays import WorkingDayCalendar, load_calendar_year

    t1 = time.perf_counter()
    c1 = time.process_time()
    Engine.load()
    c2 = time.process_time()
    t2 = time.perf_counter()
    cats_dir, rules_dir = shipped_catalogs_dir(), shipped_rules_dir()
    with gc_paused():
        cats = load_catalogs([cats_dir], relative_to=cats_dir.parent)
        t3 = time.perf_counter()
        load_ruleset(rules_dir, relative_to=rules_dir.parent, parameters=parameters_of(cats).types())
        t4 = time.perf_counter()
        WorkingDayCalendar({y.year: y for y in map(load_calendar_year, cats.calendar_files)})
        t5 = time.perf_counter()
    return {
        "import_s": t1 - t0, "engine_load_s": t2 - t1, "engine_load_cpu_s": c2 - c1,
        "catalogs_s": t3 - t2, "rules_s": t4 - t3, "calendars_s": t5 - t4,
    }


def memory(n: int) -> dict[str, object]:
    from credit_rules.engine.batch import decide_many_json
    from credit_rules.engine.decide import Engine
    from realistic import iter_realistic

    engine = Engine.load()
    rss_engine = _status_kb("VmRSS")
    cases = list(iter_realistic(n))
    gc.collect()
    rss_input = _status_kb("VmRSS")
    reset = _reset_peak()
    samples: list[tuple[int, int]] = []
    marks = {n // 10, n // 2, n}
    done = failed = 0
    chars = 0
    started = time.perf_counter()
    for ok, line in decide_many_json(engine, cases):
        done += 1
        failed += not ok
        chars += len(line)
        if done in marks:
            samples.append((done, _status_kb("VmRSS")))
    seconds = time.perf_counter() - started
    peak = _status_kb("VmHWM")
    return {
        "cases": n,
        "decided": done - failed,
        "failed": failed,
        "seconds": seconds,
        "rss_engine_mb": rss_engine / 1024,
        "rss_input_mb": rss_input / 1024,
        "input_mb": (rss_input - rss_engine) / 1024,
        "peak_mb": peak / 1024,
        "peak_above_input_mb": (peak - rss_input) / 1024,  # without a reset, the peak may predate the stream (an overestimate)
        "peak_reset": reset,
        "rss_samples_mb": [(k, kb / 1024) for k, kb in samples],
        "output_mb": chars / 1e6,
    }


if __name__ == "__main__":
    what = sys.argv[1]
    result = load() if what == "load" else memory(int(sys.argv[2]))
    print(json.dumps(result))
