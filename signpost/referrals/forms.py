"""Referral forms: the public self-referral, the volunteer's partner referral, staff's agency form.

Every field has a length limit; text is cleaned of control and direction-override characters;
phone numbers are checked with phonenumbers (UK by default, international accepted). The forms
check the shape of the input; the services check it again before anything is saved.
"""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import phonenumbers
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from signpost.core.govuk import GovukFormMixin
from signpost.core.models import Area
from signpost.referrals import taxonomy
from signpost.referrals.models import AgeBand, ContactConsent, ContactMethod, WhoAtRisk

HONEYPOT_FIELD = "website"

# C0/C1 controls (but tab and newline) and the Unicode bidi embedding/override/isolate marks,
# which can make stored text display as something else than what it says.
_UNSAFE_CHARACTERS = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]"
)

# Languages people referred in the UK most often speak (ISO 639-1), in a stable order.
SPOKEN_LANGUAGES = (
    "en", "ro", "sq", "pl", "vi", "bg", "hu", "sk", "cs", "lt",
    "uk", "ru", "zh", "th", "ar", "fa", "ku", "ti", "ur", "es", "pt",
)  # fmt: skip
_LANGUAGE_INFO_CODE = {"zh": "zh-hans"}
_EXTRA_LANGUAGE_NAMES = {
    "ku": ("Kurdish", "Kurdî", _("Kurdish")),
    "ti": ("Tigrinya", "ትግርኛ", _("Tigrinya")),
}

NATIONALITIES = (
    ("RO", _("Romanian")),
    ("AL", _("Albanian")),
    ("VN", _("Vietnamese")),
    ("PL", _("Polish")),
    ("BG", _("Bulgarian")),
    ("HU", _("Hungarian")),
    ("SK", _("Slovak")),
    ("CZ", _("Czech")),
    ("LT", _("Lithuanian")),
    ("UA", _("Ukrainian")),
    ("CN", _("Chinese")),
    ("TH", _("Thai")),
    ("NG", _("Nigerian")),
    ("ER", _("Eritrean")),
    ("SD", _("Sudanese")),
    ("GB", _("British")),
)

TEXT_LIMIT = 2000
SHORT_TEXT_LIMIT = 200
PHONE_HINT = _("For example 07700 900982, or +40 712 345 678 for a number abroad.")


def clean_text(value: str | None) -> str:
    """Strip control and direction-override characters, and surrounding space."""
    return _UNSAFE_CHARACTERS.sub("", value or "").strip()


def language_name(code: str) -> str:
    if code in _EXTRA_LANGUAGE_NAMES:
        _english, local, translated = _EXTRA_LANGUAGE_NAMES[code]
        return f"{local} ({translated})"
    try:
        info = translation.get_language_info(_LANGUAGE_INFO_CODE.get(code, code))
    except KeyError:
        return code
    return f"{info['name_local']} ({info['name_translated']})"


def spoken_language_choices() -> list[tuple[str, str]]:
    return [(code, language_name(code)) for code in SPOKEN_LANGUAGES]


def contact_language_choices() -> list[tuple[str, str]]:
    return [(code, language_name(code)) for code, _name in settings.LANGUAGES] + [
        (code, language_name(code))
        for code in SPOKEN_LANGUAGES
        if code not in dict(settings.LANGUAGES)
    ]


def normalised_phone(value: str) -> str:
    """E.164 for a UK or international number; ValidationError when it cannot be a number."""
    try:
        number = phonenumbers.parse(value, "GB")
    except phonenumbers.NumberParseException as error:
        raise ValidationError(
            _("Enter a phone number, like 07700 900982 or +40 712 345 678."), code="phone"
        ) from error
    if not phonenumbers.is_possible_number(number):
        raise ValidationError(
            _("Enter a phone number, like 07700 900982 or +40 712 345 678."), code="phone"
        )
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def area_choices(areas: Any) -> list[tuple[str, Any]]:
    """Areas grouped by region for a select (an optgroup per region)."""
    groups: dict[str, list[tuple[str, str]]] = {}
    for area in areas:
        groups.setdefault(area.region.name, []).append((str(area.pk), area.name))
    if len(groups) == 1:
        return next(iter(groups.values()))
    return list(groups.items())


class CleanTextMixin:
    """Every text value goes through clean_text before any other check."""

    cleaned_data: dict[str, Any]

    def _clean_fields(self) -> None:
        super()._clean_fields()  # type: ignore[misc]
        for name, value in list(self.cleaned_data.items()):
            if isinstance(value, str):
                self.cleaned_data[name] = clean_text(value)


