"""The access matrix, cell by cell: every role of region A and the outsiders of region B against
every insights page. 200 where the matrix allows, 404 (never a hint) everywhere else."""

from __future__ import annotations

import pytest

from signpost.insights.access import dashboard_scope

PAGES = {
    "dashboard": "/staff/insights/",
    "chart_csv": "/staff/insights/csv/outreach-points/",
    "partner": "/staff/insights/partner/",
    "statistics": "/staff/insights/statistics/",
    "statistics_csv": "/staff/insights/statistics/statistics.csv",
}
ALLOWED = {
    "lead": {"dashboard", "chart_csv", "statistics", "statistics_csv"},
    "analyst": {"dashboard", "chart_csv", "statistics", "statistics_csv"},
    "handler": {"dashboard", "chart_csv"},
    "investigator": {"dashboard", "chart_csv"},
    "admin": {"statistics", "statistics_csv"},
    "volunteer": set(),
    "police_liaison": set(),
}


@pytest.mark.django_db
def test_every_role_against_every_page(world, signed_in) -> None:
    failures = []
    for role, allowed in ALLOWED.items():
        client = signed_in(world.a.users[role])
        for name, url in PAGES.items():
            expected = 200 if name in allowed else 404
            status = client.get(url).status_code
            if status != expected:
                failures.append((role, name, status, expected))
    assert failures == []


@pytest.mark.django_db
def test_outsiders_see_only_their_own_region(world) -> None:
    for role in ("lead", "analyst", "handler", "investigator"):
        scope = dashboard_scope(world.b.users[role])
        assert scope is not None
        assert scope.region_id == world.b.region.pk
        if scope.area_ids is not None:
            assert scope.area_ids.isdisjoint({area.pk for area in world.a.areas})
