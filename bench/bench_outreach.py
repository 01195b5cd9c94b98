"""Server time of the outreach pages at scale, and of rendering a leaflet PDF.

Builds a throwaway database (SQLite in a temporary directory, or a throwaway PostgreSQL database
with BENCH_DATABASE_URL or DATABASE_URL), seeds a small region first and counts each page's
queries, then grows to BENCH_OUTREACH_POINTS distribution points (default 2000) with two printed
leaflets each (one landing token per point, edition and language), 20 distributions a point,
30 days of scans a token, and channels with posts; then measures p50/p95 and counts the queries
again: the two counts must be equal (no N+1).

Environment: BENCH_OUTREACH_POINTS (default 2000), BENCH_SAMPLES (requests per page, default
50), BENCH_DATABASE_URL or DATABASE_URL.
"""

from __future__ import annotations

import os
import random
import sys
import time
from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from _django import bench_database, signed_in_client, time_page  # noqa: E402

POINTS = int(os.environ.get("BENCH_OUTREACH_POINTS", "2000"))
# More than the record form lists (outreach.selectors.PLACES_LISTED): the small region's form
# offers a search, as the large one's does, so that their query counts compare.
SMALL_POINTS = 50
SAMPLES = int(os.environ.get("BENCH_SAMPLES", "50"))


def seed_people() -> dict[str, Any]:
    from signpost.core.models import Area, Membership, Organisation, Region, User
    from signpost.outreach import services

    region = Region.objects.create(name="West Midlands", slug="west-midlands")
    areas = [
        Area.objects.create(region=region, name=name, slug=name.lower())
        for name in ("Birmingham", "Coventry", "Wolverhampton", "Walsall")
    ]
    charity = Organisation.objects.create(name="Charity", kind="charity", region=region)
    partner = Organisation.objects.create(name="Street Pastors", kind="partner", region=region)
    people = {}
    for role, organisation, coordinator in (
        ("lead", charity, False),
        ("volunteer", partner, True),
    ):
        user = User.objects.create_user(
            f"{role}@bench.test", "bench-password-1234", display_name=role
        )
        membership = Membership.objects.create(
            user=user, organisation=organisation, role=role, is_coordinator=coordinator
        )
        membership.areas.set(areas)
        people[role] = user
    editions = [
        services.edition_create(region=region, name="Spring", language=language, by=people["lead"])
        for language in ("en", "ro", "sq", "pl", "vi")
    ]
    return {"region": region, "areas": areas, "partner": partner, "editions": editions, **people}


