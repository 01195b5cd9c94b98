from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from signpost.core import access, navigation
from signpost.core.mfa import is_verified


def signpost(request: HttpRequest) -> dict[str, Any]:
    context: dict[str, Any] = {"quick_exit_url": settings.QUICK_EXIT_URL}
    user = getattr(request, "user", None)
    if user is not None and request.path.startswith("/staff/") and is_verified(user):
        roles = access.roles_of(user)
        context["staff_nav"] = navigation.items_for(user, roles)
        context["staff_roles"] = sorted(roles)
    return context
