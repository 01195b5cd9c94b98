"""Every write of the outreach app, each in one transaction with its audit event.

Audit details hold ids, codes, counts and changed field names only, never the text itself.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from signpost.core import access
from signpost.core.audit import Action, audit_record
from signpost.core.models import Area, Region, User
from signpost.core.roles import Role
from signpost.outreach.leaflet_text import shipped_text
from signpost.outreach.models import (
    AwarenessPost,
    CommunityChannel,
    Distribution,
    DistributionPoint,
    LeafletEdition,
    PointLeaflet,
)
from signpost.public.services import landing_token_create

EDITION_TEXT_FIELDS = ("title", "what_is", "signs", "get_help", "contact")


def _site_for_print() -> str:
    """The site address as printed: without the scheme, which nobody types."""
    site: str = settings.SITE_URL
    return site.split("://", 1)[-1]


def _apply_changes(instance: models.Model, changes: dict[str, Any]) -> list[str]:
    changed = []
    for name, value in changes.items():
        if getattr(instance, name) != value:
            setattr(instance, name, value)
            changed.append(name)
    return sorted(changed)


# --- Leaflet editions ----------------------------------------------------------------------


def edition_create(
    *,
    region: Region,
    name: str,
    language: str,
    by: User,
    is_current: bool = True,
    **text: str,
) -> LeafletEdition:
    """A new edition; any text not given is the shipped text in the edition's language."""
    if language not in dict(settings.LANGUAGES):
        raise ValidationError({"language": _("Leaflets are printed in the public languages only.")})
    unknown = set(text) - set(EDITION_TEXT_FIELDS)
    if unknown:
        raise TypeError(f"Unknown edition fields: {sorted(unknown)}")
    defaults = shipped_text(language=language, region=region, site=_site_for_print())
    edition = LeafletEdition(
        region=region,
        name=name.strip(),
        language=language,
        is_current=is_current,
        **{field: (text.get(field) or defaults[field]).strip() for field in EDITION_TEXT_FIELDS},
    )
    edition.full_clean()
    with transaction.atomic():
        edition.save()
        audit_record(actor=by, action=Action.CREATE, target=edition, details={"language": language})
    return edition


def edition_update(*, edition: LeafletEdition, by: User, **changes: Any) -> list[str]:
    allowed = {"name", "is_current", *EDITION_TEXT_FIELDS}
    if set(changes) - allowed:
        raise TypeError(f"Edition fields that cannot change: {sorted(set(changes) - allowed)}")
    changed = _apply_changes(
        edition, {k: v.strip() if isinstance(v, str) else v for k, v in changes.items()}
    )
    if not changed:
        return []
    edition.full_clean()
    with transaction.atomic():
        edition.save()
        audit_record(actor=by, action=Action.UPDATE, target=edition, details={"fields": changed})
    return changed


def edition_text_reset(*, edition: LeafletEdition, by: User) -> list[str]:
    """Puts the shipped text back, e.g. after an edit that went wrong."""
    defaults = shipped_text(
        language=edition.language, region=edition.region, site=_site_for_print()
    )
    return edition_update(edition=edition, by=by, **defaults)


# --- Distribution points -------------------------------------------------------------------


def point_create(
    *,
    area: Area,
    name: str,
    kind: str,
    latitude: Decimal,
    longitude: Decimal,
    by: User,
) -> DistributionPoint:
    point = DistributionPoint(
        area=area, name=name.strip(), kind=kind, latitude=latitude, longitude=longitude
    )
    point.full_clean()
    with transaction.atomic():
        point.save()
        audit_record(
            actor=by,
            action=Action.CREATE,
            target=point,
            region=area.region,
            details={"kind": kind, "area": area.pk},
        )
    return point


def point_update(*, point: DistributionPoint, by: User, **changes: Any) -> list[str]:
    allowed = {"area", "name", "kind", "latitude", "longitude", "is_active"}
    if set(changes) - allowed:
        raise TypeError(f"Point fields that cannot change: {sorted(set(changes) - allowed)}")
    if "area" in changes and changes["area"].region_id != point.area.region_id:
        raise ValidationError({"area": _("A point cannot move to another region.")})
    changed = _apply_changes(point, changes)
    if not changed:
        return []
    point.full_clean()
    with transaction.atomic():
        point.save()
        audit_record(actor=by, action=Action.UPDATE, target=point, details={"fields": changed})
    return changed


def point_leaflet_generate(
    *, point: DistributionPoint, edition: LeafletEdition, by: User
) -> PointLeaflet:
    """The leaflet of this edition for this point, with its own landing token.

    Printing the same edition for the same point again reuses the token, so earlier prints
    and new ones count together.
    """
    if edition.region_id != point.area.region_id:
        raise ValidationError({"edition": _("Choose an edition of this point's region.")})
    with transaction.atomic():
        existing = PointLeaflet.objects.filter(point=point, edition=edition).first()
        if existing is not None:
            return existing
        token = landing_token_create(
            language=edition.language,
            label=f"Leaflet {edition.name} ({edition.language}), {point.name}"[:200],
            by=by,
        )
        leaflet = PointLeaflet.objects.create(point=point, edition=edition, landing_token=token)
        audit_record(
            actor=by,
            action=Action.CREATE,
            target=leaflet,
            details={"point": point.pk, "edition": edition.pk, "token": token.pk},
        )
    return leaflet


