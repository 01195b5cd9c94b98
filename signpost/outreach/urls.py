from django.urls import path
from django.utils.translation import gettext_lazy as _

from signpost.core import navigation
from signpost.core.roles import Role
from signpost.outreach import views

app_name = "outreach"

urlpatterns = [
    path("record/", views.distribution_create, name="distribution_create"),
    path("log/", views.distribution_log, name="distribution_log"),
    path("log/<int:pk>/remove/", views.distribution_remove, name="distribution_remove"),
    path("points/", views.point_list, name="point_list"),
    path("points/new/", views.point_create, name="point_create"),
    path("points/<int:pk>/", views.point_detail, name="point_detail"),
    path("points/<int:pk>/edit/", views.point_edit, name="point_edit"),
    path("points/<int:pk>/leaflets/", views.leaflet_generate, name="leaflet_generate"),
    path("leaflets/<int:pk>/<str:layout>.pdf", views.leaflet_pdf, name="leaflet_pdf"),
    path("editions/", views.edition_list, name="edition_list"),
    path("editions/new/", views.edition_create, name="edition_create"),
    path("editions/<int:pk>/", views.edition_edit, name="edition_edit"),
    path("channels/", views.channel_list, name="channel_list"),
    path("channels/new/", views.channel_create, name="channel_create"),
    path("channels/<int:pk>/", views.channel_detail, name="channel_detail"),
    path("channels/<int:pk>/edit/", views.channel_edit, name="channel_edit"),
    path("channels/<int:pk>/posts/new/", views.post_create, name="post_create"),
    path("channels/<int:pk>/posts/<int:post_pk>/", views.post_edit, name="post_edit"),
    path("results/", views.attribution, name="attribution"),
]

VIEWERS = frozenset({Role.HANDLER, Role.INVESTIGATOR, Role.ANALYST, Role.LEAD})
for item in (
    navigation.NavItem(
        _("Record leaflets"), "outreach:distribution_create", frozenset({Role.VOLUNTEER}), 300
    ),
    navigation.NavItem(
        _("Distribution log"), "outreach:distribution_log", VIEWERS | {Role.VOLUNTEER}, 310
    ),
    navigation.NavItem(
        _("Distribution points"), "outreach:point_list", VIEWERS | {Role.ADMIN}, 320
    ),
    navigation.NavItem(
        _("Leaflet editions"), "outreach:edition_list", frozenset({Role.LEAD, Role.ADMIN}), 330
    ),
    navigation.NavItem(_("Community channels"), "outreach:channel_list", VIEWERS, 340),
    navigation.NavItem(_("Outreach results"), "outreach:attribution", VIEWERS, 350),
):
    navigation.register(item)