def seed(world: dict[str, Any], points: int, rng: random.Random) -> None:
    """Bulk rows, as years of outreach would leave them."""
    from django.utils import timezone

    from signpost.outreach.models import (
        AwarenessPost,
        CommunityChannel,
        Distribution,
        DistributionPoint,
        PointLeaflet,
    )
    from signpost.public.models import DailyScan, LandingToken

    start = DistributionPoint.objects.count()
    new_points = DistributionPoint.objects.bulk_create(
        DistributionPoint(
            area=rng.choice(world["areas"]),
            name=f"Place {start + n}",
            kind=rng.choice(["street", "hostel", "night_venue", "clinic"]),
            latitude=Decimal("52.4") + Decimal(rng.randint(0, 9999)) / 100000,
            longitude=Decimal("-1.9") + Decimal(rng.randint(0, 9999)) / 100000,
        )
        for n in range(points)
    )
    pairs = [
        (point, edition) for point in new_points for edition in rng.sample(world["editions"], 2)
    ]
    tokens = LandingToken.objects.bulk_create(
        LandingToken(language=edition.language, label=f"bench {point.name}")
        for point, edition in pairs
    )
    PointLeaflet.objects.bulk_create(
        PointLeaflet(point=point, edition=edition, landing_token=token)
        for (point, edition), token in zip(pairs, tokens, strict=True)
    )
    today = timezone.localdate()
    DailyScan.objects.bulk_create(
        DailyScan(token=token, day=today - timedelta(days=day), count=rng.randint(1, 5))
        for token in tokens
        for day in range(30)
    )
    now = timezone.now()
    Distribution.objects.bulk_create(
        Distribution(
            point=point,
            edition=rng.choice(world["editions"]),
            quantity=rng.randint(1, 50),
            distributed_at=now - timedelta(hours=rng.randint(1, 24 * 365)),
            recorded_by=world["volunteer"],
            organisation=world["partner"],
        )
        for point in new_points
        for _ in range(20)
    )
    channel_start = CommunityChannel.objects.count()
    channels = CommunityChannel.objects.bulk_create(
        CommunityChannel(
            region=world["region"],
            name=f"Channel {channel_start + n}",
            kind="social_group",
            platform="Facebook",
            language="ro",
            status="active",
        )
        for n in range(max(1, points // 40))
    )
    post_tokens = LandingToken.objects.bulk_create(
        LandingToken(language="ro", label="bench post") for _ in range(len(channels) * 10)
    )
    AwarenessPost.objects.bulk_create(
        AwarenessPost(
            channel=channels[n % len(channels)],
            campaign=f"Campaign {n % 7}",
            reach=rng.randint(100, 5000),
            landing_token=token,
        )
        for n, token in enumerate(post_tokens)
    )


def pages(world: dict[str, Any]) -> list[tuple[str, Callable[[random.Random], Any]]]:
    from signpost.outreach.models import PointLeaflet

    lead = signed_in_client(world["lead"])
    volunteer = signed_in_client(world["volunteer"])
    leaflet_ids = list(PointLeaflet.objects.values_list("pk", flat=True)[:500])
    return [
        ("baseline: staff home", lambda rng: lead.get("/staff/")),
        ("record form (volunteer)", lambda rng: volunteer.get("/staff/outreach/record/")),
        ("distribution log (lead)", lambda rng: lead.get("/staff/outreach/log/")),
        ("distribution log (coordinator)", lambda rng: volunteer.get("/staff/outreach/log/")),
        ("points list and map (lead)", lambda rng: lead.get("/staff/outreach/points/")),
        ("results, whole region (lead)", lambda rng: lead.get("/staff/outreach/results/")),
        ("results, partner (coordinator)", lambda rng: volunteer.get("/staff/outreach/results/")),
        (
            "A6 leaflet PDF",
            lambda rng: lead.get(f"/staff/outreach/leaflets/{rng.choice(leaflet_ids)}/a6.pdf"),
        ),
        (
            "A4 sheet of four PDF",
            lambda rng: lead.get(f"/staff/outreach/leaflets/{rng.choice(leaflet_ids)}/a4.pdf"),
        ),
    ]


def query_counts(world: dict[str, Any]) -> dict[str, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = {}
    rng = random.Random(1)
    for name, request in pages(world):
        request(rng)
        with CaptureQueriesContext(connection) as captured:
            response = request(rng)
        assert response.status_code == 200, (name, response.status_code)
        counts[name] = len(captured.captured_queries)
    return counts


def timings(world: dict[str, Any]) -> dict[str, dict[str, float]]:
    rng = random.Random(2)
    return {
        name: time_page(name, lambda request=request: request(rng), warm=3, samples=SAMPLES)
        for name, request in pages(world)
    }


def main() -> None:
    with bench_database("outreach") as engine:
        import django

        django.setup()
        from django.conf import settings
        from django.core.management import call_command

        settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
        settings.MAP_TILE_URL = "https://tiles.example.org/{z}/{x}/{y}.png"
        call_command("migrate", "--no-input", verbosity=0)
        call_command("createcachetable", verbosity=0)
        rng = random.Random(7)
        world = seed_people()
        seed(world, SMALL_POINTS, rng)
        small_counts = query_counts(world)
        started = time.perf_counter()
        seed(world, POINTS - SMALL_POINTS, rng)
        print(f"seeded {POINTS} points in {time.perf_counter() - started:.1f} s", flush=True)
        large_counts = query_counts(world)
        figures = timings(world)

    print(f"\nOutreach bench on {engine}: {SAMPLES} requests per page, in-process test Client")
    header = f"{'page':<34}{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}"
    header += f"{'queries@' + str(SMALL_POINTS):>13}{'queries@' + str(POINTS):>15}"
    print(header)
    constant = True
    for name, values in figures.items():
        small, large = small_counts[name], large_counts[name]
        constant = constant and small == large
        print(
            f"{name:<34}{values['p50']:>9.1f}{values['p95']:>9.1f}{values['max']:>9.1f}"
            f"{small:>13}{large:>15}"
        )
    print(f"query count constant in N: {'yes' if constant else 'NO'}")
    if not constant:
        sys.exit(1)


if __name__ == "__main__":
    main()
