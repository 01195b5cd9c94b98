"""Every write of the intel app. Each runs in one transaction with its audit event.

The rules of the report's life are enforced here (raising ValidationError with a translated
message): graded, sanitised by its author, approved by a lead who is not the author, disclosed
by a lead who is not the author to a police force or agency, then frozen.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from signpost.core import access
from signpost.core.audit import audit_record
from signpost.core.models import AuditEvent, Organisation, Region, User
from signpost.core.roles import Role
from signpost.intel import sanitise as sanitising
from signpost.intel.models import (
    HandlingCode,
    IntelligenceGrade,
    IntelReport,
    NetworkSnapshot,
    ReplyKind,
    ReportReply,
    ReportStatus,
    SourceGrade,
)

Action = AuditEvent.Action
TARGET_TYPE = "intel.intelreport"

MESSAGES = {
    "frozen": _(
        "This report has been disclosed and cannot be changed. Write a correction instead."
    ),
    "not_draft": _("Only a draft can be changed."),
    "not_author": _("Only the author can change or sanitise this report."),
    "title_required": _("Enter a title."),
    "body_required": _("Enter what is known."),
    "source_grade": _("Choose the source evaluation (1, 2 or 3)."),
    "intelligence_grade": _("Choose the intelligence assessment (A to E)."),
    "handling_code": _("Choose the handling code (P or C)."),
    "conditions_required": _("Enter the conditions under which the report may be shared."),
    "conditions_not_allowed": _("Conditions are only written for handling code C."),
    "ungraded": _("Grade the report before it is approved or disclosed."),
    "unsanitised": _("The author must sanitise the report before it is approved or disclosed."),
    "unapproved": _("A team lead must approve the report before it is disclosed."),
    "already_approved": _("This report has already been approved."),
    "four_eyes": _("The author of a report cannot approve or disclose it."),
    "not_lead": _("Only a team lead of the report's region can approve or disclose it."),
    "not_police": _("Choose a police force or agency."),
    "reply_required": _("Enter your reply."),
    "reply_kind": _("Choose whether this is an outcome or a request."),
    "not_disclosed": _("Only a disclosed report can be corrected."),
    "already_corrected": _("This report already has a correction."),
    "case_required": _("Choose the case the report is written from."),
}


def _error(key: str, field: str | None = None) -> ValidationError:
    message = MESSAGES[key]
    return ValidationError({field: message} if field else message)


def _locked(report: IntelReport) -> IntelReport:
    return IntelReport.objects.select_for_update().get(pk=report.pk)


def _check_draft_by_author(report: IntelReport, by: User) -> None:
    if report.status == ReportStatus.DISCLOSED:
        raise _error("frozen")
    if report.status != ReportStatus.DRAFT:
        raise _error("not_draft")
    if report.author_id != by.pk:
        raise _error("not_author")


def _clean_entities(entities: Iterable[dict[str, Any]]) -> list[dict[str, str]]:
    cleaned = []
    for entity in entities:
        kind = str(entity.get("kind", "")).strip()[:20]
        label = str(entity.get("label", "")).strip()[:300]
        if kind and label:
            cleaned.append({"kind": kind, "label": label})
    return cleaned


def _check_grading(
    *, source_grade: str, intelligence_grade: str, handling_code: str, handling_conditions: str
) -> None:
    errors: dict[str, Any] = {}
    if source_grade and source_grade not in SourceGrade.values:
        errors["source_grade"] = MESSAGES["source_grade"]
    if intelligence_grade and intelligence_grade not in IntelligenceGrade.values:
        errors["intelligence_grade"] = MESSAGES["intelligence_grade"]
    if handling_code and handling_code not in HandlingCode.values:
        errors["handling_code"] = MESSAGES["handling_code"]
    if handling_code == HandlingCode.CONDITIONS and not handling_conditions.strip():
        errors["handling_conditions"] = MESSAGES["conditions_required"]
    if handling_code == HandlingCode.PERMITTED and handling_conditions.strip():
        errors["handling_conditions"] = MESSAGES["conditions_not_allowed"]
    if errors:
        raise ValidationError(errors)


def report_create(
    *,
    by: User,
    title: str,
    body: str,
    case: Any = None,
    network_nodes: Iterable[str] = (),
    region: Any = None,
    linked_entities: Iterable[dict[str, Any]] = (),
    source_grade: str = "",
    intelligence_grade: str = "",
    handling_code: str = "",
    handling_conditions: str = "",
) -> IntelReport:
    """A draft written from a case (or from a network of the graph, then with its region)."""
    if not access.has_role(by, Role.INVESTIGATOR, Role.ANALYST, Role.LEAD):
        raise PermissionError("Only investigators, analysts and leads write intelligence reports.")
    errors = {}
    if not title.strip():
        errors["title"] = MESSAGES["title_required"]
    if not body.strip():
        errors["body"] = MESSAGES["body_required"]
    if case is None and region is None:
        errors["case"] = MESSAGES["case_required"]
    if errors:
        raise ValidationError(errors)
    _check_grading(
        source_grade=source_grade,
        intelligence_grade=intelligence_grade,
        handling_code=handling_code,
        handling_conditions=handling_conditions,
    )
    with transaction.atomic():
        report = IntelReport.objects.create(
            region=case.region if case is not None else region,
            case=case,
            network_nodes=[str(node)[:80] for node in network_nodes][:500],
            title=title.strip(),
            body=body.strip(),
            linked_entities=_clean_entities(linked_entities),  # type: ignore[misc]
            source_grade=source_grade,
            intelligence_grade=intelligence_grade,
            handling_code=handling_code,
            handling_conditions=handling_conditions.strip(),
            author=by,
        )
        audit_record(
            actor=by,
            action=Action.CREATE,
            target=report,
            details={"case_id": case.pk if case is not None else None, "version": 1},
        )
    return report


def report_update(
    *,
    report: IntelReport,
    by: User,
    title: str,
    body: str,
    linked_entities: Iterable[dict[str, Any]],
    source_grade: str,
    intelligence_grade: str,
    handling_code: str,
    handling_conditions: str,
) -> IntelReport:
    """Edit a draft. Any edit undoes the sanitisation: it must be confirmed again."""
    errors = {}
    if not title.strip():
        errors["title"] = MESSAGES["title_required"]
    if not body.strip():
        errors["body"] = MESSAGES["body_required"]
    if errors:
        raise ValidationError(errors)
    _check_grading(
        source_grade=source_grade,
        intelligence_grade=intelligence_grade,
        handling_code=handling_code,
        handling_conditions=handling_conditions,
    )
    with transaction.atomic():
        report = _locked(report)
        _check_draft_by_author(report, by)
        report.title = title.strip()
        report.body = body.strip()
        report.linked_entities = _clean_entities(linked_entities)
        report.source_grade = source_grade
        report.intelligence_grade = intelligence_grade
        report.handling_code = handling_code
        report.handling_conditions = handling_conditions.strip()
        if report.sanitised_from_hash != content_fingerprint(report):
            _clear_sanitisation(report)
        report.updated_at = timezone.now()
        report.save()
        audit_record(
            actor=by,
            action=Action.UPDATE,
            target=report,
            details={"grading": report.grading, "sanitised": report.sanitised_at is not None},
        )
    return report


def _clear_sanitisation(report: IntelReport) -> None:
    report.sanitised_title = ""
    report.sanitised_body = ""
    report.sanitised_entities = []
    report.sanitised_from_hash = ""
    report.masked_count = 0
    report.sanitised_by = None
    report.sanitised_at = None


def content_fingerprint(report: IntelReport) -> str:
    payload = json.dumps(
        [report.title, report.body, report.linked_entities], ensure_ascii=False, sort_keys=True
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def is_sanitised(report: IntelReport) -> bool:
    return report.sanitised_at is not None and report.sanitised_from_hash == content_fingerprint(
        report
    )


# --- Sanitisation ---------------------------------------------------------------------------------


def sensitive_terms(report: IntelReport, extra_terms: Iterable[str] = ()) -> list[Any]:
    from signpost.cases.models import Case

    if report.case is not None:
        terms = sanitising.source_terms_for_case(report.case)
    else:
        # A network report: what identifies the source of any case in the network.
        case_ids = [int(node[5:]) for node in report.network_nodes if node.startswith("case:")]
        terms = []
        for case in Case.objects.filter(pk__in=case_ids, region_id=report.region_id):
            terms += sanitising.source_terms_for_case(case)
    for extra in extra_terms:
        if extra.strip():
            terms.append(sanitising.SensitiveTerm("source_details", "text", extra.strip()))
            if sanitising.PHONE_PATTERN.fullmatch(extra.strip()):
                terms.append(sanitising.SensitiveTerm("source_details", "phone", extra.strip()))
    return terms


def sanitisation_preview(report: IntelReport, extra_terms: Iterable[str] = ()) -> dict[str, Any]:
    """The masked title, text and entities, with every finding, for the author to check."""
    terms = sensitive_terms(report, extra_terms)
    title = sanitising.mask(report.title, terms)
    body = sanitising.mask(report.body, terms)
    entities = []
    findings = list(title.findings) + list(body.findings)
    for entity in report.linked_entities:
        masked = sanitising.mask(entity["label"], terms)
        findings += masked.findings
        entities.append({"kind": entity["kind"], "label": masked.text})
    return {"title": title.text, "body": body.text, "entities": entities, "findings": findings}


def report_sanitise(
    *, report: IntelReport, by: User, extra_terms: Iterable[str] = ()
) -> IntelReport:
    """The author confirms the masked preview: it is what will be approved and disclosed."""
    with transaction.atomic():
        report = _locked(report)
        _check_draft_by_author(report, by)
        preview = sanitisation_preview(report, extra_terms)
        report.sanitised_title = preview["title"]
        report.sanitised_body = preview["body"]
        report.sanitised_entities = preview["entities"]
        report.masked_count = len(preview["findings"])
        report.sanitised_from_hash = content_fingerprint(report)
        report.sanitised_by = by
        report.sanitised_at = timezone.now()
        report.save()
        audit_record(
            actor=by,
            action=Action.UPDATE,
            target=report,
            details={"step": "sanitise", "masked": report.masked_count},
        )
    return report


# --- Approval and disclosure ---------------------------------------------------------------------


def _check_ready(report: IntelReport) -> None:
    if report.status == ReportStatus.DISCLOSED:
        raise _error("frozen")
    if not report.is_graded:
        raise _error("ungraded")
    if not is_sanitised(report):
        raise _error("unsanitised")


def _check_lead_not_author(report: IntelReport, by: User) -> None:
    if report.author_id == by.pk:
        raise _error("four_eyes")
    if report.region_id not in access.region_ids_for(by, Role.LEAD):
        raise _error("not_lead")


def report_approve(*, report: IntelReport, by: User) -> IntelReport:
    with transaction.atomic():
        report = _locked(report)
        _check_ready(report)
        _check_lead_not_author(report, by)
        if report.status != ReportStatus.DRAFT:
            raise _error("already_approved")
        report.status = ReportStatus.APPROVED
        report.approved_by = by
        report.approved_at = timezone.now()
        report.save(update_fields=["status", "approved_by", "approved_at"])
        audit_record(actor=by, action=Action.UPDATE, target=report, details={"step": "approve"})
    return report


def disclosed_content(report: IntelReport, *, to: Organisation, at: Any) -> dict[str, Any]:
    return {
        "reference": report.reference,
        "version": report.version,
        "corrects": report.previous.reference if report.previous else "",
        "title": report.sanitised_title,
        "body": report.sanitised_body,
        "linked_entities": report.sanitised_entities,
        "source_grade": report.source_grade,
        "intelligence_grade": report.intelligence_grade,
        "handling_code": report.handling_code,
        "handling_conditions": report.handling_conditions,
        "disclosed_to": to.name,
        "disclosed_at": at.isoformat(),
        "region": report.region.name,
    }


def content_hash_of(content: dict[str, Any]) -> str:
    canonical = json.dumps(content, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def police_organisations() -> Any:
    return Organisation.objects.filter(kind=Organisation.Kind.POLICE).order_by("name")


def report_disclose(*, report: IntelReport, to: Organisation, by: User) -> IntelReport:
    from signpost.intel.tasks import notify_disclosure

    if to.kind != Organisation.Kind.POLICE:
        raise _error("not_police", "organisation")
    with transaction.atomic():
        report = _locked(report)
        _check_ready(report)
        _check_lead_not_author(report, by)
        if report.status != ReportStatus.APPROVED or report.approved_by_id is None:
            raise _error("unapproved")
        now = timezone.now()
        content = disclosed_content(report, to=to, at=now)
        report.disclosed_content = content
        report.content_hash = content_hash_of(content)
        report.disclosed_to = to
        report.disclosed_by = by
        report.disclosed_at = now
        report.status = ReportStatus.DISCLOSED
        report.save()
        audit_record(
            actor=by,
            action=Action.DISCLOSE,
            target=report,
            details={
                "organisation_id": to.pk,
                "sha256": report.content_hash,
                "grading": report.grading,
                "version": report.version,
            },
        )
        report_id = report.pk
        transaction.on_commit(lambda: notify_disclosure.enqueue(report_id=report_id))
    return report


def disclosure_notify(*, report_id: int) -> int:
    """Email the receiving organisation's police liaison users: no content, only a pointer."""
    from django.core.mail import send_mail
    from django.utils import translation
    from django.utils.translation import gettext

    from signpost.core.models import User as UserModel

    report = IntelReport.objects.select_related("disclosed_to").get(pk=report_id)
    if report.disclosed_to is None:
        return 0
    recipients = UserModel.objects.filter(
        is_active=True,
        memberships__is_active=True,
        memberships__role=Role.POLICE_LIAISON,
        memberships__organisation=report.disclosed_to,
    ).distinct()
    sent = 0
    for recipient in recipients:
        with translation.override(recipient.language):
            body = gettext(
                "An intelligence report (%(reference)s) has been disclosed to %(organisation)s "
                "through Signpost.\n\nSign in to Signpost to read it, acknowledge it and reply."
            ) % {"reference": report.reference, "organisation": report.disclosed_to.name}
            send_mail(
                subject=gettext("Intelligence report disclosed to you"),
                message=body,
                from_email=None,
                recipient_list=[recipient.email],
            )
        sent += 1
    return sent


