"""The access matrix for cases, cell by cell (DESIGN.md "Who may do what")."""

import pytest
from django.http import Http404

from signpost.cases import access, services
from signpost.core.models import AuditEvent, Team
from signpost.core.roles import Role
from signpost.testing.factories import MembershipFactory, UserFactory

FULL, RESTRICTED, NONE = "full", "restricted", "none"


@pytest.fixture
def colleagues(world):
    """A second investigator in the same team and one in another team of the same region."""
    teammate = UserFactory(email="teammate@west-midlands.example.org")
    MembershipFactory(
        user=teammate,
        organisation=world.a.charity,
        role=Role.INVESTIGATOR,
        team=world.a.team,
        areas=world.a.areas,
    )
    other_team = Team.objects.create(organisation=world.a.charity, name="Coventry team")
    elsewhere = UserFactory(email="other-team@west-midlands.example.org")
    MembershipFactory(
        user=elsewhere,
        organisation=world.a.charity,
        role=Role.INVESTIGATOR,
        team=other_team,
        areas=world.a.areas,
    )
    return {"teammate": teammate, "other_team": elsewhere}


def level(user, case) -> str:
    if not access.cases_for_user(user).filter(pk=case.pk).exists():
        return NONE
    return FULL if access.case_access(user, case).sees_personal_details else RESTRICTED


def test_matrix_cell_by_cell(world, case, colleagues):
    expected = {
        world.a.investigator: FULL,  # leads the case
        colleagues["teammate"]: FULL,  # same team
        colleagues["other_team"]: NONE,  # same region, another team
        world.a.lead: FULL,  # the region's lead
        world.a.handler: NONE,  # not assigned
        world.a.analyst: RESTRICTED,  # identifiers and links only
        world.a.volunteer: NONE,
        world.a.police_liaison: NONE,
        world.a.admin: NONE,
    }
    for role in Role:
        expected[world.b.users[role.value]] = NONE  # every outsider
    for user, want in expected.items():
        assert level(user, case) == want, (user.email, want)


def test_a_handler_sees_the_case_only_while_assigned(world, case):
    assert level(world.a.handler, case) == NONE
    services.case_handler_assign(case=case, handler=world.a.handler, by=world.a.lead)
    assert level(world.a.handler, case) == FULL
    with pytest.raises(Exception, match="intake handler"):
        services.case_handler_assign(case=case, handler=world.b.handler, by=world.a.lead)


def test_only_leads_of_the_region_approve_closure(world, case):
    assert access.case_access(world.a.lead, case).may_approve_closure
    assert not access.case_access(world.a.investigator, case).may_approve_closure
    assert not access.case_access(world.a.analyst, case).may_edit


def test_a_denial_is_a_404_and_is_audited(world, case):
    with pytest.raises(Http404):
        access.case_for_user(world.b.investigator, case.pk)
    with pytest.raises(Http404):
        access.case_for_editing(world.a.analyst, case.pk)
    denied = AuditEvent.objects.filter(action="access_denied", target_type="cases.case")
    assert {event.actor for event in denied} == {world.b.investigator, world.a.analyst}


def test_inactive_users_and_memberships_see_nothing(world, case):
    membership = world.a.lead.memberships.get()
    membership.is_active = False
    membership.save()
    world.a.lead._signpost_memberships = None
    assert level(world.a.lead, case) == NONE
    world.a.investigator.is_active = False
    world.a.investigator.save()
    assert level(world.a.investigator, case) == NONE
