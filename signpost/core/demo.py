"""The demo world: West Midlands areas, the charity and its partners, one user per role."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.text import slugify
from django_otp.plugins.otp_totp.models import TOTPDevice

from signpost.core.models import Area, Membership, Organisation, Region, Team, User
from signpost.core.roles import Role

DEMO_EMAIL_DOMAIN = "@demo.signpost.test"
DEMO_PASSWORD = "demo-signpost-2026"  # noqa: S105  (published on purpose; development only)

WEST_MIDLANDS_AREAS = [
    "Birmingham",
    "Coventry",
    "Wolverhampton",
    "Walsall",
    "Dudley",
    "Sandwell",
    "Solihull",
]

# role: (email name, display name, organisation key, team?, languages spoken, coordinator)
DEMO_USERS = [
    (Role.VOLUNTEER, "volunteer", "Grace Okafor", "partner", False, ["en"], False),
    (Role.VOLUNTEER, "coordinator", "David Hughes", "partner", False, ["en"], True),
    (Role.HANDLER, "handler", "Priya Sharma", "charity", True, ["en", "pa"], False),
    (Role.INVESTIGATOR, "investigator", "Ioana Popescu", "charity", True, ["en", "ro"], False),
    (Role.INVESTIGATOR, "investigator2", "Tom Bennett", "charity", True, ["en"], False),
    (Role.LEAD, "lead", "Sarah Mitchell", "charity", True, ["en"], False),
    (Role.ANALYST, "analyst", "Marek Nowak", "charity", True, ["en", "pl"], False),
    (Role.POLICE_LIAISON, "police", "DS Alan Carter", "police", False, ["en"], False),
    (Role.ADMIN, "admin", "Ruth Evans", "charity", False, ["en"], False),
]


@dataclass
class Demo:
    region: Region
    areas: dict[str, Area]
    organisations: dict[str, Organisation]
    team: Team
    users: dict[str, User] = field(default_factory=dict)


def build_demo() -> Demo:
    region, _created = Region.objects.get_or_create(
        slug="west-midlands", defaults={"name": "West Midlands"}
    )
    areas = {
        name: Area.objects.get_or_create(
            region=region, slug=slugify(name), defaults={"name": name}
        )[0]
        for name in WEST_MIDLANDS_AREAS
    }
    organisations = {
        key: Organisation.objects.get_or_create(
            name=name, defaults={"kind": kind, "region": region, "is_first_responder": responder}
        )[0]
        for key, name, kind, responder in [
            ("charity", "Open Doors Anti-Slavery Trust", "charity", True),
            ("partner", "Street Pastors West Midlands", "partner", False),
            ("police", "West Midlands Police", "police", True),
            ("support", "Safe Harbour Survivor Support", "support_provider", False),
            ("council", "Birmingham City Council", "council", True),
        ]
    }
    team, _created = Team.objects.get_or_create(
        organisation=organisations["charity"], name="Birmingham and Black Country"
    )
    demo = Demo(region=region, areas=areas, organisations=organisations, team=team)
    for role, handle, name, org_key, in_team, languages, coordinator in DEMO_USERS:
        email = f"{handle}{DEMO_EMAIL_DOMAIN}"
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User.objects.create_user(
                email,
                DEMO_PASSWORD,
                display_name=name,
                languages_spoken=languages,
                is_staff=role == Role.ADMIN,
                is_superuser=role == Role.ADMIN,
            )
        membership, _created = Membership.objects.get_or_create(
            user=user,
            organisation=organisations[org_key],
            role=role,
            defaults={"team": team if in_team else None, "is_coordinator": coordinator},
        )
        membership.areas.set(areas.values())
        TOTPDevice.objects.get_or_create(
            user=user, confirmed=True, defaults={"name": "Demo authenticator"}
        )
        demo.users[handle] = user
    return demo