# --- The police side -----------------------------------------------------------------------------


def report_acknowledge(*, report: IntelReport, by: User) -> IntelReport:
    with transaction.atomic():
        report = _locked(report)
        if report.status != ReportStatus.DISCLOSED:
            raise _error("not_disclosed")
        if report.acknowledged_at is not None:
            return report
        report.acknowledged_by = by
        report.acknowledged_at = timezone.now()
        report.save(update_fields=["acknowledged_by", "acknowledged_at"])
        audit_record(actor=by, action=Action.UPDATE, target=report, details={"step": "acknowledge"})
    return report


def reply_add(*, report: IntelReport, kind: str, text: str, by: User) -> ReportReply:
    """A reply from the receiving force; it also lands on the case's timeline when it can."""
    from signpost.cases import services as case_services

    if kind not in ReplyKind.values:
        raise _error("reply_kind", "kind")
    if not text.strip():
        raise _error("reply_required", "text")
    if report.status != ReportStatus.DISCLOSED or report.disclosed_to_id is None:
        raise _error("not_disclosed")
    with transaction.atomic():
        reply = ReportReply.objects.create(
            report=report,
            kind=kind,
            text=text.strip(),
            author=by,
            organisation_id=report.disclosed_to_id,
        )
        if report.case is not None:
            entry_text = str(
                _("Reply from %(organisation)s to intelligence report %(reference)s (%(kind)s):")
            ) % {
                "organisation": report.disclosed_to.name if report.disclosed_to else "",
                "reference": report.reference,
                "kind": reply.get_kind_display(),
            }
            try:
                entry = case_services.timeline_entry_add(
                    case=report.case,
                    text=f"{entry_text}\n{reply.text}",
                    by=by,
                    kind="event",
                )
            except ValidationError:
                entry = None  # a closed case takes no entries; the reply stays on the report
            if entry is not None:
                reply.timeline_entry_id = entry.pk
                reply.save(update_fields=["timeline_entry_id"])
        audit_record(
            actor=by,
            action=Action.CREATE,
            target=reply,
            region=report.region,
            details={"report_id": report.pk, "kind": kind},
        )
    return reply


