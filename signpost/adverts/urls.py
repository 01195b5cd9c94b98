from django.urls import path
from django.utils.translation import gettext_lazy as _

from signpost.adverts import views
from signpost.core import navigation
from signpost.core.roles import Role

app_name = "adverts"

urlpatterns = [
    path("", views.search, name="search"),
    path("a/<str:public_id>/", views.advert_detail, name="detail"),
    path("groups/", views.group_list, name="groups"),
    path("groups/<str:public_id>/", views.group_detail, name="group"),
    path("alerts/", views.alert_list, name="alerts"),
    path("indicators/", views.indicator_catalogue, name="indicators"),
    path("upload/", views.upload, name="upload"),
    path("upload/<str:public_id>/", views.job_detail, name="job"),
]

READERS = frozenset({Role.ANALYST, Role.LEAD, Role.INVESTIGATOR})
navigation.register(navigation.NavItem(_("Adverts"), "adverts:search", READERS, order=400))
navigation.register(navigation.NavItem(_("Advert groups"), "adverts:groups", READERS, order=410))
navigation.register(navigation.NavItem(_("Advert alerts"), "adverts:alerts", READERS, order=420))
navigation.register(
    navigation.NavItem(_("Import adverts"), "adverts:upload", frozenset({Role.ANALYST}), order=430)
)
