"""Server time of the case pages at scale: the triage queue (when the referrals app has one),
a case page and an identifier search, measured in-process with Django's test Client.

It builds its own database: SQLite under a temporary directory, or, with BENCH_DATABASE_URL
(or DATABASE_URL) pointing at PostgreSQL, a throwaway database on that server, dropped at the
end. It seeds a small scale first and counts each page's queries, then grows to BENCH_SCALE
(default 100000 referrals, half as many cases) and measures p50/p95 and the queries again: the
two query counts must be equal (no N+1).

Environment: BENCH_SCALE (default 100000), BENCH_SMALL_SCALE (default 200), BENCH_SAMPLES
(requests per page, default 200), BENCH_DATABASE_URL or DATABASE_URL.
"""

from __future__ import annotations

import os
import random
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
SAMPLES = int(os.environ.get("BENCH_SAMPLES", "200"))
TRIAGE_URL_NAMES = [
    "referrals:queue",
    "referrals:triage",
    "referrals:triage_queue",
    "referrals:list",
]


class Page:
    def __init__(self, name: str, request: Callable[[Any, random.Random], Any]) -> None:
        self.name = name
        self.request = request


def pages(rng_seed: int = 7) -> list[tuple[Page, Any]]:
    """(page, client) pairs; each request picks its own case or identifier at random."""
    from django.urls import NoReverseMatch, reverse

    from signpost.cases.models import Case, Identifier
    from signpost.core.models import User

    lead = User.objects.get(email="lead1@seed.signpost.test")
    investigator = User.objects.get(email="investigator1@seed.signpost.test")
    handler = User.objects.get(email="handler1@seed.signpost.test")
    lead_client = signed_in_client(lead)
    investigator_client = signed_in_client(investigator)
    handler_client = signed_in_client(handler)
    case_ids = list(
        Case.objects.filter(lead_investigator=investigator)
        .exclude(status="closed")
        .values_list("pk", flat=True)[:2000]
    )
    phones = [
        identifier.value
        for identifier in Identifier.objects.filter(kind="phone").order_by("?")[:200]
    ]
    # A calibration row: the cheapest signed-in page, to judge the machine's load.
    result: list[tuple[Page, Any]] = [
        (Page("baseline: staff home", lambda client, rng: client.get("/staff/")), lead_client)
    ]
    for name in TRIAGE_URL_NAMES:
        try:
            url = reverse(name)
        except NoReverseMatch:
            continue
        result.append(
            (
                Page(f"triage queue ({name})", lambda client, rng, url=url: client.get(url)),
                handler_client,
            )
        )
        break
    result.append(
        (
            Page(
                "case page (investigator)",
                lambda client, rng: client.get(f"/staff/cases/{rng.choice(case_ids)}/"),
            ),
            investigator_client,
        )
    )
    result.append(
        (
            Page(
                "case page (lead, whole region)",
                lambda client, rng: client.get(f"/staff/cases/{rng.choice(case_ids)}/"),
            ),
            lead_client,
        )
    )
    result.append(
        (
            Page(
                "identifier search (phone)",
                lambda client, rng: client.post(
                    "/staff/cases/search/", {"term": rng.choice(phones), "kind": ""}
                ),
            ),
            lead_client,
        )
    )
    return result


def query_counts() -> dict[str, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = {}
    rng = random.Random(1)
    for page, client in pages():
        page.request(client, rng)  # warm caches (sessions, memberships)
        with CaptureQueriesContext(connection) as captured:
            response = page.request(client, rng)
        assert response.status_code == 200, (page.name, response.status_code)
        counts[page.name] = len(captured.captured_queries)
    return counts


def timings() -> dict[str, dict[str, float]]:
    rng = random.Random(2)
    return {
        page.name: time_page(
            page.name,
            lambda page=page, client=client: page.request(client, rng),
            warm=10,
            samples=SAMPLES,
        )
        for page, client in pages()
    }


def main() -> None:
    with bench_database("cases") as engine:
        import django

        django.setup()
        from django.conf import settings
        from django.core.management import call_command

        from signpost.cases.models import Case, Identifier

        # Not setup_test_environment(): its template instrumentation would inflate the timings.
        settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
        call_command("migrate", "--no-input", verbosity=0)
        call_command("createcachetable", verbosity=0)

        started = time.perf_counter()
        call_command("seed", scale=SMALL_SCALE, verbosity=0)
        small_counts = query_counts()
        print(f"seeded scale {SMALL_SCALE} in {time.perf_counter() - started:.1f} s", flush=True)

        started = time.perf_counter()
        if SCALE > SMALL_SCALE:
            call_command("seed", scale=SCALE - SMALL_SCALE, rng_seed=99, verbosity=0)
        seeded = time.perf_counter() - started
        cases, identifiers = Case.objects.count(), Identifier.objects.count()
        referrals = "n/a"
        try:
            from signpost.referrals.models import Referral

            referrals = str(Referral.objects.count())
        except ImportError:
            pass
        print(
            f"seeded to scale {SCALE} in {seeded:.1f} s: {referrals} referrals, {cases} cases, "
            f"{identifiers} identifiers",
            flush=True,
        )
        large_counts = query_counts()
        figures = timings()

    print(f"\nCases bench on {engine}: {SAMPLES} requests per page, in-process test Client")
    header = f"{'page':<34}{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}"
    header += f"{'queries@' + str(SMALL_SCALE):>14}{'queries@' + str(SCALE):>16}"
    print(header)
    constant = True
    for name, values in figures.items():
        small, large = small_counts.get(name, -1), large_counts.get(name, -1)
        constant = constant and small == large
        print(
            f"{name:<34}{values['p50']:>9.1f}{values['p95']:>9.1f}{values['max']:>9.1f}"
            f"{small:>14}{large:>16}"
        )
    slow = [
        name
        for name, values in figures.items()
        if values["p95"] > 100 and not name.startswith("baseline")
    ]
    print(f"query count constant in N: {'yes' if constant else 'NO'}")
    print(f"p95 under 100 ms: {'yes' if not slow else 'NO: ' + ', '.join(slow)}")
    if not constant:
        sys.exit(1)


if __name__ == "__main__":
    main()
