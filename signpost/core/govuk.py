"""GOV.UK Frontend classes and ARIA wiring for Django form widgets."""

from __future__ import annotations

from typing import Any

from django import forms
from django.forms.widgets import Input

_WIDGET_CLASSES: list[tuple[type[forms.Widget], str]] = [
    (forms.CheckboxSelectMultiple, "govuk-checkboxes__input"),
    (forms.RadioSelect, "govuk-radios__input"),
    (forms.CheckboxInput, "govuk-checkboxes__input"),
    (forms.Select, "govuk-select"),
    (forms.Textarea, "govuk-textarea"),
    (forms.FileInput, "govuk-file-upload"),
    (Input, "govuk-input"),
]


class GovukFormMixin:
    """Adds the component classes and links each input to its hint and error messages."""

    fields: dict[str, forms.Field]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[call-arg]
        for field in self.fields.values():
            widget = field.widget
            for widget_type, css_class in _WIDGET_CLASSES:
                if isinstance(widget, widget_type):
                    existing = widget.attrs.get("class", "")
                    widget.attrs["class"] = f"{existing} {css_class}".strip()
                    break

    def full_clean(self) -> None:
        super().full_clean()  # type: ignore[misc]
        for name, field in self.fields.items():
            described_by = []
            bound = self[name]  # type: ignore[index]
            if field.help_text:
                described_by.append(f"{bound.id_for_label}-hint")
            if name in getattr(self, "errors", {}):
                described_by.append(f"{bound.id_for_label}-error")
                widget = field.widget
                if isinstance(widget, Input | forms.Textarea | forms.Select):
                    widget.attrs["class"] = (
                        f"{widget.attrs.get('class', '')} govuk-input--error".strip()
                    )
            if described_by:
                field.widget.attrs["aria-describedby"] = " ".join(described_by)
