"""Believable West Midlands data at scale, for benchmarks and trying the app with volume.

Fast (bulk inserts in batches) but honest: personal data goes through the same encrypted fields
and blind indexes as everything else. Referrals are made only when the referrals app's model is
installed; its fields are read from the model so that this keeps working as that app grows.
"""

from __future__ import annotations

import datetime
import random
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.apps import apps
from django.db import models, transaction
from django.utils import timezone
from django.utils.text import slugify

from signpost.cases import services
from signpost.cases.models import (
    Case,
    CaseStatus,
    ClosureOutcome,
    ExploitationType,
    Identifier,
    IdentifierKind,
    Person,
    PersonRole,
    Place,
    PlaceKind,
    Task,
    TimelineEntry,
    TimelineEntryKind,
)
from signpost.core import crypto
from signpost.core.models import Area, Membership, Organisation, Region, Team, User
from signpost.core.roles import Role

BATCH = 2000
SEED_EMAIL_DOMAIN = "@seed.signpost.test"

# Area: (postcode districts, latitude, longitude, streets)
AREAS: dict[str, tuple[list[str], float, float, list[str]]] = {
    "Birmingham": (
        ["B5", "B6", "B10", "B11", "B12", "B19", "B20", "B21"],
        52.4797,
        -1.9026,
        ["Alcester Street", "Soho Road", "Coventry Road", "Ladypool Road", "Lozells Road"],
    ),
    "Coventry": (
        ["CV1", "CV2", "CV3", "CV6"],
        52.4068,
        -1.5197,
        ["Foleshill Road", "Far Gosford Street", "Stoney Stanton Road", "Walsgrave Road"],
    ),
    "Wolverhampton": (
        ["WV1", "WV2", "WV3", "WV10"],
        52.5862,
        -2.1288,
        ["Dudley Road", "Stafford Street", "Lea Road", "Cannock Road"],
    ),
    "Walsall": (
        ["WS1", "WS2", "WS3"],
        52.5862,
        -1.9829,
        ["Caldmore Road", "Wednesbury Road", "Bloxwich Road"],
    ),
    "Dudley": (
        ["DY1", "DY2", "DY5"],
        52.5086,
        -2.0873,
        ["High Street", "Stourbridge Road", "Wolverhampton Street"],
    ),
    "Sandwell": (
        ["B66", "B69", "B70", "B71"],
        52.5190,
        -1.9945,
        ["High Street", "Bromford Lane", "Oldbury Road"],
    ),
    "Solihull": (
        ["B90", "B91", "B92", "B37"],
        52.4118,
        -1.7776,
        ["Warwick Road", "Stratford Road", "Chelmsley Road"],
    ),
}

VICTIM_FIRST_NAMES = [
    "Ioana", "Maria", "Elena", "Andreea", "Alexandra", "Cristina", "Denisa", "Roxana",
    "Bianca", "Gabriela", "Mirela", "Florentina", "Klaudia", "Agnieszka", "Ardita", "Elira",
    "Linh", "Thao", "Chloe", "Jade", "Amira", "Blessing",
]  # fmt: skip
SUSPECT_FIRST_NAMES = [
    "Florin", "Marian", "Adrian", "Ionut", "Bogdan", "Gabriel", "Costel", "Dorin",
    "Arben", "Kujtim", "Tomasz", "Piotr", "Minh", "Darren", "Lee",
]  # fmt: skip
SURNAMES = [
    "Popescu", "Ionescu", "Popa", "Dumitru", "Stan", "Stoica", "Gheorghe", "Rusu", "Munteanu",
    "Matei", "Lazar", "Constantin", "Krasniqi", "Hoxha", "Kowalska", "Nowak", "Nguyen",
    "Tran", "Smith", "Evans",
]  # fmt: skip
NATIONALITIES = [
    ("Romanian", ["Romanian"], "+40", 0.45),
    ("Albanian", ["Albanian"], "+355", 0.12),
    ("Polish", ["Polish"], "+48", 0.08),
    ("Vietnamese", ["Vietnamese"], "+84", 0.08),
    ("British", ["English"], "+44", 0.2),
    ("Nigerian", ["English", "Yoruba"], "+234", 0.07),
]
HOTELS = ["Travel Inn", "City Lodge", "Budget Stay", "Central Rooms"]
NOTES = [
    "Spoke briefly outside the premises; she seemed frightened and watched the car park.",
    "Outreach team saw her driven to the address at 23:40 in a dark estate car.",
    "Advert with the same phone number found in Coventry and Leicester this week.",
    "She said her 'boyfriend' keeps her passport 'for safety'.",
    "Called the safe number: no answer. Will try again at the agreed time.",
    "Police liaison informed; no immediate action requested.",
    "Interpreter booked for the next visit.",
    "Landlord says several women come and go; rent paid in cash by a man.",
]
TASKS = [
    "Book a Romanian interpreter",
    "Check the advert sites for the number",
    "Visit the address with outreach",
    "Ask the council about the property's licence",
    "Arrange a GP appointment",
]
DESCRIPTIONS = [
    "Slim, long dark hair, a rose tattoo on the left wrist.",
    "Short, bleached hair, appears tired; bruising on the forearm.",
    "Tall, speaks little English, always with the same man.",
    "About 20, wears a tracksuit, has two phones.",
]


