"""Template helpers for rendering any Django form field as the matching GOV.UK component."""

from __future__ import annotations

from django import forms, template
from django.forms import BoundField

register = template.Library()


@register.filter
def widget_kind(field: BoundField) -> str:
    widget = field.field.widget
    if isinstance(widget, forms.HiddenInput):
        return "hidden"
    if isinstance(widget, forms.RadioSelect):
        return "radios"
    if isinstance(widget, forms.CheckboxSelectMultiple):
        return "checkboxes"
    if isinstance(widget, forms.CheckboxInput):
        return "checkbox"
    return "input"


@register.filter
def error_anchor(field: BoundField) -> str:
    """The id an error summary link should jump to: the first option of a radio or checkbox
    group (whose label does not point at any one input), else the field itself."""
    if widget_kind(field) in ("radios", "checkboxes"):
        options = list(field.subwidgets)
        return options[0].id_for_label if options else field.auto_id
    return field.id_for_label
