"""Every write to case files. Each runs in one transaction with its audit event.

Rules are enforced here (raising ValidationError with a translated message), so that forms,
the triage of the referrals app, seed scripts and future APIs all obey them.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from signpost.cases.access import cases_with_full_access
from signpost.cases.models import (
    ALLOWED_TRANSITIONS,
    Case,
    CaseReferenceCounter,
    CaseStatus,
    ClosureOutcome,
    ExploitationType,
    Identifier,
    IdentifierKind,
    NrmConsent,
    NrmDecision,
    NrmReferral,
    NrmRoute,
    Person,
    PersonRole,
    Place,
    PlaceKind,
    SafeguardingAction,
    SupportReferral,
    Task,
    TimelineEntry,
    TimelineEntryKind,
)
from signpost.core import access, crypto
from signpost.core.audit import audit_record
from signpost.core.models import Area, AuditEvent, Organisation, Region, User
from signpost.core.roles import Role

Action = AuditEvent.Action

MESSAGES = {
    "area_region": _("The area must be in the case's region."),
    "no_area": _("Choose the area before opening a case from this referral."),
    "lead_not_investigator": _(
        "The lead investigator must be an investigator or team lead in the case's region."
    ),
    "exploitation_types": _("Choose at least one type of exploitation from the list."),
    "transition": _("A case cannot move from “%(current)s” to “%(new)s”."),
    "closed": _("This case is closed. A team lead must reopen it before it can change."),
    "closure_pending": _("Closure has already been requested for this case."),
    "closure_not_requested": _("Nobody has asked to close this case."),
    "closure_outcome": _("Choose the outcome of the case."),
    "closure_same_person": _(
        "Closure must be approved by a team lead other than the person who asked for it."
    ),
    "not_region_lead": _("Only a team lead for the case's region can do this."),
    "identifier_empty": _("Enter the identifier."),
    "identifier_duplicate": _("This case already has that identifier."),
    "phone_invalid": _("Enter a phone number, like 07700 900 982 or +40 712 345 678."),
    "email_invalid": _("Enter an email address, like name@example.com."),
    "person_other_case": _("The person must belong to this case."),
    "name_required": _("Enter a name, or a description such as “unknown woman, about 20”."),
    "dob_future": _("The date of birth must be in the past."),
    "age_range": _("Enter an estimated age between 0 and 120."),
    "dob_and_age": _("Enter a date of birth or an estimated age, not both."),
    "coordinates": _("Enter both latitude and longitude, or neither."),
    "text_required": _("Enter the text of the note."),
    "assignee": _("Tasks can only be assigned to someone who works on this case."),
    "provider": _("Choose a support provider in the case's region."),
    "nrm_victim_only": _("NRM and Duty to Notify records are for potential victims only."),
    "nrm_exists": _("This person already has an NRM or Duty to Notify record."),
    "nrm_age_unknown": _(
        "Record the person's date of birth or estimated age, or say whether they are under 18."
    ),
    "nrm_consent_adult": _(
        "For an adult, record whether they gave informed consent to an NRM referral."
    ),
    "nrm_route_adult_refused": _(
        "Without the adult's informed consent, only an anonymous Duty to Notify can be made."
    ),
    "nrm_first_responder": _("Choose a first responder organisation in the case's region."),
    "nrm_submitted_future": _("The date of submission cannot be in the future."),
    "nrm_not_submitted": _("Record the submission before a decision."),
    "nrm_duty_to_notify_decision": _(
        "A Duty to Notify is not an NRM referral: there are no decisions to record."
    ),
    "nrm_decision_before_submission": _(
        "A decision cannot be dated before the referral was submitted."
    ),
    "nrm_decision_future": _("A decision cannot be dated in the future."),
    "nrm_recovery_needs_positive_rg": _(
        "The recovery period follows a positive Reasonable Grounds decision only."
    ),
    "nrm_recovery_too_short": _(
        "The recovery period lasts at least 30 days after the Reasonable Grounds decision: "
        "it cannot end before %(earliest)s."
    ),
    "nrm_cg_needs_positive_rg": _(
        "A Conclusive Grounds decision follows a positive Reasonable Grounds decision."
    ),
    "nrm_cg_before_recovery": _(
        "A Conclusive Grounds decision cannot come before the 30-day recovery period has "
        "passed (%(end)s)."
    ),
}


def _error(key: str, **params: Any) -> ValidationError:
    return ValidationError(MESSAGES[key], code=key, params=params or None)


def _field_error(field: str, key: str, **params: Any) -> ValidationError:
    return ValidationError({field: ValidationError(MESSAGES[key], code=key, params=params or None)})


# --- Opening a case -------------------------------------------------------------------------


def _next_reference(year: int) -> tuple[int, str]:
    """The next number of the year. The counter row is locked until the transaction ends."""
    updated = CaseReferenceCounter.objects.filter(year=year).update(last_value=F("last_value") + 1)
    if not updated:
        try:
            with transaction.atomic():
                CaseReferenceCounter.objects.create(year=year, last_value=1)
        except IntegrityError:
            # Another transaction created the year's counter first: take the next number.
            CaseReferenceCounter.objects.filter(year=year).update(last_value=F("last_value") + 1)
    number = CaseReferenceCounter.objects.get(year=year).last_value
    return number, format_reference(year, number)


def reserve_reference_block(*, year: int, count: int) -> int:
    """Reserve `count` consecutive numbers of the year (for bulk loading); the first is returned.

    Call inside a transaction: the counter row stays locked until it ends.
    """
    if count < 1:
        raise ValueError("count must be positive")
    _counter, _created = CaseReferenceCounter.objects.get_or_create(year=year)
    CaseReferenceCounter.objects.filter(year=year).update(last_value=F("last_value") + count)
    return CaseReferenceCounter.objects.get(year=year).last_value - count + 1


def format_reference(year: int, number: int) -> str:
    return f"SP-{year}-{number:05d}"


def _team_for(user: User, region: Region) -> Any:
    for membership in access.memberships_with(user, Role.INVESTIGATOR, Role.LEAD):
        if membership.organisation.region_id == region.pk and membership.team_id is not None:
            return membership.team
    return None


def _check_exploitation_types(values: Iterable[str]) -> list[str]:
    chosen = list(dict.fromkeys(values))
    if not chosen or any(value not in ExploitationType.values for value in chosen):
        raise _field_error("exploitation_types", "exploitation_types")
    return chosen


def _check_lead_investigator(user: User, region: Region) -> None:
    regions = access.region_ids_for(user, Role.INVESTIGATOR, Role.LEAD)
    if region.pk not in regions:
        raise _field_error("lead_investigator", "lead_not_investigator")


def case_open(
    *,
    region: Region,
    area: Area,
    lead_investigator: User,
    exploitation_types: Iterable[str],
    by: User,
    summary: str = "",
    handlers: Iterable[User] = (),
    audit_details: dict[str, Any] | None = None,
) -> Case:
    if area.region_id != region.pk:
        raise _field_error("area", "area_region")
    _check_lead_investigator(lead_investigator, region)
    types = _check_exploitation_types(exploitation_types)
    with transaction.atomic():
        year = timezone.localdate().year
        number, reference = _next_reference(year)
        case = Case.objects.create(
            reference=reference,
            reference_year=year,
            reference_number=number,
            region=region,
            area=area,
            lead_investigator=lead_investigator,
            team=_team_for(lead_investigator, region),
            exploitation_types=types,
            summary=summary,
            created_by=by,
        )
        handler_list = list(handlers)
        if handler_list:
            case.handlers.add(*handler_list)
        audit_record(
            actor=by,
            action=Action.CREATE,
            target=case,
            details={"exploitation_types": types, **(audit_details or {})},
        )
    return case


def case_open_from_referral(
    *,
    referral: Any,
    lead_investigator: User,
    by: User,
    area: Area | None = None,
    exploitation_types: Iterable[str] | None = None,
) -> Case:
    """A new case for an accepted referral: its region and area, the deciding handler assigned.

    The referrals app records the link on its side (Referral.case) in its own service; call this
    inside that service's transaction so that both happen or neither.
    """
    area = area or getattr(referral, "area", None)
    if area is None:
        raise _field_error("area", "no_area")
    region = getattr(referral, "region", None) or area.region
    handlers = [by] if access.has_role(by, Role.HANDLER) else []
    return case_open(
        region=region,
        area=area,
        lead_investigator=lead_investigator,
        exploitation_types=exploitation_types or [ExploitationType.UNKNOWN],
        by=by,
        handlers=handlers,
        audit_details={"referral_id": referral.pk},
    )


# --- Status and closure -----------------------------------------------------------------------


def _locked(case: Case) -> Case:
    return Case.objects.select_for_update().get(pk=case.pk)


def _check_open(case: Case) -> None:
    if case.status == CaseStatus.CLOSED:
        raise _error("closed")


def _check_region_lead(user: User, case: Case) -> None:
    if case.region_id not in access.region_ids_for(user, Role.LEAD):
        raise _error("not_region_lead")


def case_status_change(*, case: Case, status: str, by: User) -> Case:
    with transaction.atomic():
        current = _locked(case)
        _check_open(current)
        if status not in ALLOWED_TRANSITIONS.get(current.status, frozenset()):
            raise _field_error(
                "status",
                "transition",
                current=current.get_status_display(),
                new=dict(CaseStatus.choices).get(status, status),
            )
        previous = current.status
        current.status = status
        current.save(update_fields=["status", "updated_at"])
        audit_record(
            actor=by,
            action=Action.UPDATE,
            target=current,
            details={"field": "status", "from": previous, "to": status},
        )
    return current


def case_exploitation_types_set(*, case: Case, exploitation_types: Iterable[str], by: User) -> Case:
    types = _check_exploitation_types(exploitation_types)
    with transaction.atomic():
        current = _locked(case)
        _check_open(current)
        current.exploitation_types = types
        current.save(update_fields=["exploitation_types", "updated_at"])
        audit_record(
            actor=by,
            action=Action.UPDATE,
            target=current,
            details={"field": "exploitation_types", "to": types},
        )
    return current


def case_closure_request(*, case: Case, outcome: str, reason: str, by: User) -> Case:
    if outcome not in ClosureOutcome.values:
        raise _field_error("outcome", "closure_outcome")
    with transaction.atomic():
        current = _locked(case)
        _check_open(current)
        if current.closure_requested_at is not None:
            raise _error("closure_pending")
        current.closure_requested_by = by
        current.closure_requested_at = timezone.now()
        current.closure_outcome = outcome
        current.closure_reason = reason.strip()
        current.save(
            update_fields=[
                "closure_requested_by",
                "closure_requested_at",
                "closure_outcome",
                "closure_reason",
                "updated_at",
            ]
        )
        audit_record(
            actor=by,
            action=Action.UPDATE,
            target=current,
            details={"field": "closure", "step": "requested", "outcome": outcome},
        )
    return current


def case_closure_approve(*, case: Case, by: User) -> Case:
    with transaction.atomic():
        current = _locked(case)
        _check_open(current)
        if current.closure_requested_at is None:
            raise _error("closure_not_requested")
        _check_region_lead(by, current)
        if current.closure_requested_by_id == by.pk:
            raise _error("closure_same_person")
        current.status = CaseStatus.CLOSED
        current.closure_approved_by = by
        current.closed_at = timezone.now()
        current.save(update_fields=["status", "closure_approved_by", "closed_at", "updated_at"])
        audit_record(
            actor=by,
            action=Action.UPDATE,
            target=current,
            details={"field": "closure", "step": "approved", "outcome": current.closure_outcome},
        )
    return current


def case_closure_decline(*, case: Case, by: User) -> Case:
    """A lead sends the case back: the request is withdrawn and work goes on."""
    with transaction.atomic():
        current = _locked(case)
        _check_open(current)
        if current.closure_requested_at is None:
            raise _error("closure_not_requested")
        _check_region_lead(by, current)
        current.closure_requested_by = None
        current.closure_requested_at = None
        current.closure_outcome = ""
        current.closure_reason = ""
        current.save(
            update_fields=[
                "closure_requested_by",
                "closure_requested_at",
                "closure_outcome",
                "closure_reason",
                "updated_at",
            ]
        )
        audit_record(
            actor=by,
            action=Action.UPDATE,
            target=current,
            details={"field": "closure", "step": "declined"},
        )
    return current


def case_reopen(*, case: Case, by: User) -> Case:
    with transaction.atomic():
        current = _locked(case)
        _check_region_lead(by, current)
        if current.status != CaseStatus.CLOSED:
            raise _field_error(
                "status",
                "transition",
                current=current.get_status_display(),
                new=CaseStatus.ACTIVE.label,
            )
        current.status = CaseStatus.ACTIVE
        for field in ("closure_requested_by", "closure_approved_by", "closure_requested_at"):
            setattr(current, field, None)
        current.closed_at = None
        current.closure_outcome = ""
        current.closure_reason = ""
        current.save()
        audit_record(
            actor=by,
            action=Action.UPDATE,
            target=current,
            details={"field": "status", "from": CaseStatus.CLOSED, "to": CaseStatus.ACTIVE},
        )
    return current


def case_handler_assign(*, case: Case, handler: User, by: User) -> Case:
    if case.region_id not in access.region_ids_for(handler, Role.HANDLER):
        raise ValidationError(
            _("Only an intake handler in the case's region can be assigned."), code="handler"
        )
    if case.handlers.filter(pk=handler.pk).exists():
        raise ValidationError(
            _("%(name)s is already assigned.") % {"name": handler}, code="handler"
        )
    with transaction.atomic():
        case.handlers.add(handler)
        audit_record(
            actor=by,
            action=Action.UPDATE,
            target=case,
            details={"field": "handlers", "added": handler.pk},
        )
    return case


def case_handler_unassign(*, case: Case, handler: User, by: User) -> Case:
    """The handler stops seeing the case (their earlier work on it stays on the record)."""
    with transaction.atomic():
        case.handlers.remove(handler)
        audit_record(
            actor=by,
            action=Action.UPDATE,
            target=case,
            details={"field": "handlers", "removed": handler.pk},
        )
    return case


# --- People, identifiers, places ----------------------------------------------------------------


def _check_person_in_case(person: Person | None, case: Case) -> None:
    if person is not None and person.case_id != case.pk:
        raise _field_error("person", "person_other_case")


def _person_values(
    *,
    role: str,
    full_name: str,
    aliases: Iterable[str],
    date_of_birth: datetime.date | None,
    estimated_age: int | None,
    nationality: str,
    languages: Iterable[str],
    description: str,
    contact_details: str,
) -> dict[str, Any]:
    """A person's fields as stored, with the rules every way of writing them shares."""
    full_name = full_name.strip()
    if not full_name:
        raise _field_error("full_name", "name_required")
    if role not in PersonRole.values:
        raise ValidationError({"role": _("Choose the person's role in the case.")})
    if date_of_birth is not None and estimated_age is not None:
        raise _field_error("estimated_age", "dob_and_age")
    if date_of_birth is not None and date_of_birth >= timezone.localdate():
        raise _field_error("date_of_birth", "dob_future")
    if estimated_age is not None and not 0 <= estimated_age <= 120:
        raise _field_error("estimated_age", "age_range")
    return {
        "role": role,
        "full_name": full_name,
        "aliases": [alias.strip() for alias in aliases if alias.strip()],
        "date_of_birth": date_of_birth.isoformat() if date_of_birth else None,
        "estimated_age": estimated_age,
        "nationality": nationality.strip(),
        "languages": [language.strip() for language in languages if language.strip()],
        "description": description.strip(),
        "contact_details": contact_details.strip(),
        "name_index": crypto.blind_index("name", full_name),
    }


