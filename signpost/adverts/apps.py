from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AdvertsConfig(AppConfig):
    name = "signpost.adverts"
    label = "adverts"
    verbose_name = _("Adverts")
