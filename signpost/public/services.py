"""Every write of the public app, each in one transaction with its audit event."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from signpost.core.audit import Action, audit_record
from signpost.core.models import Region, User
from signpost.public.models import DailyScan, LandingToken, PageContent


def _check_language(language: str) -> None:
    if language not in dict(settings.LANGUAGES):
        raise ValidationError({"language": _("This language is not offered on the public site.")})


def landing_token_create(
    *, language: str, label: str, by: User | None, region: Region | None = None
) -> LandingToken:
    """A new unguessable token for a leaflet edition, a distribution point or a channel.

    The region, when given, is where self-referrals made after a scan are routed if the person
    does not say where they are.
    """
    _check_language(language)
    token = LandingToken(language=language, label=label.strip(), region=region)
    token.full_clean()
    with transaction.atomic():
        token.save()
        audit_record(
            actor=by,
            action=Action.CREATE,
            target=token,
            details={"language": language, "region": region.pk if region else None},
        )
    return token


def landing_token_set_active(*, token: LandingToken, is_active: bool, by: User | None) -> None:
    with transaction.atomic():
        LandingToken.objects.filter(pk=token.pk).update(is_active=is_active)
        token.is_active = is_active
        audit_record(actor=by, action=Action.UPDATE, target=token, details={"is_active": is_active})


def landing_scan_record(*, token: LandingToken) -> None:
    """Counts one scan for today (site time zone), safe when many scans arrive at once.

    The increment is a single UPDATE ... SET count = count + 1; only the first scan of a day
    inserts, and a racing insert that loses to the unique (token, day) constraint retries
    as an update.
    """
    today = timezone.localdate()
    rows = DailyScan.objects.filter(token=token, day=today)
    with transaction.atomic():
        if rows.update(count=F("count") + 1):
            return
        try:
            with transaction.atomic():
                DailyScan.objects.create(token=token, day=today, count=1)
        except IntegrityError:
            rows.update(count=F("count") + 1)


def page_content_save(
    *, page: str, language: str, title: str, body: str, by: User | None
) -> PageContent:
    """Creates or replaces staff's text for one page in one language."""
    _check_language(language)
    with transaction.atomic():
        content = PageContent.objects.select_for_update().filter(page=page, language=language)
        existing = content.first()
        created = existing is None
        item = existing or PageContent(page=page, language=language)
        changed = sorted(
            name
            for name, value in (("title", title), ("body", body))
            if created or getattr(item, name) != value
        )
        item.title, item.body, item.updated_by = title, body, by
        item.full_clean()
        item.save()
        audit_record(
            actor=by,
            action=Action.CREATE if created else Action.UPDATE,
            target=item,
            details={"page": page, "language": language, "fields": changed},
        )
    return item


def page_content_delete(*, content: PageContent, by: User | None) -> None:
    """Removes staff's text: the page shows the shipped text again."""
    with transaction.atomic():
        audit_record(
            actor=by,
            action=Action.DELETE,
            target=content,
            details={"page": content.page, "language": content.language},
        )
        content.delete()
