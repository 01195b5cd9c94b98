"""Entity resolution quality and speed: a generated set of people with known duplicates.

Duplicates are written the way they arrive in real case files and referrals: without
diacritics (Ștefănescu / Stefanescu) or with English spellings (Shtefanescu), with nicknames
(Ioni for Ioana), first name and surname swapped, typing errors, an estimated age instead of a
date of birth, another postcode of the same district, missing fields. Distinct people share
names and birth years the way a real population does (a few common surnames).

Prints precision and recall of the proposed pairs (target 0.95 each) at a small scale, then the
time to score BENCH_LARGE records (default 200000; targets: 200,000 in under 60 s, 1,000,000 in
under 300 s) on the machine's cores with DuckDB, with precision and recall at that size too.

Then the network view around one case to depth 3 (target 300 ms server time) on a throwaway
database seeded with `signpost seed --scale BENCH_GRAPH_SCALE` (default 100000) plus
BENCH_ADVERTS adverts (default 1000000), as a lead of the region, in-process.

Then the largest networks: the stored snapshot's refresh time and the network page's server time
when it reads the snapshot (BENCH_GRAPH_SNAPSHOT=0 skips it).

Environment: BENCH_PARTS (default quality,speed,graph), BENCH_GRAPH_SCALE, BENCH_ADVERTS,
BENCH_GRAPH_SAMPLES (cases measured, default 50), BENCH_DATABASE_URL or DATABASE_URL,
BENCH_SMALL (default 5000 people), BENCH_LARGE (default 200000 records; several
sizes comma-separated, e.g. 50000,200000,1000000; 0 to skip),
BENCH_THRESHOLD (match weight, default the app's PROPOSAL_THRESHOLD), BENCH_SEED.
"""

from __future__ import annotations

import datetime
import os
import random
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from signpost.intel import matching  # noqa: E402

PROPOSAL_THRESHOLD = 3.0  # signpost.intel.resolution.PROPOSAL_THRESHOLD (no Django here)
SMALL = int(os.environ.get("BENCH_SMALL", "5000"))
LARGE = [int(size) for size in os.environ.get("BENCH_LARGE", "200000").split(",") if int(size)]
THRESHOLD = float(os.environ.get("BENCH_THRESHOLD", str(PROPOSAL_THRESHOLD)))
SEED = int(os.environ.get("BENCH_SEED", "7"))
TODAY = datetime.date(2026, 11, 28)

FIRST_NAMES = {
    "Ioana": ["Ioni", "Oana", "Ionela"],
    "Maria": ["Mari", "Marioara"],
    "Elena": ["Ela", "Lenuța"],
    "Ana": ["Anca", "Anuța"],
    "Andreea": ["Deea"],
    "Alexandra": ["Sandra", "Sanda"],
    "Gabriela": ["Gabi"],
    "Roxana": ["Roxi"],
    "Cătălina": ["Cati", "Cata"],
    "Ștefania": ["Stefi"],
    "Iulia": ["Iuli", "Julia"],
    "Larisa": ["Lari"],
    "Florentina": ["Flori", "Florica"],
    "Nicolae": ["Nicu", "Nicușor"],
    "Gheorghe": ["Gigi", "George"],
    "Ion": ["Ionuț", "Ionel"],
    "Mihai": ["Mișu"],
    "Ștefan": ["Fane"],
    "Dumitru": ["Mitică", "Dumi"],
    "Constantin": ["Costel", "Costi"],
    "Cristian": ["Cristi"],
    "Adrian": ["Adi"],
    "Daniel": ["Dani"],
    "Vasile": ["Vasi"],
    "Bianca": [],
    "Denisa": [],
    "Raluca": [],
    "Simona": [],
    "Mirela": [],
    "Camelia": [],
    "Adela": [],
    "Carmen": [],
    "Diana": [],
    "Irina": [],
    "Lavinia": [],
    "Monica": [],
    "Petra": [],
    "Sorina": [],
    "Teodora": [],
    "Valentina": [],
}
COMMON_SURNAMES = [
    "Popescu",
    "Popa",
    "Pop",
    "Radu",
    "Dumitru",
    "Stan",
    "Stoica",
    "Gheorghe",
    "Matei",
    "Ciobanu",
    "Ionescu",
    "Rusu",
    "Munteanu",
    "Constantin",
    "Ștefănescu",
    "Mocanu",
    "Lungu",
    "Neagu",
    "Marin",
    "Tudor",
    "Șerban",
    "Țurcanu",
    "Băluță",
    "Dinu",
    "Mihăilă",
]
SYLLABLES = [
    "ma",
    "ri",
    "ne",
    "sco",
    "ta",
    "lu",
    "ce",
    "dra",
    "gu",
    "vi",
    "an",
    "ște",
    "ță",
    "bo",
    "ră",
    "mi",
    "cu",
    "tel",
    "ro",
    "sa",
    "ni",
    "co",
    "le",
    "vă",
    "zu",
    "pe",
    "di",
]
ENDINGS = ["escu", "eanu", "aru", "ache", "oiu", "ă", "an", "iu", "ea", "ică"]
POSTCODE_DISTRICTS = (
    [f"B{n}" for n in range(1, 40)]
    + [f"CV{n}" for n in range(1, 12)]
    + [f"WS{n}" for n in range(1, 15)]
    + [f"WV{n}" for n in range(1, 15)]
    + [f"DY{n}" for n in range(1, 14)]
)


