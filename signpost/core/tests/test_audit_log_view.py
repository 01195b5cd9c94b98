import pytest

from signpost.core.audit import audit_record
from signpost.core.models import AuditEvent
from signpost.core.roles import Role

pytestmark = pytest.mark.django_db


def test_lead_sees_own_region_events_only(world, signed_in):
    audit_record(
        actor=world.a.investigator, action=AuditEvent.Action.EXPORT, target=world.a.areas[0]
    )
    audit_record(
        actor=world.b.investigator, action=AuditEvent.Action.DISCLOSE, target=world.b.areas[0]
    )
    response = signed_in(world.a.lead).get("/staff/audit/")
    assert response.status_code == 200
    assert {event.action for event in response.context["page"]} == {"export"}


def test_filters_by_action(world, signed_in):
    audit_record(actor=None, action=AuditEvent.Action.EXPORT, target=world.a.areas[0])
    audit_record(actor=None, action=AuditEvent.Action.UPDATE, target=world.a.areas[0])
    response = signed_in(world.a.lead).get("/staff/audit/", {"action": "export"})
    page = response.context["page"]
    assert [event.action for event in page] == ["export"]


@pytest.mark.parametrize("role", [r for r in Role if r not in (Role.LEAD, Role.ADMIN)])
def test_other_roles_get_404(world, signed_in, role):
    assert signed_in(world.a.users[role.value]).get("/staff/audit/").status_code == 404


def test_there_is_no_way_to_edit_from_the_log(world, signed_in):
    response = signed_in(world.a.admin).post("/staff/audit/", {"action": "view"})
    assert response.status_code in (200, 405)
    assert not AuditEvent.objects.filter(action="view", actor=None).exists()
