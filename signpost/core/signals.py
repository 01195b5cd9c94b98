"""Audit events for sign-in failures and lockouts, which happen inside Django and axes."""

from __future__ import annotations

from typing import Any

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_login_failed
from django.dispatch import receiver

from signpost.core.audit import audit_record
from signpost.core.client import client_address, current_client_address
from signpost.core.models import AuditEvent, User


def _user_id_for(credentials: dict[str, Any]) -> str:
    email = str(credentials.get("email") or credentials.get("username") or "").lower()
    user_id = User.objects.filter(email=email).values_list("pk", flat=True).first()
    return str(user_id or "")


@receiver(user_login_failed)
def audit_sign_in_failure(
    sender: Any, credentials: dict[str, Any], request: Any = None, **kwargs: Any
) -> None:
    # The address typed is personal data and is not stored; the account id is, if it exists.
    audit_record(
        actor=None,
        action=AuditEvent.Action.SIGN_IN_FAILURE,
        target_type="core.user",
        target_id=_user_id_for(credentials),
        details={"step": "password"},
    )


@receiver(user_locked_out)
def audit_lockout(
    sender: Any,
    request: Any = None,
    username: str | None = None,
    ip_address: str | None = None,
    **kwargs: Any,
) -> None:
    if request is not None and current_client_address.get() is None:
        current_client_address.set(client_address(request))
    audit_record(
        actor=None,
        action=AuditEvent.Action.LOCKED_OUT,
        target_type="core.user",
        target_id=_user_id_for({"email": username}),
    )
