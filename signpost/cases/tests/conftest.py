"""Fixtures for the cases app's tests: an open case in region A with a person and identifier."""

from __future__ import annotations

import pytest

from signpost.cases import services
from signpost.cases.models import Case
from signpost.testing.world import World


def open_case(world: World, *, region: str = "a", by_role: str = "investigator") -> Case:
    side = getattr(world, region)
    return services.case_open(
        region=side.region,
        area=side.areas[0],
        lead_investigator=side.investigator,
        exploitation_types=["sexual"],
        summary="Met outside a hotel in Digbeth.",
        by=side.users[by_role],
    )


@pytest.fixture
def case(world):
    return open_case(world)


@pytest.fixture
def victim(world, case):
    return services.person_add(
        case=case,
        role="potential_victim",
        full_name="Ioana Popescu",
        aliases=["Ana"],
        estimated_age=22,
        nationality="Romanian",
        languages=["Romanian"],
        description="Long dark hair, tattoo on wrist.",
        contact_details="Text only after 10pm: 07700 900123",
        by=world.a.investigator,
    )


@pytest.fixture
def phone(world, case, victim):
    return services.identifier_add(
        case=case, kind="phone", value="07700 900982", person=victim, by=world.a.investigator
    )