@dataclass
class SeedWorld:
    region: Region
    areas: list[Area]
    charity: Organisation
    team: Team
    investigators: list[User]
    leads: list[User]
    handlers: list[User]
    analysts: list[User]
    referral_model: Any = None
    counts: dict[str, int] = field(default_factory=dict)


def _user(email_name: str, display_name: str, languages: list[str]) -> User:
    email = f"{email_name}{SEED_EMAIL_DOMAIN}"
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User(email=email, display_name=display_name, languages_spoken=languages)
        # Seeded staff cannot sign in; tests and benchmarks log them in directly.
        user.set_unusable_password()
        user.save()
    return user


def _member(
    user: User, organisation: Organisation, role: str, team: Team | None, areas: Any
) -> None:
    membership, created = Membership.objects.get_or_create(
        user=user, organisation=organisation, role=role, defaults={"team": team}
    )
    if created:
        membership.areas.set(areas)


def seed_world() -> SeedWorld:
    """The region, its areas, organisations and staff; reused when `signpost demo` made them."""
    region = Region.objects.filter(slug="west-midlands").first() or Region.objects.create(
        slug="west-midlands", name="West Midlands"
    )
    areas = [
        Area.objects.get_or_create(region=region, slug=slugify(name), defaults={"name": name})[0]
        for name in AREAS
    ]
    charity = Organisation.objects.filter(
        region=region, kind=Organisation.Kind.CHARITY
    ).first() or Organisation.objects.create(
        name="Open Doors Anti-Slavery Trust",
        kind=Organisation.Kind.CHARITY,
        region=region,
        is_first_responder=True,
    )
    for name, kind, responder in [
        ("West Midlands Police", Organisation.Kind.POLICE, True),
        ("Safe Harbour Survivor Support", Organisation.Kind.SUPPORT_PROVIDER, False),
        ("Black Country Women's Aid", Organisation.Kind.SUPPORT_PROVIDER, False),
    ]:
        Organisation.objects.get_or_create(
            name=name, defaults={"kind": kind, "region": region, "is_first_responder": responder}
        )
    team = Team.objects.get_or_create(organisation=charity, name="Seeded casework team")[0]
    investigators = []
    for number in range(1, 13):
        languages = ["en", "ro"] if number % 3 == 0 else ["en"]
        user = _user(f"investigator{number}", f"Investigator {number}", languages)
        _member(user, charity, Role.INVESTIGATOR, team, areas)
        investigators.append(user)
    leads, handlers, analysts = [], [], []
    for number in range(1, 3):
        lead = _user(f"lead{number}", f"Team lead {number}", ["en"])
        _member(lead, charity, Role.LEAD, team, areas)
        leads.append(lead)
        handler = _user(f"handler{number}", f"Intake handler {number}", ["en", "ro"])
        _member(handler, charity, Role.HANDLER, None, areas)
        handlers.append(handler)
        analyst = _user(f"analyst{number}", f"Analyst {number}", ["en"])
        _member(analyst, charity, Role.ANALYST, team, areas)
        analysts.append(analyst)
    try:
        referral_model = apps.get_model("referrals", "Referral")
    except LookupError:
        referral_model = None
    return SeedWorld(
        region=region,
        areas=areas,
        charity=charity,
        team=team,
        investigators=investigators,
        leads=leads,
        handlers=handlers,
        analysts=analysts,
        referral_model=referral_model,
    )


