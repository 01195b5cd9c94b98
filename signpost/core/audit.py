"""Writing audit events. Call inside the same transaction as the change it records."""

from __future__ import annotations

from typing import Any

from django.db import models

from signpost.core.client import current_client_address
from signpost.core.models import AuditEvent, Region, User

Action = AuditEvent.Action


def _region_of(target: models.Model | None) -> Region | None:
    if target is None:
        return None
    if isinstance(target, Region):
        return target
    region = getattr(target, "region", None)
    return region if isinstance(region, Region) else None


def audit_record(
    *,
    actor: User | None,
    action: str,
    target: models.Model | None = None,
    target_type: str = "",
    target_id: str | int = "",
    region: Region | None = None,
    details: dict[str, Any] | None = None,
) -> AuditEvent:
    if target is not None:
        target_type = target_type or target._meta.label_lower
        target_id = target_id or str(target.pk)
    if actor is not None and not actor.is_authenticated:
        actor = None
    return AuditEvent.objects.create(
        actor=actor,
        action=action,
        target_type=target_type,
        target_id=str(target_id),
        region=region or _region_of(target),
        client_address=current_client_address.get(),
        details=details or {},
    )
