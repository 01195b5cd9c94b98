"""View decorators shared by every app."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone

from signpost.core import access

REAUTH_SESSION_KEY = "signpost_reauthenticated_at"

View = Callable[..., HttpResponse]


def role_required(*roles: str) -> Callable[[View], View]:
    """Signed in with one of the roles; anyone else gets a 404 as if the page did not exist."""

    def decorator(view: View) -> View:
        @login_required
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not access.has_role(request.user, *roles):  # type: ignore[arg-type]
                access.deny(user=request.user, target_type="view", target_id=request.path)  # type: ignore[arg-type]
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def recently_authenticated(request: HttpRequest) -> bool:
    at = request.session.get(REAUTH_SESSION_KEY)
    return at is not None and timezone.now().timestamp() - at <= settings.REAUTH_MAX_AGE


def reauthentication_required(view: View) -> View:
    """Sensitive actions (exports, disclosures) ask for the password and a code again."""

    @login_required
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if recently_authenticated(request):
            return view(request, *args, **kwargs)
        query = urlencode({"next": request.get_full_path()})
        return redirect(f"{reverse('core:reauthenticate')}?{query}")

    return wrapped
