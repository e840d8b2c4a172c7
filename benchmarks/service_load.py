"""Load test of ``credit-rules serve`` against 127.0.0.1, beside the in-process ``Engine.decide`` rate.

    python benchmarks/service_load.py [--seconds S] [--clients 1 8 32] [--workers 1 2] [--json OUT]

For each worker count it starts the service in its own process (shipped catalogs and rules, a throw-away
key file), waits for /health, then for each client count runs that many concurrent clients (asyncio +
httpx, keep-alive connections) posting the example cases to POST /decisions in turn for S seconds, and
reports requests/s and p50/p99 latency.  In the same run it measures ``Engine.decide`` on the same cases
in this process (decisions/s, p50/p99).  Bounded: (workers × clients + 1) × S seconds, about a minute
with the defaults.  Not part of the test suite; figures go in docs/service.md.

The client runs on the same machine as the server, so on a 2-core machine it takes CPU from the server:
the HTTP figures are a floor, not a ceiling.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parent.parent
CASES = sorted((ROOT / "examples" / "cases").glob("*.yaml"))
KEY = "service-load-benchmark-key-000001"


def _bodies() -> list[bytes]:
    import yaml

    return [json.dumps(yaml.safe_load(p.read_text(encoding="utf-8")), default=str, ensure_ascii=False).encode("utf-8") for p in CASES]


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def in_process(seconds: float) -> dict[str, float]:
    """Engine.decide on the same cases, in this process, after one warm-up pass."""
    from credit_rules import Engine, parse_case

    engine = Engine.load()
    cases = [parse_case(p.read_text(encoding="utf-8")) for p in CASES]
    for c in cases:
        engine.decide(c)
    times: list[float] = []
    end = time.perf_counter() + seconds
    i = 0
    while time.perf_counter() < end:
        t = time.perf_counter()
        engine.decide(cases[i % len(cases)])
        times.append(time.perf_counter() - t)
        i += 1
    total = sum(times)
    return {"rate": len(times) / total, "p50_ms": _pct(times, 0.5) * 1e3, "p99_ms": _pct(times, 0.99) * 1e3, "n": len(times)}


async def _client(base: str, bodies: list[bytes], until: float, out: list[float], errors: list[int], offset: int) -> None:
    async with httpx.AsyncClient(base_url=base, headers={"Authorization": f"Bearer {KEY}"}, timeout=60) as client:
        i = offset
        while time.perf_counter() < until:
            t = time.perf_counter()
            r = await client.post("/decisions", content=bodies[i % len(bodies)], headers={"content-type": "application/json"})
            if r.status_code != 200:
                errors.append(r.status_code)
            out.append(time.perf_counter() - t)
            i += 1


async def _level(base: str, bodies: list[bytes], clients: int, seconds: float) -> dict[str, float]:
    warm_until = time.perf_counter() + min(1.0, seconds / 5)
    await asyncio.gather(*(_client(base, bodies, warm_until, [], [], n) for n in range(clients)))
    times: list[float] = []
    errors: list[int] = []
    start = time.perf_counter()
    await asyncio.gather(*(_client(base, bodies, start + seconds, times, errors, n) for n in range(clients)))
    elapsed = time.perf_counter() - start
    return {"clients": clients, "rate": len(times) / elapsed, "p50_ms": _pct(times, 0.5) * 1e3, "p99_ms": _pct(times, 0.99) * 1e3,
            "n": len(times), "errors": len(errors)}


def _serve(workers: int, tmp: Path) -> tuple[subprocess.Popen[bytes], str]:
    from credit_rules.service.auth import hash_key

    keys = tmp / "keys.yaml"
    keys.write_text(f"keys:\n  - id: bench\n    sha256: {hash_key(KEY)}\n    authority: bench\n    permissions: [decide]\n", encoding="utf-8")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = int(s.getsockname()[1])
    cmd = [sys.executable, "-m", "credit_rules.cli", "serve", "--port", str(port), "--keys", str(keys), "--workers", str(workers),
           "--log-level", "warning"]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    end = time.monotonic() + 120
    while time.monotonic() < end:
        try:
            if httpx.get(base + "/health", timeout=1).status_code == 200:
                return proc, base
        except httpx.HTTPError:
            time.sleep(0.2)
    proc.kill()
    raise SystemExit("the service did not start")


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--seconds", type=float, default=5.0, help="measuring time per level (default 5)")
    p.add_argument("--clients", type=int, nargs="+", default=[1, 8, 32])
    p.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    p.add_argument("--json", type=Path, help="also write the figures here")
    args = p.parse_args(argv)
    bodies = _bodies()
    report: dict[str, Any] = {"machine": f"{platform.machine()} {os.cpu_count()} CPUs, Python {platform.python_version()}", "cases": [c.name for c in CASES]}
    report["in_process"] = in_process(args.seconds)
    ip = report["in_process"]
    print(f"in-process Engine.decide: {ip['rate']:,.0f}/s  p50 {ip['p50_ms']:.2f} ms  p99 {ip['p99_ms']:.2f} ms")
    report["http"] = []
    for workers in args.workers:
        with tempfile.TemporaryDirectory() as tmp:
            proc, base = _serve(workers, Path(tmp))
            try:
                for clients in args.clients:
                    row = asyncio.run(_level(base, bodies, clients, args.seconds))
                    row["workers"] = workers
                    report["http"].append(row)
                    print(f"HTTP workers {workers} clients {clients:>2}: {row['rate']:,.0f} req/s  p50 {row['p50_ms']:.2f} ms  "
                          f"p99 {row['p99_ms']:.2f} ms  ({row['n']} requests, {row['errors']} errors)")
            finally:
                proc.terminate()
                proc.wait(60)
    print("\n| workers | clients | requests/s | p50 ms | p99 ms | vs in-process |\n|---:|---:|---:|---:|---:|---:|")
    for row in report["http"]:
        print(f"| {row['workers']} | {row['clients']} | {row['rate']:,.0f} | {row['p50_ms']:.1f} | {row['p99_ms']:.1f} | "
              f"{row['rate'] / ip['rate']:.2f}× |")
    print(f"| in-process | 1 | {ip['rate']:,.0f} | {ip['p50_ms']:.2f} | {ip['p99_ms']:.2f} | 1× |")
    if args.json:
        args.json.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    median = statistics.median(r["rate"] for r in report["http"]) if report["http"] else 0
    print(f"\nmedian HTTP rate {median:,.0f} req/s")
    return 1 if any(r["errors"] for r in report["http"]) else 0


if __name__ == "__main__":
    raise SystemExit(main())
