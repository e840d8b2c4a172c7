"""The service as it runs: ``credit-rules serve`` in its own process on 127.0.0.1 — SIGHUP reloads without
dropping a request, SIGTERM lets a request in flight finish (graceful shutdown), and the log on standard
error holds JSON access lines with no key and no personal data."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest
import yaml

from .service_support import KEYS, auth, example, write_keys

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGHUP"), reason="POSIX signals")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait_healthy(base: str, proc: subprocess.Popen[bytes], seconds: float = 60) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        assert proc.poll() is None, "the service exited before it was healthy"
        try:
            if httpx.get(base + "/health", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    raise AssertionError("the service did not become healthy")


def test_serve_reload_on_sighup_and_graceful_shutdown(tmp_path: Path) -> None:
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    cmd = [sys.executable, "-m", "credit_rules.cli", "serve", "--port", str(port), "--keys", str(write_keys(tmp_path / "keys.yaml")),
           "--register", str(tmp_path / "q.sqlite"), "--graceful-timeout", "30"]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env={**os.environ, "PYTHONUNBUFFERED": "1"})
    try:
        _wait_healthy(base, proc)
        minor = example("cases/court_minor_debtor.yaml")
        assert httpx.post(base + "/decisions", content=minor, headers=auth("full"), timeout=30).status_code == 200

        proc.send_signal(signal.SIGHUP)  # reload: generation 2, and requests keep being answered meanwhile
        end = time.monotonic() + 30
        while httpx.get(base + "/version", timeout=5).json()["generation"] < 2:
            assert httpx.post(base + "/decisions", content=minor, headers=auth("full"), timeout=30).status_code == 200
            assert time.monotonic() < end, "no reload after SIGHUP"
            time.sleep(0.05)

        line = json.dumps(yaml.safe_load(minor), default=str, ensure_ascii=False).encode("utf-8") + b"\n"
        result: dict[str, object] = {}

        def batch() -> None:
            r = httpx.post(base + "/decisions/batch", content=line * 600, headers=auth("full"), timeout=120)
            result["status"], result["lines"] = r.status_code, r.text.splitlines()

        worker = threading.Thread(target=batch)
        worker.start()
        time.sleep(0.3)  # the batch is in flight
        proc.send_signal(signal.SIGTERM)
        worker.join(120)
        assert result.get("status") == 200 and len(result["lines"]) == 600  # type: ignore[arg-type]
        assert all(json.loads(x)["ok"] for x in result["lines"])  # type: ignore[attr-defined]
        assert proc.wait(60) in (0, -signal.SIGTERM)  # uvicorn re-raises the signal once requests are done
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    err = proc.stderr.read().decode("utf-8") if proc.stderr else ""
    access = [json.loads(x) for x in err.splitlines() if x.startswith("{") and '"event": "access"' in x]
    assert {a["route"] for a in access} >= {"/health", "/decisions", "/version", "/decisions/batch"}
    assert "reloaded generation 2" in err
    for secret in (*(k[0] for k in KEYS.values()), "450404200605010023", "韦晓燕"):
        assert secret not in err
