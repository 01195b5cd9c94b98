from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

pytestmark = pytest.mark.django_db


def test_idle_session_ends_after_30_minutes(world, signed_in):
    start = timezone.now()
    with time_machine.travel(start, tick=False) as traveller:
        client = signed_in(world.a.handler)
        assert client.get("/staff/").status_code == 200
        traveller.shift(timedelta(minutes=29))
        assert client.get("/staff/").status_code == 200
        traveller.shift(timedelta(minutes=29))  # active within the last 30 minutes: still in
        assert client.get("/staff/").status_code == 200
        traveller.shift(timedelta(minutes=31))
        response = client.get("/staff/")
        assert response.status_code == 302
        assert response["Location"] == "/staff/sign-in/"
        assert client.get("/staff/").status_code == 302


def test_active_session_still_ends_after_12_hours(world, signed_in):
    start = timezone.now()
    with time_machine.travel(start, tick=False) as traveller:
        client = signed_in(world.a.handler)
        client.get("/staff/")
        for _step in range(30):
            traveller.shift(timedelta(minutes=29))
            if client.get("/staff/").status_code != 200:
                break
        elapsed = timezone.now() - start
        assert timedelta(hours=11, minutes=30) < elapsed <= timedelta(hours=12, minutes=30)
        assert client.get("/staff/").status_code == 302
