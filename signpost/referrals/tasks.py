"""Background tasks: thin adapters over services, run by `signpost worker`."""

from __future__ import annotations

from django_tasks import task

from signpost.referrals import services


@task()
def notify_urgent_referral(*, referral_id: int) -> None:
    services.referral_urgent_notify(referral_id=referral_id)


@task()
def escalate_overdue_referrals() -> int:
    return services.referrals_escalate_overdue()
