"""The printable NRM / Duty to Notify pack: what a first responder needs at hand to file.

For a Duty to Notify the pack is anonymous by law: no name, date of birth, contact details or
addresses of the person, only what the notification asks for.
"""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import timezone

from signpost.cases.models import Case, NrmReferral, NrmRoute
from signpost.core.models import User

HELPLINE = "08000 121 700"


def nrm_pack_pdf(*, case: Case, record: NrmReferral, user: User) -> bytes:
    from weasyprint import HTML

    anonymous = record.route == NrmRoute.DUTY_TO_NOTIFY
    person = record.person
    context = {
        "case": case,
        "record": record,
        "person": person,
        "anonymous": anonymous,
        "identifiers": [] if anonymous else list(person.identifiers.all()),
        "places": list(case.places.all()) if not anonymous else [],
        "safeguarding_actions": list(case.safeguarding_actions.all()),
        "support_referrals": list(case.support_referrals.select_related("provider")),
        "generated_at": timezone.now(),
        "generated_by": user,
        "helpline": HELPLINE,
    }
    html = render_to_string("cases/nrm_pack.html", context)
    # No base_url: the pack must not fetch anything, from the network or the disk.
    return bytes(HTML(string=html).write_pdf())