def person_add(
    *,
    case: Case,
    role: str,
    full_name: str,
    by: User,
    aliases: Iterable[str] = (),
    date_of_birth: datetime.date | None = None,
    estimated_age: int | None = None,
    nationality: str = "",
    languages: Iterable[str] = (),
    description: str = "",
    contact_details: str = "",
) -> Person:
    _check_open(case)
    values = _person_values(
        role=role,
        full_name=full_name,
        aliases=aliases,
        date_of_birth=date_of_birth,
        estimated_age=estimated_age,
        nationality=nationality,
        languages=languages,
        description=description,
        contact_details=contact_details,
    )
    with transaction.atomic():
        person = Person.objects.create(case=case, created_by=by, **values)
        audit_record(
            actor=by,
            action=Action.CREATE,
            target=person,
            region=case.region,
            details={"case_id": case.pk, "role": role},
        )
    return person


def person_update(
    *,
    person: Person,
    role: str,
    full_name: str,
    by: User,
    aliases: Iterable[str] = (),
    date_of_birth: datetime.date | None = None,
    estimated_age: int | None = None,
    nationality: str = "",
    languages: Iterable[str] = (),
    description: str = "",
    contact_details: str = "",
) -> Person:
    """Correct a person's details; the audit event names the fields changed, not their values."""
    _check_open(person.case)
    values = _person_values(
        role=role,
        full_name=full_name,
        aliases=aliases,
        date_of_birth=date_of_birth,
        estimated_age=estimated_age,
        nationality=nationality,
        languages=languages,
        description=description,
        contact_details=contact_details,
    )
    _save_corrections(person, values, by=by)
    return person


