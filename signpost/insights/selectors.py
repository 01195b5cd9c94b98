"""Reads for insights.

The other apps' rows are read here, never written, and only as counts, codes, dates and ids:
no field that holds personal data is ever selected. Where the owning app offers a selector
(outreach attribution, public scan counts) it is called instead of recounting.

Some fields are still arriving in the referrals and adverts apps (a referral's case, triage
timestamps, an alert's outcome). Those are looked up by name so that the figures appear as soon
as the fields do, without a change here.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import models
from django.db.models import Count, Min, Sum
from django.db.models.fields.json import KT
from django.utils import timezone

from signpost.core.models import Area, AuditEvent, Region
from signpost.insights.models import MonthlyTally, SummaryState

# --- Models of other apps, read-only ---------------------------------------------------------


def model_or_none(label: str) -> type[models.Model] | None:
    try:
        return apps.get_model(label)
    except LookupError:
        return None


def field_names(model: type[models.Model] | None) -> set[str]:
    if model is None:
        return set()
    return {f.name for f in model._meta.get_fields()}


def first_field(model: type[models.Model] | None, candidates: Iterable[str]) -> str | None:
    names = field_names(model)
    return next((name for name in candidates if name in names), None)


# A referral's first action, by the name the referrals app may give it; failing those, the
# first change a member of staff made to it, from the audit log.
FIRST_ACTION_FIELDS = ("first_action_at", "triaged_at", "acknowledged_at", "assigned_at")
ALERT_ACTED_FIELDS = ("acted_at", "acted_on_at", "reviewed_at", "acknowledged_at", "resolved_at")


def response_targets() -> dict[str, tuple[float, float]]:
    """Hours to the first action and to a case being opened, per risk band: the targets the
    referrals app escalates on (RESPONSE_TARGETS_HOURS)."""
    return {
        band: (float(first), float(case))
        for band, (first, case) in settings.RESPONSE_TARGETS_HOURS.items()
    }


def month_of(moment: datetime.datetime | datetime.date) -> datetime.date:
    if isinstance(moment, datetime.datetime):
        moment = timezone.localtime(moment).date()
    return moment.replace(day=1)


def hours_between(start: datetime.datetime, end: datetime.datetime) -> float:
    return max(0.0, (end - start).total_seconds() / 3600)


# --- Rows that feed the tallies --------------------------------------------------------------


@dataclass
class ReferralFacts:
    pk: int
    created_at: datetime.datetime
    area_id: int | None
    source: str
    languages: list[str]
    nationality: str
    urgent: bool
    possible_child: bool
    risk_band: str
    status: str
    partner_organisation_id: int | None
    first_action_at: datetime.datetime | None
    case_opened_at: datetime.datetime | None


def referral_facts(*, region_id: int) -> Iterator[ReferralFacts]:
    """Every referral of the region, as counts-only facts."""
    referral = model_or_none("referrals.Referral")
    if referral is None:
        return
    names = field_names(referral)
    columns = [
        "pk",
        "created_at",
        "area_id",
        "source",
        "languages",
        "nationality",
        "urgent",
        "possible_child",
        "risk_band",
        "status",
        "partner_organisation_id",
    ]
    action_field = first_field(referral, FIRST_ACTION_FIELDS)
    if action_field:
        columns.append(action_field)
    has_case = "case" in names
    if has_case:
        columns.append("case__created_at")
    audited_actions: dict[str, datetime.datetime] = {}
    if not action_field:
        audited_actions = first_staff_actions(region_id=region_id)
    rows = referral._default_manager.filter(region_id=region_id).values_list(*columns)  # type: ignore[attr-defined]
    for row in rows.iterator(chunk_size=5000):
        values = dict(zip(columns, row, strict=True))
        yield ReferralFacts(
            pk=values["pk"],
            created_at=values["created_at"],
            area_id=values["area_id"],
            source=values["source"],
            languages=list(values["languages"] or []),
            nationality=values["nationality"] or "",
            urgent=bool(values["urgent"]),
            possible_child=bool(values["possible_child"]),
            risk_band=values["risk_band"],
            status=values["status"],
            partner_organisation_id=values["partner_organisation_id"],
            first_action_at=values[action_field]
            if action_field
            else audited_actions.get(str(values["pk"])),
            case_opened_at=values["case__created_at"] if has_case else None,
        )


def first_staff_actions(*, region_id: int) -> dict[str, datetime.datetime]:
    """Referral id -> the first change a member of staff made to it (audit log)."""
    rows = (
        AuditEvent.objects.filter(
            target_type="referrals.referral",
            region_id=region_id,
            action=AuditEvent.Action.UPDATE,
            actor__isnull=False,
        )
        .values("target_id")
        .annotate(first=Min("occurred_at"))
    )
    return {row["target_id"]: row["first"] for row in rows}


@dataclass
class CaseFacts:
    created_at: datetime.datetime
    area_id: int
    exploitation_types: list[str]
    status: str
    outcome: str
    closed_at: datetime.datetime | None
    lead_investigator_id: int


def case_facts(*, region_id: int) -> Iterator[CaseFacts]:
    case = model_or_none("cases.Case")
    if case is None:
        return
    rows = case._default_manager.filter(region_id=region_id).values_list(  # type: ignore[attr-defined]
        "created_at",
        "area_id",
        "exploitation_types",
        "status",
        "closure_outcome",
        "closed_at",
        "lead_investigator_id",
    )
    for created_at, area_id, types, status, outcome, closed_at, lead in rows.iterator(
        chunk_size=5000
    ):
        yield CaseFacts(created_at, area_id, list(types or []), status, outcome, closed_at, lead)


@dataclass
class NrmFacts:
    area_id: int
    route: str
    submitted_on: datetime.date | None
    reasonable_grounds: str
    reasonable_grounds_on: datetime.date | None
    conclusive_grounds: str
    conclusive_grounds_on: datetime.date | None


def nrm_facts(*, region_id: int) -> Iterator[NrmFacts]:
    nrm = model_or_none("cases.NrmReferral")
    if nrm is None:
        return
    rows = nrm._default_manager.filter(case__region_id=region_id).values_list(  # type: ignore[attr-defined]
        "case__area_id",
        "route",
        "submitted_on",
        "reasonable_grounds",
        "reasonable_grounds_on",
        "conclusive_grounds",
        "conclusive_grounds_on",
    )
    for values in rows.iterator(chunk_size=5000):
        yield NrmFacts(*values)


@dataclass
class AdvertFacts:
    groups_by_month: dict[datetime.date, int] = field(default_factory=dict)
    towns_by_month: dict[tuple[datetime.date, str], int] = field(default_factory=dict)
    alerts_by_month: dict[datetime.date, int] = field(default_factory=dict)
    alerts_acted_by_month: dict[datetime.date, int] = field(default_factory=dict)
    acted_known: bool = False


def advert_facts(*, region_id: int) -> AdvertFacts:
    facts = AdvertFacts()
    group = model_or_none("adverts.AdvertGroup")
    advert = model_or_none("adverts.Advert")
    alert = model_or_none("adverts.Alert")
    counter: dict[Any, int] = defaultdict(int)
    if group is not None:
        for (created_at,) in group._default_manager.filter(region_id=region_id).values_list(  # type: ignore[attr-defined]
            "created_at"
        ):
            counter[month_of(created_at)] += 1
        facts.groups_by_month = dict(counter)
    if advert is not None:
        seen: set[tuple[datetime.date, str, int]] = set()
        rows = (
            advert._default_manager.filter(  # type: ignore[attr-defined]
                region_id=region_id, group__isnull=False, posted_at__isnull=False
            )
            .exclude(town="")
            .values_list("posted_at", "town", "group_id")
        )
        for posted_at, town, group_id in rows.iterator(chunk_size=5000):
            seen.add((month_of(posted_at), town.strip().title(), group_id))
        towns: dict[tuple[datetime.date, str], int] = defaultdict(int)
        for month, town, _group in seen:
            towns[(month, town)] += 1
        facts.towns_by_month = dict(towns)
    if alert is not None:
        acted_field = first_field(alert, ALERT_ACTED_FIELDS)
        facts.acted_known = acted_field is not None
        raised: dict[datetime.date, int] = defaultdict(int)
        acted: dict[datetime.date, int] = defaultdict(int)
        columns = ["created_at", acted_field] if acted_field else ["created_at"]
        for row in alert._default_manager.filter(region_id=region_id).values_list(*columns):  # type: ignore[attr-defined]
            raised[month_of(row[0])] += 1
            if acted_field and row[1] is not None:
                acted[month_of(row[1])] += 1
        facts.alerts_by_month = dict(raised)
        facts.alerts_acted_by_month = dict(acted)
    return facts


# --- Live reads for the dashboard ------------------------------------------------------------


def caseload(*, region_id: int, area_ids: Iterable[int] | None = None) -> list[tuple[str, int]]:
    """Open cases per lead investigator (names of staff, not of the people in the cases)."""
    case = model_or_none("cases.Case")
    if case is None:
        return []
    cases = case._default_manager.filter(region_id=region_id).exclude(status="closed")  # type: ignore[attr-defined]
    if area_ids is not None:
        cases = cases.filter(area_id__in=list(area_ids))
    rows = (
        cases.values("lead_investigator_id", "lead_investigator__display_name")
        # COUNT(*) rather than of the key: then the (region, status, lead) index answers alone.
        .annotate(total=Count("*"))
        .order_by("-total", "lead_investigator__display_name")
    )
    return [(row["lead_investigator__display_name"], row["total"]) for row in rows]


@dataclass
class OverdueReferral:
    pk: int
    reference: str
    risk_band: str
    area: str
    hours_waiting: float
    target_hours: float


def overdue_referrals(
    *, region_id: int, area_ids: Iterable[int] | None = None, limit: int = 25
) -> tuple[list[OverdueReferral], int]:
    """New referrals nobody has acted on past their response target: the longest overdue first.

    The target is the one the referrals app stored on each referral when it arrived (`due_at`),
    the same one its escalation job uses.
    """
    referral = model_or_none("referrals.Referral")
    if referral is None:
        return [], 0
    now = timezone.now()
    targets = response_targets()
    waiting = referral._default_manager.filter(  # type: ignore[attr-defined]
        region_id=region_id, in_queue=1, status="new", due_at__lt=now
    )
    action_field = first_field(referral, FIRST_ACTION_FIELDS)
    if action_field:
        waiting = waiting.filter(**{f"{action_field}__isnull": True})
    if area_ids is not None:
        waiting = waiting.filter(area_id__in=list(area_ids))
    total = waiting.count()
    rows = waiting.order_by("due_at", "pk").values_list(
        "pk", "reference", "risk_band", "area__name", "created_at"
    )[:limit]
    result = [
        OverdueReferral(
            pk=pk,
            reference=reference,
            risk_band=band,
            area=area or "",
            hours_waiting=hours_between(created_at, now),
            target_hours=targets.get(band, (0, 0))[0],
        )
        for pk, reference, band, area, created_at in rows
    ]
    return result, total


# --- Tallies ---------------------------------------------------------------------------------


@dataclass
class TallyRow:
    measure: str
    key: str
    month: datetime.date
    area_id: int | None
    count: int
    hours: float
    within_target: int


def tallies(
    *,
    region_id: int,
    start: datetime.date,
    end: datetime.date,
    area_ids: Iterable[int] | None = None,
) -> list[TallyRow]:
    """Every tally of the region between two months (both included), in one query."""
    rows = MonthlyTally.objects.filter(region_id=region_id, month__gte=start, month__lte=end)
    if area_ids is not None:
        rows = rows.filter(area_id__in=list(area_ids))
    return [
        TallyRow(*values)
        for values in rows.values_list(
            "measure", "key", "month", "area_id", "count", "hours", "within_target"
        )
    ]


def summary_state(*, region_id: int) -> SummaryState | None:
    return SummaryState.objects.filter(region_id=region_id).first()


def areas_of(region_ids: Iterable[int]) -> list[Area]:
    return list(Area.objects.filter(region_id__in=list(region_ids)).order_by("name"))


def region(region_id: int) -> Region:
    return Region.objects.get(pk=region_id)


# --- Quarter statistics (read directly for publishing accuracy) -----------------------------


def quarter_bounds(year: int, quarter: int) -> tuple[datetime.datetime, datetime.datetime]:
    first_month = 3 * (quarter - 1) + 1
    start = datetime.date(year, first_month, 1)
    end = datetime.date(year + (first_month + 3 > 12), (first_month + 2) % 12 + 1, 1)
    tz = timezone.get_current_timezone()
    return (
        datetime.datetime.combine(start, datetime.time.min, tzinfo=tz),
        datetime.datetime.combine(end, datetime.time.min, tzinfo=tz),
    )


def referral_counts_by_area_and(
    *,
    region_id: int,
    year: int,
    quarter: int,
    column: str,
    partner_organisation_ids: Iterable[int] | None = None,
) -> dict[tuple[int | None, str], int]:
    referral = model_or_none("referrals.Referral")
    if referral is None:
        return {}
    start, end = quarter_bounds(year, quarter)
    rows = referral._default_manager.filter(  # type: ignore[attr-defined]
        region_id=region_id, created_at__gte=start, created_at__lt=end
    )
    if partner_organisation_ids is not None:
        rows = rows.filter(partner_organisation_id__in=list(partner_organisation_ids))
    if column == "month":
        counts: dict[tuple[int | None, str], int] = defaultdict(int)
        for area_id, created_at in rows.values_list("area_id", "created_at"):
            counts[(area_id, month_of(created_at).strftime("%Y-%m"))] += 1
        return dict(counts)
    # COUNT(*): the (region, created_at, area, source) index answers without the table.
    return {
        (row["area_id"], row[column]): row["total"]
        for row in rows.values("area_id", column).annotate(total=Count("*"))
    }


def cases_opened_by_area_and_type(
    *, region_id: int, year: int, quarter: int
) -> dict[tuple[int, str], int]:
    """Cases opened in the quarter by area and their main (first recorded) type."""
    case = model_or_none("cases.Case")
    if case is None:
        return {}
    start, end = quarter_bounds(year, quarter)
    counts: dict[tuple[int, str], int] = defaultdict(int)
    rows = (
        case._default_manager.filter(  # type: ignore[attr-defined]
            region_id=region_id, created_at__gte=start, created_at__lt=end
        )
        # Counted in the database: reading every case's list of types would not scale.
        .annotate(main_type=KT("exploitation_types__0"))
        .values("area_id", "main_type")
        .annotate(total=Count("pk"))
        .order_by()
    )
    for row in rows:
        counts[(row["area_id"], row["main_type"] or "unknown")] += row["total"]
    return dict(counts)


def cases_closed_by_area_and_outcome(
    *, region_id: int, year: int, quarter: int
) -> dict[tuple[int, str], int]:
    case = model_or_none("cases.Case")
    if case is None:
        return {}
    start, end = quarter_bounds(year, quarter)
    return {
        (row["area_id"], row["closure_outcome"]): row["total"]
        for row in case._default_manager.filter(  # type: ignore[attr-defined]
            region_id=region_id, status="closed", closed_at__gte=start, closed_at__lt=end
        )
        .values("area_id", "closure_outcome")
        .annotate(total=Count("pk"))
    }


def leaflets_distributed_by_area(
    *, organisation_ids: Iterable[int], year: int, quarter: int
) -> dict[int, int]:
    distribution = model_or_none("outreach.Distribution")
    if distribution is None:
        return {}
    start, end = quarter_bounds(year, quarter)
    return {
        row["point__area_id"]: row["total"] or 0
        for row in distribution._default_manager.filter(  # type: ignore[attr-defined]
            organisation_id__in=list(organisation_ids),
            distributed_at__gte=start,
            distributed_at__lt=end,
        )
        .values("point__area_id")
        .annotate(total=Sum("quantity"))
    }
