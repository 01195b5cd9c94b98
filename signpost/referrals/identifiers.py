"""What identifies people in a referral, as blind indexes for matching (never the values)."""

from __future__ import annotations

import logging
import re

from signpost.core import crypto
from signpost.referrals.models import Referral, ReferralIdentifier

logger = logging.getLogger(__name__)

# Free text written about the person and the place; not the referrer's own details, which
# would link referrals by who reported them rather than by who is at risk.
TEXT_FIELDS = ("what_is_happening", "person_description", "place_description")


def identifiers_of(referral: Referral) -> list[ReferralIdentifier]:
    found: set[tuple[str, str]] = set()
    if referral.phone_index:
        found.add((ReferralIdentifier.Kind.PHONE, referral.phone_index))
    if referral.email_index:
        found.add((ReferralIdentifier.Kind.EMAIL, referral.email_index))
    text = "\n".join(str(getattr(referral, name) or "") for name in TEXT_FIELDS).strip()
    if text:
        try:
            found.update(_written_in(text))
        except Exception:
            # Matching is a help to triage; a referral must be saved even if the text defeats
            # the extractor.
            logger.exception("Identifier extraction failed for referral %s", referral.reference)
    return [
        ReferralIdentifier(referral=referral, kind=kind, value_index=index)
        for kind, index in sorted(found)
    ]


def _written_in(text: str) -> set[tuple[str, str]]:
    # The adverts app's extractors read phones written in words, spaced or disguised, and
    # handles and names the way people write them.
    from signpost.adverts import extraction

    Kind = ReferralIdentifier.Kind
    found: set[tuple[str, str]] = set()
    for phone in extraction.extract_phones(text):
        found.add((Kind.PHONE, crypto.blind_index("phone", str(phone.value))))
    for email in extraction.extract_emails(text):
        found.add((Kind.EMAIL, crypto.blind_index("email", str(email.value))))
    for handle in extraction.extract_handles(text):
        found.add((Kind.HANDLE, crypto.blind_index("handle", str(handle.value))))
    for name in full_names_in(text):
        found.add((Kind.NAME, crypto.blind_index("name", name)))
    return found


# "Her name is Ioana Popescu", "a man called Marius Dinu", "numele ei este Ana Pop".
_NAME_LEAD = re.compile(
    r"(?i:\bname(?:'s| is|:)|\bcalled|\bnamed|\bknown as|\bnumele (?:ei|lui|meu) (?:este|e)"
    r"|\bse nume[șş]te|\bpe nume)\s+"
)
_CAPITALISED = r"[A-ZĂÂÎȘŞȚŢÁÉÍÓÚ][a-zăâîșşțţáéíóúñ'-]+"
_FULL_NAME = re.compile(rf"{_CAPITALISED}(?:\s+{_CAPITALISED}){{1,2}}")


def full_names_in(text: str) -> list[str]:
    """Full names written after a naming phrase. A first name alone is not kept: too many
    people share one for it to link referrals and cases."""
    names = []
    for lead in _NAME_LEAD.finditer(text):
        match = _FULL_NAME.match(text, lead.end())
        if match:
            names.append(match.group())
    return names
