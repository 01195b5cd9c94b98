from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntelConfig(AppConfig):
    name = "signpost.intel"
    label = "intel"
    verbose_name = _("Intel")
