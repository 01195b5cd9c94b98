"""Who may see and change outreach records (DESIGN.md, the outreach column).

- volunteer: logs own distributions; a partner coordinator also sees the organisation's log
  and its attribution, with small numbers suppressed.
- handler, investigator, analyst: view the region (points, map, log, channels, attribution).
- lead: manages the region (points, editions, leaflets, channels, posts, log corrections).
- admin: configures points and editions in every region; no log, channels or attribution.
Everything else is denied with a 404.
"""

from __future__ import annotations

from django.db import models

from signpost.core import access
from signpost.core.models import Organisation, Region, User
from signpost.core.roles import Role
from signpost.outreach.models import (
    AwarenessPost,
    CommunityChannel,
    Distribution,
    DistributionPoint,
    LeafletEdition,
    PointLeaflet,
)

VIEW_ROLES = (Role.HANDLER, Role.INVESTIGATOR, Role.ANALYST, Role.LEAD)
MANAGE_ROLES = (Role.LEAD,)
CONFIGURE_ROLES = (Role.LEAD, Role.ADMIN)


def view_region_ids(user: User) -> set[int]:
    return access.region_ids_for(user, *VIEW_ROLES)


def manage_region_ids(user: User) -> set[int]:
    return access.region_ids_for(user, *MANAGE_ROLES)


def is_configurer(user: User) -> bool:
    return access.has_role(user, Role.ADMIN)


def is_charity_staff(user: User) -> bool:
    """Exact numbers are for the charity; everyone else sees small numbers suppressed."""
    return bool(view_region_ids(user))


def coordinated_organisation_ids(user: User) -> set[int]:
    return {
        membership.organisation_id
        for membership in access.memberships_with(user, Role.VOLUNTEER)
        if membership.is_coordinator
    }


def volunteer_memberships(user: User) -> list:
    return access.memberships_with(user, Role.VOLUNTEER)


def may_record_distributions(user: User) -> bool:
    return bool(volunteer_memberships(user))


def may_see_log(user: User) -> bool:
    return may_record_distributions(user) or bool(view_region_ids(user))


def may_see_attribution(user: User) -> bool:
    return bool(view_region_ids(user) or coordinated_organisation_ids(user))


# --- Distribution points -------------------------------------------------------------------


def points_visible_to(user: User) -> models.QuerySet[DistributionPoint]:
    """Points on the map and in the list: the region's for staff, all for admins."""
    points = DistributionPoint.objects.select_related("area__region")
    if is_configurer(user):
        return points
    return points.filter(area__region_id__in=view_region_ids(user))


def points_manageable_by(user: User) -> models.QuerySet[DistributionPoint]:
    points = DistributionPoint.objects.select_related("area__region")
    if is_configurer(user):
        return points
    return points.filter(area__region_id__in=manage_region_ids(user))


def points_for_recording(user: User) -> models.QuerySet[DistributionPoint]:
    """Where a volunteer may say they left leaflets: points in use in their own areas."""
    area_ids = access.area_ids_for(user, Role.VOLUNTEER)
    return DistributionPoint.objects.filter(area_id__in=area_ids, is_active=True).select_related(
        "area"
    )


def point_for_viewing(user: User, pk: object) -> DistributionPoint:
    return access.get_or_deny(
        points_visible_to(user), user=user, pk=pk, target_type="outreach.distributionpoint"
    )


def point_for_managing(user: User, pk: object) -> DistributionPoint:
    return access.get_or_deny(
        points_manageable_by(user), user=user, pk=pk, target_type="outreach.distributionpoint"
    )


def point_leaflet_for_download(user: User, pk: object) -> PointLeaflet:
    """A printed leaflet is downloaded by those who may generate one: leads and admins."""
    leaflets = PointLeaflet.objects.select_related(
        "point__area__region", "edition", "landing_token"
    )
    if not is_configurer(user):
        leaflets = leaflets.filter(point__area__region_id__in=manage_region_ids(user))
    return access.get_or_deny(leaflets, user=user, pk=pk, target_type="outreach.pointleaflet")


def may_generate_leaflets(user: User, point: DistributionPoint) -> bool:
    return is_configurer(user) or point.area.region_id in manage_region_ids(user)


# --- Leaflet editions ----------------------------------------------------------------------


def editions_manageable_by(user: User) -> models.QuerySet[LeafletEdition]:
    editions = LeafletEdition.objects.select_related("region")
    if is_configurer(user):
        return editions
    return editions.filter(region_id__in=manage_region_ids(user))


def edition_for_managing(user: User, pk: object) -> LeafletEdition:
    return access.get_or_deny(
        editions_manageable_by(user), user=user, pk=pk, target_type="outreach.leafletedition"
    )


def regions_configurable_by(user: User) -> models.QuerySet[Region]:
    if is_configurer(user):
        return Region.objects.all()
    return Region.objects.filter(pk__in=manage_region_ids(user))


def editions_for_recording(user: User) -> models.QuerySet[LeafletEdition]:
    region_ids = access.region_ids_for(user, Role.VOLUNTEER)
    return LeafletEdition.objects.filter(region_id__in=region_ids, is_current=True)


# --- Distribution log ----------------------------------------------------------------------


def distributions_visible_to(user: User) -> models.QuerySet[Distribution]:
    """Own entries; a coordinator's organisation's; the region's for charity staff."""
    scope = models.Q(recorded_by=user) if may_record_distributions(user) else models.Q(pk__in=[])
    coordinated = coordinated_organisation_ids(user)
    if coordinated:
        scope |= models.Q(organisation_id__in=coordinated)
    regions = view_region_ids(user)
    if regions:
        scope |= models.Q(point__area__region_id__in=regions)
    return Distribution.objects.filter(scope).select_related(
        "point__area", "edition", "recorded_by", "organisation"
    )


def distribution_for_removal(user: User, pk: object) -> Distribution:
    """A volunteer may take back their own entry; a lead may remove any in the region."""
    scope = models.Q(recorded_by=user) if may_record_distributions(user) else models.Q(pk__in=[])
    regions = manage_region_ids(user)
    if regions:
        scope |= models.Q(point__area__region_id__in=regions)
    return access.get_or_deny(
        Distribution.objects.filter(scope).select_related("point__area__region"),
        user=user,
        pk=pk,
        target_type="outreach.distribution",
    )


# --- Community channels --------------------------------------------------------------------


def channels_visible_to(user: User) -> models.QuerySet[CommunityChannel]:
    return CommunityChannel.objects.filter(region_id__in=view_region_ids(user)).select_related(
        "region"
    )


def channel_for_viewing(user: User, pk: object) -> CommunityChannel:
    return access.get_or_deny(
        channels_visible_to(user), user=user, pk=pk, target_type="outreach.communitychannel"
    )


def channel_for_managing(user: User, pk: object) -> CommunityChannel:
    return access.get_or_deny(
        CommunityChannel.objects.filter(region_id__in=manage_region_ids(user)),
        user=user,
        pk=pk,
        target_type="outreach.communitychannel",
    )


def posts_visible_to(user: User) -> models.QuerySet[AwarenessPost]:
    return AwarenessPost.objects.filter(
        channel__region_id__in=view_region_ids(user)
    ).select_related("channel", "landing_token")


# --- Attribution scope ---------------------------------------------------------------------


def attribution_scope(user: User) -> tuple[set[int], set[int]]:
    """(regions seen in full, partner organisations seen through their own distributions)."""
    return view_region_ids(user), coordinated_organisation_ids(user)


def coordinated_organisations(user: User) -> models.QuerySet[Organisation]:
    return Organisation.objects.filter(pk__in=coordinated_organisation_ids(user))
