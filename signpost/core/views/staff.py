"""Home, account, language and audit-log pages for signed-in staff."""

from __future__ import annotations

from datetime import datetime, time

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from signpost.core import access, mfa, services
from signpost.core.forms import AuditFilterForm, LanguageForm
from signpost.core.models import User


@login_required
def home(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    return render(request, "core/home.html", {"memberships": access.active_memberships(user)})


@login_required
def account(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    return render(
        request,
        "core/account.html",
        {
            "memberships": access.active_memberships(user),
            "language_form": LanguageForm(initial={"language": user.language}),
            "recovery_codes_remaining": mfa.recovery_codes_remaining(user),
        },
    )


@login_required
@require_POST
def language(request: HttpRequest) -> HttpResponse:
    form = LanguageForm(request.POST)
    if form.is_valid():
        services.user_language_set(
            user=request.user,  # type: ignore[arg-type]
            language=form.cleaned_data["language"],
        )
    else:
        messages.error(request, _("Choose one of the languages in the list."))
    target = request.POST.get("next", "")
    if target.startswith("/staff/") and url_has_allowed_host_and_scheme(target, allowed_hosts=None):
        return redirect(target)
    return redirect("core:home")


@login_required
def audit_log(request: HttpRequest) -> HttpResponse:
    events = access.audit_events_for_user(request.user)  # type: ignore[arg-type]
    form = AuditFilterForm(request.GET or None)
    if form.is_valid():
        data = form.cleaned_data
        if data["action"]:
            events = events.filter(action=data["action"])
        if data["target_type"]:
            events = events.filter(target_type=data["target_type"])
        if data["date_from"]:
            events = events.filter(
                occurred_at__gte=timezone.make_aware(datetime.combine(data["date_from"], time.min))
            )
        if data["date_to"]:
            events = events.filter(
                occurred_at__lte=timezone.make_aware(datetime.combine(data["date_to"], time.max))
            )
    page = Paginator(events.select_related("actor", "region"), 50).get_page(request.GET.get("page"))
    return render(request, "core/audit_log.html", {"form": form, "page": page})
