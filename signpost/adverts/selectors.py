"""Reads of advert data. Scoping to a user happens in access.py."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, cast

from django.db.models import QuerySet

from signpost.adverts.models import Advert, AdvertGroup, AdvertIdentifier
from signpost.core.crypto import blind_index
from signpost.core.models import Region


def export_rows(*, region: Region) -> Iterator[dict[str, Any]]:
    queryset = (
        Advert.objects.filter(region=region)
        .order_by("id")
        .values_list(
            "external_id", "source", "group__public_id", "document__content", "indicator_hits"
        )
    )
    for external_id, source, group, content, hits in queryset.iterator(chunk_size=2000):
        extracted: dict[str, Any] = cast(dict[str, Any], content).get("extracted", {})
        yield {
            "id": external_id,
            "source": source,
            "group": group,
            "phones": extracted.get("phones_e164", []),
            "emails": extracted.get("emails_all", []),
            "ages": [item["value"] for item in extracted.get("ages", [])],
            "indicators": sorted(hits),
        }


def adverts_with_identifier(
    adverts: QuerySet[Advert], *, kind: str, value: str
) -> QuerySet[Advert]:
    index = blind_index(kind, value)
    matching = AdvertIdentifier.objects.filter(kind=kind, value_index=index).values("advert_id")
    return adverts.filter(pk__in=matching)


def group_adverts(group: AdvertGroup) -> QuerySet[Advert]:
    return group.adverts.order_by("posted_at", "id")
