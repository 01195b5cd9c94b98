"""Writes of the insights app: its own tallies and published reports, nothing else."""

from __future__ import annotations

import datetime
import time
from collections import defaultdict
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from signpost.core.audit import audit_record
from signpost.core.models import AuditEvent, Region, User
from signpost.insights import selectors
from signpost.insights.models import MonthlyTally, PublishedReport, SummaryState

REASONABLE_GROUNDS_TARGET_WORKING_DAYS = 5


class Tally:
    """Counts keyed by (month, area, measure, key), with summed hours and within-target counts."""

    def __init__(self) -> None:
        self.rows: dict[tuple[datetime.date, int | None, str, str], list[float]] = defaultdict(
            lambda: [0, 0.0, 0]
        )

    def add(
        self,
        month: datetime.date,
        area_id: int | None,
        measure: str,
        key: str = "",
        *,
        hours: float = 0.0,
        within: bool = False,
    ) -> None:
        row = self.rows[(month, area_id, measure, key)]
        row[0] += 1
        row[1] += hours
        row[2] += int(within)

    def put(
        self, month: datetime.date, area_id: int | None, measure: str, key: str, n: int
    ) -> None:
        self.rows[(month, area_id, measure, key)][0] += n

    def models(self, region_id: int) -> list[MonthlyTally]:
        return [
            MonthlyTally(
                region_id=region_id,
                area_id=area_id,
                month=month,
                measure=measure,
                key=key[:100],
                count=int(count),
                hours=hours,
                within_target=int(within),
            )
            for (month, area_id, measure, key), (count, hours, within) in self.rows.items()
        ]


def working_days_between(start: datetime.date, end: datetime.date) -> int:
    days, day = 0, start
    while day < end:
        day += datetime.timedelta(days=1)
        if day.weekday() < 5:
            days += 1
    return days


def _tally_referrals(tally: Tally, region_id: int) -> None:
    targets = selectors.response_targets()
    for facts in selectors.referral_facts(region_id=region_id):
        month, area = selectors.month_of(facts.created_at), facts.area_id
        tally.add(month, area, "referrals.total")
        tally.add(month, area, "referrals.source", facts.source)
        tally.add(month, area, "referrals.risk_band", facts.risk_band)
        tally.add(month, area, "referrals.status", facts.status)
        tally.add(month, area, "referrals.nationality", facts.nationality or "unknown")
        for language in dict.fromkeys(facts.languages or ["unknown"]):
            tally.add(month, area, "referrals.language", str(language))
        if facts.urgent:
            tally.add(month, area, "referrals.urgent")
        if facts.possible_child:
            tally.add(month, area, "referrals.possible_child")
        first_target, case_target = targets.get(facts.risk_band, (0.0, 0.0))
        if facts.first_action_at is not None:
            hours = selectors.hours_between(facts.created_at, facts.first_action_at)
            tally.add(
                month,
                area,
                "response.first_action",
                facts.risk_band,
                hours=hours,
                within=hours <= first_target,
            )
        if facts.case_opened_at is not None:
            hours = selectors.hours_between(facts.created_at, facts.case_opened_at)
            tally.add(
                month,
                area,
                "response.case_opened",
                facts.risk_band,
                hours=hours,
                within=hours <= case_target,
            )


def _tally_cases(tally: Tally, region_id: int) -> None:
    for facts in selectors.case_facts(region_id=region_id):
        month = selectors.month_of(facts.created_at)
        tally.add(month, facts.area_id, "cases.opened")
        for kind in dict.fromkeys(facts.exploitation_types or ["unknown"]):
            tally.add(month, facts.area_id, "cases.exploitation", kind)
        if facts.status == "closed" and facts.closed_at is not None:
            tally.add(
                selectors.month_of(facts.closed_at),
                facts.area_id,
                "cases.outcome",
                facts.outcome or "unknown",
            )
    for nrm in selectors.nrm_facts(region_id=region_id):
        if nrm.submitted_on is not None:
            tally.add(selectors.month_of(nrm.submitted_on), nrm.area_id, "nrm.submitted", nrm.route)
        if nrm.reasonable_grounds and nrm.reasonable_grounds_on and nrm.submitted_on:
            days = (nrm.reasonable_grounds_on - nrm.submitted_on).days
            tally.add(
                selectors.month_of(nrm.reasonable_grounds_on),
                nrm.area_id,
                "nrm.reasonable_grounds",
                nrm.reasonable_grounds,
                hours=days * 24.0,
                within=working_days_between(nrm.submitted_on, nrm.reasonable_grounds_on)
                <= REASONABLE_GROUNDS_TARGET_WORKING_DAYS,
            )
        if nrm.conclusive_grounds and nrm.conclusive_grounds_on and nrm.submitted_on:
            days = (nrm.conclusive_grounds_on - nrm.submitted_on).days
            tally.add(
                selectors.month_of(nrm.conclusive_grounds_on),
                nrm.area_id,
                "nrm.conclusive_grounds",
                nrm.conclusive_grounds,
                hours=days * 24.0,
            )


def _tally_adverts(tally: Tally, region_id: int) -> None:
    facts = selectors.advert_facts(region_id=region_id)
    for month, n in facts.groups_by_month.items():
        tally.put(month, None, "adverts.groups", "", n)
    for (month, town), n in facts.towns_by_month.items():
        tally.put(month, None, "adverts.towns", town, n)
    for month, n in facts.alerts_by_month.items():
        tally.put(month, None, "adverts.alerts", "raised", n)
    for month, n in facts.alerts_acted_by_month.items():
        tally.put(month, None, "adverts.alerts", "acted", n)


def summaries_refresh(*, region: Region) -> int:
    """Rebuild one region's monthly tallies from the other apps' tables; returns the row count.

    Built in memory, then swapped in one transaction, so the dashboard never sees half a month.
    """
    started = time.perf_counter()
    tally = Tally()
    _tally_referrals(tally, region.pk)
    _tally_cases(tally, region.pk)
    _tally_adverts(tally, region.pk)
    rows = tally.models(region.pk)
    with transaction.atomic():
        MonthlyTally.objects.filter(region=region).delete()
        MonthlyTally.objects.bulk_create(rows, batch_size=2000)
        SummaryState.objects.update_or_create(
            region=region,
            defaults={
                "refreshed_at": timezone.now(),
                "seconds": time.perf_counter() - started,
            },
        )
    return len(rows)


def summaries_refresh_all() -> dict[str, int]:
    return {region.slug: summaries_refresh(region=region) for region in Region.objects.all()}


def statistics_publish(
    *, region: Region, year: int, quarter: int, tables: list[dict[str, Any]], by: User
) -> PublishedReport:
    """Freeze a quarter's suppressed tables for the public page, audited in the same step."""
    today = timezone.localdate()
    if (year, quarter) >= (today.year, (today.month - 1) // 3 + 1):
        raise ValidationError(
            _("Only a quarter that has ended can be published."), code="quarter_not_ended"
        )
    try:
        with transaction.atomic():
            report = PublishedReport.objects.create(
                region=region, year=year, quarter=quarter, tables=tables, published_by=by
            )
            audit_record(
                actor=by,
                action=AuditEvent.Action.CREATE,
                target=report,
                region=region,
                details={"year": year, "quarter": quarter, "published": True},
            )
    except IntegrityError as error:
        raise ValidationError(
            _("This quarter's statistics are already published."), code="already_published"
        ) from error
    return report
