"""Outreach test data, created through the services so that tests see what users would."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from signpost.core.models import Area, User
from signpost.outreach import services
from signpost.outreach.models import (
    AwarenessPost,
    CommunityChannel,
    Distribution,
    DistributionPoint,
    LeafletEdition,
    PointLeaflet,
)
from signpost.testing.world import RegionWorld


def edition(
    region_world: RegionWorld, language: str = "en", name: str = "Spring 2026"
) -> LeafletEdition:
    return services.edition_create(
        region=region_world.region, name=name, language=language, by=region_world.lead
    )


def point(
    region_world: RegionWorld,
    name: str = "Hurst Street",
    area: Area | None = None,
    kind: str = "street",
) -> DistributionPoint:
    return services.point_create(
        area=area or region_world.areas[0],
        name=name,
        kind=kind,
        latitude=Decimal("52.47512"),
        longitude=Decimal("-1.89406"),
        by=region_world.lead,
    )


def leaflet(region_world: RegionWorld, at: DistributionPoint, of: LeafletEdition) -> PointLeaflet:
    return services.point_leaflet_generate(point=at, edition=of, by=region_world.lead)


def distribution(
    by: User, at: DistributionPoint, of: LeafletEdition, quantity: int = 20, **extra: Any
) -> Distribution:
    from django.utils import timezone

    return services.distribution_record(
        point=at,
        edition=of,
        quantity=quantity,
        method=extra.get("method", "handed_out"),
        distributed_at=extra.get("distributed_at", timezone.now()),
        by=by,
    )


def channel(
    region_world: RegionWorld, name: str = "Românii din Birmingham", **extra: Any
) -> CommunityChannel:
    fields = {
        "name": name,
        "kind": "social_group",
        "platform": "Facebook",
        "language": "ro",
        "audience_size": 2400,
        "contact_person": "Ioana, group admin, +44 7700 900123",
        "status": "active",
        **extra,
    }
    return services.channel_create(region=region_world.region, by=region_world.lead, **fields)


def post(
    region_world: RegionWorld, on: CommunityChannel, campaign: str = "Winter 2026"
) -> AwarenessPost:
    from django.utils import timezone

    return services.post_create(
        channel=on,
        posted_on=timezone.localdate(),
        campaign=campaign,
        link="https://example.org/post/1",
        reach=800,
        by=region_world.lead,
    )
