"""Staff edit the public pages' text per language, and see the landing tokens, in the admin.

Every save goes through the services, so that each change writes its audit event.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet, Sum
from django.forms import ModelForm
from django.http import HttpRequest
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from signpost.core.models import User
from signpost.public import selectors, services
from signpost.public.content import render_page_text
from signpost.public.models import LandingToken, PageContent


def _user(request: HttpRequest) -> User | None:
    user = request.user
    return user if isinstance(user, User) else None


@admin.register(PageContent)
class PageContentAdmin(admin.ModelAdmin):
    list_display = ["page", "language", "title", "updated_at", "updated_by"]
    list_filter = ["page", "language"]
    fields = ["page", "language", "title", "body", "preview"]
    readonly_fields = ["preview"]

    @admin.display(description=_("How it will look"))
    def preview(self, obj: PageContent) -> SafeString | str:
        return render_page_text(obj.body) if obj.body else ""

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        # A saved text belongs to one page in one language; to move it, delete it and add anew.
        return ["page", "language", "preview"] if obj else ["preview"]

    def save_model(
        self, request: HttpRequest, obj: PageContent, form: ModelForm, change: bool
    ) -> None:
        saved = services.page_content_save(
            page=obj.page, language=obj.language, title=obj.title, body=obj.body, by=_user(request)
        )
        obj.pk, obj.updated_at, obj.updated_by = saved.pk, saved.updated_at, saved.updated_by

    def delete_model(self, request: HttpRequest, obj: PageContent) -> None:
        services.page_content_delete(content=obj, by=_user(request))

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[PageContent]) -> None:
        for content in queryset:
            services.page_content_delete(content=content, by=_user(request))


@admin.register(LandingToken)
class LandingTokenAdmin(admin.ModelAdmin):
    list_display = ["label", "language", "region", "is_active", "created_at", "scans"]
    list_filter = ["language", "is_active", "region"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[LandingToken]:
        return super().get_queryset(request).annotate(total_scans=Sum("daily_scans__count"))

    @admin.display(description=_("scans"))
    def scans(self, obj: LandingToken) -> int:
        return getattr(obj, "total_scans", None) or 0

    @admin.display(description=_("link"))
    def link(self, obj: LandingToken) -> str:
        return selectors.landing_url(obj)

    def get_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return (
            ["label", "language", "is_active", "link", "created_at"]
            if obj
            else ["label", "language"]
        )

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        # The printed code cannot change, so neither can what it stands for: only switching it
        # off or on again.
        return ["label", "language", "region", "link", "created_at"] if obj else []

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(
        self, request: HttpRequest, obj: LandingToken, form: ModelForm, change: bool
    ) -> None:
        if change:
            services.landing_token_set_active(token=obj, is_active=obj.is_active, by=_user(request))
            return
        created = services.landing_token_create(
            language=obj.language, label=obj.label, by=_user(request), region=obj.region
        )
        obj.pk, obj.token, obj.created_at = created.pk, created.token, created.created_at
