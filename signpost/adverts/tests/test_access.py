import pytest
from django.http import Http404

from signpost.adverts import access
from signpost.adverts.tests.helpers import NO_ACCESS_ROLES, READER_ROLES, populate
from signpost.cases.services import case_open, identifier_add
from signpost.core.models import AuditEvent


@pytest.mark.parametrize("role", READER_ROLES)
def test_readers_see_their_regions_adverts_and_groups(world, role):
    data = populate(world, with_case=False)
    user = world.a.users[role]
    assert access.advert_for(user, data["advert"].public_id) == data["advert"]
    assert access.group_for(user, data["group"].public_id) == data["group"]
    outsider = world.b.users[role]
    with pytest.raises(Http404):
        access.advert_for(outsider, data["advert"].public_id)
    with pytest.raises(Http404):
        access.group_for(outsider, data["group"].public_id)
    assert AuditEvent.objects.filter(action="access_denied", actor=outsider).count() == 2


@pytest.mark.parametrize("role", NO_ACCESS_ROLES)
def test_other_roles_see_nothing(world, role):
    data = populate(world, with_case=False)
    user = world.a.users[role]
    assert not access.may_read(user)
    assert not access.adverts_for(user).exists()
    with pytest.raises(Http404):
        access.advert_for(user, data["advert"].public_id)


def test_only_analysts_upload(world):
    assert access.may_upload(world.a.analyst)
    for role in ("lead", "investigator", "handler", "admin"):
        assert not access.may_upload(world.a.users[role])


def test_alerts_scope(world):
    data = populate(world)
    assert access.alerts_for(world.a.analyst).count() == 3
    assert access.alerts_for(world.a.lead).count() == 3
    assert access.alerts_for(world.a.investigator).count() == 3  # lead investigator of the case
    assert access.alerts_for(world.b.analyst).count() == 0
    assert access.alerts_for(world.b.investigator).count() == 0
    assert access.alerts_for(world.a.handler).count() == 0
    # Another investigator of region A who does not work the case sees nothing of it.
    from signpost.testing.factories import MembershipFactory, UserFactory

    other = UserFactory()
    MembershipFactory(user=other, organisation=world.a.charity, role="investigator")
    assert access.alerts_for(other).count() == 0
    assert data["case"] is not None


def test_an_investigator_sees_alerts_of_own_cases_only(world):
    case = case_open(
        region=world.a.region, area=world.a.areas[0], lead_investigator=world.a.investigator,
        exploitation_types=["sexual"], by=world.a.lead,
    )  # fmt: skip
    identifier_add(case=case, kind="phone", value="07400123456", by=world.a.investigator)
    populate(world, with_case=False)
    assert {a.case_id for a in access.alerts_for(world.a.investigator)} == {case.pk}
