from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.http import HttpRequest

from signpost.core.models import (
    Area,
    AuditEvent,
    Membership,
    Organisation,
    Region,
    Team,
    User,
)


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Area)
class AreaAdmin(admin.ModelAdmin):
    list_display = ["name", "region"]
    list_filter = ["region"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "region", "is_first_responder"]
    list_filter = ["kind", "region"]


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ["name", "organisation"]


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    filter_horizontal = ["areas"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "display_name", "is_active", "is_staff"]
    search_fields = ()  # searching would put addresses in URLs
    list_filter = ["is_active", "is_staff"]
    inlines = [MembershipInline]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        ("Profile", {"fields": ("display_name", "language", "languages_spoken")}),
        ("Access", {"fields": ("is_active", "is_staff", "is_superuser")}),
    )
    add_fieldsets = (
        (
            None,
            {"classes": ("wide",), "fields": ("email", "display_name", "password1", "password2")},
        ),
    )
    filter_horizontal = ()


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Readable by administrators, changeable by nobody."""

    list_display = ["occurred_at", "action", "actor", "target_type", "target_id", "client_address"]
    list_filter = ["action", "target_type"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
