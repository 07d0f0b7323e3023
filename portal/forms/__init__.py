"""Forms shared by several areas."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import SelectMultipleField
from wtforms.fields.choices import SelectChoice
from wtforms.widgets import CheckboxInput, ListWidget


class EmptyForm(FlaskForm):
    """A POST-only button: carries just the CSRF token."""


def strip(value):
    """A field filter: surrounding spaces are never part of what users mean."""
    return value.strip() if isinstance(value, str) else value


def choices(pairs) -> list:
    """(value, label) pairs as WTForms choices."""
    return [SelectChoice(value, label) for value, label in pairs]


def als_int(value, default: int) -> int:
    """A number from a query parameter, or ``default`` when it is none."""
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


class MultiCheckboxField(SelectMultipleField):
    """A choice of several, as checkboxes."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()
