"""Sign-in with a password and a second factor, sign-out, re-authentication."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp import match_token
from django_ratelimit.decorators import ratelimit

from signpost.core import mfa, services
from signpost.core.client import client_address_key
from signpost.core.decorators import REAUTH_SESSION_KEY
from signpost.core.forms import INVALID_CODE, CodeForm, ReauthenticateForm, SignInForm
from signpost.core.middleware import SESSION_LAST_SEEN, SESSION_STARTED
from signpost.core.models import User

RECOVERY_CODES_SESSION_KEY = "signpost_new_recovery_codes"


def _safe_next(request: HttpRequest, fallback: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


def locked_out(
    request: HttpRequest, credentials: Any = None, *args: Any, **kwargs: Any
) -> HttpResponse:
    return render(request, "core/locked_out.html", status=429)


@ratelimit(key=client_address_key, rate=settings.SIGN_IN_ADDRESS_RATE, method="POST", block=True)
def sign_in(request: HttpRequest) -> HttpResponse:
    if mfa.is_verified(request.user):
        return redirect("core:home")
    form = SignInForm(request.POST or None, request=request)
    if request.method == "POST" and form.is_valid() and form.user is not None:
        login(request, form.user)
        now = timezone.now().timestamp()
        request.session[SESSION_STARTED] = now
        request.session[SESSION_LAST_SEEN] = now
        return redirect("core:two_factor")
    return render(request, "core/sign_in.html", {"form": form})


@login_required
@ratelimit(key=client_address_key, rate=settings.SIGN_IN_ADDRESS_RATE, method="POST", block=True)
def two_factor(request: HttpRequest) -> HttpResponse:
    """Verify a code, or, for an account without an authenticator yet, enrol one."""
    user: User = request.user  # type: ignore[assignment]
    if mfa.is_verified(user):
        return redirect("core:home")
    device = mfa.confirmed_totp_device(user)
    if device is None:
        return _enrol(request, user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        matched = match_token(user, form.cleaned_data["code"])
        if matched is not None:
            otp_login(request, matched)
            method = "totp" if matched.persistent_id == device.persistent_id else "recovery_code"
            services.sign_in_record(user=user, method=method)
            if method == "recovery_code":
                messages.warning(
                    request,
                    _("You used a recovery code. You have %(count)d left.")
                    % {"count": mfa.recovery_codes_remaining(user)},
                )
            return redirect(_safe_next(request, settings.LOGIN_REDIRECT_URL))
        services.sign_in_failure_record(user=user, step="second_factor")
        form.add_error("code", INVALID_CODE)
    return render(request, "core/two_factor.html", {"form": form})


def _enrol(request: HttpRequest, user: User) -> HttpResponse:
    device = mfa.pending_totp_device(user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["code"]):
            codes = services.mfa_enrolment_confirm(user=user, device=device)
            otp_login(request, device)
            services.sign_in_record(user=user, method="totp_enrolment")
            request.session[RECOVERY_CODES_SESSION_KEY] = codes
            return redirect("core:recovery_codes")
        services.sign_in_failure_record(user=user, step="enrolment")
        form.add_error("code", INVALID_CODE)
    return render(
        request,
        "core/enrol.html",
        {
            "form": form,
            "qr_svg": mfa.totp_qr_svg(device),
            "secret": mfa.totp_secret_base32(device),
        },
    )


@login_required
def recovery_codes(request: HttpRequest) -> HttpResponse:
    """Shows freshly issued recovery codes once; renewing them needs a POST."""
    user: User = request.user  # type: ignore[assignment]
    if request.method == "POST":
        request.session[RECOVERY_CODES_SESSION_KEY] = services.recovery_codes_renew(user=user)
        return redirect("core:recovery_codes")
    codes = request.session.pop(RECOVERY_CODES_SESSION_KEY, None)
    return render(
        request,
        "core/recovery_codes.html",
        {"codes": codes, "remaining": mfa.recovery_codes_remaining(user)},
    )


@require_POST
def sign_out(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        services.sign_out_record(user=request.user)  # type: ignore[arg-type]
    logout(request)
    messages.info(request, _("You have signed out."))
    return redirect("core:sign_in")


@login_required
@ratelimit(key=client_address_key, rate=settings.SIGN_IN_ADDRESS_RATE, method="POST", block=True)
def reauthenticate(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    form = ReauthenticateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        password_ok = user.check_password(form.cleaned_data["password"])
        code_ok = password_ok and match_token(user, form.cleaned_data["code"]) is not None
        if code_ok:
            request.session[REAUTH_SESSION_KEY] = timezone.now().timestamp()
            services.reauthentication_record(user=user)
            return redirect(_safe_next(request, settings.LOGIN_REDIRECT_URL))
        services.sign_in_failure_record(user=user, step="reauthentication")
        form.add_error(None, _("The password or the code is not right."))
    return render(
        request, "core/reauthenticate.html", {"form": form, "next": _safe_next(request, "")}
    )
