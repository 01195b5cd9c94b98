"""Helpers for in-process benchmarks: a throwaway database and signed-in test clients."""

from __future__ import annotations

import os
import secrets
import statistics
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any
from urllib.parse import urlsplit, urlunsplit


@contextmanager
def throwaway_postgres(url: str, label: str) -> Iterator[str]:
    import psycopg

    parts = urlsplit(url)
    name = f"signpost_bench_{label}_{secrets.token_hex(4)}"
    admin_url = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin_url, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    try:
        yield urlunsplit(parts._replace(path=f"/{name}"))
    finally:
        from django.db import connections

        connections.close_all()
        with psycopg.connect(admin_url, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextmanager
def bench_database(label: str) -> Iterator[str]:
    with tempfile.TemporaryDirectory(prefix=f"signpost-bench-{label}-") as var_dir:
        os.environ["SIGNPOST_ENV"] = "test"
        os.environ["SIGNPOST_VAR_DIR"] = var_dir
        os.environ["DJANGO_SETTINGS_MODULE"] = "signpost.settings"
        os.environ["DEBUG"] = "false"
        url = os.environ.get("BENCH_DATABASE_URL") or os.environ.get("DATABASE_URL") or ""
        if url.startswith("postgres"):
            with throwaway_postgres(url, label) as bench_url:
                os.environ["DATABASE_URL"] = bench_url
                yield "PostgreSQL"
        else:
            os.environ.pop("DATABASE_URL", None)
            yield "SQLite"


def signed_in_client(user: Any) -> Any:
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY

    from signpost.testing.factories import totp_device_for

    client = Client()
    device = totp_device_for(user)
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index]


def time_page(
    name: str, request: Callable[[], Any], *, warm: int, samples: int
) -> dict[str, float]:
    """p50, p95 and max server time (ms) of a page over `samples` requests after `warm` ones;
    every response must be a 200."""
    for _warm in range(warm):
        request()
    durations = []
    for _sample in range(samples):
        started = time.perf_counter()
        response = request()
        durations.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (name, response.status_code)
    return {
        "p50": statistics.median(durations),
        "p95": percentile(durations, 0.95),
        "max": max(durations),
    }
