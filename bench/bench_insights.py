"""Server time of the insights dashboard at scale, measured in-process with Django's test Client.

Builds its own database (SQLite in a temporary directory; with BENCH_DATABASE_URL or DATABASE_URL
pointing at PostgreSQL, a throwaway database there), seeds a small scale, counts each page's
queries, grows to BENCH_SCALE (default 100000 referrals, half as many cases), rebuilds the
monthly tallies as the worker would (timed), then measures p50/p95 and the queries again: the
two query counts must be equal (the dashboard reads tallies, not rows).

Environment: BENCH_SCALE (default 100000), BENCH_SMALL_SCALE (default 200), BENCH_SAMPLES
(requests per page, default 100), BENCH_DATABASE_URL or DATABASE_URL.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from _django import bench_database, signed_in_client, time_page  # noqa: E402

SCALE = int(os.environ.get("BENCH_SCALE", "100000"))
SMALL_SCALE = int(os.environ.get("BENCH_SMALL_SCALE", "200"))
SAMPLES = int(os.environ.get("BENCH_SAMPLES", "100"))
TARGET_P95_MS = 200


def pages() -> list[tuple[str, Any, Callable[[Any], Any]]]:
    from signpost.core.models import Area, User
    from signpost.insights.statistics import quarter_choices

    lead = User.objects.get(email="lead1@seed.signpost.test")
    handler = User.objects.get(email="handler1@seed.signpost.test")
    birmingham = Area.objects.get(region__slug="west-midlands", name="Birmingham")
    quarter = quarter_choices()[0][0]
    lead_client, handler_client = signed_in_client(lead), signed_in_client(handler)
    return [
        ("dashboard, lead, 12 months", lead_client, lambda c: c.get("/staff/insights/")),
        (
            "dashboard, lead, Birmingham, quarter",
            lead_client,
            lambda c: c.get("/staff/insights/", {"quarter": quarter, "area": birmingham.pk}),
        ),
        ("dashboard, handler", handler_client, lambda c: c.get("/staff/insights/")),
        (
            "chart CSV (by month)",
            lead_client,
            lambda c: c.get("/staff/insights/csv/referrals-by-month/"),
        ),
        (
            "statistics preview, quarter",
            lead_client,
            lambda c: c.get("/staff/insights/statistics/", {"quarter": quarter}),
        ),
    ]


def query_counts() -> dict[str, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = {}
    for name, client, request in pages():
        request(client)
        with CaptureQueriesContext(connection) as captured:
            response = request(client)
        assert response.status_code == 200, (name, response.status_code)
        counts[name] = len(captured.captured_queries)
    return counts


def timings() -> dict[str, dict[str, float]]:
    return {
        name: time_page(
            name, lambda request=request, client=client: request(client), warm=5, samples=SAMPLES
        )
        for name, client, request in pages()
    }


def refresh() -> float:
    from django.core.management import call_command

    started = time.perf_counter()
    call_command("insights_refresh", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115
    return time.perf_counter() - started


def main() -> None:
    with bench_database("insights") as engine:
        import django

        django.setup()
        from django.conf import settings
        from django.core.management import call_command

        from signpost.cases.models import Case
        from signpost.insights.models import MonthlyTally

        settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
        call_command("migrate", "--no-input", verbosity=0)
        call_command("createcachetable", verbosity=0)

        call_command("seed", scale=SMALL_SCALE, verbosity=0)
        refresh()
        small_counts = query_counts()

        started = time.perf_counter()
        if SCALE > SMALL_SCALE:
            call_command("seed", scale=SCALE - SMALL_SCALE, rng_seed=99, verbosity=0)
        seeded = time.perf_counter() - started
        try:
            from signpost.referrals.models import Referral

            referrals = str(Referral.objects.count())
        except ImportError:
            referrals = "n/a"
        print(
            f"seeded to scale {SCALE} in {seeded:.1f} s: {referrals} referrals, "
            f"{Case.objects.count()} cases",
            flush=True,
        )
        refresh_seconds = refresh()
        print(
            f"tallies rebuilt in {refresh_seconds:.1f} s ({MonthlyTally.objects.count()} rows)",
            flush=True,
        )
        large_counts = query_counts()
        figures = timings()

    print(f"\nInsights bench on {engine}: {SAMPLES} requests per page, in-process test Client")
    header = f"{'page':<40}{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}"
    header += f"{'queries@' + str(SMALL_SCALE):>14}{'queries@' + str(SCALE):>16}"
    print(header)
    constant = True
    for name, values in figures.items():
        small, large = small_counts.get(name, -1), large_counts.get(name, -1)
        constant = constant and small == large
        print(
            f"{name:<40}{values['p50']:>9.1f}{values['p95']:>9.1f}{values['max']:>9.1f}"
            f"{small:>14}{large:>16}"
        )
    # The target is the dashboard's; the statistics preview reads a quarter's rows directly.
    slow = [
        name
        for name, values in figures.items()
        if name.startswith("dashboard") and values["p95"] > TARGET_P95_MS
    ]
    if slow or not constant:
        print(f"FAILED: p95 over {TARGET_P95_MS} ms: {slow}; constant queries: {constant}")
        sys.exit(1)
    print(f"OK: every dashboard p95 under {TARGET_P95_MS} ms, query counts independent of scale")


if __name__ == "__main__":
    main()