class ContactFieldsMixin:
    """How and when it is safe to make contact, and the number or address to use."""

    cleaned_data: dict[str, Any]
    add_error: Any  # forms.Form's

    def clean_contact(self, cleaned: dict[str, Any]) -> None:
        method = cleaned.get("contact_method")
        value = cleaned.get("contact_value") or ""
        if method in (ContactMethod.PHONE, ContactMethod.WHATSAPP):
            if not value:
                self.add_error("contact_value", _("Enter the phone number to use."))
            else:
                try:
                    cleaned["contact_value"] = normalised_phone(value)
                except ValidationError as error:
                    self.add_error("contact_value", error)
        elif method == ContactMethod.EMAIL:
            if not value:
                self.add_error("contact_value", _("Enter the email address to use."))
            else:
                try:
                    validate_email(value)
                except ValidationError:
                    self.add_error(
                        "contact_value",
                        _("Enter an email address, like name@example.com."),
                    )
        elif method in (ContactMethod.PARTNER, ContactMethod.NONE):
            # Nothing to contact directly: do not keep a number nobody may use.
            cleaned["contact_value"] = ""


def _contact_fields() -> dict[str, forms.Field]:
    return {
        "contact_value": forms.CharField(
            label=_("Phone number or email address"),
            required=False,
            max_length=254,
            help_text=PHONE_HINT,
            widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        ),
        "safe_times": forms.CharField(
            label=_("When is it safe to make contact?"),
            required=False,
            max_length=SHORT_TEXT_LIMIT,
            help_text=_("For example: weekday mornings, never after 6pm."),
        ),
    }


