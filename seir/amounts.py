"""Amounts typed as people write them: "£1,250.50", "1,000", " 500 ".

A number input (``<input type="number">``) sends nothing for what the browser cannot
read as a number ("£500" or "1,000" in Firefox), so the page answered "This field is
required." beside an amount the person had typed, and the typing was gone; GOV.UK's
design system advises against number inputs for this reason. ``AmountField`` is a text
input that brings up the decimal keypad on a phone (``inputmode="decimal"``). It reads a
leading pound sign (``PoundsField``), commas between thousands and spaces, and refuses
anything else with a message that says what it wants, the typed text kept in the field.
"""

from __future__ import annotations

import re

from django import forms
from django.core.exceptions import ValidationError

# Commas only between groups of three digits ("1,000", "12,345.6"): "1,00" is refused
# rather than read as 100 or as one.
_GROUPED = re.compile(r"[+-]?\d{1,3}(?:,\d{3})+(?:\.\d*)?")
_SPACES = re.compile(r"[\s\u00a0\u202f]+")


class AmountField(forms.DecimalField):
    """A decimal typed in a text input: spaces and commas between thousands allowed."""

    pounds = False
    invalid = "Enter a number, such as 12 or 1,250.5."

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", forms.TextInput)
        super().__init__(**kwargs)
        self.error_messages["invalid"] = self.invalid

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        if not isinstance(widget, forms.HiddenInput):
            attrs.setdefault("inputmode", "decimal")
            attrs.setdefault("spellcheck", "false")
        return attrs

    def to_python(self, value):
        if isinstance(value, str):
            value = _SPACES.sub("", value)
            if self.pounds:
                typed, value = value, re.sub(r"^([+-]?)£", r"\1", value)
                if typed and not value.lstrip("+-"):  # a pound sign and no amount
                    raise ValidationError(self.error_messages["invalid"], code="invalid")
            if _GROUPED.fullmatch(value):
                value = value.replace(",", "")
        return super().to_python(value)


class PoundsField(AmountField):
    """An amount of money in pounds: "£1,250.50" reads as 1250.50."""

    pounds = True
    invalid = "Enter an amount in pounds, such as 1250 or £1,250.50."
