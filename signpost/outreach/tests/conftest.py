from dataclasses import dataclass

import pytest

from signpost.core.models import Membership, User
from signpost.core.roles import Role
from signpost.outreach.models import Distribution, DistributionPoint, LeafletEdition
from signpost.outreach.tests import factories as f
from signpost.testing.factories import MembershipFactory, UserFactory

CHARITY_VIEWERS = ("handler", "investigator", "analyst", "lead")


@dataclass
class Scene:
    """Region A's outreach: a point, a Romanian edition, entries by two volunteers of the
    partner (the world's volunteer and a colleague), and region B's own point and entry."""

    point: DistributionPoint
    edition: LeafletEdition
    own_entry: Distribution
    colleague: User
    colleague_entry: Distribution
    point_b: DistributionPoint
    entry_b: Distribution


@pytest.fixture
def scene(world) -> Scene:
    point, edition = f.point(world.a), f.edition(world.a, "ro")
    colleague = UserFactory(email="colleague@partner-a.example.org", display_name="Colleague A")
    MembershipFactory(
        user=colleague, organisation=world.a.partner, role=Role.VOLUNTEER, areas=world.a.areas
    )
    point_b, edition_b = f.point(world.b, "Hockley Flyover"), f.edition(world.b, "ro")
    return Scene(
        point=point,
        edition=edition,
        own_entry=f.distribution(world.a.volunteer, point, edition, quantity=11),
        colleague=colleague,
        colleague_entry=f.distribution(colleague, point, edition, quantity=13),
        point_b=point_b,
        entry_b=f.distribution(world.b.volunteer, point_b, edition_b, quantity=17),
    )


def make_coordinator(user: User) -> User:
    Membership.objects.filter(user=user, role=Role.VOLUNTEER).update(is_coordinator=True)
    return User.objects.get(pk=user.pk)