def _batches(total: int) -> Iterator[range]:
    for start in range(0, total, BATCH):
        yield range(start, min(start + BATCH, total))


def _pick_nationality(rng: random.Random) -> tuple[str, list[str], str, float]:
    return rng.choices(NATIONALITIES, weights=[n[3] for n in NATIONALITIES])[0]


MOBILE_FORMATS = {
    "+40": "+40 7{2} {3} {3}",
    "+355": "+355 6{2} {3} {3}",
    "+48": "+48 5{2} {3} {3}",
    "+84": "+84 9{2} {3} {3}",
    "+234": "+234 80{1} {3} {4}",
}


def _digits(rng: random.Random, count: int) -> str:
    return "".join(str(rng.randint(0, 9)) for _i in range(count))


def _phone(rng: random.Random, prefix: str) -> str:
    if prefix == "+44":
        return f"07{rng.randint(400, 999)} {_digits(rng, 6)}"
    template = MOBILE_FORMATS[prefix]
    return re.sub(r"\{(\d)\}", lambda match: _digits(rng, int(match.group(1))), template)


def _postcode(rng: random.Random, district: str) -> str:
    letters = "ABDEFGHJLNPQRSTUWXYZ"
    return f"{district} {rng.randint(1, 9)}{rng.choice(letters)}{rng.choice(letters)}"


def _vehicle(rng: random.Random) -> str:
    letters = "ABCDEFGHJKLMNOPRSTUVWXYZ"
    return (
        f"{rng.choice(letters)}{rng.choice(letters)}{rng.randint(51, 74)} "
        f"{rng.choice(letters)}{rng.choice(letters)}{rng.choice(letters)}"
    )


def _moment(rng: random.Random, now: datetime.datetime, days: int = 700) -> datetime.datetime:
    return now - datetime.timedelta(days=rng.random() * days, minutes=rng.randint(0, 1440))


def _fields_of(model: type[models.Model]) -> set[str]:
    return {f.name for f in model._meta.concrete_fields}


