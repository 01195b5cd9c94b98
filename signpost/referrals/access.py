"""The only way to fetch a referral for a user.

Submitters (volunteers) see their own submissions; a partner coordinator sees their
organisation's. Handlers see referrals in their areas (and those with no area yet in their
region); leads see their region's. Everyone else, and everything else, gets a 404.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from signpost.core import access
from signpost.core.models import User
from signpost.core.roles import Role
from signpost.referrals.models import Referral

TARGET = "referrals.referral"


def submissions_for(user: User) -> QuerySet[Referral]:
    """What a volunteer sent, plus their organisation's if they coordinate it."""
    volunteer = access.memberships_with(user, Role.VOLUNTEER)
    if not volunteer:
        return Referral.objects.none()
    coordinated = {m.organisation_id for m in volunteer if m.is_coordinator}
    scope = Q(submitted_by=user, source=Referral.Source.PARTNER)
    if coordinated:
        scope |= Q(partner_organisation_id__in=coordinated, source=Referral.Source.PARTNER)
    return Referral.objects.filter(scope)


def submission_for(user: User, pk: object) -> Referral:
    return access.get_or_deny(
        submissions_for(user).select_related("area", "submitted_by"),
        user=user,
        pk=pk,
        target_type=TARGET,
    )


def triage_scope(user: User) -> Q | None:
    """The referrals a handler or lead may triage, as a filter; None when they may see none.

    Written as `region AND (area OR no area)` rather than an OR of two regions so that the
    triage queue's index on (region, in_queue, display order) serves it.
    """
    lead_regions = access.region_ids_for(user, Role.LEAD)
    handler_regions = access.region_ids_for(user, Role.HANDLER) - lead_regions
    scopes = []
    if lead_regions:
        scopes.append(Q(region_id__in=lead_regions))
    if handler_regions:
        handler_areas = access.area_ids_for(user, Role.HANDLER)
        scopes.append(
            Q(region_id__in=handler_regions)
            & (Q(area_id__in=handler_areas) | Q(area_id__isnull=True))
        )
    if not scopes:
        return None
    scope = scopes[0]
    for other in scopes[1:]:
        scope |= other
    return scope


def triage_referrals_for(user: User) -> QuerySet[Referral]:
    scope = triage_scope(user)
    if scope is None:
        return Referral.objects.none()
    return Referral.objects.filter(scope)


def referral_for_triage(user: User, pk: object) -> Referral:
    return access.get_or_deny(
        triage_referrals_for(user).select_related("area", "region", "partner_organisation"),
        user=user,
        pk=pk,
        target_type=TARGET,
    )
