"""Referral intake pages for signed-in users: the volunteer's report and their list, staff's
agency form. The public self-referral page lives in the public app and uses SelfReferralForm."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from signpost.core.audit import audit_record
from signpost.core.decorators import role_required
from signpost.core.models import AuditEvent, User
from signpost.core.roles import Role
from signpost.referrals import access, selectors, services
from signpost.referrals.forms import AgencyReferralForm, PartnerReferralForm, language_name


def _apply_service_errors(form: PartnerReferralForm, error: ValidationError) -> None:
    """A rule the service enforces beyond the form shows as a form error, nothing saved."""
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages)
    else:
        form.add_error(None, error.messages)


@role_required(Role.VOLUNTEER)
def submit(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    areas = selectors.referral_areas_for(user, Role.VOLUNTEER)
    form = PartnerReferralForm(request.POST or None, areas=areas)
    if request.method == "POST" and form.is_valid():
        try:
            referral = services.referral_submit_partner(data=form.cleaned_data, by=user)
        except ValidationError as error:
            _apply_service_errors(form, error)
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
            _apply_service_errors(form, error)
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
    return render(request, "referrals/submission.html", {"referral": referral})


@role_required(Role.HANDLER, Role.LEAD)
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    referral = access.referral_for_triage(user, pk)
    audit_record(actor=user, action=AuditEvent.Action.VIEW, target=referral)
    return render(
        request,
        "referrals/detail.html",
        {
            "referral": referral,
            "assessment": selectors.assessment_of(referral),
            "languages": [language_name(code) for code in referral.languages],
        },
    )