def seed(*, scale: int, rng_seed: int = 2026, progress: Callable[[str], None] = print) -> SeedWorld:
    rng = random.Random(rng_seed)  # noqa: S311 (synthetic data, not secrets)
    world = seed_world()
    case_count = max(1, scale // 2)
    cases = _seed_cases(world, rng, case_count, progress)
    if world.referral_model is not None:
        _seed_referrals(world, rng, scale, cases, progress)
    world.counts["cases"] = len(cases)
    return world


def _seed_cases(
    world: SeedWorld, rng: random.Random, total: int, progress: Callable[[str], None]
) -> list[int]:
    now = timezone.now()
    created_at = sorted(_moment(rng, now) for _i in range(total))
    by_year: dict[int, int] = {}
    for moment in created_at:
        year = timezone.localtime(moment).year
        by_year[year] = by_year.get(year, 0) + 1
    with transaction.atomic():
        next_number = {
            year: services.reserve_reference_block(year=year, count=count)
            for year, count in by_year.items()
        }
    # A pool of controllers' phones and cars shared between cases, so that links appear.
    shared_phones = [_phone(rng, "+44") for _i in range(max(5, total // 20))]
    shared_vehicles = [_vehicle(rng) for _i in range(max(3, total // 50))]
    case_ids: list[int] = []
    people_total = identifiers_total = 0
    for batch in _batches(total):
        with transaction.atomic():
            new_cases = []
            for index in batch:
                moment = created_at[index]
                year = timezone.localtime(moment).year
                number = next_number[year]
                next_number[year] += 1
                area = rng.choice(world.areas)
                lead = rng.choice(world.investigators)
                closed = moment < now - datetime.timedelta(days=120) and rng.random() < 0.7
                requester = rng.choice(world.investigators)
                types = rng.sample(
                    [ExploitationType.SEXUAL] * 6
                    + [ExploitationType.LABOUR] * 2
                    + [
                        ExploitationType.CRIMINAL,
                        ExploitationType.DOMESTIC_SERVITUDE,
                        ExploitationType.UNKNOWN,
                    ],
                    k=1,
                )
                new_cases.append(
                    Case(
                        reference=services.format_reference(year, number),
                        reference_year=year,
                        reference_number=number,
                        region=world.region,
                        area=area,
                        lead_investigator=lead,
                        team=world.team,
                        exploitation_types=[str(t) for t in types],
                        status=CaseStatus.CLOSED
                        if closed
                        else rng.choice(
                            [
                                CaseStatus.OPEN,
                                CaseStatus.ACTIVE,
                                CaseStatus.SAFEGUARDING,
                                CaseStatus.SUPPORT,
                            ]
                        ),
                        summary=rng.choice(NOTES),
                        closure_requested_by=requester if closed else None,
                        closure_requested_at=moment + datetime.timedelta(days=90)
                        if closed
                        else None,
                        closure_outcome=rng.choice(ClosureOutcome.values) if closed else "",
                        closure_reason="Support in place; no further contact wanted."
                        if closed
                        else "",
                        closure_approved_by=world.leads[0] if closed else None,
                        closed_at=moment + datetime.timedelta(days=100) if closed else None,
                        created_by=lead,
                        created_at=moment,
                    )
                )
            Case.objects.bulk_create(new_cases, batch_size=BATCH)
            people, identifiers, places, notes, tasks, handled = [], [], [], [], [], []
            for case in new_cases:
                nationality, languages, prefix, _weight = _pick_nationality(rng)
                victim_name = f"{rng.choice(VICTIM_FIRST_NAMES)} {rng.choice(SURNAMES)}"
                age = rng.choice([16, 17, 19, 20, 21, 22, 23, 25, 27, 29, 31, 34])
                victim = Person(  # type: ignore[misc]
                    case=case,
                    role=PersonRole.POTENTIAL_VICTIM,
                    full_name=victim_name,
                    aliases=[rng.choice(["Ana", "Bella", "Roxy", "Lili", "Mia"])],
                    estimated_age=age,
                    nationality=nationality,
                    languages=languages,
                    description=rng.choice(DESCRIPTIONS),
                    contact_details=f"Safe to text after 22:00 on {_phone(rng, prefix)}",
                    name_index=crypto.blind_index("name", victim_name),
                    created_by=case.created_by,
                    created_at=case.created_at,
                )
                people.append(victim)
                suspect = None
                if rng.random() < 0.6:
                    suspect_name = f"{rng.choice(SUSPECT_FIRST_NAMES)} {rng.choice(SURNAMES)}"
                    suspect = Person(  # type: ignore[misc]
                        case=case,
                        role=PersonRole.SUSPECT,
                        full_name=suspect_name,
                        aliases=[],
                        nationality=nationality,
                        languages=languages,
                        description="Described as her boyfriend; drives her to clients.",
                        name_index=crypto.blind_index("name", suspect_name),
                        created_by=case.created_by,
                        created_at=case.created_at,
                    )
                    people.append(suspect)
                case._seed_people = (victim, suspect)  # type: ignore[attr-defined]
                districts, lat, lng, streets = AREAS.get(case.area.name, AREAS["Birmingham"])
                kind = rng.choice(PlaceKind.values)
                district = rng.choice(districts)
                places.append(
                    Place(
                        case=case,
                        kind=kind,
                        address=(
                            f"{rng.choice(HOTELS)}, {rng.choice(streets)}"
                            if kind == PlaceKind.HOTEL
                            else f"{rng.randint(1, 240)} {rng.choice(streets)}"
                        ),
                        postcode=_postcode(rng, district),
                        latitude=Decimal(f"{lat + rng.uniform(-0.03, 0.03):.5f}"),
                        longitude=Decimal(f"{lng + rng.uniform(-0.04, 0.04):.5f}"),
                        created_by=case.created_by,
                        created_at=case.created_at,
                    )
                )
                for offset in range(rng.randint(1, 3)):
                    notes.append(
                        TimelineEntry(
                            case=case,
                            kind=TimelineEntryKind.NOTE if offset else TimelineEntryKind.EVENT,
                            occurred_at=case.created_at + datetime.timedelta(days=offset * 3),
                            text=rng.choice(NOTES),
                            author=case.lead_investigator,
                            created_at=case.created_at,
                        )
                    )
                if not case.is_closed and rng.random() < 0.5:
                    tasks.append(
                        Task(
                            case=case,
                            title=rng.choice(TASKS),
                            assignee=case.lead_investigator,
                            due_on=(case.created_at + datetime.timedelta(days=14)).date(),
                            created_by=case.lead_investigator,
                        )
                    )
                if rng.random() < 0.3:
                    handled.append(
                        Case.handlers.through(
                            case_id=case.pk, user_id=rng.choice(world.handlers).pk
                        )
                    )
            Person.objects.bulk_create(people, batch_size=BATCH)
            for case in new_cases:
                victim, suspect = case._seed_people  # type: ignore[attr-defined]
                _, _, prefix, _ = next(n for n in NATIONALITIES if n[0] == victim.nationality)
                values: list[tuple[str, str, Person | None]] = [
                    (IdentifierKind.PHONE, _phone(rng, prefix), victim)
                ]
                if suspect is not None:
                    values.append((IdentifierKind.PHONE, rng.choice(shared_phones), suspect))
                    if rng.random() < 0.3:
                        values.append(
                            (IdentifierKind.VEHICLE, rng.choice(shared_vehicles), suspect)
                        )
                if rng.random() < 0.4:
                    handle = f"{victim.full_name.split()[0].lower()}{rng.randint(90, 9999)}"
                    values.append((IdentifierKind.HANDLE, handle, victim))
                if rng.random() < 0.2:
                    email = (
                        f"{victim.full_name.split()[0].lower()}.{rng.randint(1, 99999)}@example.com"
                    )
                    values.append((IdentifierKind.EMAIL, email, victim))
                seen: set[str] = set()
                for kind, raw, person in values:
                    stored = services.normalise_identifier_value(kind, raw)
                    value_index = crypto.blind_index(kind, stored)
                    if value_index in seen:
                        continue
                    seen.add(value_index)
                    identifiers.append(
                        Identifier(
                            case=case,
                            person=person,
                            kind=kind,
                            value=stored,
                            value_index=value_index,
                            created_by=case.created_by,
                            created_at=case.created_at,
                        )
                    )
            Identifier.objects.bulk_create(identifiers, batch_size=BATCH)
            Place.objects.bulk_create(places, batch_size=BATCH)
            TimelineEntry.objects.bulk_create(notes, batch_size=BATCH)
            Task.objects.bulk_create(tasks, batch_size=BATCH)
            Case.handlers.through.objects.bulk_create(handled, batch_size=BATCH)
            people_total += len(people)
            identifiers_total += len(identifiers)
            case_ids.extend(case.pk for case in new_cases)
        progress(f"cases: {len(case_ids)}/{total}")
    world.counts["people"] = people_total
    world.counts["identifiers"] = identifiers_total
    return case_ids


def _referral_status(rng: random.Random, *, linked: bool, age: datetime.timedelta) -> str:
    """Referrals are triaged within days: only the recent ones are still open, a few older
    ones wait for the referring partner's answer."""
    if linked:
        return "accepted"
    if age < datetime.timedelta(days=5):
        return rng.choice(["new", "new", "new", "info_requested", "declined"])
    return "info_requested" if rng.random() < 0.02 else "declined"


def _referral_response(
    rng: random.Random, *, status: str, band: str, received: datetime.datetime
) -> dict[str, Any]:
    """The response target, and when a handler first acted and decided (as triage would)."""
    try:
        from signpost.referrals.models import due_at_for
    except ImportError:  # pragma: no cover - the cases app without the referrals app
        return {}
    response: dict[str, Any] = {"due_at": due_at_for(band, received)}
    if status != "new":
        acted = received + datetime.timedelta(hours=rng.uniform(0.2, 30))
        response["first_action_at"] = acted
        if status != "info_requested":
            response["decided_at"] = acted + datetime.timedelta(hours=rng.uniform(0, 4))
    return response


def _seed_referral_identifiers(referrals: list[Any]) -> None:
    """What the referrals app's services record for matching: here, the contact phone."""
    try:
        from signpost.referrals.models import ReferralIdentifier
    except ImportError:  # pragma: no cover - the cases app without the referrals app
        return
    ReferralIdentifier.objects.bulk_create(
        [
            ReferralIdentifier(
                referral_id=referral.pk, kind="phone", value_index=referral.phone_index
            )
            for referral in referrals
            if referral.phone_index
        ],
        batch_size=BATCH,
    )


def _seed_referrals(
    world: SeedWorld,
    rng: random.Random,
    total: int,
    case_ids: list[int],
    progress: Callable[[str], None],
) -> None:
    model = world.referral_model
    fields = _fields_of(model)
    module = __import__(model.__module__, fromlist=["*"])
    alphabet = getattr(module, "REFERENCE_ALPHABET", "23456789ABCDEFGHJKMNPQRSTVWXYZ")
    prefix = getattr(module, "REFERENCE_PREFIX", "SP-R-")
    length = getattr(module, "REFERENCE_LENGTH", 6)
    taken = set(model.objects.values_list("reference", flat=True))
    try:
        from signpost.referrals import risk, taxonomy

        codes = [item.code for item in taxonomy.indicators("referral")]
    except ImportError:  # pragma: no cover - the referrals app without its risk module
        risk = None  # type: ignore[assignment]
        codes = []
    now = timezone.now()
    made = 0
    for batch in _batches(total):
        with transaction.atomic():
            rows = []
            for index in batch:
                reference = prefix + "".join(rng.choice(alphabet) for _i in range(length))
                while reference in taken:
                    reference = prefix + "".join(rng.choice(alphabet) for _i in range(length))
                taken.add(reference)
                nationality, _languages, phone_prefix, _weight = _pick_nationality(rng)
                danger_now = rng.random() < 0.03
                possible_child = rng.random() < 0.05
                indicators = (
                    rng.sample(codes, k=min(len(codes), rng.randint(1, 4))) if codes else []
                )
                score, band = 0, "standard"
                if risk is not None:
                    assessment = risk.assess(
                        indicators=indicators, danger_now=danger_now, possible_child=possible_child
                    )
                    score, band = assessment.score, str(assessment.band)
                linked = index < len(case_ids)
                received = _moment(rng, now, days=365 if linked else 120)
                status = _referral_status(rng, linked=linked, age=now - received)
                phone = _phone(rng, phone_prefix)
                values: dict[str, Any] = {
                    "reference": reference,
                    "source": rng.choice(["public", "self", "agency"]),
                    "region": world.region,
                    "area": rng.choice(world.areas),
                    "status": status,
                    "urgent": band == "urgent",
                    "danger_now": danger_now,
                    "possible_child": possible_child,
                    "who_at_risk": rng.choice(["me", "someone_else", "several"]),
                    "indicators": indicators,
                    "age_band": "under_18"
                    if possible_child
                    else rng.choice(["18_24", "25_34", "unknown"]),
                    "languages": [
                        {
                            "Romanian": "ro",
                            "Albanian": "sq",
                            "Polish": "pl",
                            "Vietnamese": "vi",
                        }.get(nationality, "en")
                    ],
                    "nationality": {
                        "Romanian": "RO",
                        "Albanian": "AL",
                        "Polish": "PL",
                        "Vietnamese": "VN",
                        "British": "GB",
                        "Nigerian": "NG",
                    }[nationality],
                    "contact_consent": rng.choice(["yes", "no", "not_asked"]),
                    "contact_method": "phone",
                    "contact_value": phone,
                    "what_is_happening": rng.choice(NOTES),
                    "person_description": rng.choice(DESCRIPTIONS),
                    "phone_index": crypto.blind_index("phone", phone),
                    "risk_score": score,
                    "risk_band": band,
                    "created_at": received,
                    **_referral_response(rng, status=status, band=band, received=received),
                }
                if linked and "case" in fields:
                    values["case_id"] = case_ids[index]
                rows.append(
                    model(**{k: v for k, v in values.items() if k.removesuffix("_id") in fields})
                )
            model.objects.bulk_create(rows, batch_size=BATCH)
            _seed_referral_identifiers(rows)
            made += len(rows)
        progress(f"referrals: {made}/{total}")
    world.counts["referrals"] = made
