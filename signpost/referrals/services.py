"""Writes owned by the referrals app. Each runs in one transaction with its audit event.

A referral is saved whole or not at all; the caller acknowledges it (thank-you page, reference
code) only after the service returns, that is after the transaction has committed. Urgent
referrals are announced to the area's handlers by a task enqueued on commit.
"""

from __future__ import annotations

import re
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from signpost.core.audit import audit_record
from signpost.core.crypto import blind_index
from signpost.core.models import Area, AuditEvent, Membership, Region, User
from signpost.core.roles import Role
from signpost.referrals import risk, selectors, taxonomy
from signpost.referrals.forms import clean_text, normalised_phone
from signpost.referrals.models import (
    AgeBand,
    ContactMethod,
    Referral,
    ReferralSource,
    WhoAtRisk,
    new_reference,
)

Action = AuditEvent.Action
_LANGUAGE_CODE = re.compile(r"^[a-z]{2,3}$")
_COUNTRY_CODE = re.compile(r"^[A-Z]{2}$")
_TEXT_FIELDS = {
    "what_is_happening": 2000,
    "person_description": 1000,
    "place_description": 500,
    "safe_times": 200,
    "referrer_details": 500,
}


def _invalid(field: str, message: Any) -> ValidationError:
    return ValidationError({field: [message]})


def _text(data: dict[str, Any], name: str) -> str | None:
    value = clean_text(str(data.get(name) or ""))
    if len(value) > _TEXT_FIELDS[name]:
        raise _invalid(name, gettext_lazy("This text is too long."))
    return value or None


def _codes(values: Any, pattern: re.Pattern[str], field: str) -> list[str]:
    codes = list(dict.fromkeys(str(value) for value in (values or [])))
    if len(codes) > 30 or any(not pattern.match(code) for code in codes):
        raise _invalid(field, gettext_lazy("Choose from the list."))
    return codes


def _indicator_codes(values: Any) -> list[str]:
    codes = list(dict.fromkeys(str(value) for value in (values or [])))
    known = {item.code for item in taxonomy.indicators("referral")}
    if any(code not in known for code in codes):
        raise _invalid("indicators", gettext_lazy("Choose signs from the list."))
    return codes


def _contact(data: dict[str, Any]) -> tuple[str, str | None, str, str]:
    """Method, value (E.164 phone or email), and the phone and email blind indexes."""
    method = str(data.get("contact_method") or ContactMethod.NONE)
    if method not in ContactMethod.values:
        raise _invalid("contact_method", gettext_lazy("Choose how to make contact."))
    value = clean_text(str(data.get("contact_value") or ""))
    if method in (ContactMethod.PHONE, ContactMethod.WHATSAPP):
        if not value:
            raise _invalid("contact_value", gettext_lazy("Enter the phone number to use."))
        value = normalised_phone(value)
        return method, value, blind_index("phone", value), ""
    if method == ContactMethod.EMAIL:
        if not value or len(value) > 254:
            raise _invalid("contact_value", gettext_lazy("Enter the email address to use."))
        validate_email(value)
        return method, value, "", blind_index("email", value)
    return method, None, "", ""


def _location(data: dict[str, Any]) -> dict[str, float] | None:
    latitude, longitude = data.get("latitude"), data.get("longitude")
    if latitude is None or longitude is None:
        return None
    try:
        lat, lng = float(latitude), float(longitude)
    except (TypeError, ValueError) as error:
        raise _invalid("place_description", gettext_lazy("The location is not valid.")) from error
    if not (-90 <= lat <= 90 and -180 <= lng <= 180):
        raise _invalid("place_description", gettext_lazy("The location is not valid."))
    return {"lat": round(lat, 6), "lng": round(lng, 6)}