def report_correct(*, report: IntelReport, by: User) -> IntelReport:
    """A disclosed report is never changed: its correction is a new draft linked to it."""
    if not access.has_role(by, Role.INVESTIGATOR, Role.ANALYST, Role.LEAD):
        raise PermissionError("Only investigators, analysts and leads write intelligence reports.")
    with transaction.atomic():
        report = _locked(report)
        if report.status != ReportStatus.DISCLOSED:
            raise _error("not_disclosed")
        if IntelReport.objects.filter(previous=report).exists():
            raise _error("already_corrected")
        correction = IntelReport.objects.create(
            region=report.region,
            case=report.case,
            network_nodes=report.network_nodes,
            version=report.version + 1,
            previous=report,
            title=report.title,
            body=report.body,
            linked_entities=report.linked_entities,
            source_grade=report.source_grade,
            intelligence_grade=report.intelligence_grade,
            handling_code=report.handling_code,
            handling_conditions=report.handling_conditions,
            author=by,
        )
        audit_record(
            actor=by,
            action=Action.CREATE,
            target=correction,
            details={"corrects": report.pk, "version": correction.version},
        )
    return correction


# --- Reads that must be audited -------------------------------------------------------------------


def report_view_record(*, report: IntelReport, by: User, page: str = "report") -> None:
    audit_record(actor=by, action=Action.VIEW, target=report, details={"page": page})