def leaflet_export_record(*, leaflet: PointLeaflet, layout: str, by: User) -> None:
    audit_record(
        actor=by, action=Action.EXPORT, target=leaflet, details={"layout": layout, "format": "pdf"}
    )


# --- Distribution log ----------------------------------------------------------------------


def distribution_record(
    *,
    point: DistributionPoint,
    edition: LeafletEdition,
    quantity: int,
    method: str,
    distributed_at: datetime,
    by: User,
) -> Distribution:
    """A volunteer's entry, credited to the partner organisation that covers the point's area."""
    membership = next(
        (
            m
            for m in access.memberships_with(by, Role.VOLUNTEER)
            if any(area.pk == point.area_id for area in m.areas.all())
        ),
        None,
    )
    if membership is None:
        raise ValidationError({"point": _("Choose a place in one of your own areas.")})
    if edition.region_id != point.area.region_id or not edition.is_current:
        raise ValidationError({"edition": _("Choose an edition that is in use in your region.")})
    if distributed_at > timezone.now() + timedelta(minutes=5):
        raise ValidationError({"distributed_at": _("The time cannot be in the future.")})
    distribution = Distribution(
        point=point,
        edition=edition,
        quantity=quantity,
        method=method,
        distributed_at=distributed_at,
        recorded_by=by,
        organisation=membership.organisation,
    )
    distribution.full_clean()
    with transaction.atomic():
        distribution.save()
        audit_record(
            actor=by,
            action=Action.CREATE,
            target=distribution,
            region=point.area.region,
            details={"point": point.pk, "edition": edition.pk, "quantity": quantity},
        )
    return distribution


def distribution_remove(*, distribution: Distribution, by: User) -> None:
    with transaction.atomic():
        audit_record(
            actor=by,
            action=Action.DELETE,
            target=distribution,
            details={
                "point": distribution.point_id,
                "edition": distribution.edition_id,
                "quantity": distribution.quantity,
                "recorded_by": distribution.recorded_by_id,
            },
        )
        distribution.delete()


# --- Community channels and posts ----------------------------------------------------------

CHANNEL_FIELDS = (
    "name",
    "kind",
    "platform",
    "language",
    "audience_size",
    "contact_person",
    "status",
)


def channel_create(*, region: Region, by: User, **fields: Any) -> CommunityChannel:
    if set(fields) - set(CHANNEL_FIELDS):
        raise TypeError(f"Unknown channel fields: {sorted(set(fields) - set(CHANNEL_FIELDS))}")
    if fields.get("contact_person") == "":
        fields["contact_person"] = None
    channel = CommunityChannel(region=region, **fields)
    channel.full_clean()
    with transaction.atomic():
        channel.save()
        audit_record(
            actor=by,
            action=Action.CREATE,
            target=channel,
            details={"kind": channel.kind, "language": channel.language},
        )
    return channel


def channel_update(*, channel: CommunityChannel, by: User, **changes: Any) -> list[str]:
    if set(changes) - set(CHANNEL_FIELDS):
        raise TypeError(f"Channel fields that cannot change: {sorted(set(changes))}")
    if changes.get("contact_person") == "":
        changes["contact_person"] = None
    changed = _apply_changes(channel, changes)
    if not changed:
        return []
    channel.full_clean()
    with transaction.atomic():
        channel.save()
        audit_record(actor=by, action=Action.UPDATE, target=channel, details={"fields": changed})
    return changed


def channel_contact_view_record(*, channel: CommunityChannel, by: User) -> None:
    """Reading the contact person is reading personal data."""
    audit_record(actor=by, action=Action.VIEW, target=channel, details={"fields": ["contact"]})


def post_create(
    *,
    channel: CommunityChannel,
    posted_on: date,
    campaign: str,
    by: User,
    link: str = "",
    reach: int | None = None,
) -> AwarenessPost:
    """A post on a channel, with its own landing token in the channel's language."""
    post = AwarenessPost(
        channel=channel, posted_on=posted_on, campaign=campaign.strip(), link=link, reach=reach
    )
    post.full_clean(exclude=["landing_token"])
    with transaction.atomic():
        post.landing_token = landing_token_create(
            language=channel.language,
            label=f"Post {post.campaign}, {channel.name}, {posted_on.isoformat()}"[:200],
            by=by,
        )
        post.save()
        audit_record(
            actor=by,
            action=Action.CREATE,
            target=post,
            details={"channel": channel.pk, "token": post.landing_token.pk},
        )
    return post


def post_update(*, post: AwarenessPost, by: User, **changes: Any) -> list[str]:
    allowed = {"posted_on", "campaign", "link", "reach"}
    if set(changes) - allowed:
        raise TypeError(f"Post fields that cannot change: {sorted(set(changes) - allowed)}")
    changed = _apply_changes(post, changes)
    if not changed:
        return []
    post.full_clean()
    with transaction.atomic():
        post.save()
        audit_record(actor=by, action=Action.UPDATE, target=post, details={"fields": changed})
    return changed
