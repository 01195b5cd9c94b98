"""Access gates: the only way to fetch a protected object for a user.

Everything is denied unless a rule below allows it. A user who may not see an object gets a
404 (never a hint that it exists), and the denial is audited. Other apps' access.py modules
build on the scope helpers here.
"""

from __future__ import annotations

from typing import NoReturn, TypeVar

from django.core.exceptions import ObjectDoesNotExist
from django.db import models
from django.http import Http404

from signpost.core.audit import audit_record
from signpost.core.models import AuditEvent, Membership, User
from signpost.core.roles import Role

ModelT = TypeVar("ModelT", bound=models.Model)


def active_memberships(user: User) -> list[Membership]:
    """The user's active memberships, fetched once a request (cached on the user object)."""
    if not user.is_authenticated or not user.is_active:
        return []
    cached: list[Membership] | None = getattr(user, "_signpost_memberships", None)
    if cached is None:
        cached = list(
            Membership.objects.filter(user=user, is_active=True)
            .select_related("organisation__region", "team")
            .prefetch_related("areas")
        )
        user._signpost_memberships = cached  # type: ignore[attr-defined]
    return cached


def roles_of(user: User) -> set[str]:
    return {membership.role for membership in active_memberships(user)}


def has_role(user: User, *roles: str) -> bool:
    return bool(roles_of(user) & set(roles))


def memberships_with(user: User, *roles: str) -> list[Membership]:
    return [membership for membership in active_memberships(user) if membership.role in roles]


def region_ids_for(user: User, *roles: str) -> set[int]:
    return {membership.organisation.region_id for membership in memberships_with(user, *roles)}


def area_ids_for(user: User, *roles: str) -> set[int]:
    return {
        area.pk for membership in memberships_with(user, *roles) for area in membership.areas.all()
    }


def organisation_ids_for(user: User, *roles: str) -> set[int]:
    return {membership.organisation_id for membership in memberships_with(user, *roles)}


def team_ids_for(user: User, *roles: str) -> set[int]:
    return {
        membership.team_id
        for membership in memberships_with(user, *roles)
        if membership.team_id is not None
    }


def deny(*, user: User, target_type: str, target_id: object) -> NoReturn:
    """Record the refusal and answer exactly as if the object did not exist."""
    audit_record(
        actor=user,
        action=AuditEvent.Action.ACCESS_DENIED,
        target_type=target_type,
        target_id=str(target_id)[:64],
    )
    raise Http404


def get_or_deny(
    queryset: models.QuerySet[ModelT], *, user: User, pk: object, target_type: str
) -> ModelT:
    """Fetch pk from a queryset already narrowed to what the user may see, or deny."""
    try:
        return queryset.get(pk=pk)
    except (ObjectDoesNotExist, ValueError, TypeError):
        deny(user=user, target_type=target_type, target_id=pk)


# --- Audit events ---------------------------------------------------------------------------


def audit_events_for_user(user: User) -> models.QuerySet[AuditEvent]:
    """Admins browse all events; leads browse their region's; everyone else is denied."""
    if has_role(user, Role.ADMIN):
        return AuditEvent.objects.all()
    lead_regions = region_ids_for(user, Role.LEAD)
    if lead_regions:
        return AuditEvent.objects.filter(region_id__in=lead_regions)
    deny(user=user, target_type="core.auditevent", target_id="list")
