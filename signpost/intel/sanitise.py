"""Sanitisation: find and mask in a report's text whatever identifies the source.

The source is the referring person or partner (and, for a self-referral, the victim), and any
victim who has not consented to their details being shared. Their names, aliases, phones,
emails, handles and addresses are looked for in the text in a forgiving way: names ignore case
and diacritics (Ștefan, Stefan), phones are compared in E.164 whatever their spacing.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from signpost.core import crypto
from signpost.core.models import AuditEvent

CATEGORY_LABELS = {
    "victim_name": _("Name of a victim who has not consented"),
    "victim_contact": _("Contact detail of a victim who has not consented"),
    "victim_address": _("Address of a victim who has not consented"),
    "source_name": _("Name of the referring person or organisation"),
    "source_contact": _("Contact detail of the referring person"),
    "source_details": _("Details of the referring person"),
}
MASK = "[{label}]"
MASK_LABELS = {
    "victim_name": _("victim withheld"),
    "victim_contact": _("contact withheld"),
    "victim_address": _("address withheld"),
    "source_name": _("source withheld"),
    "source_contact": _("contact withheld"),
    "source_details": _("source withheld"),
}

PHONE_PATTERN = re.compile(r"\+?\(?\d[\d\s().-]{6,}\d")
MIN_TERM_LENGTH = 3


@dataclass(frozen=True)
class SensitiveTerm:
    category: str
    kind: str  # "text" or "phone"
    value: str


@dataclass
class Finding:
    category: str
    found: str
    start: int
    end: int

    @property
    def label(self) -> str:
        return str(CATEGORY_LABELS[self.category])


@dataclass
class SanitisedText:
    text: str
    findings: list[Finding] = field(default_factory=list)


def _fold_char(char: str) -> str:
    base = "".join(c for c in unicodedata.normalize("NFD", char) if not unicodedata.combining(c))
    folded = base.lower()
    return folded if len(folded) == 1 else char.lower()[:1] or char


def fold(text: str) -> str:
    """Lower case without diacritics, one character for one, so offsets stay the same."""
    return "".join(_fold_char(char) for char in text)


def _word_bounded(folded_text: str, folded_term: str) -> list[tuple[int, int]]:
    pattern = re.compile(r"(?<!\w)" + re.escape(folded_term) + r"(?!\w)")
    return [(match.start(), match.end()) for match in pattern.finditer(folded_text)]


def find_terms(text: str, terms: Iterable[SensitiveTerm]) -> list[Finding]:
    folded = fold(text)
    findings: list[Finding] = []
    phone_terms: dict[str, str] = {}
    # Longest first, so "Ana Maria Popescu" is masked whole before "Ana" alone.
    text_terms = sorted(
        (term for term in terms if term.kind == "text"), key=lambda term: -len(term.value)
    )
    for term in terms:
        if term.kind == "phone":
            phone_terms[crypto.normalise_phone(term.value)] = term.category
    taken: list[tuple[int, int]] = []

    def free(start: int, end: int) -> bool:
        return all(end <= s or start >= e for s, e in taken)

    for term in text_terms:
        folded_term = fold(term.value.strip())
        if len(folded_term) < MIN_TERM_LENGTH:
            continue
        for start, end in _word_bounded(folded, folded_term):
            if free(start, end):
                taken.append((start, end))
                findings.append(Finding(term.category, text[start:end], start, end))
    if phone_terms:
        for match in PHONE_PATTERN.finditer(text):
            candidate = crypto.normalise_phone(match.group().strip())
            category = phone_terms.get(candidate)
            if category and free(match.start(), match.end()):
                taken.append((match.start(), match.end()))
                findings.append(Finding(category, match.group(), match.start(), match.end()))
    return sorted(findings, key=lambda finding: finding.start)


def mask(text: str, terms: Iterable[SensitiveTerm]) -> SanitisedText:
    findings = find_terms(text, list(terms))
    pieces: list[str] = []
    position = 0
    # The masks become part of a report disclosed to a UK police force: always in the site's
    # language, whatever language the author reads Signpost in.
    with translation.override(settings.LANGUAGE_CODE):
        masks = {category: MASK.format(label=label) for category, label in MASK_LABELS.items()}
    for finding in findings:
        pieces.append(text[position : finding.start])
        pieces.append(masks[finding.category])
        position = finding.end
    pieces.append(text[position:])
    return SanitisedText("".join(pieces), findings)


# --- What identifies the source of a case --------------------------------------------------------


def _text_terms(category: str, values: Iterable[Any]) -> list[SensitiveTerm]:
    terms = []
    for value in values:
        if isinstance(value, str) and value.strip():
            terms.append(SensitiveTerm(category, "text", value.strip()))
    return terms


def _name_parts(category: str, name: str) -> list[SensitiveTerm]:
    """The full name, and each part of it long enough to identify (a first name alone does)."""
    terms = _text_terms(category, [name])
    parts = re.findall(r"\w+", name)
    if len(parts) > 1:
        terms += _text_terms(category, [part for part in parts if len(part) >= 4])
    return terms


def referrals_for_case(case: Any) -> list[Any]:
    """Referrals behind a case: linked by the referrals app (Referral.case, when it exists), the
    referral the case was opened from (recorded on the case's creation event), and referrals
    whose contact phone or email matches one of the case's identifiers."""
    from signpost.referrals.models import Referral

    referral_ids: set[int] = set()
    if any(f.name == "case" for f in Referral._meta.get_fields()):
        referral_ids.update(Referral.objects.filter(case_id=case.pk).values_list("pk", flat=True))
    created = AuditEvent.objects.filter(
        action=AuditEvent.Action.CREATE, target_type="cases.case", target_id=str(case.pk)
    ).values_list("details", flat=True)
    for details in created:
        if isinstance(details, dict) and isinstance(details.get("referral_id"), int):
            referral_ids.add(details["referral_id"])
    indexes = list(case.identifiers.values_list("value_index", flat=True))
    if indexes:
        matching = Referral.objects.filter(region_id=case.region_id).filter(
            models_q_phone_or_email(indexes)
        )
        referral_ids.update(matching.values_list("pk", flat=True))
    return list(
        Referral.objects.filter(pk__in=referral_ids, region_id=case.region_id).select_related(
            "submitted_by", "partner_organisation"
        )
    )


def models_q_phone_or_email(indexes: list[str]) -> Any:
    from django.db.models import Q

    return Q(phone_index__in=indexes) | Q(email_index__in=indexes)


def consented_person_ids(case: Any) -> set[int]:
    from signpost.cases.models import NrmConsent

    return set(
        case.nrm_referrals.filter(consent=NrmConsent.GIVEN).values_list("person_id", flat=True)
    )


def source_terms_for_case(case: Any) -> list[SensitiveTerm]:
    from signpost.cases.models import IdentifierKind

    terms: list[SensitiveTerm] = []
    consented = consented_person_ids(case)
    protected = [
        person for person in case.people.all() if person.is_victim and person.pk not in consented
    ]
    protected_ids = {person.pk for person in protected}
    for person in protected:
        terms += _name_parts("victim_name", person.full_name)
        for alias in person.aliases or []:
            terms += _name_parts("victim_name", alias)
        if person.contact_details:
            terms += _text_terms("victim_contact", [person.contact_details])
    for identifier in case.identifiers.filter(person_id__in=protected_ids):
        kind = "phone" if identifier.kind == IdentifierKind.PHONE else "text"
        terms.append(SensitiveTerm("victim_contact", kind, identifier.value))
        if kind == "phone":
            terms.append(SensitiveTerm("victim_contact", "text", identifier.value))
    for place in case.places.filter(person_id__in=protected_ids):
        terms += _text_terms("victim_address", [place.address])
    for referral in referrals_for_case(case):
        terms += source_terms_for_referral(referral)
    return terms


def source_terms_for_referral(referral: Any) -> list[SensitiveTerm]:
    terms: list[SensitiveTerm] = []
    submitter = referral.submitted_by
    if submitter is not None:
        terms += _name_parts("source_name", submitter.display_name)
        terms += _text_terms("source_contact", [submitter.email])
    if referral.partner_organisation is not None:
        terms += _text_terms("source_name", [referral.partner_organisation.name])
    if referral.referrer_details:
        terms += _text_terms("source_details", [referral.referrer_details])
    if referral.contact_value:
        value = referral.contact_value.strip()
        terms.append(SensitiveTerm("source_contact", "text", value))
        if PHONE_PATTERN.fullmatch(value):
            terms.append(SensitiveTerm("source_contact", "phone", value))
    return terms
