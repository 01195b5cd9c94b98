import pytest
from django.core import mail
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from signpost.core.tasks import send_sign_in_alert

pytestmark = pytest.mark.django_db(transaction=True)


def test_sign_in_alert_runs_on_the_database_worker(world):
    user = world.a.investigator
    send_sign_in_alert.enqueue(
        user_id=user.pk, signed_in_at="2026-11-28T02:00:00+00:00", client_address="203.0.113.5"
    )
    assert DBTaskResult.objects.filter(status="READY").count() == 1
    call_command("worker", "--batch", verbosity=0)
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"
    assert mail.outbox[0].to == [user.email]
    assert "203.0.113.5" in mail.outbox[0].body
    assert "28/11/2026 02:00" in mail.outbox[0].body
