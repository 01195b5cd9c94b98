"""Writes owned by core. Each runs in one transaction with its audit event."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from django.apps import apps
from django.conf import settings
from django.core.mail import send_mail
from django.db import models, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from signpost.core import mfa
from signpost.core.audit import audit_record
from signpost.core.client import current_client_address
from signpost.core.fields import encrypted_fields
from signpost.core.models import AuditEvent, User

Action = AuditEvent.Action


def sign_in_record(*, user: User, method: str) -> None:
    """A completed sign-in (password and second factor): audit it and alert the user by email."""
    from signpost.core.tasks import send_sign_in_alert

    with transaction.atomic():
        audit_record(
            actor=user, action=Action.SIGN_IN, target=user, details={"second_factor": method}
        )
        signed_in_at = timezone.now().isoformat()
        address = current_client_address.get()
        transaction.on_commit(
            lambda: send_sign_in_alert.enqueue(
                user_id=user.pk, signed_in_at=signed_in_at, client_address=address
            )
        )


def sign_in_failure_record(*, user: User, step: str) -> None:
    audit_record(actor=None, action=Action.SIGN_IN_FAILURE, target=user, details={"step": step})


def sign_out_record(*, user: User) -> None:
    audit_record(actor=user, action=Action.SIGN_OUT, target=user)


@transaction.atomic
def mfa_enrolment_confirm(*, user: User, device: TOTPDevice) -> list[str]:
    """Confirm the authenticator app and issue recovery codes (returned once, in plaintext)."""
    TOTPDevice.objects.filter(user=user, confirmed=True).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    codes = mfa.recovery_codes_generate(user=user)
    audit_record(actor=user, action=Action.MFA_ENROL, target=user, details={"device": "totp"})
    return codes


@transaction.atomic
def recovery_codes_renew(*, user: User) -> list[str]:
    codes = mfa.recovery_codes_generate(user=user)
    audit_record(
        actor=user, action=Action.MFA_ENROL, target=user, details={"device": "recovery_codes"}
    )
    return codes


def reauthentication_record(*, user: User) -> None:
    audit_record(actor=user, action=Action.REAUTHENTICATE, target=user)


@transaction.atomic
def user_language_set(*, user: User, language: str) -> None:
    if language not in settings.STAFF_LANGUAGES:
        raise ValueError(f"Unsupported staff language {language!r}")
    user.language = language
    user.full_clean()
    user.save(update_fields=["language"])
    audit_record(actor=user, action=Action.UPDATE, target=user, details={"fields": ["language"]})


def sign_in_alert_send(*, user_id: int, signed_in_at: str, client_address: str | None) -> None:
    """Tell the account holder about a sign-in, so a stolen password is noticed."""
    user = User.objects.get(pk=user_id)
    when = datetime.fromisoformat(signed_in_at)
    with translation.override(user.language):
        when_text = timezone.localtime(when).strftime("%d/%m/%Y %H:%M")
        body = _(
            "Someone signed in to your Signpost account on %(when)s from %(address)s.\n\n"
            "If this was you, there is nothing to do. If it was not, tell your team lead "
            "at once and change your password."
        ) % {"when": when_text, "address": client_address or _("an unknown address")}
        send_mail(
            subject=_("New sign-in to Signpost"),
            message=body,
            from_email=None,
            recipient_list=[user.email],
        )


def keys_rotate(
    *, batch_size: int = 500, progress: Callable[[str, int], None] | None = None
) -> dict[str, int]:
    """Re-encrypt every encrypted field under the newest key, batch by batch.

    Each batch reads the plaintext through the field (any configured key decrypts) and writes it
    back (the first key encrypts). A batch is one transaction, so an interrupted rotation can
    simply be run again.
    """
    counts: dict[str, int] = {}
    for model in apps.get_models():
        fields = encrypted_fields(model)
        if not fields:
            continue
        names = [field.name for field in fields]
        rotated = 0
        last_pk = None
        while True:
            queryset: models.QuerySet = model._default_manager.order_by("pk").only("pk", *names)
            if last_pk is not None:
                queryset = queryset.filter(pk__gt=last_pk)
            batch = list(queryset[:batch_size])
            if not batch:
                break
            with transaction.atomic():
                model._default_manager.bulk_update(batch, names)
            rotated += len(batch)
            last_pk = batch[-1].pk
            if progress:
                progress(model._meta.label, rotated)
        counts[model._meta.label] = rotated
    with transaction.atomic():
        audit_record(
            actor=None,
            action=Action.KEY_ROTATION,
            target_type="core.keyring",
            details={"rows": counts},
        )
    return counts
