"""Who may see which adverts, groups, alerts and imports (DESIGN.md access matrix).

Analysts: everything in their region, and uploads. Leads: everything in their region.
Investigators: search adverts and see groups in their region; alerts only on cases they work.
Everyone else: nothing (404, audited).
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from signpost.adverts.models import Advert, AdvertGroup, Alert, ImportJob
from signpost.core import access
from signpost.core.models import Region, User
from signpost.core.roles import Role

READERS = (Role.ANALYST, Role.LEAD, Role.INVESTIGATOR)
UPLOADERS = (Role.ANALYST,)


def reader_region_ids(user: User) -> set[int]:
    return access.region_ids_for(user, *READERS)


def may_read(user: User) -> bool:
    return bool(reader_region_ids(user))


def may_upload(user: User) -> bool:
    return bool(access.region_ids_for(user, *UPLOADERS))


def upload_regions(user: User) -> QuerySet[Region]:
    return Region.objects.filter(pk__in=access.region_ids_for(user, *UPLOADERS))


def adverts_for(user: User) -> QuerySet[Advert]:
    return Advert.objects.filter(region_id__in=reader_region_ids(user))


def groups_for(user: User) -> QuerySet[AdvertGroup]:
    return AdvertGroup.objects.filter(region_id__in=reader_region_ids(user))


def advert_for(user: User, public_id: str) -> Advert:
    try:
        return (
            adverts_for(user).select_related("group", "region", "document").get(public_id=public_id)
        )
    except Advert.DoesNotExist:
        access.deny(user=user, target_type="adverts.advert", target_id=public_id)


def group_for(user: User, public_id: str) -> AdvertGroup:
    try:
        return groups_for(user).select_related("region").get(public_id=public_id)
    except AdvertGroup.DoesNotExist:
        access.deny(user=user, target_type="adverts.advertgroup", target_id=public_id)


def alerts_for(user: User) -> QuerySet[Alert]:
    """Region-wide for analysts and leads; an investigator's own cases' alerts otherwise."""
    from signpost.cases.access import cases_with_full_access

    wide = access.region_ids_for(user, Role.ANALYST, Role.LEAD)
    condition = Q(region_id__in=wide)
    investigator_regions = access.region_ids_for(user, Role.INVESTIGATOR)
    if investigator_regions:
        condition |= Q(
            region_id__in=investigator_regions,
            case_id__in=cases_with_full_access(user).values("pk"),
        )
    return Alert.objects.filter(condition)


def jobs_for(user: User) -> QuerySet[ImportJob]:
    return ImportJob.objects.filter(region_id__in=access.region_ids_for(user, *UPLOADERS))


def job_for(user: User, public_id: str) -> ImportJob:
    try:
        return jobs_for(user).get(public_id=public_id)
    except ImportJob.DoesNotExist:
        access.deny(user=user, target_type="adverts.importjob", target_id=public_id)
