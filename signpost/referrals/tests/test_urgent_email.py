"""Urgent referrals email the area's handlers: through the task queue, the database worker and
a real SMTP server process."""

import signal

import pytest
from django.core.management import call_command

from signpost.core.models import Membership
from signpost.referrals import services
from signpost.referrals.tests.helpers import partner_data
from signpost.referrals.tests.smtp import body_of, smtp_server

pytestmark = pytest.mark.django_db(transaction=True)


def run_worker() -> None:
    # The worker installs its own SIGTERM/SIGINT handlers; give the test process its own back.
    saved = {number: signal.getsignal(number) for number in (signal.SIGTERM, signal.SIGINT)}
    try:
        call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", "--interval", "0")
    finally:
        for number, handler in saved.items():
            signal.signal(number, handler)


def test_urgent_referral_emails_the_area_handler_through_the_worker(world):
    with smtp_server() as mailbox:
        referral = services.referral_submit_partner(
            data=partner_data(world.a.areas[0], danger_now=True), by=world.a.volunteer
        )
        assert mailbox.messages == []  # only the worker sends
        run_worker()
    [message] = mailbox.messages
    assert world.a.handler.email in message["X-Envelope-To"]
    assert referral.reference in message["Subject"]
    body = body_of(message)
    assert f"/staff/referrals/{referral.pk}/" in body
    assert "Someone is in danger now." in body
    # The email carries no personal data: no contact number, place or description.
    for secret in ("7700", "Hurst", "red coat"):
        assert secret not in body


def test_urgent_referral_without_handlers_goes_to_the_region_lead(world):
    Membership.objects.filter(user=world.a.handler).update(is_active=False)
    with smtp_server() as mailbox:
        services.referral_submit_partner(
            data=partner_data(world.a.areas[1], age_band="under_18"), by=world.a.volunteer
        )
        run_worker()
    [message] = mailbox.messages
    assert world.a.lead.email in message["X-Envelope-To"]
    assert "may be under 18" in body_of(message)


def test_standard_referral_sends_nothing(world):
    with smtp_server() as mailbox:
        services.referral_submit_partner(data=partner_data(world.a.areas[0]), by=world.a.volunteer)
        run_worker()
    assert mailbox.messages == []
