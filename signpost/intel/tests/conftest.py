"""Fixtures for the intel app: a case in region A with a victim who has not consented, a
suspect, their phones and places, and the partner referral it was opened from."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

import pytest

from signpost.cases import services as case_services
from signpost.cases.models import Case, Person
from signpost.core import crypto
from signpost.referrals.models import Referral, new_reference
from signpost.testing.world import World

VICTIM_NAME = "Ioana Ștefănescu"
VICTIM_PHONE = "+447700900111"
SUSPECT_NAME = "Marius Dumitru"
SUSPECT_PHONE = "+447700900222"
VICTIM_ADDRESS = "14 Lime Grove, Aston"


@dataclass
class CaseWorld:
    case: Case
    victim: Person
    suspect: Person
    referral: Referral


def make_referral(world: World, **extra: Any) -> Referral:
    fields: dict[str, Any] = {
        "reference": new_reference(),
        "source": Referral.Source.PARTNER,
        "region": world.a.region,
        "area": world.a.areas[0],
        "submitted_by": world.a.volunteer,
        "partner_organisation": world.a.partner,
        "what_is_happening": "Women driven to a house at night",
        "referrer_details": "Pastor Gheorghe at the night shelter",
    }
    fields.update(extra)
    return Referral.objects.create(**fields)


def make_case(world: World) -> CaseWorld:
    referral = make_referral(world)
    case = case_services.case_open_from_referral(
        referral=referral,
        lead_investigator=world.a.investigator,
        by=world.a.lead,
        area=world.a.areas[0],
        exploitation_types=["sexual"],
    )
    victim = case_services.person_add(
        case=case,
        role="potential_victim",
        full_name=VICTIM_NAME,
        aliases=["Ioni"],
        date_of_birth=datetime.date(2001, 4, 2),
        by=world.a.investigator,
    )
    suspect = case_services.person_add(
        case=case, role="suspect", full_name=SUSPECT_NAME, by=world.a.investigator
    )
    case_services.identifier_add(
        case=case, kind="phone", value=VICTIM_PHONE, person=victim, by=world.a.investigator
    )
    case_services.identifier_add(
        case=case, kind="phone", value=SUSPECT_PHONE, person=suspect, by=world.a.investigator
    )
    case_services.place_add(
        case=case,
        kind="residence",
        address=VICTIM_ADDRESS,
        postcode="B6 5AA",
        person=victim,
        by=world.a.investigator,
    )
    return CaseWorld(case=case, victim=victim, suspect=suspect, referral=referral)


@pytest.fixture
def case_world(world: World) -> CaseWorld:
    return make_case(world)


REPORT_BODY = (
    f"{SUSPECT_NAME} (phone {SUSPECT_PHONE}) drives women to {VICTIM_ADDRESS} at night. "
    "Ioana Stefanescu was seen there on 3 May; her phone is 07700 900111. "
    "Reported by Volunteer West Midlands of Street Partner West Midlands."
)


def graded(**extra: Any) -> dict[str, str]:
    values = {
        "source_grade": "2",
        "intelligence_grade": "B",
        "handling_code": "C",
        "handling_conditions": "Not to be shared outside the force's modern slavery unit.",
    }
    values.update(extra)
    return values


def phone_index(value: str) -> str:
    return crypto.blind_index("phone", value)
