from django.urls import path
from django.utils.translation import gettext_lazy as _

from signpost.cases import views
from signpost.core import navigation
from signpost.core.roles import Role

app_name = "cases"

urlpatterns = [
    path("", views.case_list, name="list"),
    path("new/", views.case_open, name="open"),
    path("search/", views.search, name="search"),
    path("<int:pk>/", views.case_detail, name="detail"),
    path("<int:pk>/people/", views.person_add, name="person_add"),
    path("<int:pk>/people/<int:person_pk>/", views.person_change, name="person_change"),
    path("<int:pk>/identifiers/", views.identifier_add, name="identifier_add"),
    path(
        "<int:pk>/identifiers/<int:identifier_pk>/remove/",
        views.identifier_remove,
        name="identifier_remove",
    ),
    path("<int:pk>/places/", views.place_add, name="place_add"),
    path("<int:pk>/places/<int:place_pk>/", views.place_change, name="place_change"),
    path("<int:pk>/notes/", views.note_add, name="note_add"),
    path("<int:pk>/tasks/", views.task_add, name="task_add"),
    path("<int:pk>/tasks/<int:task_pk>/done/", views.task_complete, name="task_complete"),
    path("<int:pk>/safeguarding/", views.safeguarding_add, name="safeguarding_add"),
    path("<int:pk>/support/", views.support_add, name="support_add"),
    path("<int:pk>/handlers/", views.handler_assign, name="handler_assign"),
    path(
        "<int:pk>/handlers/<int:user_pk>/remove/",
        views.handler_unassign,
        name="handler_unassign",
    ),
    path("<int:pk>/status/", views.status_change, name="status_change"),
    path("<int:pk>/closure/request/", views.closure_request, name="closure_request"),
    path("<int:pk>/closure/approve/", views.closure_approve, name="closure_approve"),
    path("<int:pk>/closure/decline/", views.closure_decline, name="closure_decline"),
    path("<int:pk>/reopen/", views.case_reopen, name="reopen"),
    path("<int:pk>/nrm/person/<int:person_pk>/", views.nrm_consent, name="nrm_consent"),
    path("<int:pk>/nrm/<int:record_pk>/", views.nrm_update, name="nrm_update"),
    path("<int:pk>/nrm/<int:record_pk>/pack.pdf", views.nrm_pack, name="nrm_pack"),
]

CASE_ROLES = frozenset({Role.INVESTIGATOR, Role.LEAD, Role.HANDLER, Role.ANALYST})
navigation.register(navigation.NavItem(_("Cases"), "cases:list", CASE_ROLES, order=30))
navigation.register(navigation.NavItem(_("Search"), "cases:search", CASE_ROLES, order=35))
