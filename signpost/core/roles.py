from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    VOLUNTEER = "volunteer", _("Volunteer")
    HANDLER = "handler", _("Intake handler")
    INVESTIGATOR = "investigator", _("Investigator")
    LEAD = "lead", _("Team lead")
    ANALYST = "analyst", _("Analyst")
    POLICE_LIAISON = "police_liaison", _("Police liaison")
    ADMIN = "admin", _("Administrator")
