"""Choosing which intake handlers see a case."""

import pytest

from signpost.core.models import AuditEvent
from signpost.core.roles import Role
from signpost.referrals.tests.helpers import extra_user

pytestmark = pytest.mark.django_db


def assign(client, case, handler):
    return client.post(f"/staff/cases/{case.pk}/handlers/", {"handler-handler": handler.pk})


def test_lead_assigns_a_handler_who_then_sees_the_case_until_removed(world, signed_in, case):
    handler = signed_in(world.a.handler)
    assert handler.get(f"/staff/cases/{case.pk}/").status_code == 404
    lead = signed_in(world.a.lead)
    page = lead.get(f"/staff/cases/{case.pk}/").content.decode()
    assert "Assign handler" in page
    response = assign(lead, case, world.a.handler)
    assert response.status_code == 302
    assert response["Location"].endswith("#case-handlers")
    assert handler.get(f"/staff/cases/{case.pk}/").status_code == 200
    assert AuditEvent.objects.filter(
        target_type="cases.case", details__added=world.a.handler.pk
    ).exists()
    removed = lead.post(f"/staff/cases/{case.pk}/handlers/{world.a.handler.pk}/remove/")
    assert removed.status_code == 302
    assert handler.get(f"/staff/cases/{case.pk}/").status_code == 404
    assert AuditEvent.objects.filter(
        target_type="cases.case", details__removed=world.a.handler.pk
    ).exists()


def test_only_handlers_of_the_region_can_be_assigned(world, signed_in, case):
    lead = signed_in(world.a.lead)
    for not_a_handler in (world.b.handler, world.a.analyst):
        response = assign(lead, case, not_a_handler)
        assert response.status_code == 200
        assert "Choose an intake handler of this case&#x27;s region." in response.content.decode()
    assert not case.handlers.exists()


def test_the_investigator_may_assign_but_handlers_and_analysts_may_not(world, signed_in, case):
    colleague = extra_user(world.a, Role.HANDLER, "handler2@west-midlands.example.org")
    case.handlers.add(world.a.handler)
    assert assign(signed_in(world.a.investigator), case, colleague).status_code == 302
    case.handlers.remove(colleague)
    for role in ("handler", "analyst"):
        assert assign(signed_in(world.a.users[role]), case, colleague).status_code == 404
    assert not case.handlers.filter(pk=colleague.pk).exists()


def test_outsiders_get_a_404(world, signed_in, case):
    case.handlers.add(world.a.handler)
    for role in ("lead", "investigator", "handler"):
        outsider = signed_in(world.b.users[role])
        assert assign(outsider, case, world.a.handler).status_code == 404
        url = f"/staff/cases/{case.pk}/handlers/{world.a.handler.pk}/remove/"
        assert outsider.post(url).status_code == 404
    assert case.handlers.filter(pk=world.a.handler.pk).exists()
