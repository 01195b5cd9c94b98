"""Background tasks: thin adapters over services, run by `signpost worker`."""

from __future__ import annotations

from django_tasks import task

from signpost.core import services


@task()
def send_sign_in_alert(*, user_id: int, signed_in_at: str, client_address: str | None) -> None:
    services.sign_in_alert_send(
        user_id=user_id, signed_in_at=signed_in_at, client_address=client_address
    )
