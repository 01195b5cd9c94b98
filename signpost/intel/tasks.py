"""Background tasks: thin adapters over services, run by `signpost worker`."""

from __future__ import annotations

from django_tasks import task

from signpost.intel import services


@task()
def notify_disclosure(*, report_id: int) -> None:
    services.disclosure_notify(report_id=report_id)
