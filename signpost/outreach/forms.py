from __future__ import annotations

from datetime import timedelta
from typing import Any

from django import forms
from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from signpost.core.govuk import GovukFormMixin
from signpost.core.models import Area, Region
from signpost.outreach.models import (
    AwarenessPost,
    CommunityChannel,
    Distribution,
    DistributionPoint,
    LeafletEdition,
)


class DateInput(forms.DateInput):
    input_type = "date"


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class DistributionForm(GovukFormMixin, forms.Form):
    """Made for a phone at night: big targets, sensible defaults, four answers at most."""

    point = forms.ModelChoiceField(
        label=_("Where"),
        queryset=DistributionPoint.objects.none(),
        empty_label=_("Choose a place"),
        error_messages={"required": _("Choose the place where you left the leaflets.")},
    )
    edition = forms.ModelChoiceField(
        label=_("Which leaflet"),
        queryset=LeafletEdition.objects.none(),
        empty_label=None,
        error_messages={"required": _("Choose the leaflet you gave out.")},
    )
    quantity = forms.IntegerField(
        label=_("How many"),
        min_value=1,
        max_value=5000,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "class": "govuk-input--width-4"}),
        error_messages={
            "required": _("Enter how many leaflets you left or handed out."),
            "invalid": _("Enter a number, like 20."),
            "min_value": _("Enter at least 1 leaflet."),
            "max_value": _("Enter 5000 leaflets or fewer."),
        },
    )
    method = forms.ChoiceField(
        label=_("How"),
        choices=Distribution.Method.choices,
        initial=Distribution.Method.HANDED_OUT,
        widget=forms.RadioSelect,
    )
    distributed_at = forms.DateTimeField(
        label=_("When"),
        widget=DateTimeInput(),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        error_messages={
            "required": _("Enter when you left the leaflets."),
            "invalid": _("Enter a date and time, like 28/11/2026 02:15."),
        },
    )

    def __init__(
        self,
        *args: Any,
        points: QuerySet[DistributionPoint],
        editions: QuerySet[LeafletEdition],
        places_offered: list[DistributionPoint] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        point_field: Any = self.fields["point"]
        point_field.queryset = points
        if places_offered is not None:
            # Too many places for a list: the places offered are answers to choose from, and
            # any place in `points` is still accepted.
            answers = [(place.pk, f"{place.name}, {place.area.name}") for place in places_offered]
            point_field.widget = forms.RadioSelect(
                attrs={"class": "govuk-radios__input"}, choices=answers
            )
        edition_field: Any = self.fields["edition"]
        edition_field.queryset = editions
        self.fields["distributed_at"].initial = timezone.localtime().replace(
            second=0, microsecond=0
        )

    def clean_distributed_at(self) -> Any:
        value = self.cleaned_data["distributed_at"]
        if value > timezone.now() + timedelta(minutes=5):
            raise forms.ValidationError(_("The time cannot be in the future."))
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        point, edition = data.get("point"), data.get("edition")
        if point and edition and edition.region_id != point.area.region_id:
            self.add_error("edition", _("This leaflet is not used in that place's region."))
        return data


class PointForm(GovukFormMixin, forms.ModelForm):
    class Meta:
        model = DistributionPoint
        fields = ["name", "kind", "area", "latitude", "longitude", "is_active"]
        error_messages = {
            "name": {"required": _("Enter the name of the place.")},
            "kind": {"required": _("Choose what kind of place it is.")},
            "area": {"required": _("Choose the area.")},
            "latitude": {
                "required": _("Enter the latitude, like 52.47512."),
                "invalid": _("Enter the latitude as a number, like 52.47512."),
            },
            "longitude": {
                "required": _("Enter the longitude, like -1.89406."),
                "invalid": _("Enter the longitude as a number, like -1.89406."),
            },
        }

    def __init__(self, *args: Any, areas: QuerySet[Area], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        area_field: Any = self.fields["area"]
        area_field.queryset = areas
        for name in ("latitude", "longitude"):
            self.fields[name].widget.attrs.update(
                {"inputmode": "decimal", "class": "govuk-input--width-10"}
            )
        self.fields["latitude"].help_text = _("Decimal degrees; north is positive.")
        self.fields["longitude"].help_text = _("Decimal degrees; west of Greenwich is negative.")


class EditionCreateForm(GovukFormMixin, forms.Form):
    region = forms.ModelChoiceField(
        label=_("Region"), queryset=Region.objects.none(), empty_label=None
    )
    name = forms.CharField(
        label=_("Edition"),
        max_length=100,
        help_text=_("How staff and volunteers tell editions apart, e.g. 'Spring 2026'."),
        error_messages={"required": _("Enter a name for the edition.")},
    )
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)

    def __init__(self, *args: Any, regions: QuerySet[Region], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        region_field: Any = self.fields["region"]
        region_field.queryset = regions


class EditionTextForm(GovukFormMixin, forms.ModelForm):
    class Meta:
        model = LeafletEdition
        fields = ["name", "title", "what_is", "signs", "get_help", "contact", "is_current"]
        widgets = {
            "what_is": forms.Textarea(attrs={"rows": 4}),
            "signs": forms.Textarea(attrs={"rows": 7}),
            "get_help": forms.Textarea(attrs={"rows": 5}),
            "contact": forms.Textarea(attrs={"rows": 2}),
        }


class LeafletGenerateForm(GovukFormMixin, forms.Form):
    edition = forms.ModelChoiceField(
        label=_("Edition and language"),
        queryset=LeafletEdition.objects.none(),
        empty_label=None,
        error_messages={"required": _("Choose the edition to print.")},
    )

    def __init__(self, *args: Any, editions: QuerySet[LeafletEdition], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        edition_field: Any = self.fields["edition"]
        edition_field.queryset = editions


class ChannelForm(GovukFormMixin, forms.ModelForm):
    class Meta:
        model = CommunityChannel
        fields = [
            "name",
            "kind",
            "platform",
            "language",
            "audience_size",
            "contact_person",
            "status",
        ]
        widgets = {"contact_person": forms.Textarea(attrs={"rows": 3})}
        error_messages = {
            "name": {"required": _("Enter the channel's name.")},
            "platform": {"required": _("Enter the platform, like Facebook.")},
        }


class PostForm(GovukFormMixin, forms.ModelForm):
    link = forms.URLField(
        label=_("link to the post"),
        required=False,
        max_length=500,
        assume_scheme="https",
        error_messages={"invalid": _("Enter a full web address, starting with https://")},
    )

    class Meta:
        model = AwarenessPost
        fields = ["posted_on", "campaign", "link", "reach"]
        widgets = {"posted_on": DateInput()}
        error_messages = {
            "campaign": {"required": _("Enter the campaign, like 'Winter 2026'.")},
        }


class AttributionFilterForm(GovukFormMixin, forms.Form):
    date_from = forms.DateField(label=_("From"), required=False, widget=DateInput())
    date_to = forms.DateField(label=_("To"), required=False, widget=DateInput())

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            self.add_error("date_to", _("The end date must be on or after the start date."))
        return data