def _save_corrections(row: Person | Place, values: dict[str, Any], *, by: User) -> None:
    """Write the fields of a case's row whose value differs, with one audit event naming the
    fields a user can see changed (never their values)."""
    changed = sorted(name for name, value in values.items() if getattr(row, name) != value)
    if not changed:
        return
    with transaction.atomic():
        for name in changed:
            setattr(row, name, values[name])
        row.full_clean(exclude=["case", "person", "created_by"])
        row.save(update_fields=changed)
        audit_record(
            actor=by,
            action=Action.UPDATE,
            target=row,
            region=row.case.region,
            details={
                "case_id": row.case_id,
                "fields": [name for name in changed if row._meta.get_field(name).editable],
            },
        )


def normalise_identifier_value(kind: str, value: str) -> str:
    """What is stored: phones in E.164 (UK by default), emails and handles lower case."""
    value = value.strip()
    if not value:
        raise _field_error("value", "identifier_empty")
    if kind == IdentifierKind.PHONE:
        normalised = crypto.normalise_phone(value)
        if not normalised.startswith("+"):
            raise _field_error("value", "phone_invalid")
        return normalised
    if kind == IdentifierKind.EMAIL:
        local, _at, domain = value.partition("@")
        if not local or "." not in domain or " " in value:
            raise _field_error("value", "email_invalid")
        return value.lower()
    if kind == IdentifierKind.HANDLE:
        return value if value.startswith("@") else f"@{value}"
    if kind in (IdentifierKind.VEHICLE, IdentifierKind.DOCUMENT):
        return value.upper()
    raise ValidationError({"kind": _("Choose the kind of identifier.")})


