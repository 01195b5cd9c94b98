from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "signpost.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from signpost.core import checks, signals  # noqa: F401  (registers checks and receivers)