def surname(rng: random.Random) -> str:
    if rng.random() < 0.25:
        return rng.choice(COMMON_SURNAMES)
    body = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(1, 3)))
    return (body + rng.choice(ENDINGS)).capitalize()


def postcode(rng: random.Random, district: str | None = None) -> str:
    district = district or rng.choice(POSTCODE_DISTRICTS)
    letters = "ABDEFGHJLNPQRSTUWXYZ"
    return f"{district} {rng.randint(1, 9)}{rng.choice(letters)}{rng.choice(letters)}"


def base_person(rng: random.Random) -> dict[str, Any]:
    born = TODAY - datetime.timedelta(days=rng.randint(16 * 365, 45 * 365))
    return {
        "first": rng.choice(list(FIRST_NAMES)),
        "surname": surname(rng),
        "dob": born.isoformat(),
        "postcode": postcode(rng),
        "nationality": rng.choice(["Romanian"] * 6 + ["Moldovan", "Albanian", "Bulgarian", ""]),
    }


def strip_marks(value: str) -> str:
    return matching.fold(value).title() if value else value


def english_spelling(value: str) -> str:
    return (
        value.replace("ș", "sh")
        .replace("Ș", "Sh")
        .replace("ş", "sh")
        .replace("ț", "tz")
        .replace("Ț", "Tz")
        .replace("ă", "a")
        .replace("â", "a")
        .replace("î", "i")
    )


def typo(value: str, rng: random.Random) -> str:
    if len(value) < 5:
        return value
    position = rng.randint(1, len(value) - 2)
    kind = rng.random()
    if kind < 0.5:  # swap two letters
        return value[:position] + value[position + 1] + value[position] + value[position + 2 :]
    if kind < 0.8:  # a letter dropped
        return value[:position] + value[position + 1 :]
    return value[:position] + value[position] + value[position:]  # a letter doubled


def duplicate(person: dict[str, Any], rng: random.Random) -> dict[str, Any]:
    """The same person as another worker or another referral would record them."""
    first, last = person["first"], person["surname"]
    kinds = ["marks", "english", "nickname", "swap", "typo", "age", "place", "missing"]
    changes = rng.sample(kinds, k=rng.randint(1, 3))
    record = dict(person)
    if "nickname" in changes and FIRST_NAMES[first]:
        first = rng.choice(FIRST_NAMES[first])
    if "marks" in changes:
        first, last = strip_marks(first), strip_marks(last)
    if "english" in changes:
        first, last = english_spelling(first), english_spelling(last)
    if "typo" in changes:
        last = typo(last, rng)
    name = f"{last} {first}" if "swap" in changes else f"{first} {last}"
    record["name"] = name
    if "age" in changes:
        born = datetime.date.fromisoformat(person["dob"])
        record["age"] = TODAY.year - born.year - rng.choice([0, 0, 1])
        record["dob"] = None
    if "place" in changes:
        record["postcode"] = postcode(rng, person["postcode"].split()[0])
    if "missing" in changes:
        field = rng.choice(["postcode", "nationality"])
        record[field] = ""
    return record