def identifier_add(
    *, case: Case, kind: str, value: str, by: User, person: Person | None = None
) -> Identifier:
    _check_open(case)
    _check_person_in_case(person, case)
    stored = normalise_identifier_value(kind, value)
    index = crypto.blind_index(kind, stored)
    if Identifier.objects.filter(case=case, value_index=index).exists():
        raise _field_error("value", "identifier_duplicate")
    with transaction.atomic():
        identifier = Identifier.objects.create(
            case=case, person=person, kind=kind, value=stored, value_index=index, created_by=by
        )
        audit_record(
            actor=by,
            action=Action.CREATE,
            target=identifier,
            region=case.region,
            details={"case_id": case.pk, "kind": kind},
        )
        # Adverts seen before the case knew this identifier raise their alerts now.
        from signpost.adverts.services import alerts_for_case_identifiers

        alerts_for_case_identifiers(indexes=[index], by=by)
    return identifier


def identifier_remove(*, identifier: Identifier, by: User) -> None:
    """Take back an identifier entered by mistake; it stops linking the case at once. The
    audit event keeps its kind and blind index (not its value), so the correction is traceable.
    """
    case = identifier.case
    _check_open(case)
    with transaction.atomic():
        audit_record(
            actor=by,
            action=Action.DELETE,
            target=identifier,
            region=case.region,
            details={
                "case_id": case.pk,
                "kind": identifier.kind,
                "value_index": identifier.value_index,
            },
        )
        identifier.delete()


