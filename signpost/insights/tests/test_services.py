"""Refreshing the tallies from the other apps' tables, and publishing a quarter."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from signpost.core.models import AuditEvent
from signpost.insights import services
from signpost.insights.models import MonthlyTally, PublishedReport, SummaryState
from signpost.insights.tests import helpers


def tally(region, measure: str, key: str = "") -> int:
    return sum(
        MonthlyTally.objects.filter(region=region, measure=measure, key=key).values_list(
            "count", flat=True
        )
    )


@pytest.mark.django_db
def test_refresh_counts_referrals_by_every_dimension(world) -> None:
    a = world.a
    helpers.referrals(a, 3, source="self", languages=["ro", "en"], nationality="RO")
    helpers.referral(a, source="partner", area=a.areas[1], possible_child=True, nationality="AL")
    helpers.referral(world.b, source="self")  # another region: not counted for A

    services.summaries_refresh(region=a.region)

    assert tally(a.region, "referrals.total") == 4
    assert tally(a.region, "referrals.source", "self") == 3
    assert tally(a.region, "referrals.source", "partner") == 1
    assert tally(a.region, "referrals.language", "ro") == 4
    assert tally(a.region, "referrals.language", "en") == 3
    assert tally(a.region, "referrals.nationality", "AL") == 1
    assert tally(a.region, "referrals.possible_child") == 1
    assert tally(a.region, "referrals.urgent") == 1
    assert SummaryState.objects.get(region=a.region).refreshed_at is not None


@pytest.mark.django_db
def test_refresh_counts_cases_outcomes_and_nrm_decisions(world) -> None:
    a = world.a
    opened = helpers.moment(2026, 3, 2)
    first = helpers.case(a, at=opened, types=["sexual", "criminal"])
    helpers.case(a, at=opened, types=["labour"], outcome="safeguarded")
    helpers.nrm(
        a,
        first,
        submitted_on=datetime.date(2026, 3, 2),  # a Monday
        reasonable_grounds="positive",
        reasonable_grounds_on=datetime.date(2026, 3, 6),
    )

    services.summaries_refresh(region=a.region)

    assert tally(a.region, "cases.opened") == 2
    assert tally(a.region, "cases.exploitation", "sexual") == 1
    assert tally(a.region, "cases.exploitation", "criminal") == 1
    assert tally(a.region, "cases.outcome", "safeguarded") == 1
    decision = MonthlyTally.objects.get(measure="nrm.reasonable_grounds", key="positive")
    assert decision.hours == 4 * 24
    assert decision.within_target == 1


@pytest.mark.django_db
def test_first_action_and_case_opening_times_against_targets(world) -> None:
    a = world.a
    received = timezone.now() - datetime.timedelta(hours=60)
    opened = helpers.case(a, at=received + datetime.timedelta(hours=30))
    helpers.referral(
        a,
        at=received,
        risk_band="high",
        first_action_at=received + datetime.timedelta(hours=30),
        case=opened,
        status="accepted",
    )

    services.summaries_refresh(region=a.region)

    acted = MonthlyTally.objects.get(measure="response.first_action", key="high")
    assert (acted.count, acted.hours, acted.within_target) == (1, pytest.approx(30), 0)
    case_opened = MonthlyTally.objects.get(measure="response.case_opened", key="high")
    assert (case_opened.count, case_opened.within_target) == (1, 1)  # high: 72 hours


@pytest.mark.django_db
def test_first_action_falls_back_to_the_audit_log(world, monkeypatch) -> None:
    # For referrals recorded before the referrals app kept first_action_at.
    monkeypatch.setattr("signpost.insights.selectors.FIRST_ACTION_FIELDS", ())
    a = world.a
    received = timezone.now() - datetime.timedelta(hours=30)
    item = helpers.referral(a, at=received, risk_band="high")
    AuditEvent.objects.create(
        actor=a.handler,
        action=AuditEvent.Action.UPDATE,
        target_type="referrals.referral",
        target_id=str(item.pk),
        region=a.region,
        occurred_at=received + datetime.timedelta(hours=6),
    )

    services.summaries_refresh(region=a.region)

    row = MonthlyTally.objects.get(measure="response.first_action", key="high")
    assert row.count == 1
    assert row.hours == pytest.approx(6)
    assert row.within_target == 1  # high: 24 hours


@pytest.mark.django_db
def test_refresh_replaces_the_previous_tallies(world) -> None:
    helpers.referrals(world.a, 2)
    services.summaries_refresh(region=world.a.region)
    helpers.referrals(world.a, 1)
    services.summaries_refresh(region=world.a.region)
    assert tally(world.a.region, "referrals.total") == 3


@pytest.mark.django_db
def test_publishing_is_audited_and_happens_once(world) -> None:
    tables = [{"title": "T", "headers": ["Area", "Total"], "rows": [], "totals": ["Total", 0]}]
    report = services.statistics_publish(
        region=world.a.region, year=2025, quarter=4, tables=tables, by=world.a.lead
    )
    event = AuditEvent.objects.get(target_type="insights.publishedreport")
    assert event.target_id == str(report.pk)
    assert event.actor == world.a.lead
    assert event.region == world.a.region
    with pytest.raises(ValidationError):
        services.statistics_publish(
            region=world.a.region, year=2025, quarter=4, tables=tables, by=world.a.lead
        )
    assert PublishedReport.objects.count() == 1


@pytest.mark.django_db
def test_a_quarter_not_yet_ended_cannot_be_published(world) -> None:
    today = timezone.localdate()
    with pytest.raises(ValidationError):
        services.statistics_publish(
            region=world.a.region,
            year=today.year,
            quarter=(today.month - 1) // 3 + 1,
            tables=[],
            by=world.a.lead,
        )
    assert not PublishedReport.objects.exists()