def _build(
    data: dict[str, Any],
    *,
    source: str,
    region: Region,
    area: Area | None,
    **attributes: Any,
) -> Referral:
    """A validated, unsaved referral with its risk assessed."""
    age_band = str(data.get("age_band") or AgeBand.UNKNOWN)
    danger_now = bool(data.get("danger_now"))
    possible_child = bool(data.get("possible_child")) or age_band == AgeBand.UNDER_18
    indicators = _indicator_codes(data.get("indicators"))
    assessment = risk.assess(
        indicators=indicators, danger_now=danger_now, possible_child=possible_child
    )
    method, value, phone_index, email_index = _contact(data)
    referral = Referral(
        reference=new_reference(),
        source=source,
        region=region,
        area=area,
        danger_now=danger_now,
        possible_child=possible_child,
        urgent=assessment.urgent,
        who_at_risk=str(data.get("who_at_risk") or ""),
        indicators=indicators,
        age_band=age_band,
        languages=_codes(data.get("languages"), _LANGUAGE_CODE, "languages"),
        nationality=str(data.get("nationality") or ""),
        contact_consent=str(data.get("contact_consent") or ""),
        contact_method=method,
        contact_language=str(data.get("contact_language") or ""),
        contact_value=value,
        safe_times=_text(data, "safe_times"),
        what_is_happening=_text(data, "what_is_happening"),
        person_description=_text(data, "person_description"),
        place_description=_text(data, "place_description"),
        referrer_details=_text(data, "referrer_details"),
        location=_location(data),  # type: ignore[misc]
        phone_index=phone_index,
        email_index=email_index,
        risk_score=assessment.score,
        risk_band=assessment.band,
        occurred_at=data.get("occurred_at") or None,
        **attributes,
    )
    if referral.nationality and not _COUNTRY_CODE.match(referral.nationality):
        raise _invalid("nationality", gettext_lazy("Choose from the list."))
    if referral.contact_language and not _LANGUAGE_CODE.match(referral.contact_language):
        raise _invalid("contact_language", gettext_lazy("Choose from the list."))
    referral.full_clean(exclude=["reference", "phone_index", "email_index"])
    return referral


def _save_with_audit(referral: Referral, *, by: User | None) -> Referral:
    with transaction.atomic():
        while Referral.objects.filter(reference=referral.reference).exists():
            referral.reference = new_reference()
        referral.save()
        audit_record(
            actor=by,
            action=Action.CREATE,
            target=referral,
            details={
                "source": referral.source,
                "urgent": referral.urgent,
                "risk_band": referral.risk_band,
                "indicators": len(referral.indicators),
            },
        )
        if referral.urgent:
            from signpost.referrals.tasks import notify_urgent_referral

            referral_id = referral.pk
            transaction.on_commit(lambda: notify_urgent_referral.enqueue(referral_id=referral_id))
    return referral


def _self_referral_region(
    *, area: Area | None, town: str, landing_token: Any
) -> tuple[Region, Area | None]:
    if area is not None:
        return area.region, area
    if town:
        named = Area.objects.select_related("region").filter(name__iexact=town).first()
        if named is not None:
            return named.region, named
    token_region = getattr(landing_token, "region", None)
    if isinstance(token_region, Region):
        return token_region, None
    default_slug = getattr(settings, "SELF_REFERRAL_DEFAULT_REGION", "")
    region = (
        Region.objects.filter(slug=default_slug).first() if default_slug else None
    ) or Region.objects.order_by("pk").first()
    if region is None:
        raise ValidationError(gettext_lazy("Signpost has no region to receive referrals yet."))
    return region, None


def referral_submit_self(*, data: dict[str, Any], landing_token: Any = None) -> Referral:
    """A referral from the public form: by the person at risk ("self") or someone else."""
    area = data.get("area")
    if area is not None and not isinstance(area, Area):
        area = Area.objects.filter(pk=area).first()
    town = clean_text(str(data.get("town") or ""))[:200]
    region, area = _self_referral_region(area=area, town=town, landing_token=landing_token)
    source = (
        ReferralSource.SELF if data.get("who_at_risk") == WhoAtRisk.ME else ReferralSource.PUBLIC
    )
    if town and area is None:
        # An unknown town is kept as the place, so a handler can still route it.
        data = {**data, "place_description": town}
    referral = _build(data, source=source, region=region, area=area)
    if landing_token is not None and hasattr(Referral, "landing_token"):
        referral.landing_token = landing_token  # type: ignore[attr-defined]
    return _save_with_audit(referral, by=None)