def generate(people: int, rng: random.Random, duplicate_share: float = 0.3):
    records: list[dict[str, Any]] = []
    truth: list[int] = []
    for entity in range(people):
        person = base_person(rng)
        records.append({**person, "name": f"{person['first']} {person['surname']}"})
        truth.append(entity)
        if rng.random() < duplicate_share:
            for _ in range(rng.choice([1, 1, 1, 2])):
                records.append(duplicate(person, rng))
                truth.append(entity)
    prepared = [
        matching.prepare(
            key=f"person:{index}",
            full_name=record["name"],
            date_of_birth=record.get("dob"),
            age=record.get("age"),
            postcode=record.get("postcode") or "",
            nationality=record.get("nationality") or "",
            on=TODAY,
        )
        for index, record in enumerate(records)
    ]
    return prepared, truth


def true_pairs(truth: list[int]) -> set[tuple[str, str]]:
    by_entity: dict[int, list[str]] = {}
    for index, entity in enumerate(truth):
        by_entity.setdefault(entity, []).append(f"person:{index}")
    pairs = set()
    for keys in by_entity.values():
        for i, left in enumerate(keys):
            for right in keys[i + 1 :]:
                pairs.add(tuple(sorted((left, right))))
    return pairs  # type: ignore[return-value]


def quality() -> None:
    rng = random.Random(SEED)
    records, truth = generate(SMALL, rng)
    expected = true_pairs(truth)
    started = time.monotonic()
    matches = matching.predict(records, threshold_weight=THRESHOLD)
    elapsed = time.monotonic() - started
    found = {(m.left, m.right) for m in matches}
    hits = len(found & expected)
    precision = hits / len(found) if found else 0.0
    recall = hits / len(expected) if expected else 0.0
    print(
        f"quality: {len(records)} records ({len(expected)} true duplicate pairs), "
        f"threshold {THRESHOLD}: proposed {len(found)}, precision {precision:.3f}, "
        f"recall {recall:.3f} ({elapsed:.1f}s)"
    )
    missed = sorted(expected - found)[:5]
    index = {record["unique_id"]: record for record in records}
    for left, right in missed:
        print("  missed:", _short(index[left]), "|", _short(index[right]))
    for left, right in sorted(found - expected)[:5]:
        print("  wrong: ", _short(index[left]), "|", _short(index[right]))


def _short(record: dict[str, Any]) -> str:
    return (
        f"{record['first_name']} {record['surname']} {record['dob'] or record['birth_year']} "
        f"{record['postcode']} {record['nationality']}"
    )


def speed() -> None:
    """Time and quality at each size in BENCH_LARGE (comma-separated record counts)."""
    for size in LARGE:
        rng = random.Random(SEED + 1)
        started = time.monotonic()
        records, truth = generate(int(size / 1.375), rng)
        generated = time.monotonic() - started
        started = time.monotonic()
        matches = matching.predict(records, threshold_weight=THRESHOLD)
        elapsed = time.monotonic() - started
        expected = true_pairs(truth)
        found = {(m.left, m.right) for m in matches}
        hits = len(found & expected)
        print(
            f"speed: {len(records)} records generated in {generated:.1f}s, scored in "
            f"{elapsed:.1f}s on {os.cpu_count()} cores: {len(found)} pairs above the threshold, "
            f"precision {hits / max(1, len(found)):.3f}, recall {hits / max(1, len(expected)):.3f}",
            flush=True,
        )


# --- Graph: the network view around one case ------------------------------------------------------

GRAPH_SCALE = int(os.environ.get("BENCH_GRAPH_SCALE", "100000"))
GRAPH_ADVERTS = int(os.environ.get("BENCH_ADVERTS", "1000000"))
GRAPH_SAMPLES = int(os.environ.get("BENCH_GRAPH_SAMPLES", "50"))


