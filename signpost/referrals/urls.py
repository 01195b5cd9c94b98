from django.urls import path
from django.utils.translation import gettext_lazy as _

from signpost.core import navigation
from signpost.core.roles import Role
from signpost.referrals import views

app_name = "referrals"

urlpatterns = [
    path("new/", views.submit, name="submit"),
    path("mine/", views.mine, name="mine"),
    path("mine/<int:pk>/", views.submission, name="submission"),
    path("agency/", views.submit_agency, name="agency"),
    path("triage/", views.queue, name="queue"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/<slug:action>/", views.act, name="act"),
]

VOLUNTEER = frozenset({Role.VOLUNTEER})
INTAKE = frozenset({Role.HANDLER, Role.LEAD})
navigation.register(navigation.NavItem(_("Report what you saw"), "referrals:submit", VOLUNTEER, 10))
navigation.register(navigation.NavItem(_("My referrals"), "referrals:mine", VOLUNTEER, 11))
navigation.register(navigation.NavItem(_("Triage queue"), "referrals:queue", INTAKE, 20))
navigation.register(
    navigation.NavItem(_("Referral from an agency"), "referrals:agency", INTAKE, 21)
)
