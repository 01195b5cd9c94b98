from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from signpost.adverts.extraction import uk_towns
from signpost.adverts.indicators import catalogue
from signpost.adverts.services import max_upload_bytes
from signpost.core.govuk import GovukFormMixin
from signpost.core.models import Region


class UploadForm(GovukFormMixin, forms.Form):
    file = forms.FileField(
        label=_("File of adverts"),
        help_text=_("JSON Lines (.jsonl) or CSV (.csv), one advert a record, up to %(size)s MB."),
    )
    source = forms.CharField(
        label=_("Source"),
        max_length=100,
        required=False,
        help_text=_("The site the adverts come from, for records that do not name it."),
    )
    region = forms.ModelChoiceField(label=_("Region"), queryset=Region.objects.none())

    def __init__(self, *args: Any, regions: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        region_field: Any = self.fields["region"]
        region_field.queryset = regions
        if regions.count() == 1:
            self.fields["region"].initial = regions.first()
        limit = max_upload_bytes() // (1024 * 1024)
        self.fields["file"].help_text = self.fields["file"].help_text % {"size": limit}

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > max_upload_bytes():
            raise forms.ValidationError(
                _("The file is larger than %(size)s MB. Split it and upload the parts."),
                params={"size": max_upload_bytes() // (1024 * 1024)},
            )
        name = upload.name.lower()
        if not name.endswith((".jsonl", ".ndjson", ".json", ".csv")):
            raise forms.ValidationError(_("Upload a JSON Lines (.jsonl) or CSV (.csv) file."))
        return upload


class SearchForm(GovukFormMixin, forms.Form):
    phone = forms.CharField(label=_("Phone number"), max_length=60, required=False)
    email = forms.CharField(label=_("Email address"), max_length=320, required=False)
    handle = forms.CharField(label=_("Social media handle"), max_length=60, required=False)
    town = forms.ChoiceField(label=_("Town"), required=False)
    indicator = forms.ChoiceField(label=_("Indicator"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        towns = sorted({town.name for town in uk_towns().values()})
        town_field: Any = self.fields["town"]
        town_field.choices = [("", _("Any town")), *[(t, t) for t in towns]]
        indicator_field: Any = self.fields["indicator"]
        indicator_field.choices = [
            ("", _("Any indicator")),
            *[(code, item.name) for code, item in catalogue().items()],
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not any(data.get(name) for name in ("phone", "email", "handle", "town", "indicator")):
            raise forms.ValidationError(
                _("Enter a phone, email or handle, or choose a town or indicator.")
            )
        return data
