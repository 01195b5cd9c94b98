from django.urls import path
from django.utils.translation import gettext_lazy as _

from signpost.core.navigation import NavItem, register
from signpost.core.roles import Role
from signpost.insights import views
from signpost.insights.access import (
    DASHBOARD_ROLES,
    STATISTICS_VIEW_ROLES,
    coordinated_organisations,
)

app_name = "insights"

urlpatterns = [
    path("", views.dashboard_view, name="dashboard"),
    path("csv/<slug:slug>/", views.chart_csv, name="chart_csv"),
    path("refresh/", views.refresh, name="refresh"),
    path("partner/", views.partner, name="partner"),
    path("partner/figures.csv", views.partner_csv, name="partner_csv"),
    path("statistics/", views.statistics_view, name="statistics"),
    path("statistics/statistics.csv", views.statistics_csv, name="statistics_csv"),
    path("statistics/statistics.pdf", views.statistics_pdf, name="statistics_pdf"),
    path("statistics/publish/", views.statistics_publish, name="statistics_publish"),
]

register(NavItem(_("Insights"), "insights:dashboard", DASHBOARD_ROLES, 70))
register(NavItem(_("Statistics"), "insights:statistics", frozenset(STATISTICS_VIEW_ROLES), 75))
register(
    NavItem(
        _("Your organisation's figures"),
        "insights:partner",
        frozenset({Role.VOLUNTEER}),
        70,
        shown_to=lambda user: bool(coordinated_organisations(user)),
    )
)
