"""Reads for the referrals app."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, QuerySet

from signpost.core import access as core_access
from signpost.core.access import active_memberships
from signpost.core.models import Area, Membership, User
from signpost.core.roles import Role
from signpost.referrals import access, risk
from signpost.referrals.models import Referral, ReferralIdentifier


def referral_areas_for(user: User, role: str) -> QuerySet[Area]:
    """Areas the user may refer for in that role: their membership's areas, or, for a membership
    without areas (and for leads), every area of the organisation's region."""
    area_ids: set[int] = set()
    region_ids: set[int] = set()
    for membership in active_memberships(user):
        if membership.role != role and not (role == Role.HANDLER and membership.role == Role.LEAD):
            continue
        areas = list(membership.areas.all())
        if areas and membership.role != Role.LEAD:
            area_ids.update(area.pk for area in areas)
        else:
            region_ids.add(membership.organisation.region_id)
    return (
        (Area.objects.filter(pk__in=area_ids) | Area.objects.filter(region_id__in=region_ids))
        .select_related("region")
        .order_by("region__name", "name")
    )


def assessment_of(referral: Referral) -> risk.Assessment:
    """The transparent risk assessment, recomputed from the stored signs in today's language."""
    return risk.assess(
        indicators=referral.indicators,
        danger_now=referral.danger_now,
        possible_child=referral.possible_child,
    )


# --- Triage -----------------------------------------------------------------------------------


# What a queue row shows: no encrypted column, so a page decrypts nothing.
QUEUE_COLUMNS = (
    "reference",
    "source",
    "status",
    "urgent",
    "risk_score",
    "risk_band",
    "created_at",
    "due_at",
    "area",
    "region",
    "handler",
)


def triage_queue(user: User) -> QuerySet[Referral]:
    """Open referrals the user may triage: urgent first, then by risk, then the oldest first."""
    return (
        access.triage_referrals_for(user)
        .filter(in_queue=1)
        .select_related("area", "handler")
        # Joined, the region tempts SQLite into sorting the whole queue instead of walking
        # its index; fetched apart it is one small query.
        .prefetch_related("region")
        .only(*QUEUE_COLUMNS)
        .order_by("-urgent", "-risk_score", "created_at", "id")
    )


@dataclass(frozen=True)
class PossibleLinks:
    referrals: list[Referral]
    cases: list[dict[str, Any]]


def possible_links(referral: Referral, user: User) -> PossibleLinks:
    """Earlier referrals, and cases with their people, sharing a blind-indexed phone, email,
    social handle or name with this referral (its contact details and what its text mentions),
    within the user's scope: referrals they may triage, and cases in the regions they triage
    for (shown by reference, area and status only; opening a case needs the case's own access).
    """
    found = list(referral.identifiers.values_list("kind", "value_index"))
    if not found:
        return PossibleLinks(referrals=[], cases=[])
    indexes = sorted({index for _kind, index in found})
    earlier = list(
        access.triage_referrals_for(user)
        .filter(
            pk__in=ReferralIdentifier.objects.filter(value_index__in=indexes).values("referral")
        )
        .exclude(pk=referral.pk)
        .select_related("area", "case")
        .order_by("-created_at")[:20]
    )
    try:
        from signpost.cases.selectors import identifiers_matching, people_matching_name
    except ImportError:  # pragma: no cover - the cases app is part of the project
        return PossibleLinks(referrals=earlier, cases=[])
    regions = core_access.region_ids_for(user, Role.HANDLER, Role.LEAD)
    cases: dict[int, dict[str, Any]] = {}

    def add(case: Any, kind: str) -> None:
        if case.region_id in regions:
            cases.setdefault(case.pk, {"case": case, "kinds": set()})["kinds"].add(kind)

    contact_indexes = [index for kind, index in found if kind != ReferralIdentifier.Kind.NAME]
    for identifier in identifiers_matching(indexes=contact_indexes)[:50]:
        add(identifier.case, str(identifier.get_kind_display()))
    name_indexes = [index for kind, index in found if kind == ReferralIdentifier.Kind.NAME]
    if name_indexes:
        for person in people_matching_name(name_indexes=name_indexes).select_related("case__area")[
            :50
        ]:
            add(person.case, str(ReferralIdentifier.Kind.NAME.label))
    return PossibleLinks(
        referrals=earlier,
        cases=[{**entry, "kinds": sorted(entry["kinds"])} for entry in cases.values()],
    )


@dataclass(frozen=True)
class Suggestion:
    investigator: User
    covers_area: bool
    speaks: list[str]
    open_cases: int

    @property
    def rank(self) -> tuple[int, int, int, str]:
        return (
            -int(self.covers_area),
            -len(self.speaks),
            self.open_cases,
            self.investigator.display_name,
        )


def referral_languages(referral: Referral) -> list[str]:
    return list(
        dict.fromkeys(
            [
                *referral.languages,
                *([referral.contact_language] if referral.contact_language else []),
            ]
        )
    )


def investigator_suggestions(referral: Referral) -> list[Suggestion]:
    """Investigators of the region, best first: covering the area, speaking the referral's
    languages (English aside, which every investigator is assumed to speak), fewest open cases."""
    memberships = list(
        Membership.objects.filter(
            role=Role.INVESTIGATOR,
            is_active=True,
            user__is_active=True,
            organisation__region_id=referral.region_id,
        )
        .select_related("user")
        .prefetch_related("areas")
    )
    wanted = [code for code in referral_languages(referral) if code != "en"]
    caseload = _open_caseloads({membership.user_id for membership in memberships})
    by_user: dict[int, Suggestion] = {}
    for membership in memberships:
        user = membership.user
        area_ids = {area.pk for area in membership.areas.all()}
        covers = referral.area_id is None or not area_ids or referral.area_id in area_ids
        previous = by_user.get(user.pk)
        by_user[user.pk] = Suggestion(
            investigator=user,
            covers_area=covers or bool(previous and previous.covers_area),
            speaks=[code for code in wanted if code in (user.languages_spoken or [])],
            open_cases=caseload.get(user.pk, 0),
        )
    return sorted(by_user.values(), key=lambda suggestion: suggestion.rank)


def _open_caseloads(user_ids: set[int]) -> dict[int, int]:
    try:
        from signpost.cases.models import Case, CaseStatus
    except ImportError:  # pragma: no cover
        return {}
    rows = (
        Case.objects.filter(lead_investigator_id__in=user_ids)
        .exclude(status=CaseStatus.CLOSED)
        .values("lead_investigator_id")
        .annotate(total=Count("id"))
    )
    return {row["lead_investigator_id"]: row["total"] for row in rows}


def cases_to_link(referral: Referral, user: User, links: PossibleLinks) -> list[Any]:
    """Cases a referral may be linked to: its possible links; for leads, any open case of the
    region too."""
    chosen = {entry["case"].pk: entry["case"] for entry in links.cases}
    if referral.region_id in core_access.region_ids_for(user, Role.LEAD):
        from signpost.cases.models import Case, CaseStatus

        for case in (
            Case.objects.filter(region_id=referral.region_id)
            .exclude(status=CaseStatus.CLOSED)
            .select_related("area")
            .order_by("-created_at")[:100]
        ):
            chosen.setdefault(case.pk, case)
    return list(chosen.values())
