"""Writes owned by the referrals app. Each runs in one transaction with its audit event.

A referral is saved whole or not at all; the caller acknowledges it (thank-you page, reference
code) only after the service returns, that is after the transaction has committed. Urgent
referrals are announced to the area's handlers by a task enqueued on commit.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from signpost.core import access as core_access
from signpost.core.audit import audit_record
from signpost.core.crypto import blind_index
from signpost.core.models import Area, AuditEvent, Membership, Region, User
from signpost.core.roles import Role
from signpost.referrals import access as access_rules
from signpost.referrals import risk, selectors, taxonomy
from signpost.referrals.forms import clean_text, normalised_phone
from signpost.referrals.identifiers import identifiers_of
from signpost.referrals.models import (
    OPEN_STATUSES,
    AgeBand,
    ContactMethod,
    Referral,
    ReferralIdentifier,
    ReferralSource,
    ReferralStatus,
    WhoAtRisk,
    due_at_for,
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
    referral.due_at = due_at_for(referral.risk_band, referral.created_at)
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
        ReferralIdentifier.objects.bulk_create(identifiers_of(referral))
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
    default_slug = settings.SELF_REFERRAL_DEFAULT_REGION
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
    if landing_token is not None:
        referral.landing_token = landing_token
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


# --- Triage -----------------------------------------------------------------------------------


class ReferralUnavailable(ValidationError):
    """Another handler has taken the referral, or it is already decided."""


def _lock_expiry() -> timedelta:
    return timedelta(minutes=settings.REFERRAL_LOCK_MINUTES)


def _locked(referral: Referral) -> Referral:
    """The current row, locked until the transaction ends (select_for_update)."""
    return Referral.objects.select_for_update().get(pk=referral.pk)


def held_by_other(referral: Referral, user: User, now: datetime) -> bool:
    return (
        referral.handler_id is not None
        and referral.handler_id != user.pk
        and referral.locked_at is not None
        and referral.locked_at > now - _lock_expiry()
    )


def _check_may_triage(referral: Referral, user: User) -> None:
    if not access_rules.triage_referrals_for(user).filter(pk=referral.pk).exists():
        raise PermissionDenied


def _check_open_and_held(current: Referral, by: User, now: datetime) -> None:
    if not current.is_open:
        raise ReferralUnavailable(gettext_lazy("This referral has already been decided."))
    if held_by_other(current, by, now):
        raise ReferralUnavailable(
            gettext_lazy("%(name)s is handling this referral.") % {"name": current.handler}
        )


def referral_take(*, referral: Referral, by: User) -> Referral:
    """Take the referral: until decided (or the hold lapses) no other handler may act on it."""
    _check_may_triage(referral, by)
    with transaction.atomic():
        current = _locked(referral)
        now = timezone.now()
        _check_open_and_held(current, by, now)
        current.handler = by
        current.locked_at = now
        current.first_action_at = current.first_action_at or now
        current.save(update_fields=["handler", "locked_at", "first_action_at"])
        audit_record(actor=by, action=Action.UPDATE, target=current, details={"triage": "take"})
    return current


def _decide(
    referral: Referral, *, by: User, status: str | None, step: str, fields: dict[str, Any]
) -> Referral:
    """Lock, check the hold, apply the decision and audit it: all or nothing."""
    current = _locked(referral)
    now = timezone.now()
    _check_open_and_held(current, by, now)
    for name, value in fields.items():
        setattr(current, name, value)
    current.status = status or current.status
    current.handler = by
    current.locked_at = now
    current.first_action_at = current.first_action_at or now
    if current.status not in OPEN_STATUSES:
        current.decided_at = now
    current.save()
    audit_record(
        actor=by,
        action=Action.UPDATE,
        target=current,
        details={"triage": step, "status": current.status, **_audit_ids(fields)},
    )
    return current


def _audit_ids(fields: dict[str, Any]) -> dict[str, Any]:
    """Ids of related objects only: never the free text."""
    return {f"{name}_id": value.pk for name, value in fields.items() if hasattr(value, "_meta")}


def _check_investigator(investigator: User, referral: Referral) -> None:
    if referral.region_id not in core_access.region_ids_for(investigator, Role.INVESTIGATOR):
        raise _invalid("investigator", gettext_lazy("Choose an investigator from the list."))


def referral_accept(
    *,
    referral: Referral,
    lead_investigator: User,
    by: User,
    exploitation_types: list[str] | None = None,
) -> Referral:
    """Accept as a new case, led by the chosen investigator (the case is opened by the cases
    app's case_open_from_referral in the same transaction)."""
    from signpost.cases.services import case_open_from_referral

    _check_may_triage(referral, by)
    _check_investigator(lead_investigator, referral)
    with transaction.atomic():
        current = _locked(referral)
        _check_open_and_held(current, by, timezone.now())
        case = case_open_from_referral(
            referral=current,
            lead_investigator=lead_investigator,
            by=by,
            exploitation_types=exploitation_types,
        )
        return _decide(
            current,
            by=by,
            status=ReferralStatus.ACCEPTED,
            step="accept",
            fields={"case": case, "assigned_investigator": lead_investigator},
        )


def referral_link(*, referral: Referral, case: Any, by: User) -> Referral:
    """Add the referral to an existing case in the same region."""
    _check_may_triage(referral, by)
    if case.region_id != referral.region_id:
        raise _invalid("case", gettext_lazy("Choose a case in this referral's region."))
    with transaction.atomic():
        return _decide(
            referral,
            by=by,
            status=ReferralStatus.LINKED,
            step="link",
            fields={"case": case, "assigned_investigator": case.lead_investigator},
        )


def referral_route(*, referral: Referral, investigator: User, by: User) -> Referral:
    """Choose (or, for a lead, override) the investigator without deciding yet."""
    _check_may_triage(referral, by)
    _check_investigator(investigator, referral)
    with transaction.atomic():
        return _decide(
            referral,
            by=by,
            status=None,
            step="route",
            fields={"assigned_investigator": investigator},
        )


def referral_info_request(*, referral: Referral, question: str, by: User) -> Referral:
    """Ask the referring partner for more: they see the question in their list."""
    _check_may_triage(referral, by)
    question = clean_text(question)
    if not question or len(question) > 1000:
        raise _invalid("question", gettext_lazy("Write a question of up to 1000 characters."))
    if referral.source != ReferralSource.PARTNER:
        raise _invalid("question", gettext_lazy("Only a partner referral can be asked about."))
    with transaction.atomic():
        return _decide(
            referral,
            by=by,
            status=ReferralStatus.INFO_REQUESTED,
            step="info_request",
            fields={
                "info_request": question,
                "info_requested_at": timezone.now(),
                "info_response": None,
                "info_responded_at": None,
            },
        )


def referral_info_respond(*, referral: Referral, answer: str, by: User) -> Referral:
    """The referring volunteer (or their coordinator) answers the charity's question."""
    if not access_rules.submissions_for(by).filter(pk=referral.pk).exists():
        raise PermissionDenied
    answer = clean_text(answer)
    if not answer or len(answer) > 2000:
        raise _invalid("answer", gettext_lazy("Write an answer of up to 2000 characters."))
    with transaction.atomic():
        current = _locked(referral)
        if current.status != ReferralStatus.INFO_REQUESTED:
            raise ReferralUnavailable(gettext_lazy("No question is waiting for an answer."))
        current.info_response = answer
        current.info_responded_at = timezone.now()
        current.status = ReferralStatus.NEW
        current.save(update_fields=["info_response", "info_responded_at", "status"])
        audit_record(
            actor=by, action=Action.UPDATE, target=current, details={"triage": "info_response"}
        )
    return current


def referral_decline(*, referral: Referral, reason: str, by: User) -> Referral:
    _check_may_triage(referral, by)
    reason = clean_text(reason)
    if not reason or len(reason) > 1000:
        raise _invalid("reason", gettext_lazy("Give a reason of up to 1000 characters."))
    with transaction.atomic():
        return _decide(
            referral,
            by=by,
            status=ReferralStatus.DECLINED,
            step="decline",
            fields={"decline_reason": reason},
        )


# --- Escalation of overdue referrals ----------------------------------------------------------


def escalation_recipients(referral: Referral) -> list[User]:
    """The leads covering the referral's area; if none cover it, all the region's leads."""
    leads = Membership.objects.filter(
        role=Role.LEAD,
        is_active=True,
        user__is_active=True,
        organisation__region_id=referral.region_id,
    )
    user_ids = set()
    if referral.area_id is not None:
        user_ids = set(leads.filter(areas=referral.area_id).values_list("user_id", flat=True))
    if not user_ids:
        user_ids = set(leads.values_list("user_id", flat=True))
    return list(User.objects.filter(pk__in=user_ids).order_by("pk"))


def referrals_escalate_overdue(*, now: datetime | None = None) -> int:
    """Email the area's lead about each overdue open referral, once per referral."""
    now = now or timezone.now()
    escalated = 0
    candidates = Referral.objects.filter(
        status__in=OPEN_STATUSES, due_at__lt=now, escalated_at__isnull=True
    ).values_list("pk", flat=True)
    for referral_id in list(candidates[:500]):
        with transaction.atomic():
            referral = (
                Referral.objects.select_for_update(of=("self",))
                .select_related("area", "region")
                .filter(pk=referral_id, escalated_at__isnull=True)
                .first()
            )
            if referral is None:
                continue  # another worker escalated it meanwhile
            recipients = escalation_recipients(referral)
            referral.escalated_at = now
            referral.save(update_fields=["escalated_at"])
            audit_record(
                actor=None,
                action=Action.UPDATE,
                target=referral,
                details={"escalated": len(recipients)},
            )
            _send_escalation(referral, recipients)
        escalated += 1
    return escalated


def _send_escalation(referral: Referral, recipients: list[User]) -> None:
    link = settings.SITE_URL + reverse("referrals:detail", args=[referral.pk])
    for user in recipients:
        with translation.override(user.language):
            due = timezone.localtime(referral.due_at).strftime("%d/%m/%Y %H:%M")
            send_mail(
                subject=_("Overdue referral %(reference)s") % {"reference": referral.reference},
                message=_(
                    "Referral %(reference)s (%(band)s) for %(area)s was due for action by "
                    "%(due)s and has not been decided.\n\nOpen it in Signpost: %(link)s"
                )
                % {
                    "reference": referral.reference,
                    "band": referral.get_risk_band_display(),
                    "area": referral.area.name if referral.area else referral.region.name,
                    "due": due,
                    "link": link,
                },
                from_email=None,
                recipient_list=[user.email],
            )
