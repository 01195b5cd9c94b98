from __future__ import annotations

import datetime
from typing import Any, cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from signpost.core.govuk import GovukFormMixin
from signpost.insights import statistics
from signpost.insights.dashboard import Period, default_period

MONTHS_OFFERED = 36


def month_choices() -> list[tuple[str, str]]:
    month = timezone.localdate().replace(day=1)
    choices = []
    for _i in range(MONTHS_OFFERED):
        choices.append((month.strftime("%Y-%m"), month.strftime("%Y-%m")))
        month = (month - datetime.timedelta(days=1)).replace(day=1)
    return choices


def parse_month(value: str) -> datetime.date:
    year, month = value.split("-")
    return datetime.date(int(year), int(month), 1)


class DashboardFilterForm(GovukFormMixin, forms.Form):
    """GET filters: months and an area id, nothing about any person."""

    quarter = forms.ChoiceField(
        label=_("Quarter"),
        required=False,
        help_text=_("Choose a quarter, or leave this and choose the months below."),
    )
    start = forms.ChoiceField(label=_("From month"), required=False)
    end = forms.ChoiceField(label=_("To month"), required=False)
    area = forms.TypedChoiceField(label=_("Area"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args: Any, areas: dict[int, str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        months = month_choices()
        cast(forms.ChoiceField, self.fields["quarter"]).choices = [
            ("", _("Months below")),
            *statistics.quarter_choices(),
        ]
        cast(forms.ChoiceField, self.fields["start"]).choices = [
            ("", _("Twelve months ago")),
            *months,
        ]
        cast(forms.ChoiceField, self.fields["end"]).choices = [("", _("This month")), *months]
        cast(forms.ChoiceField, self.fields["area"]).choices = [("", _("All areas"))] + [
            (str(pk), name) for pk, name in areas.items()
        ]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        default = default_period(timezone.localdate())
        quarter = statistics.parse_quarter(cleaned.get("quarter") or "")
        if quarter is not None:
            months = statistics.quarter_months(*quarter)
            cleaned["period"] = Period(months[0], months[-1])
            return cleaned
        start = parse_month(cleaned["start"]) if cleaned.get("start") else default.start
        end = parse_month(cleaned["end"]) if cleaned.get("end") else default.end
        if start > end:
            self.add_error("end", _("The last month must not be before the first month."))
        cleaned["period"] = Period(start, end)
        return cleaned


class StatisticsQuarterForm(GovukFormMixin, forms.Form):
    quarter = forms.ChoiceField(label=_("Quarter"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["quarter"]).choices = statistics.quarter_choices()

    def clean_quarter(self) -> tuple[int, int]:
        parsed = statistics.parse_quarter(self.cleaned_data["quarter"])
        if parsed is None:
            raise forms.ValidationError(_("Choose a quarter from the list."), code="invalid")
        return parsed
