"""Test data for insights: referrals and cases written straight to the other apps' tables.

Insights only reads those tables; the rows are made here directly (as the seed command does)
so that dates, outcomes and decisions can be set to any month a test needs.
"""

from __future__ import annotations

import datetime
import itertools
from typing import Any

from django.utils import timezone

from signpost.cases.models import Case, NrmReferral, Person
from signpost.core.models import Area
from signpost.referrals.models import Referral, due_at_for, new_reference
from signpost.testing.world import RegionWorld

_numbers = itertools.count(1)


def moment(year: int, month: int, day: int = 10, hour: int = 12) -> datetime.datetime:
    return datetime.datetime(year, month, day, hour, tzinfo=timezone.get_current_timezone())


def referral(
    side: RegionWorld,
    *,
    area: Area | None = None,
    at: datetime.datetime | None = None,
    **fields: Any,
) -> Referral:
    values: dict[str, Any] = {
        "reference": new_reference(),
        "source": "public",
        "region": side.region,
        "area": area if area is not None else side.areas[0],
        "created_at": at or timezone.now(),
        "languages": ["ro"],
        "nationality": "RO",
        **fields,
    }
    if values.get("possible_child") or values.get("danger_now"):
        values.update(urgent=True, risk_band="urgent")
    values.setdefault(
        "due_at", due_at_for(values.get("risk_band", "standard"), values["created_at"])
    )
    if values["source"] == "partner":
        values.setdefault("submitted_by", side.volunteer)
        values.setdefault("partner_organisation", side.partner)
    return Referral.objects.create(**values)


def referrals(side: RegionWorld, count: int, **fields: Any) -> list[Referral]:
    return [referral(side, **fields) for _i in range(count)]


def case(
    side: RegionWorld,
    *,
    area: Area | None = None,
    at: datetime.datetime | None = None,
    types: list[str] | None = None,
    outcome: str = "",
    closed_at: datetime.datetime | None = None,
) -> Case:
    opened = at or timezone.now()
    number = next(_numbers)
    closed = bool(outcome)
    return Case.objects.create(
        reference=f"SP-{opened.year}-T{number:05d}",
        reference_year=opened.year,
        reference_number=90000 + number,
        region=side.region,
        area=area or side.areas[0],
        lead_investigator=side.investigator,
        exploitation_types=types or ["sexual"],
        status="closed" if closed else "open",
        closure_outcome=outcome,
        closure_requested_by=side.investigator if closed else None,
        closure_approved_by=side.lead if closed else None,
        closed_at=(closed_at or opened + datetime.timedelta(days=30)) if closed else None,
        created_at=opened,
    )


def nrm(
    side: RegionWorld,
    on: Case,
    *,
    submitted_on: datetime.date,
    reasonable_grounds: str = "",
    reasonable_grounds_on: datetime.date | None = None,
) -> NrmReferral:
    person = Person.objects.create(
        case=on, role="potential_victim", full_name="Test Person", name_index=f"x{on.pk}"
    )
    return NrmReferral.objects.create(
        case=on,
        person=person,
        is_child=False,
        consent="given",
        consent_recorded_at=timezone.now(),
        route="nrm",
        submitted_on=submitted_on,
        reasonable_grounds=reasonable_grounds,
        reasonable_grounds_on=reasonable_grounds_on,
    )
