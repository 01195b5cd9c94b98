import pytest
from django.http import Http404

from signpost.core import access
from signpost.core.models import AuditEvent, User
from signpost.core.roles import Role

pytestmark = pytest.mark.django_db


def test_deny_is_a_404_and_is_audited(world):
    with pytest.raises(Http404):
        access.deny(user=world.a.volunteer, target_type="cases.case", target_id=42)
    event = AuditEvent.objects.get(action=AuditEvent.Action.ACCESS_DENIED)
    assert event.actor == world.a.volunteer
    assert (event.target_type, event.target_id) == ("cases.case", "42")


def test_get_or_deny_outside_the_scope_is_a_404(world):
    visible = User.objects.filter(pk=world.a.lead.pk)
    assert access.get_or_deny(visible, user=world.a.lead, pk=world.a.lead.pk, target_type="u")
    with pytest.raises(Http404):
        access.get_or_deny(visible, user=world.a.lead, pk=world.b.lead.pk, target_type="u")
    with pytest.raises(Http404):
        access.get_or_deny(visible, user=world.a.lead, pk="not-a-number", target_type="u")


def test_scope_helpers(world):
    investigator = world.a.investigator
    assert access.roles_of(investigator) == {Role.INVESTIGATOR}
    assert access.region_ids_for(investigator, Role.INVESTIGATOR) == {world.a.region.pk}
    assert access.area_ids_for(investigator, Role.INVESTIGATOR) == {a.pk for a in world.a.areas}
    assert access.team_ids_for(investigator, Role.INVESTIGATOR) == {world.a.team.pk}
    assert access.region_ids_for(investigator, Role.LEAD) == set()


def test_inactive_memberships_and_users_grant_nothing(world):
    lead = world.a.lead
    lead.memberships.update(is_active=False)
    fresh = User.objects.get(pk=lead.pk)
    assert access.roles_of(fresh) == set()


@pytest.mark.parametrize("role", [r for r in Role if r not in (Role.LEAD, Role.ADMIN)])
def test_only_leads_and_admins_browse_audit_events(world, role):
    with pytest.raises(Http404):
        access.audit_events_for_user(world.a.users[role.value])


def test_leads_browse_their_region_admins_everything(world):
    from signpost.core.audit import audit_record

    audit_record(actor=None, action=AuditEvent.Action.VIEW, target=world.a.areas[0])
    audit_record(actor=None, action=AuditEvent.Action.VIEW, target=world.b.areas[0])
    lead_events = access.audit_events_for_user(world.a.lead)
    assert set(lead_events.values_list("region", flat=True)) == {world.a.region.pk}
    admin_events = access.audit_events_for_user(world.a.admin)
    assert {world.a.region.pk, world.b.region.pk} <= set(
        admin_events.values_list("region", flat=True)
    )