def _area_for(data: dict[str, Any], *, by: User, role: str) -> Area:
    area = data.get("area")
    area_id = area.pk if isinstance(area, Area) else area
    allowed = {candidate.pk: candidate for candidate in selectors.referral_areas_for(by, role)}
    try:
        return allowed[int(area_id)]  # type: ignore[arg-type]
    except (KeyError, TypeError, ValueError) as error:
        raise _invalid("area", gettext_lazy("Choose an area from the list.")) from error


def referral_submit_partner(*, data: dict[str, Any], by: User) -> Referral:
    """A volunteer's referral for their partner organisation."""
    area = _area_for(data, by=by, role=Role.VOLUNTEER)
    membership = next(
        (
            membership
            for membership in selectors.active_memberships(by)
            if membership.role == Role.VOLUNTEER
            and membership.organisation.region_id == area.region_id
        ),
        None,
    )
    if membership is None:
        raise PermissionDenied
    referral = _build(
        data,
        source=ReferralSource.PARTNER,
        region=area.region,
        area=area,
        submitted_by=by,
        partner_organisation=membership.organisation,
    )
    return _save_with_audit(referral, by=by)


def referral_submit_agency(*, data: dict[str, Any], by: User) -> Referral:
    """A referral keyed by a handler (or lead), e.g. from a phone call by another agency."""
    area = _area_for(data, by=by, role=Role.HANDLER)
    referral = _build(
        data, source=ReferralSource.AGENCY, region=area.region, area=area, submitted_by=by
    )
    return _save_with_audit(referral, by=by)


# --- Urgent notification ----------------------------------------------------------------------


def urgent_recipients(referral: Referral) -> list[User]:
    """The handlers covering the referral's area; if there are none, the region's leads."""
    active = Membership.objects.filter(
        is_active=True, user__is_active=True, organisation__region_id=referral.region_id
    )
    handlers = active.filter(role=Role.HANDLER)
    if referral.area_id is not None:
        handlers = handlers.filter(areas=referral.area_id)
    user_ids = set(handlers.values_list("user_id", flat=True))
    if not user_ids:
        user_ids = set(active.filter(role=Role.LEAD).values_list("user_id", flat=True))
    return list(User.objects.filter(pk__in=user_ids).order_by("pk"))


def referral_urgent_notify(*, referral_id: int) -> int:
    """Email the people who must act now. No personal data in the email: a link and the reasons."""
    referral = Referral.objects.select_related("area", "region").get(pk=referral_id)
    recipients = urgent_recipients(referral)
    link = settings.SITE_URL + reverse("referrals:detail", args=[referral.pk])
    for user in recipients:
        with translation.override(user.language):
            reasons = risk.assess(
                indicators=referral.indicators,
                danger_now=referral.danger_now,
                possible_child=referral.possible_child,
            ).reasons
            body = _(
                "An urgent referral %(reference)s has come in for %(area)s.\n\n"
                "%(reasons)s\n\nOpen it in Signpost: %(link)s"
            ) % {
                "reference": referral.reference,
                "area": referral.area.name if referral.area else referral.region.name,
                "reasons": " ".join(str(reason) for reason in reasons),
                "link": link,
            }
            send_mail(
                subject=_("Urgent referral %(reference)s") % {"reference": referral.reference},
                message=body,
                from_email=None,
                recipient_list=[user.email],
            )
    with transaction.atomic():
        audit_record(
            actor=None,
            action=Action.UPDATE,
            target=referral,
            details={"notified": len(recipients), "reason": "urgent"},
        )
    return len(recipients)
