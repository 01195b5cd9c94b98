"""Shared bench helpers: a throwaway Signpost server on loopback and a small load generator."""

from __future__ import annotations

import http.client
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PYTHON = str(ROOT / ".venv" / "bin" / "python")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def bench_environment(var_dir: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        {
            "SIGNPOST_ENV": "test",  # fast password hashing; otherwise production-like
            "SIGNPOST_VAR_DIR": var_dir,
            "DJANGO_SETTINGS_MODULE": "signpost.settings",
            "DEBUG": "false",
        }
    )
    if not os.environ.get("BENCH_DATABASE_URL"):
        env.pop("DATABASE_URL", None)
    else:
        env["DATABASE_URL"] = os.environ["BENCH_DATABASE_URL"]
    return env


def manage(env: dict[str, str], *args: str) -> str:
    result = subprocess.run(
        [PYTHON, "-m", "signpost.cli", *args], env=env, check=True, capture_output=True, text=True
    )
    return result.stdout


@contextmanager
def running_server(env: dict[str, str], workers: int = 2) -> Iterator[int]:
    port = free_port()
    server = subprocess.Popen(
        [
            PYTHON,
            "-m",
            "gunicorn",
            "signpost.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--log-level",
            "error",
        ],
        env=env,
    )
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
                connection.request("GET", "/healthz")
                if connection.getresponse().status == 200:
                    break
            except OSError:
                time.sleep(0.2)
        else:
            raise RuntimeError("the bench server did not start")
        yield port
    finally:
        server.terminate()
        server.wait(timeout=20)


def load(
    port: int, path: str, *, requests: int, concurrency: int, headers: dict[str, str] | None = None
) -> dict[str, float]:
    """Send `requests` GETs over `concurrency` keep-alive connections; latency figures in ms."""
    latencies: list[float] = []
    lock = threading.Lock()
    per_thread = requests // concurrency
    failures: list[int] = []

    def run() -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        mine = []
        for _request in range(per_thread):
            started = time.perf_counter()
            connection.request("GET", path, headers=headers or {})
            response = connection.getresponse()
            response.read()
            mine.append((time.perf_counter() - started) * 1000)
            if response.status != 200:
                failures.append(response.status)
        with lock:
            latencies.extend(mine)

    started = time.perf_counter()
    threads = [threading.Thread(target=run) for _thread in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    if failures:
        raise RuntimeError(f"{path}: {len(failures)} responses were not 200 ({failures[0]})")
    cuts = statistics.quantiles(latencies, n=100)
    return {
        "rps": len(latencies) / elapsed,
        "p50": cuts[49],
        "p95": cuts[94],
        "p99": cuts[98],
    }


def temporary_var() -> tempfile.TemporaryDirectory[str]:
    return tempfile.TemporaryDirectory(prefix="signpost-bench-")


__all__ = ["bench_environment", "load", "manage", "running_server", "sys", "temporary_var"]
