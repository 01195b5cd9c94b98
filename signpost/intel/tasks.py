"""Background tasks: thin adapters over services, run by `signpost worker`."""

from __future__ import annotations

from django_tasks import task

from signpost.intel import services


@task()
def notify_disclosure(*, report_id: int) -> None:
    services.disclosure_notify(report_id=report_id)


@task()
def run_resolution(*, region_id: int, user_id: int | None = None) -> None:
    from signpost.core.models import Region, User
    from signpost.intel import resolution

    region = Region.objects.get(pk=region_id)
    user = User.objects.filter(pk=user_id).first() if user_id else None
    resolution.resolution_run(region=region, by=user)


@task()
def refresh_network_snapshot(*, region_id: int) -> int:
    """Recompute one region's largest networks; returns how many were stored."""
    from signpost.core.models import Region

    region = Region.objects.filter(pk=region_id).first()
    if region is None:
        return 0
    return services.network_snapshot_refresh(region=region).networks.count()
