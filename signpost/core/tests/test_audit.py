import pytest
from django.db import DatabaseError, connection, transaction
from django.test import RequestFactory

from signpost.core.audit import audit_record
from signpost.core.client import current_client_address
from signpost.core.middleware import NoStoreMiddleware
from signpost.core.models import AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def event(world):
    return audit_record(actor=world.a.lead, action=AuditEvent.Action.VIEW, target=world.a.lead)


def test_record_has_actor_target_region_time_in_utc(event, world):
    assert event.actor == world.a.lead
    assert event.target_type == "core.user"
    assert event.target_id == str(world.a.lead.pk)
    assert event.occurred_at.utcoffset().total_seconds() == 0


def test_region_is_taken_from_the_target(world):
    event = audit_record(actor=None, action=AuditEvent.Action.UPDATE, target=world.a.areas[0])
    assert event.region == world.a.region


def test_client_address_comes_from_the_request_being_served(world):
    captured = {}

    def view(request):
        captured["event"] = audit_record(actor=None, action=AuditEvent.Action.VIEW)
        from django.http import HttpResponse

        return HttpResponse()

    request = RequestFactory().get("/", REMOTE_ADDR="203.0.113.9")
    NoStoreMiddleware(view)(request)
    assert captured["event"].client_address == "203.0.113.9"
    assert current_client_address.get() is None


def test_orm_cannot_change_or_delete(event):
    event.action = AuditEvent.Action.DELETE
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()
    with pytest.raises(PermissionError):
        AuditEvent.objects.filter(pk=event.pk).update(action="view")
    with pytest.raises(PermissionError):
        AuditEvent.objects.filter(pk=event.pk).delete()


def test_database_rejects_update(event):
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE core_auditevent SET action = 'view' WHERE id = %s", [event.pk])
    assert AuditEvent.objects.get(pk=event.pk).action == AuditEvent.Action.VIEW


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL trigger")
def test_postgres_rejects_delete(event):
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM core_auditevent WHERE id = %s", [event.pk])
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_admin_site_cannot_change_audit_events(world, signed_in):
    admin = world.a.admin
    admin.is_staff = admin.is_superuser = True
    admin.save()
    client = signed_in(admin)
    event = audit_record(actor=admin, action=AuditEvent.Action.VIEW)
    assert client.get("/staff/admin/core/auditevent/").status_code == 200
    change = client.post(f"/staff/admin/core/auditevent/{event.pk}/change/", {"action": "x"})
    assert change.status_code in (302, 403, 200)
    assert AuditEvent.objects.get(pk=event.pk).action == AuditEvent.Action.VIEW
    assert client.get(f"/staff/admin/core/auditevent/{event.pk}/delete/").status_code == 403
    assert client.get("/staff/admin/core/auditevent/add/").status_code == 403
