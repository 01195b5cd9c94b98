"""Demo cases for `signpost demo`: a few West Midlands cases for the demo investigator."""

from __future__ import annotations

from typing import Any

from signpost.cases import services
from signpost.cases.models import Case


def load(demo: Any) -> None:
    investigator = demo.users.get("investigator")
    lead = demo.users.get("lead")
    if investigator is None or lead is None or Case.objects.filter(region=demo.region).exists():
        return
    case = services.case_open(
        region=demo.region,
        area=demo.areas["Birmingham"],
        lead_investigator=investigator,
        exploitation_types=["sexual"],
        summary="Young Romanian woman seen at night outside a hotel in Digbeth with an older man.",
        by=investigator,
    )
    victim = services.person_add(
        case=case,
        role="potential_victim",
        full_name="Andreea Munteanu",
        aliases=["Andi"],
        estimated_age=20,
        nationality="Romanian",
        languages=["Romanian"],
        description="Slim, long dark hair, rose tattoo on the left wrist.",
        contact_details="Text only, after 22:00.",
        by=investigator,
    )
    suspect = services.person_add(
        case=case,
        role="suspect",
        full_name="Florin Lazar",
        description="Described as her boyfriend; drives a grey estate car.",
        by=investigator,
    )
    services.identifier_add(
        case=case, kind="phone", value="07700 900 431", person=victim, by=investigator
    )
    services.identifier_add(
        case=case, kind="vehicle", value="FL19 XKA", person=suspect, by=investigator
    )
    services.place_add(
        case=case,
        kind="hotel",
        address="Central Rooms, Alcester Street, Birmingham",
        postcode="B5 6QR",
        latitude="52.47422",
        longitude="-1.88703",
        by=investigator,
    )
    services.timeline_entry_add(
        case=case,
        text="Outreach saw her driven to the hotel at 23:40; she took a leaflet in Romanian.",
        by=investigator,
    )
    services.task_add(
        case=case, title="Book a Romanian interpreter", assignee=investigator, by=lead
    )
    second = services.case_open(
        region=demo.region,
        area=demo.areas["Coventry"],
        lead_investigator=investigator,
        exploitation_types=["labour"],
        summary="Men living above a car wash, passports held by the owner.",
        by=lead,
    )
    services.identifier_add(case=second, kind="phone", value="07700 900 431", by=lead)
