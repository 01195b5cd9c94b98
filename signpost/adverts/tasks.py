"""Background tasks: thin adapters over services, run by `signpost worker`."""

from __future__ import annotations

from django_tasks import task

from signpost.adverts import services


@task()
def import_job_task(*, job_id: int) -> None:
    services.import_job_run(job_id=job_id)