def seed_adverts(total: int, rng: random.Random, region_id: int) -> None:
    """Adverts in groups of about 20, each with one phone: a third reuse a phone of a case (so
    that cases reach adverts), a few hub phones sit in thousands of adverts, the rest are new."""
    import hashlib

    from django.db import transaction
    from django.utils import timezone

    from signpost.adverts.models import Advert, AdvertGroup, AdvertIdentifier
    from signpost.cases.models import Identifier
    from signpost.core.models import Region

    region = Region.objects.get(pk=region_id)
    case_phones = list(
        Identifier.objects.filter(kind="phone", case__region=region).values_list(
            "value_index", flat=True
        )[:20000]
    )
    hubs = rng.sample(case_phones, k=min(5, len(case_phones)))
    now = timezone.now()
    batch = 5000
    for start in range(0, total, batch):
        size = min(batch, total - start)
        with transaction.atomic():
            groups = AdvertGroup.objects.bulk_create(
                [AdvertGroup(region=region, advert_count=20) for _ in range(size // 20 + 1)]
            )
            # No documents (AdvertDocument): the graph never reads an advert's text.
            adverts = Advert.objects.bulk_create(
                [
                    Advert(
                        region=region,
                        source="bench",
                        external_id=f"bench-{start + offset}",
                        fingerprint=f"{start + offset:x}",
                        posted_at=now - datetime.timedelta(minutes=rng.randint(0, 600_000)),
                        group=groups[offset // 20],
                    )
                    for offset in range(size)
                ]
            )
            identifiers = []
            for advert in adverts:
                draw = rng.random()
                if draw < 0.02 and hubs:
                    value_index = rng.choice(hubs)
                elif draw < 0.35 and case_phones:
                    value_index = rng.choice(case_phones)
                else:
                    value_index = hashlib.sha256(f"bench-{rng.random()}".encode()).hexdigest()
                identifiers.append(
                    AdvertIdentifier(
                        advert=advert, region=region, kind="phone", value_index=value_index
                    )
                )
            AdvertIdentifier.objects.bulk_create(identifiers)
        if (start // batch) % 20 == 0:
            print(f"  adverts: {start + size}", flush=True)


def graph_bench() -> None:
    sys.path.insert(0, str(ROOT / "bench"))
    from _django import bench_database, percentile, signed_in_client

    with bench_database("intel") as engine:
        import django

        django.setup()
        from django.conf import settings
        from django.core.management import call_command
        from django.db import connection
        from django.test.utils import CaptureQueriesContext
        from django.urls import reverse

        from signpost.adverts.models import Advert
        from signpost.cases.models import Case
        from signpost.core import access
        from signpost.core.database import planner_statistics_refresh
        from signpost.core.models import User
        from signpost.core.roles import Role
        from signpost.intel import graph

        settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
        call_command("migrate", "--no-input", verbosity=0)
        call_command("createcachetable", verbosity=0)
        started = time.perf_counter()
        call_command("seed", scale=GRAPH_SCALE, verbosity=0)
        print(f"graph: seeded scale {GRAPH_SCALE} in {time.perf_counter() - started:.0f} s")
        lead = User.objects.get(email="lead1@seed.signpost.test")
        region_ids = sorted(access.region_ids_for(lead, Role.LEAD))
        started = time.perf_counter()
        seed_adverts(GRAPH_ADVERTS, random.Random(SEED), region_ids[0])
        planner_statistics_refresh()
        print(
            f"graph: {Advert.objects.count()} adverts seeded in "
            f"{time.perf_counter() - started:.0f} s",
            flush=True,
        )
        client = signed_in_client(lead)
        rng = random.Random(SEED)
        cases = list(
            Case.objects.filter(region_id__in=region_ids)
            .order_by("?")
            .values_list("pk", "reference")[:GRAPH_SAMPLES]
        )
        url = reverse("intel:network")
        expand_ms, view_ms, sizes, capped, queries = [], [], [], 0, []
        for _warm in range(3):
            client.post(url, {"seed_kind": "case", "case": cases[0][1], "depth": "3"})
        for pk, reference in cases:
            started = time.perf_counter()
            expansion = graph.expand(lead, f"case:{pk}", depth=3)
            expand_ms.append((time.perf_counter() - started) * 1000)
            sizes.append(expansion.graph.number_of_nodes())
            capped += bool(expansion.capped or expansion.truncated)
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                response = client.post(url, {"seed_kind": "case", "case": reference, "depth": "3"})
                view_ms.append((time.perf_counter() - started) * 1000)
            queries.append(len(captured.captured_queries))
            assert response.status_code == 200, response.status_code
        del rng
        print(
            f"graph on {engine}, scale {GRAPH_SCALE} + {GRAPH_ADVERTS} adverts, {len(cases)} "
            f"cases, depth 3: expand p50 {percentile(expand_ms, 0.5):.0f} ms p95 "
            f"{percentile(expand_ms, 0.95):.0f} ms; network view (POST, page with its JSON) p50 "
            f"{percentile(view_ms, 0.5):.0f} ms p95 {percentile(view_ms, 0.95):.0f} ms "
            f"(target 300); items p50 {percentile(sizes, 0.5):.0f} max {max(sizes)}; "
            f"{capped} capped; queries max {max(queries)}",
            flush=True,
        )
        if os.environ.get("BENCH_RESOLVE", "1") == "1":
            from signpost.core.models import Region
            from signpost.intel import resolution

            started = time.perf_counter()
            result = resolution.resolution_run(region=Region.objects.get(pk=region_ids[0]))
            print(
                f"resolution run end to end (read and decrypt people, score, write proposals): "
                f"{result.records} records, {result.proposed} proposed in "
                f"{time.perf_counter() - started:.1f} s",
                flush=True,
            )
        if os.environ.get("BENCH_GRAPH_LANDING", "1") == "1":
            # Without a start the page lists the largest networks of the whole region.
            started = time.perf_counter()
            response = client.get(url)
            listed = "too many records in your view" not in response.content.decode()
            print(
                f"graph: network page without a start: {time.perf_counter() - started:.2f} s, "
                f"status {response.status_code}, largest networks "
                f"{'computed live' if listed else 'not computed live (view too large)'}",
                flush=True,
            )
        if os.environ.get("BENCH_GRAPH_SNAPSHOT", "1") == "1":
            # The largest networks from the stored snapshot: the periodic job's refresh, then
            # the page without a start as a lead and as an analyst (labels filled per viewer).
            from signpost.core.models import Region
            from signpost.intel.models import SnapshotItem
            from signpost.intel.services import network_snapshot_refresh

            region = Region.objects.get(pk=region_ids[0])
            # At a small BENCH_GRAPH_SCALE the page would compute the list live instead.
            settings.INTEL_LIVE_GRAPH_LIMIT = 0
            started = time.perf_counter()
            stored = network_snapshot_refresh(region=region)
            refresh_seconds = time.perf_counter() - started
            first = stored.networks.order_by("rank").first()
            print(
                f"graph: snapshot refresh {refresh_seconds:.1f} s for {stored.item_count} items "
                f"and {stored.link_count} links; {stored.networks.count()} networks stored "
                f"(largest {first.size if first else 0} items), "
                f"{SnapshotItem.objects.filter(network__snapshot=stored).count()} item rows",
                flush=True,
            )
            analyst = User.objects.filter(
                memberships__role=Role.ANALYST, memberships__organisation__region=region
            ).first()
            for label, viewer_client in (
                ("lead", client),
                ("analyst", signed_in_client(analyst) if analyst else None),
            ):
                if viewer_client is None:
                    continue
                page_ms = []
                for _sample in range(22):
                    started = time.perf_counter()
                    response = viewer_client.get(url)
                    page_ms.append((time.perf_counter() - started) * 1000)
                body = response.content.decode()
                assert response.status_code == 200, response.status_code
                assert 'id="network-snapshot"' in body
                page_ms = page_ms[2:]
                listed_count = body.count('name="node"')
                print(
                    f"graph: network page without a start from the snapshot ({label}): p50 "
                    f"{percentile(page_ms, 0.5):.0f} ms p95 {percentile(page_ms, 0.95):.0f} ms, "
                    f"{listed_count} networks listed",
                    flush=True,
                )


if __name__ == "__main__":
    parts = os.environ.get("BENCH_PARTS", "quality,speed,graph").split(",")
    if "quality" in parts:
        quality()
    if "speed" in parts:
        speed()
    if "graph" in parts:
        graph_bench()
