"""Forms for case work. They check the shape of input; the rules live in services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from signpost.cases.models import (
    Case,
    CaseStatus,
    ClosureOutcome,
    ExploitationType,
    IdentifierKind,
    NrmDecision,
    Person,
    PersonRole,
    PlaceKind,
    SafeguardingActionKind,
    SupportNeed,
    TimelineEntryKind,
)
from signpost.core.govuk import GovukFormMixin
from signpost.core.models import Area, Organisation, User


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


def _person_choices(people: list[Person]) -> list[tuple[str, str]]:
    choices = [("", str(_("Not about one person")))]
    for person in people:
        label = f"{person.full_name} ({person.get_role_display()})"
        choices.append((str(person.pk), label))
    return choices


class PersonChoiceMixin:
    """An optional `person` field limited to the people of this case."""

    fields: dict[str, forms.Field]

    def set_people(self, people: list[Person]) -> None:
        self._people = {str(person.pk): person for person in people}
        field = self.fields["person"]
        assert isinstance(field, forms.ChoiceField)  # noqa: S101
        field.choices = _person_choices(people)

    def clean_person(self) -> Person | None:
        value = self.cleaned_data.get("person")  # type: ignore[attr-defined]
        if not value:
            return None
        person = getattr(self, "_people", {}).get(value)
        if person is None:
            raise ValidationError(_("Choose someone from the list."))
        return person


class CaseOpenForm(GovukFormMixin, forms.Form):
    area = forms.ModelChoiceField(
        label=_("Area"),
        queryset=Area.objects.none(),
        error_messages={"required": _("Choose the area."), "invalid_choice": _("Choose the area.")},
    )
    lead_investigator = forms.ModelChoiceField(
        label=_("Lead investigator"),
        queryset=User.objects.none(),
        error_messages={
            "required": _("Choose the lead investigator."),
            "invalid_choice": _("Choose the lead investigator."),
        },
    )
    exploitation_types = forms.MultipleChoiceField(
        label=_("Types of exploitation"),
        choices=ExploitationType.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Select all that apply. Choose “Not known yet” if it is too early to say."),
        error_messages={"required": _("Choose at least one type of exploitation.")},
    )
    summary = forms.CharField(
        label=_("Summary"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5000,
    )

    def __init__(self, *args: Any, areas: Any, investigators: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = areas  # type: ignore[attr-defined]
        self.fields["lead_investigator"].queryset = investigators  # type: ignore[attr-defined]


class PersonForm(GovukFormMixin, forms.Form):
    prefix = "person"

    role = forms.ChoiceField(
        label=_("Role in the case"),
        choices=PersonRole.choices,
        error_messages={"required": _("Choose the person's role in the case.")},
    )
    full_name = forms.CharField(
        label=_("Name"),
        max_length=200,
        help_text=_("As they say it, or a description such as “unknown woman, about 20”."),
        error_messages={"required": _("Enter a name or a description.")},
    )
    aliases = forms.CharField(
        label=_("Other names"),
        required=False,
        max_length=500,
        help_text=_("Nicknames or other spellings, separated by commas."),
    )
    date_of_birth = forms.DateField(
        label=_("Date of birth"),
        required=False,
        widget=DateInput(),
        error_messages={"invalid": _("Enter a real date of birth.")},
    )
    estimated_age = forms.IntegerField(
        label=_("Estimated age"),
        required=False,
        min_value=0,
        max_value=120,
        help_text=_("When the date of birth is not known."),
        widget=forms.NumberInput(attrs={"class": "govuk-input--width-3"}),
        error_messages={
            "invalid": _("Enter the estimated age as a number."),
            "min_value": _("Enter an estimated age between 0 and 120."),
            "max_value": _("Enter an estimated age between 0 and 120."),
        },
    )
    nationality = forms.CharField(label=_("Nationality"), required=False, max_length=100)
    languages = forms.CharField(
        label=_("Languages"),
        required=False,
        max_length=200,
        help_text=_("Separated by commas, for example Romanian, English."),
    )
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    contact_details = forms.CharField(
        label=_("Safe contact details"),
        required=False,
        max_length=1000,
        help_text=_("How and when it is safe to contact them."),
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def clean_aliases(self) -> list[str]:
        return [alias.strip() for alias in self.cleaned_data["aliases"].split(",") if alias.strip()]

    def clean_languages(self) -> list[str]:
        return [
            value.strip() for value in self.cleaned_data["languages"].split(",") if value.strip()
        ]


class IdentifierForm(PersonChoiceMixin, GovukFormMixin, forms.Form):
    prefix = "identifier"

    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=IdentifierKind.choices,
        error_messages={"required": _("Choose the kind of identifier.")},
    )
    value = forms.CharField(
        label=_("Identifier"),
        max_length=200,
        help_text=_("UK phone numbers can be entered without +44."),
        error_messages={"required": _("Enter the identifier.")},
    )
    person = forms.ChoiceField(label=_("Whose is it?"), required=False, choices=[])


class PlaceForm(PersonChoiceMixin, GovukFormMixin, forms.Form):
    prefix = "place"

    kind = forms.ChoiceField(
        label=_("Kind of place"),
        choices=PlaceKind.choices,
        error_messages={"required": _("Choose the kind of place.")},
    )
    address = forms.CharField(
        label=_("Address or description"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Enter the address or a description of the place.")},
    )
    postcode = forms.CharField(
        label=_("Postcode"),
        required=False,
        max_length=10,
        widget=forms.TextInput(attrs={"class": "govuk-input--width-10", "autocomplete": "off"}),
    )
    latitude = forms.DecimalField(
        label=_("Latitude"),
        required=False,
        min_value=-90,
        max_value=90,
        decimal_places=5,
        error_messages={"invalid": _("Enter the latitude as a number, like 52.48142.")},
    )
    longitude = forms.DecimalField(
        label=_("Longitude"),
        required=False,
        min_value=-180,
        max_value=180,
        decimal_places=5,
        error_messages={"invalid": _("Enter the longitude as a number, like -1.89983.")},
    )
    person = forms.ChoiceField(label=_("Linked to"), required=False, choices=[])


class TimelineEntryForm(GovukFormMixin, forms.Form):
    prefix = "note"

    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=TimelineEntryKind.choices,
        initial=TimelineEntryKind.NOTE,
        widget=forms.RadioSelect,
    )
    text = forms.CharField(
        label=_("Note"),
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Enter the text of the note.")},
    )


class TaskForm(GovukFormMixin, forms.Form):
    prefix = "task"

    title = forms.CharField(
        label=_("Task"),
        max_length=500,
        error_messages={"required": _("Enter what needs to be done.")},
    )
    assignee = forms.ModelChoiceField(
        label=_("Assigned to"),
        queryset=User.objects.none(),
        error_messages={
            "required": _("Choose who will do it."),
            "invalid_choice": _("Choose who will do it."),
        },
    )
    due_on = forms.DateField(
        label=_("Due date"),
        required=False,
        widget=DateInput(),
        error_messages={"invalid": _("Enter a real date.")},
    )

    def __init__(self, *args: Any, assignees: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if assignees is not None:
            self.fields["assignee"].queryset = assignees  # type: ignore[attr-defined]


class HandlerAssignForm(GovukFormMixin, forms.Form):
    prefix = "handler"

    handler = forms.ModelChoiceField(
        label=_("Intake handler"),
        queryset=User.objects.none(),
        error_messages={
            "required": _("Choose an intake handler."),
            "invalid_choice": _("Choose an intake handler of this case's region."),
        },
    )

    def __init__(self, *args: Any, handlers: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if handlers is not None:
            self.fields["handler"].queryset = handlers  # type: ignore[attr-defined]


class SafeguardingActionForm(PersonChoiceMixin, GovukFormMixin, forms.Form):
    prefix = "safeguarding"

    kind = forms.ChoiceField(
        label=_("Action"),
        choices=SafeguardingActionKind.choices,
        error_messages={"required": _("Choose the safeguarding action.")},
    )
    taken_on = forms.DateField(
        label=_("Date taken"),
        required=False,
        widget=DateInput(),
        error_messages={"invalid": _("Enter a real date.")},
    )
    details = forms.CharField(
        label=_("Details"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    person = forms.ChoiceField(label=_("For"), required=False, choices=[])


class SupportReferralForm(PersonChoiceMixin, GovukFormMixin, forms.Form):
    prefix = "support"

    provider = forms.ModelChoiceField(
        label=_("Support provider"),
        queryset=Organisation.objects.none(),
        error_messages={
            "required": _("Choose a support provider."),
            "invalid_choice": _("Choose a support provider."),
        },
    )
    need = forms.ChoiceField(
        label=_("Support needed"),
        choices=SupportNeed.choices,
        error_messages={"required": _("Choose the support needed.")},
    )
    referred_on = forms.DateField(
        label=_("Date referred"),
        required=False,
        widget=DateInput(),
        error_messages={"invalid": _("Enter a real date.")},
    )
    notes = forms.CharField(
        label=_("Notes"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 2})
    )
    person = forms.ChoiceField(label=_("For"), required=False, choices=[])

    def __init__(self, *args: Any, providers: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if providers is not None:
            self.fields["provider"].queryset = providers  # type: ignore[attr-defined]


class StatusForm(GovukFormMixin, forms.Form):
    prefix = "status"

    status = forms.ChoiceField(
        label=_("New status"),
        choices=[],
        error_messages={
            "required": _("Choose the new status."),
            "invalid_choice": _("Choose one of the statuses offered."),
        },
    )

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        labels = dict(CaseStatus.choices)
        field = self.fields["status"]
        assert isinstance(field, forms.ChoiceField)  # noqa: S101
        field.choices = [(value, labels[value]) for value in case.allowed_next_statuses()]


class ClosureRequestForm(GovukFormMixin, forms.Form):
    prefix = "closure"

    outcome = forms.ChoiceField(
        label=_("Outcome"),
        choices=ClosureOutcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the outcome of the case.")},
    )
    reason = forms.CharField(
        label=_("Why the case can close"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Say why the case can close.")},
    )


YES_NO = [("yes", _("Yes")), ("no", _("No"))]


class NrmConsentForm(GovukFormMixin, forms.Form):
    is_child = forms.ChoiceField(
        label=_("Is the person under 18?"),
        choices=YES_NO,
        required=False,
        widget=forms.RadioSelect,
        help_text=_("Only needed when their date of birth or age is not recorded."),
    )
    consent_given = forms.ChoiceField(
        label=_("Did the adult give informed consent to an NRM referral?"),
        choices=YES_NO,
        required=False,
        widget=forms.RadioSelect,
        help_text=_(
            "Without consent, an adult can only be reported anonymously under the Duty to Notify. "
            "Under-18s are always referred to the NRM: no consent is needed."
        ),
    )

    @staticmethod
    def as_bool(value: str) -> bool | None:
        return {"yes": True, "no": False}.get(value)


class NrmSubmissionForm(GovukFormMixin, forms.Form):
    prefix = "submission"

    submitted_on = forms.DateField(
        label=_("Date submitted"),
        widget=DateInput(),
        error_messages={
            "required": _("Enter the date it was submitted."),
            "invalid": _("Enter a real date."),
        },
    )
    first_responder = forms.ModelChoiceField(
        label=_("First responder organisation"),
        queryset=Organisation.objects.none(),
        error_messages={
            "required": _("Choose the first responder organisation."),
            "invalid_choice": _("Choose the first responder organisation."),
        },
    )

    def __init__(self, *args: Any, first_responders: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if first_responders is not None:
            self.fields["first_responder"].queryset = first_responders  # type: ignore[attr-defined]


class NrmReasonableGroundsForm(GovukFormMixin, forms.Form):
    prefix = "rg"

    decision = forms.ChoiceField(
        label=_("Reasonable Grounds decision"),
        choices=NrmDecision.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose positive or negative.")},
    )
    decided_on = forms.DateField(
        label=_("Date of the decision"),
        widget=DateInput(),
        error_messages={
            "required": _("Enter the date of the decision."),
            "invalid": _("Enter a real date."),
        },
    )
    recovery_period_ends_on = forms.DateField(
        label=_("End of the recovery period"),
        required=False,
        widget=DateInput(),
        help_text=_("At least 30 days after a positive decision. Leave empty for 30 days."),
        error_messages={"invalid": _("Enter a real date.")},
    )


class NrmConclusiveGroundsForm(GovukFormMixin, forms.Form):
    prefix = "cg"

    decision = forms.ChoiceField(
        label=_("Conclusive Grounds decision"),
        choices=NrmDecision.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose positive or negative.")},
    )
    decided_on = forms.DateField(
        label=_("Date of the decision"),
        widget=DateInput(),
        error_messages={
            "required": _("Enter the date of the decision."),
            "invalid": _("Enter a real date."),
        },
    )


class SearchForm(GovukFormMixin, forms.Form):
    term = forms.CharField(
        label=_("Reference or identifier"),
        max_length=200,
        help_text=_(
            "A case or referral reference, or an exact phone number, email address, handle, "
            "vehicle registration or document number."
        ),
        error_messages={"required": _("Enter a reference or an identifier.")},
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    kind = forms.ChoiceField(
        label=_("Search only"),
        required=False,
        choices=[("", _("Everything")), *IdentifierKind.choices],
    )