def normalise_postcode(value: str) -> str:
    compact = "".join(value.split()).upper()
    if len(compact) > 3:
        return f"{compact[:-3]} {compact[-3:]}"
    return compact


def _place_values(
    *, kind: str, address: str, postcode: str, latitude: Any, longitude: Any
) -> dict[str, Any]:
    if kind not in PlaceKind.values:
        raise ValidationError({"kind": _("Choose the kind of place.")})
    if not address.strip():
        raise ValidationError({"address": _("Enter the address or a description of the place.")})
    if (latitude is None) != (longitude is None):
        raise _field_error("latitude", "coordinates")
    return {
        "kind": kind,
        "address": address.strip(),
        "postcode": normalise_postcode(postcode),
        "latitude": latitude,
        "longitude": longitude,
    }


def place_add(
    *,
    case: Case,
    kind: str,
    address: str,
    by: User,
    postcode: str = "",
    latitude: Any = None,
    longitude: Any = None,
    person: Person | None = None,
) -> Place:
    _check_open(case)
    _check_person_in_case(person, case)
    values = _place_values(
        kind=kind, address=address, postcode=postcode, latitude=latitude, longitude=longitude
    )
    with transaction.atomic():
        place = Place(case=case, person=person, created_by=by, **values)
        place.full_clean(exclude=["case", "person", "created_by"])
        place.save()
        audit_record(
            actor=by,
            action=Action.CREATE,
            target=place,
            region=case.region,
            details={"case_id": case.pk, "kind": kind},
        )
    return place


