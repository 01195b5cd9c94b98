"""Two handlers pressing "Take" at the same moment, on two database connections: exactly one
gets the referral. Row locking (select_for_update) is what this checks, so PostgreSQL only."""

import threading
import time

import pytest
from django.db import connection, connections

from signpost.core.roles import Role
from signpost.referrals import services
from signpost.referrals.tests.helpers import extra_user, partner_data

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_only_one_of_two_concurrent_handlers_takes_the_referral(world, monkeypatch):
    if connection.vendor != "postgresql":
        pytest.skip("row locking is tested on PostgreSQL")
    other = extra_user(world.a, Role.HANDLER, "handler2@west-midlands.example.org")
    referral = services.referral_submit_partner(
        data=partner_data(world.a.areas[0]), by=world.a.volunteer
    )
    original_audit = services.audit_record

    def slow_audit(**kwargs):
        # Widen the window between reading the row and committing, so that without the lock
        # both handlers would see it free and both would take it.
        time.sleep(0.5)
        return original_audit(**kwargs)

    monkeypatch.setattr(services, "audit_record", slow_audit)
    barrier = threading.Barrier(2)
    outcomes: dict[str, str] = {}

    def take(user):
        try:
            barrier.wait()
            services.referral_take(referral=referral, by=user)
            outcomes[user.email] = "taken"
        except services.ReferralUnavailable:
            outcomes[user.email] = "refused"
        finally:
            connections.close_all()

    threads = [threading.Thread(target=take, args=(user,)) for user in (world.a.handler, other)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes.values()) == ["refused", "taken"]
    referral.refresh_from_db()
    winner = next(email for email, outcome in outcomes.items() if outcome == "taken")
    assert referral.handler.email == winner
