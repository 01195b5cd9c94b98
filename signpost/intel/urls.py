from django.urls import path
from django.utils.translation import gettext_lazy as _

from signpost.core import navigation
from signpost.core.roles import Role
from signpost.intel import views, views_network

app_name = "intel"

urlpatterns = [
    path("", views.report_list, name="report_list"),
    path("reports/new/", views.report_start, name="report_start"),
    path("reports/new/case/<int:case_pk>/", views.report_new, name="report_new"),
    path("reports/new/network/", views.report_new_network, name="report_new_network"),
    path("reports/<int:pk>/", views.report_detail, name="report_detail"),
    path("reports/<int:pk>/edit/", views.report_edit, name="report_edit"),
    path("reports/<int:pk>/sanitise/", views.report_sanitise, name="report_sanitise"),
    path("reports/<int:pk>/approve/", views.report_approve, name="report_approve"),
    path("reports/<int:pk>/disclose/", views.report_disclose, name="report_disclose"),
    path("reports/<int:pk>/correct/", views.report_correct, name="report_correct"),
    path("reports/<int:pk>/report.pdf", views.report_pdf_download, name="report_pdf"),
    path("disclosed/", views.police_list, name="police_list"),
    path("disclosed/<int:pk>/", views.police_detail, name="police_detail"),
    path("disclosed/<int:pk>/acknowledge/", views.police_acknowledge, name="police_acknowledge"),
    path("disclosed/<int:pk>/reply/", views.police_reply, name="police_reply"),
    path("disclosed/<int:pk>/report.pdf", views.police_pdf, name="police_pdf"),
    path("network/", views_network.network, name="network"),
    path("matches/", views_network.match_queue, name="match_queue"),
    path("matches/run/", views_network.match_run, name="match_run"),
    path("matches/<int:pk>/", views_network.match_decide, name="match_decide"),
    path("resolved/<int:pk>/split/", views_network.resolved_split, name="resolved_split"),
]

INTEL_ROLES = frozenset({Role.INVESTIGATOR, Role.LEAD, Role.ANALYST})
navigation.register(
    navigation.NavItem(_("Intelligence reports"), "intel:report_list", INTEL_ROLES, order=60)
)
navigation.register(navigation.NavItem(_("Network"), "intel:network", INTEL_ROLES, order=61))
navigation.register(
    navigation.NavItem(
        _("Possible matches"), "intel:match_queue", frozenset({Role.LEAD, Role.ANALYST}), order=62
    )
)
navigation.register(
    navigation.NavItem(
        _("Disclosed reports"), "intel:police_list", frozenset({Role.POLICE_LIAISON}), order=60
    )
)