def place_update(
    *,
    place: Place,
    kind: str,
    address: str,
    by: User,
    postcode: str = "",
    latitude: Any = None,
    longitude: Any = None,
    person: Person | None = None,
) -> Place:
    """Correct a place; the audit event names the fields changed, not their values."""
    _check_open(place.case)
    _check_person_in_case(person, place.case)
    values = {
        **_place_values(
            kind=kind, address=address, postcode=postcode, latitude=latitude, longitude=longitude
        ),
        "person_id": person.pk if person else None,
    }
    _save_corrections(place, values, by=by)
    return place


# --- Timeline, tasks, safeguarding, support -----------------------------------------------------


def timeline_entry_add(
    *,
    case: Case,
    text: str,
    by: User,
    kind: str = TimelineEntryKind.NOTE,
    occurred_at: datetime.datetime | None = None,
) -> TimelineEntry:
    _check_open(case)
    if not text.strip():
        raise _field_error("text", "text_required")
    if kind not in TimelineEntryKind.values:
        raise ValidationError({"kind": _("Choose note or event.")})
    with transaction.atomic():
        entry = TimelineEntry.objects.create(
            case=case,
            kind=kind,
            text=text.strip(),
            occurred_at=occurred_at or timezone.now(),
            author=by,
        )
        audit_record(
            actor=by,
            action=Action.CREATE,
            target=entry,
            region=case.region,
            details={"case_id": case.pk, "kind": kind},
        )
    return entry


def task_add(
    *, case: Case, title: str, assignee: User, by: User, due_on: datetime.date | None = None
) -> Task:
    _check_open(case)
    if not title.strip():
        raise ValidationError({"title": _("Enter what needs to be done.")})
    if not cases_with_full_access(assignee).filter(pk=case.pk).exists():
        raise _field_error("assignee", "assignee")
    with transaction.atomic():
        task = Task.objects.create(
            case=case, title=title.strip(), assignee=assignee, due_on=due_on, created_by=by
        )
        audit_record(
            actor=by,
            action=Action.CREATE,
            target=task,
            region=case.region,
            details={"case_id": case.pk, "assignee_id": assignee.pk},
        )
    return task


def task_complete(*, task: Task, by: User) -> Task:
    _check_open(task.case)
    with transaction.atomic():
        if task.completed_at is None:
            task.completed_at = timezone.now()
            task.save(update_fields=["completed_at"])
            audit_record(
                actor=by,
                action=Action.UPDATE,
                target=task,
                region=task.case.region,
                details={"case_id": task.case_id, "field": "completed_at"},
            )
    return task


def safeguarding_action_add(
    *,
    case: Case,
    kind: str,
    by: User,
    taken_on: datetime.date | None = None,
    details: str = "",
    person: Person | None = None,
) -> SafeguardingAction:
    _check_open(case)
    _check_person_in_case(person, case)
    if kind not in SafeguardingAction.Kind.values:
        raise ValidationError({"kind": _("Choose the safeguarding action.")})
    taken_on = taken_on or timezone.localdate()
    if taken_on > timezone.localdate():
        raise ValidationError({"taken_on": _("The date cannot be in the future.")})
    with transaction.atomic():
        action = SafeguardingAction.objects.create(
            case=case,
            person=person,
            kind=kind,
            taken_on=taken_on,
            details=details.strip(),
            created_by=by,
        )
        audit_record(
            actor=by,
            action=Action.CREATE,
            target=action,
            region=case.region,
            details={"case_id": case.pk, "kind": kind},
        )
    return action


