"""A small, complete world for access tests: a user of every role in region A, and an
outsider of the same role in region B. Every app's tests use it to check "forbidden" too.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from signpost.core.models import Area, Organisation, Region, Team, User
from signpost.core.roles import Role
from signpost.testing.factories import (
    AreaFactory,
    MembershipFactory,
    OrganisationFactory,
    RegionFactory,
    TeamFactory,
    UserFactory,
)

# Which kind of organisation each role belongs to.
ROLE_ORGANISATION = {
    Role.VOLUNTEER: "partner",
    Role.HANDLER: "charity",
    Role.INVESTIGATOR: "charity",
    Role.LEAD: "charity",
    Role.ANALYST: "charity",
    Role.POLICE_LIAISON: "police",
    Role.ADMIN: "charity",
}


@dataclass
class RegionWorld:
    region: Region
    areas: list[Area]
    charity: Organisation
    partner: Organisation
    police: Organisation
    team: Team
    users: dict[str, User] = field(default_factory=dict)

    def __getattr__(self, name: str) -> User:
        try:
            return self.__dict__["users"][name]
        except KeyError as error:
            raise AttributeError(name) from error


def build_region(slug: str, name: str, area_names: list[str]) -> RegionWorld:
    region = RegionFactory(slug=slug, name=name)
    areas = [
        AreaFactory(region=region, name=area, slug=f"{slug}-{area.lower().replace(' ', '-')}")
        for area in area_names
    ]
    charity = OrganisationFactory(
        name=f"Charity {name}", kind="charity", region=region, is_first_responder=True
    )
    partner = OrganisationFactory(name=f"Street Partner {name}", kind="partner", region=region)
    police = OrganisationFactory(
        name=f"Police {name}", kind="police", region=region, is_first_responder=True
    )
    team = TeamFactory(organisation=charity, name=f"Team {name}")
    world = RegionWorld(region, areas, charity, partner, police, team)
    organisations = {"charity": charity, "partner": partner, "police": police}
    for role in Role:
        user = UserFactory(
            email=f"{role.value}@{slug}.example.org",
            display_name=f"{role.label} {name}",
            languages_spoken=["en", "ro"] if role == Role.INVESTIGATOR else ["en"],
        )
        MembershipFactory(
            user=user,
            organisation=organisations[ROLE_ORGANISATION[role]],
            role=role,
            areas=areas,
            team=team if role in (Role.INVESTIGATOR, Role.LEAD, Role.ANALYST) else None,
        )
        world.users[role.value] = user
    return world


@dataclass
class World:
    """`world.a.investigator` works in region A; `world.b.investigator` is the outsider."""

    a: RegionWorld
    b: RegionWorld


def build_world() -> World:
    return World(
        a=build_region("west-midlands", "West Midlands", ["Birmingham", "Coventry"]),
        b=build_region("east-midlands", "East Midlands", ["Nottingham", "Leicester"]),
    )
