"""Forms for intelligence work. They check the shape of input; the rules live in services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from signpost.core.govuk import GovukFormMixin
from signpost.core.models import Organisation
from signpost.intel.models import (
    HANDLING_MEANINGS,
    INTELLIGENCE_GRADE_MEANINGS,
    SOURCE_GRADE_MEANINGS,
    HandlingCode,
    IntelligenceGrade,
    ReplyKind,
    SourceGrade,
)


def _with_meanings(choices: Any, meanings: dict[Any, Any]) -> list[dict[str, str]]:
    return [
        {"value": value, "label": str(label), "meaning": str(meanings[value])}
        for value, label in choices
    ]


class ReportForm(GovukFormMixin, forms.Form):
    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        help_text=_("A short description of what the report is about."),
        error_messages={"required": _("Enter a title.")},
    )
    body = forms.CharField(
        label=_("What is known"),
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_(
            "Facts, who and what is involved, when and where. Sanitisation will mask what "
            "identifies the source before anything is shared."
        ),
        error_messages={"required": _("Enter what is known.")},
    )
    entities = forms.MultipleChoiceField(
        label=_("Linked entities"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("People, identifiers and places of the case that the report is about."),
    )
    source_grade = forms.ChoiceField(
        label=_("Source evaluation"),
        choices=SourceGrade.choices,
        required=False,
        widget=forms.RadioSelect,
    )
    intelligence_grade = forms.ChoiceField(
        label=_("Intelligence assessment"),
        choices=IntelligenceGrade.choices,
        required=False,
        widget=forms.RadioSelect,
    )
    handling_code = forms.ChoiceField(
        label=_("Handling code"),
        choices=HandlingCode.choices,
        required=False,
        widget=forms.RadioSelect,
    )
    handling_conditions = forms.CharField(
        label=_("Handling conditions"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required for handling code C: who may receive it and for what purpose."),
    )

    def __init__(self, *args: Any, entity_choices: list[tuple[str, str]] = (), **kwargs: Any):  # type: ignore[assignment]
        super().__init__(*args, **kwargs)
        self.fields["entities"].choices = list(entity_choices)  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        code = cleaned.get("handling_code")
        conditions = (cleaned.get("handling_conditions") or "").strip()
        if code == HandlingCode.CONDITIONS and not conditions:
            self.add_error(
                "handling_conditions",
                _("Enter the conditions under which the report may be shared."),
            )
        if code == HandlingCode.PERMITTED and conditions:
            self.add_error(
                "handling_conditions", _("Conditions are only written for handling code C.")
            )
        return cleaned

    # Properties, not class attributes: the labels and meanings are read in the language of
    # the request that shows the form, not the language active when the module was imported.
    @property
    def source_choices(self) -> list[dict[str, str]]:
        return _with_meanings(SourceGrade.choices, SOURCE_GRADE_MEANINGS)

    @property
    def intelligence_choices(self) -> list[dict[str, str]]:
        return _with_meanings(IntelligenceGrade.choices, INTELLIGENCE_GRADE_MEANINGS)

    @property
    def handling_choices(self) -> list[dict[str, str]]:
        return _with_meanings(HandlingCode.choices, HANDLING_MEANINGS)


class StartReportForm(GovukFormMixin, forms.Form):
    case = forms.TypedChoiceField(
        label=_("Case"),
        coerce=int,
        error_messages={"required": _("Choose the case the report is written from.")},
    )

    def __init__(self, *args: Any, cases: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["case"].choices = [("", _("Choose a case"))] + [  # type: ignore[attr-defined]
            (case.pk, case.reference) for case in cases
        ]


class SanitiseForm(GovukFormMixin, forms.Form):
    extra_terms = forms.CharField(
        label=_("Anything else that identifies the source"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "One a line: names, numbers or places that the automatic check did not find. "
            "They are masked too and are not stored."
        ),
    )

    def terms(self) -> list[str]:
        text = self.cleaned_data.get("extra_terms", "") if hasattr(self, "cleaned_data") else ""
        return [line.strip() for line in text.splitlines() if line.strip()]


class DiscloseForm(GovukFormMixin, forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Police force or agency"),
        queryset=Organisation.objects.none(),
        empty_label=_("Choose a police force or agency"),
        error_messages={"required": _("Choose a police force or agency.")},
    )

    def __init__(self, *args: Any, organisations: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if organisations is not None:
            self.fields["organisation"].queryset = organisations  # type: ignore[attr-defined]


class ReplyForm(GovukFormMixin, forms.Form):
    kind = forms.ChoiceField(
        label=_("Your reply is"),
        choices=ReplyKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose whether this is an outcome or a request.")},
    )
    text = forms.CharField(
        label=_("Reply"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=5000,
        error_messages={"required": _("Enter your reply.")},
    )


class NetworkForm(GovukFormMixin, forms.Form):
    """Where to start and what to show. Sent by POST: a phone number is personal data."""

    seed_kind = forms.ChoiceField(
        label=_("Start from"),
        required=False,
        choices=[
            ("", _("The largest networks")),
            ("case", _("A case")),
            ("phone", _("A phone number")),
            ("group", _("An advert group")),
        ],
        widget=forms.RadioSelect,
    )
    node = forms.CharField(required=False, max_length=80, widget=forms.HiddenInput)
    case = forms.CharField(label=_("Case reference"), required=False, max_length=20)
    phone = forms.CharField(label=_("Phone number"), required=False, max_length=40)
    group = forms.CharField(label=_("Advert group id"), required=False, max_length=32)
    depth = forms.TypedChoiceField(
        label=_("Steps from the start"),
        coerce=int,
        choices=[(1, "1"), (2, "2"), (3, "3"), (4, "4")],
        initial=2,
        required=False,
    )
    types = forms.MultipleChoiceField(
        label=_("Show"), required=False, widget=forms.CheckboxSelectMultiple
    )
    since = forms.DateField(
        label=_("From"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    until = forms.DateField(
        label=_("To"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def __init__(self, *args: Any, type_choices: list[tuple[str, str]] = (), **kwargs: Any):  # type: ignore[assignment]
        super().__init__(*args, **kwargs)
        self.fields["types"].choices = list(type_choices)  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        kind = cleaned.get("seed_kind")
        if kind and not (cleaned.get(kind) or "").strip():
            self.add_error(kind, _("Enter where to start from."))
        since, until = cleaned.get("since"), cleaned.get("until")
        if since and until and since > until:
            self.add_error("until", _("The end date must be on or after the start date."))
        return cleaned


class MatchDecisionForm(GovukFormMixin, forms.Form):
    decision = forms.ChoiceField(
        label=_("Are these the same person?"),
        choices=[("confirm", _("Yes, the same person")), ("reject", _("No, different people"))],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose whether these records are the same person.")},
    )