class SelfReferralForm(CleanTextMixin, ContactFieldsMixin, GovukFormMixin, forms.Form):
    """The public form: only what is needed; no name; a honeypot for bots (see is_bot)."""

    what_is_happening = forms.CharField(
        label=_("What is happening?"),
        required=False,
        max_length=TEXT_LIMIT,
        help_text=_("Tell us as much or as little as you want."),
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    area = forms.TypedChoiceField(
        label=_("Where are you, or where is it happening?"),
        required=False,
        coerce=int,
        empty_value=None,
        help_text=_("Choose the area, or write the town below."),
    )
    town = forms.CharField(
        label=_("Town or place"),
        required=False,
        max_length=SHORT_TEXT_LIMIT,
    )
    who_at_risk = forms.ChoiceField(
        label=_("Who is in danger?"),
        choices=WhoAtRisk.choices,
        widget=forms.RadioSelect,
    )
    danger_now = forms.TypedChoiceField(
        label=_("Is someone in danger right now?"),
        choices=[("yes", _("Yes")), ("no", _("No"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    contact_method = forms.ChoiceField(
        label=_("How is it safe for us to contact you?"),
        choices=ContactMethod.choices,
        widget=forms.RadioSelect,
    )
    contact_value, safe_times = _contact_fields().values()
    contact_language = forms.ChoiceField(
        label=_("Which language should we use?"),
        required=False,
    )
    # Hidden from people (the template hides it); bots fill in every field they find.
    website = forms.CharField(
        label=_("Leave this empty"),
        required=False,
        max_length=TEXT_LIMIT,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        areas = Area.objects.select_related("region").order_by("region__name", "name")
        self.fields["area"].choices = [("", _("Choose an area")), *area_choices(areas)]  # type: ignore[attr-defined]
        self.fields["contact_language"].choices = contact_language_choices()  # type: ignore[attr-defined]
        if not self.is_bound:
            self.initial.setdefault("contact_language", (translation.get_language() or "en")[:2])

    @property
    def is_bot(self) -> bool:
        """True when the honeypot was filled: the view thanks the bot and saves nothing."""
        return bool((self.data.get(HONEYPOT_FIELD) or "").strip())

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        area_id = cleaned.get("area")
        cleaned["area"] = Area.objects.filter(pk=area_id).first() if area_id else None
        if area_id and cleaned["area"] is None:
            self.add_error("area", _("Choose an area from the list."))
        self.clean_contact(cleaned)
        return cleaned


class PartnerReferralForm(CleanTextMixin, ContactFieldsMixin, GovukFormMixin, forms.Form):
    """A volunteer's report, quick to fill in on a phone at night."""

    danger_now = forms.TypedChoiceField(
        label=_("Is anyone in danger right now?"),
        choices=[("yes", _("Yes")), ("no", _("No"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        help_text=_("If someone is in danger now, call 999 first."),
    )
    indicators = forms.MultipleChoiceField(
        label=_("What did you see?"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    area = forms.TypedChoiceField(label=_("Area"), coerce=int)
    place_description = forms.CharField(
        label=_("Where exactly?"),
        required=False,
        max_length=500,
        help_text=_("A street, a landmark, a business: whatever helps us find the place."),
    )
    latitude = forms.FloatField(
        required=False, min_value=-90, max_value=90, widget=forms.HiddenInput
    )
    longitude = forms.FloatField(
        required=False, min_value=-180, max_value=180, widget=forms.HiddenInput
    )
    occurred_at = forms.DateTimeField(
        label=_("When did you see this?"),
        required=False,
        help_text=_("Leave empty if it was just now."),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%d/%m/%Y %H:%M"],
    )
    person_description = forms.CharField(
        label=_("Describe the person"),
        required=False,
        max_length=1000,
        help_text=_("Clothes, hair, height, anything that would help recognise them."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    age_band = forms.ChoiceField(
        label=_("How old do they seem?"),
        choices=AgeBand.choices,
        initial=AgeBand.UNKNOWN,
        widget=forms.RadioSelect,
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages they speak"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    nationality = forms.ChoiceField(
        label=_("Nationality, if they said"),
        required=False,
        choices=[("", _("Not known")), *NATIONALITIES],
    )
    contact_consent = forms.ChoiceField(
        label=_("Did they agree to be contacted?"),
        choices=ContactConsent.choices,
        widget=forms.RadioSelect,
    )
    contact_method = forms.ChoiceField(
        label=_("How is it safe to contact them?"),
        choices=ContactMethod.choices,
        initial=ContactMethod.NONE,
        widget=forms.RadioSelect,
    )
    contact_value, safe_times = _contact_fields().values()
    contact_language = forms.ChoiceField(
        label=_("Language to contact them in"),
        required=False,
    )
    what_is_happening = forms.CharField(
        label=_("Anything else?"),
        required=False,
        max_length=TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, areas: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.areas = {area.pk: area for area in areas}
        self.fields["area"].choices = [  # type: ignore[attr-defined]
            ("", _("Choose an area")),
            *area_choices(self.areas.values()),
        ]
        self.fields["indicators"].choices = [  # type: ignore[attr-defined]
            (item.code, item.label) for item in taxonomy.indicators("referral")
        ]
        self.fields["languages"].choices = spoken_language_choices()  # type: ignore[attr-defined]
        self.fields["contact_language"].choices = [  # type: ignore[attr-defined]
            ("", _("Not known")),
            *contact_language_choices(),
        ]
        if len(self.areas) == 1 and not self.is_bound:
            self.initial["area"] = next(iter(self.areas))

    def indicator_groups(self) -> list[dict[str, Any]]:
        """The checklist, a fieldset per family, with what was ticked."""
        ticked = set(self["indicators"].value() or [])
        return [
            {
                "family": family,
                "items": [
                    {"indicator": item, "checked": item.code in ticked, "id": f"ind-{item.code}"}
                    for item in members
                ],
            }
            for family, members in taxonomy.families("referral")
        ]

    def clean_occurred_at(self) -> Any:
        value = self.cleaned_data.get("occurred_at")
        if value is None:
            return None
        now = timezone.now()
        if value > now + timedelta(minutes=10):
            raise ValidationError(_("The time cannot be in the future."), code="future")
        if value < now - timedelta(days=366):
            raise ValidationError(_("Enter a time within the last year."), code="too_old")
        return value

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        area_id = cleaned.get("area")
        if area_id is not None:
            cleaned["area"] = self.areas.get(area_id)
            if cleaned["area"] is None:
                self.add_error("area", _("Choose an area from the list."))
        if (cleaned.get("latitude") is None) != (cleaned.get("longitude") is None):
            cleaned["latitude"] = cleaned["longitude"] = None
        method = cleaned.get("contact_method")
        if method in (ContactMethod.PHONE, ContactMethod.WHATSAPP, ContactMethod.EMAIL) and (
            cleaned.get("contact_consent") != ContactConsent.YES
        ):
            self.add_error(
                "contact_method",
                _("Only give a way to contact them directly if they agreed to it."),
            )
        self.clean_contact(cleaned)
        return cleaned


class AgencyReferralForm(PartnerReferralForm):
    """Keyed by a handler, e.g. from a phone call by a council or police officer."""

    referrer_details = forms.CharField(
        label=_("Who made the referral"),
        max_length=500,
        help_text=_("Name, organisation and how to reach them."),
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    field_order = ["referrer_details", "danger_now"]


# --- Triage -----------------------------------------------------------------------------------


class AcceptForm(CleanTextMixin, GovukFormMixin, forms.Form):
    investigator = forms.TypedChoiceField(label=_("Lead investigator"), coerce=int)

    def __init__(self, *args: Any, investigators: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["investigator"].choices = investigators  # type: ignore[attr-defined]


class LinkForm(CleanTextMixin, GovukFormMixin, forms.Form):
    case = forms.TypedChoiceField(label=_("Case"), coerce=int)

    def __init__(self, *args: Any, cases: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["case"].choices = cases  # type: ignore[attr-defined]


class InfoRequestForm(CleanTextMixin, GovukFormMixin, forms.Form):
    question = forms.CharField(
        label=_("Question to the referring partner"),
        max_length=1000,
        help_text=_("They see it in their list of referrals. Do not include personal details."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class DeclineForm(CleanTextMixin, GovukFormMixin, forms.Form):
    reason = forms.CharField(
        label=_("Reason for declining"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class InfoResponseForm(CleanTextMixin, GovukFormMixin, forms.Form):
    answer = forms.CharField(
        label=_("Your answer"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
