"""The leaflet's shipped text: the default for every new edition, translated in this app's
catalogues. Staff change an edition's copy; these stay as the starting point.
"""

from __future__ import annotations

from django.utils import translation
from django.utils.translation import gettext_lazy as _

from signpost.core.models import Organisation, Region

HELPLINE_NUMBER = "08000 121 700"

TITLE = _("Are you being forced to work, or made to have sex for money?")
WHAT_IS = _(
    "Modern slavery is when someone is tricked, threatened or forced into work, sex or crime "
    "and cannot leave. It can start with a job offer or a new boyfriend. It is a crime, and "
    "it is never your fault."
)
SIGNS = _(
    "Someone else keeps your passport or ID, or takes your money\n"
    "You owe a debt that keeps growing\n"
    "You are moved from place to place, or you sleep where you work\n"
    "Someone controls where you go, who you talk to or your phone\n"
    "You are threatened or hurt, or told the police will arrest you\n"
    "A partner makes you have sex with other people for money"
)
GET_HELP = _(
    "We can talk in your language. Help is free and confidential: we do not share what you "
    "tell us without your agreement, and you do not need papers. Scan the code to read more "
    "and to tell us how it is safe to contact you. If you are in danger now, call 999."
)
CONTACT = _("{organisation}, online at {site}")


def shipped_text(*, language: str, region: Region, site: str) -> dict[str, str]:
    """The default copy of a new edition, in its language."""
    charity = (
        Organisation.objects.filter(region=region, kind=Organisation.Kind.CHARITY)
        .order_by("name")
        .first()
    )
    with translation.override(language):
        return {
            "title": str(TITLE),
            "what_is": str(WHAT_IS),
            "signs": str(SIGNS),
            "get_help": str(GET_HELP),
            "contact": str(CONTACT).format(
                organisation=charity.name if charity else region.name, site=site
            ),
        }
