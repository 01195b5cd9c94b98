"""Reads for the referrals app."""

from __future__ import annotations

from django.db.models import QuerySet

from signpost.core.access import active_memberships
from signpost.core.models import Area, User
from signpost.core.roles import Role
from signpost.referrals import risk
from signpost.referrals.models import Referral

__all__ = ["active_memberships", "assessment_of", "referral_areas_for"]


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
