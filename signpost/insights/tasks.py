"""Background tasks: thin adapters over services, run by `signpost worker`."""

from __future__ import annotations

from django_tasks import task

from signpost.core.models import Region
from signpost.insights import services


@task()
def refresh_region_summaries(*, region_id: int) -> int:
    region = Region.objects.filter(pk=region_id).first()
    if region is None:
        return 0
    return services.summaries_refresh(region=region)


@task()
def refresh_all_summaries() -> dict[str, int]:
    return services.summaries_refresh_all()