def report_export_record(*, report: IntelReport, by: User, export: str) -> None:
    audit_record(actor=by, action=Action.EXPORT, target=report, details={"export": export})


def network_view_record(*, by: User, nodes: int, seeded: bool) -> None:
    """The network view shows personal data; audited without what was searched for."""
    audit_record(
        actor=by,
        action=Action.VIEW,
        target_type="intel.network",
        target_id="network",
        details={"nodes": nodes, "seeded": seeded},
    )


def match_queue_view_record(*, by: User, count: int) -> None:
    audit_record(
        actor=by,
        action=Action.VIEW,
        target_type="intel.matchcandidate",
        target_id="queue",
        details={"count": count},
    )


def match_view_record(*, by: User, candidate: Any) -> None:
    audit_record(actor=by, action=Action.VIEW, target=candidate)


def network_snapshot_refresh(*, region: Region, by: User | None = None) -> NetworkSnapshot:
    """Recompute the region's largest networks and replace its snapshot (run by the worker).

    The graph is read and ranked outside the transaction (tens of seconds at scale); only the
    replacement of the stored rows and its audit event are atomic, so a page never sees half a
    snapshot and running it twice leaves the same rows.
    """
    from signpost.intel import snapshot as snapshots

    ranked, items, links, seconds = snapshots.timed_compute(region)
    with transaction.atomic():
        stored = snapshots.store(region, ranked, items, links, seconds)
        audit_record(
            actor=by,
            action=Action.UPDATE,
            target=stored,
            region=region,
            details={"networks": len(ranked), "items": items, "seconds": round(seconds, 1)},
        )
    return stored
