"""Keeping the tallies up to date: the task, the command (--loop) and the lead's button."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from signpost.insights import tasks
from signpost.insights.models import MonthlyTally, SummaryState
from signpost.insights.tests import helpers


@pytest.mark.django_db
def test_command_refreshes_every_region(world) -> None:
    helpers.referrals(world.a, 2)
    helpers.referrals(world.b, 1)
    out = io.StringIO()
    call_command("insights_refresh", stdout=out)
    assert SummaryState.objects.count() == 2
    assert "west-midlands" in out.getvalue()


@pytest.mark.django_db
def test_command_loops_for_the_passes_asked(world, monkeypatch) -> None:
    sleeps: list[int] = []
    monkeypatch.setattr("time.sleep", sleeps.append)
    call_command("insights_refresh", loop=True, interval=5, passes=2, stdout=io.StringIO())
    assert sleeps == [5]


@pytest.mark.django_db
def test_task_refreshes_a_region(world) -> None:
    helpers.referrals(world.a, 3)
    rows = tasks.refresh_region_summaries.call(region_id=world.a.region.pk)
    assert rows == MonthlyTally.objects.count() > 0


@pytest.mark.django_db
def test_refresh_button_enqueues_for_leads_only(world, signed_in) -> None:
    response = signed_in(world.a.lead).post("/staff/insights/refresh/")
    assert response.status_code == 302
    assert signed_in(world.a.analyst).post("/staff/insights/refresh/").status_code == 404
    assert signed_in(world.a.lead).get("/staff/insights/refresh/").status_code == 405