def support_referral_add(
    *,
    case: Case,
    provider: Organisation,
    need: str,
    by: User,
    referred_on: datetime.date | None = None,
    notes: str = "",
    person: Person | None = None,
) -> SupportReferral:
    _check_open(case)
    _check_person_in_case(person, case)
    if provider.kind != Organisation.Kind.SUPPORT_PROVIDER or provider.region_id != case.region_id:
        raise _field_error("provider", "provider")
    if need not in SupportReferral.Need.values:
        raise ValidationError({"need": _("Choose the support needed.")})
    with transaction.atomic():
        referral = SupportReferral.objects.create(
            case=case,
            person=person,
            provider=provider,
            need=need,
            referred_on=referred_on or timezone.localdate(),
            notes=notes.strip(),
            created_by=by,
        )
        audit_record(
            actor=by,
            action=Action.CREATE,
            target=referral,
            region=case.region,
            details={"case_id": case.pk, "provider_id": provider.pk, "need": need},
        )
    return referral


# --- NRM and Duty to Notify ---------------------------------------------------------------------


def nrm_route_for(*, is_child: bool, consent_given: bool | None) -> tuple[str, str]:
    """(consent, route): children always NRM; adults NRM with consent, Duty to Notify without."""
    if is_child:
        return NrmConsent.NOT_NEEDED, NrmRoute.NRM
    if consent_given is None:
        raise _field_error("consent_given", "nrm_consent_adult")
    if consent_given:
        return NrmConsent.GIVEN, NrmRoute.NRM
    return NrmConsent.REFUSED, NrmRoute.DUTY_TO_NOTIFY


def nrm_consent_record(
    *,
    person: Person,
    by: User,
    consent_given: bool | None = None,
    is_child: bool | None = None,
    route: str | None = None,
) -> NrmReferral:
    """Start the NRM or Duty to Notify record: age and consent decide the route.

    A known age (date of birth or estimate) wins over `is_child`. Asking for the NRM route for
    an adult who did not consent is refused rather than quietly turned into a Duty to Notify.
    """
    case = person.case
    _check_open(case)
    if not person.is_victim:
        raise _field_error("person", "nrm_victim_only")
    age = person.age
    child = age < 18 if age is not None else is_child
    if child is None:
        raise _field_error("is_child", "nrm_age_unknown")
    consent, allowed_route = nrm_route_for(is_child=child, consent_given=consent_given)
    if route is not None and route != allowed_route:
        raise _field_error("route", "nrm_route_adult_refused")
    with transaction.atomic():
        if NrmReferral.objects.filter(person=person).exists():
            raise _field_error("person", "nrm_exists")
        record = NrmReferral.objects.create(
            case=case,
            person=person,
            is_child=child,
            consent=consent,
            consent_recorded_at=timezone.now(),
            route=allowed_route,
            recorded_by=by,
        )
        audit_record(
            actor=by,
            action=Action.CREATE,
            target=record,
            region=case.region,
            details={"case_id": case.pk, "route": allowed_route, "consent": consent},
        )
    return record


def _nrm_save(record: NrmReferral, *, by: User, fields: list[str], step: str) -> NrmReferral:
    record.save(update_fields=[*fields, "updated_at"])
    audit_record(
        actor=by,
        action=Action.UPDATE,
        target=record,
        region=record.case.region,
        details={"case_id": record.case_id, "step": step, "fields": fields},
    )
    return record


def nrm_submission_record(
    *, record: NrmReferral, submitted_on: datetime.date, first_responder: Organisation, by: User
) -> NrmReferral:
    _check_open(record.case)
    if submitted_on > timezone.localdate():
        raise _field_error("submitted_on", "nrm_submitted_future")
    if not first_responder.is_first_responder or first_responder.region_id != record.case.region_id:
        raise _field_error("first_responder", "nrm_first_responder")
    with transaction.atomic():
        record.submitted_on = submitted_on
        record.first_responder = first_responder
        return _nrm_save(
            record, by=by, fields=["submitted_on", "first_responder"], step="submitted"
        )


