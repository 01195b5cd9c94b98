"""Referral intake pages for signed-in users: the volunteer's report and their list, staff's
agency form. The public self-referral page lives in the public app and uses SelfReferralForm."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from signpost.core import access as core_access
from signpost.core.audit import audit_record
from signpost.core.decorators import role_required
from signpost.core.forms import form_show_service_error
from signpost.core.models import AuditEvent, User
from signpost.core.roles import Role
from signpost.referrals import access, selectors, services
from signpost.referrals.forms import (
    AcceptForm,
    AgencyReferralForm,
    DeclineForm,
    InfoRequestForm,
    InfoResponseForm,
    LinkForm,
    PartnerReferralForm,
    language_name,
)
from signpost.referrals.models import Referral


@role_required(Role.VOLUNTEER)
def submit(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    areas = selectors.referral_areas_for(user, Role.VOLUNTEER)
    form = PartnerReferralForm(request.POST or None, areas=areas)
    if request.method == "POST" and form.is_valid():
        try:
            referral = services.referral_submit_partner(data=form.cleaned_data, by=user)
        except ValidationError as error:
            form_show_service_error(form, error)
        else:
            return redirect("referrals:submission", pk=referral.pk)
    return render(request, "referrals/submit.html", {"form": form, "agency": False})


@role_required(Role.HANDLER, Role.LEAD)
def submit_agency(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    areas = selectors.referral_areas_for(user, Role.HANDLER)
    form = AgencyReferralForm(request.POST or None, areas=areas)
    if request.method == "POST" and form.is_valid():
        try:
            referral = services.referral_submit_agency(data=form.cleaned_data, by=user)
        except ValidationError as error:
            form_show_service_error(form, error)
        else:
            return redirect("referrals:detail", pk=referral.pk)
    return render(request, "referrals/submit.html", {"form": form, "agency": True})


@role_required(Role.VOLUNTEER)
def mine(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    submissions = (
        access.submissions_for(user)
        .select_related("area", "submitted_by")
        .order_by("-created_at", "-id")
    )
    page = Paginator(submissions, 25).get_page(request.GET.get("page"))
    return render(request, "referrals/mine.html", {"page": page})


@role_required(Role.VOLUNTEER)
def submission(request: HttpRequest, pk: int) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    referral = access.submission_for(user, pk)
    audit_record(actor=user, action=AuditEvent.Action.VIEW, target=referral)
    form = InfoResponseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.referral_info_respond(
                referral=referral, answer=form.cleaned_data["answer"], by=user
            )
        except (ValidationError, PermissionDenied) as error:
            messages.error(request, _message(error))
        else:
            messages.success(request, _("Thank you. Your answer has been sent."))
        return redirect("referrals:submission", pk=referral.pk)
    return render(request, "referrals/submission.html", {"referral": referral, "form": form})


def _message(error: Exception) -> str:
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    return _("You cannot do that with this referral.")


# --- Triage -----------------------------------------------------------------------------------


@role_required(Role.HANDLER, Role.LEAD)
def queue(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    page = Paginator(selectors.triage_queue(user), 50).get_page(request.GET.get("page"))
    return render(request, "referrals/queue.html", {"page": page})


def _investigator_choices(referral: Referral, user: User) -> tuple[list[Any], list[Any]]:
    """Suggestions, best first; a handler chooses among those covering the area, a lead may
    override with any investigator of the region."""
    suggestions = selectors.investigator_suggestions(referral)
    is_lead = referral.region_id in core_access.region_ids_for(user, Role.LEAD)
    allowed = [s for s in suggestions if is_lead or s.covers_area]
    return suggestions, [(s.investigator.pk, s.investigator.display_name) for s in allowed]


def _triage_context(referral: Referral, user: User) -> dict[str, Any]:
    links = selectors.possible_links(referral, user)
    suggestions, investigators = _investigator_choices(referral, user)
    cases = selectors.cases_to_link(referral, user, links)
    initial_investigator = referral.assigned_investigator_id or (
        investigators[0][0] if investigators else None
    )
    return {
        "referral": referral,
        "assessment": selectors.assessment_of(referral),
        "languages": [language_name(code) for code in referral.languages],
        "links": links,
        "suggestions": suggestions,
        "held_by_other": referral.is_open
        and referral.handler_id not in (None, user.pk)
        and services.held_by_other(referral, user, timezone.now()),
        "accept_form": AcceptForm(
            investigators=investigators, initial={"investigator": initial_investigator}
        ),
        "link_form": LinkForm(
            cases=[(case.pk, f"{case.reference} · {case.area}") for case in cases]
        ),
        "info_form": InfoRequestForm(),
        "decline_form": DeclineForm(),
    }


@role_required(Role.HANDLER, Role.LEAD)
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    referral = access.referral_for_triage(user, pk)
    audit_record(actor=user, action=AuditEvent.Action.VIEW, target=referral)
    return render(request, "referrals/triage.html", _triage_context(referral, user))


def _act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    referral = access.referral_for_triage(user, pk)
    try:
        if action == "take":
            services.referral_take(referral=referral, by=user)
            messages.success(request, _("You are handling this referral."))
        elif action == "accept":
            _suggestions, investigators = _investigator_choices(referral, user)
            accept_form = AcceptForm(request.POST, investigators=investigators)
            if not accept_form.is_valid():
                raise ValidationError(_("Choose an investigator from the list."))
            investigator = User.objects.get(pk=accept_form.cleaned_data["investigator"])
            referral = services.referral_accept(
                referral=referral, lead_investigator=investigator, by=user
            )
            messages.success(
                request,
                _("Accepted as case %(case)s, led by %(name)s.")
                % {"case": referral.case.reference, "name": investigator.display_name},  # type: ignore[union-attr]
            )
        elif action == "link":
            links = selectors.possible_links(referral, user)
            cases = {case.pk: case for case in selectors.cases_to_link(referral, user, links)}
            link_form = LinkForm(request.POST, cases=[(case_pk, str(case_pk)) for case_pk in cases])
            if not link_form.is_valid():
                raise ValidationError(_("Choose a case from the list."))
            referral = services.referral_link(
                referral=referral, case=cases[link_form.cleaned_data["case"]], by=user
            )
            messages.success(
                request,
                _("Linked to case %(case)s.") % {"case": referral.case.reference},  # type: ignore[union-attr]
            )
        elif action == "ask":
            ask_form = InfoRequestForm(request.POST)
            if not ask_form.is_valid():
                raise ValidationError(_("Write a question of up to 1000 characters."))
            services.referral_info_request(
                referral=referral, question=ask_form.cleaned_data["question"], by=user
            )
            messages.success(request, _("Your question has been sent to the referring partner."))
        elif action == "decline":
            decline_form = DeclineForm(request.POST)
            if not decline_form.is_valid():
                raise ValidationError(_("Give a reason of up to 1000 characters."))
            services.referral_decline(
                referral=referral, reason=decline_form.cleaned_data["reason"], by=user
            )
            messages.success(request, _("The referral has been declined."))
        else:
            raise Http404
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, _message(error))
    return redirect("referrals:detail", pk=referral.pk)


@require_POST
@role_required(Role.HANDLER, Role.LEAD)
def act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    return _act(request, pk, action)