def _check_decision_date(record: NrmReferral, field: str, decided_on: datetime.date) -> None:
    if record.route != NrmRoute.NRM:
        raise _error("nrm_duty_to_notify_decision")
    if record.submitted_on is None:
        raise _field_error(field, "nrm_not_submitted")
    if decided_on < record.submitted_on:
        raise _field_error(field, "nrm_decision_before_submission")
    if decided_on > timezone.localdate():
        raise _field_error(field, "nrm_decision_future")


def nrm_reasonable_grounds_record(
    *,
    record: NrmReferral,
    decision: str,
    decided_on: datetime.date,
    by: User,
    recovery_period_ends_on: datetime.date | None = None,
) -> NrmReferral:
    """The RG decision; a positive one starts a recovery period of at least 30 days."""
    _check_open(record.case)
    if decision not in NrmDecision.values:
        raise ValidationError({"decision": _("Choose positive or negative.")})
    _check_decision_date(record, "reasonable_grounds_on", decided_on)
    record.reasonable_grounds = decision
    record.reasonable_grounds_on = decided_on
    if decision == NrmDecision.POSITIVE:
        earliest = record.earliest_recovery_period_end
        assert earliest is not None  # noqa: S101 (set just above)
        ends_on = recovery_period_ends_on or earliest
        if ends_on < earliest:
            raise _field_error(
                "recovery_period_ends_on", "nrm_recovery_too_short", earliest=earliest
            )
        record.recovery_period_ends_on = ends_on
    else:
        if recovery_period_ends_on is not None:
            raise _field_error("recovery_period_ends_on", "nrm_recovery_needs_positive_rg")
        record.recovery_period_ends_on = None
    with transaction.atomic():
        return _nrm_save(
            record,
            by=by,
            fields=["reasonable_grounds", "reasonable_grounds_on", "recovery_period_ends_on"],
            step="reasonable_grounds",
        )


def nrm_recovery_period_extend(
    *, record: NrmReferral, ends_on: datetime.date, by: User
) -> NrmReferral:
    _check_open(record.case)
    earliest = record.earliest_recovery_period_end
    if earliest is None:
        raise _field_error("recovery_period_ends_on", "nrm_recovery_needs_positive_rg")
    if ends_on < earliest:
        raise _field_error("recovery_period_ends_on", "nrm_recovery_too_short", earliest=earliest)
    with transaction.atomic():
        record.recovery_period_ends_on = ends_on
        return _nrm_save(record, by=by, fields=["recovery_period_ends_on"], step="recovery_period")


def nrm_conclusive_grounds_record(
    *, record: NrmReferral, decision: str, decided_on: datetime.date, by: User
) -> NrmReferral:
    _check_open(record.case)
    if decision not in NrmDecision.values:
        raise ValidationError({"decision": _("Choose positive or negative.")})
    _check_decision_date(record, "conclusive_grounds_on", decided_on)
    if record.reasonable_grounds != NrmDecision.POSITIVE:
        raise _field_error("conclusive_grounds", "nrm_cg_needs_positive_rg")
    earliest = record.earliest_recovery_period_end
    if earliest is not None and decided_on < earliest:
        raise _field_error("conclusive_grounds_on", "nrm_cg_before_recovery", end=earliest)
    with transaction.atomic():
        record.conclusive_grounds = decision
        record.conclusive_grounds_on = decided_on
        return _nrm_save(
            record,
            by=by,
            fields=["conclusive_grounds", "conclusive_grounds_on"],
            step="conclusive_grounds",
        )


# --- Reads that must be audited -----------------------------------------------------------------


def case_view_record(*, case: Case, by: User, page: str = "case") -> None:
    audit_record(actor=by, action=Action.VIEW, target=case, details={"page": page})


def case_export_record(*, case: Case, by: User, export: str) -> None:
    audit_record(actor=by, action=Action.EXPORT, target=case, details={"export": export})


def search_record(*, by: User, results: int) -> None:
    """A staff search, audited without its terms (they may be personal data)."""
    audit_record(
        actor=by,
        action=Action.VIEW,
        target_type="cases.search",
        target_id="search",
        details={"results": results},
    )
