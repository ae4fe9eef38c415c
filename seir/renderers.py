"""The project's form renderer (``FORM_RENDERER``): no page shows a NUL character back.

A NUL (``"\\x00"``) is never typed; it comes from a hostile or broken request. Django's
fields refuse it (``CharField`` runs ``ProhibitNullCharactersValidator``, "Null
characters are not allowed.", whose message does not quote the value; a choice, date or
number field refuses it as an invalid value), and that stays as it is: validation reads
the data exactly as sent, so the same error is shown and nothing is saved.

What a refused form shows *back* is another matter. Its bound field re-renders the value
sent (``<input value="a\\x00b">``), and some messages quote it ("Select a valid choice.
\\x00 is not one of the available choices."), so the NUL went out raw in the HTML. Every
form rendered with this renderer (it is the default for all of them: the project's
forms, django-filter's filter forms, Django's auth forms for sign-in and password reset,
two-factor set-up, the admin) uses ``NulFreeBoundField``, which leaves the NUL out of:

- ``value()``: the value a widget renders (a string, or each string of a list);
- ``errors``: the messages shown beside the field (their codes kept).

``form.data``, ``form.errors`` and ``cleaned_data`` are not touched: only what a page
draws from a bound field is cleaned. So a template that writes its inputs by hand takes
the value and errors from the bound field (``{{ form.note.value|default:'' }}``,
``{{ form.note.errors|join:" " }}``), never from ``form.data`` or ``form.errors``.

(Turning each NUL into U+FFFD before views read the request was tried and undone: text
fields then accepted the replaced value.)
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.forms.boundfield import BoundField
from django.forms.renderers import DjangoTemplates

NUL = "\x00"


def without_nul(value: Any) -> Any:
    """``value`` with each NUL left out of it (of each item, for a list or tuple)."""
    if isinstance(value, str):
        return value.replace(NUL, "") if NUL in value else value
    if isinstance(value, (list, tuple)):
        return type(value)(without_nul(item) for item in value)
    return value


class NulFreeBoundField(BoundField):
    """A bound field that renders its value and its error messages without NUL."""

    def value(self):
        return without_nul(super().value())

    @property
    def errors(self):
        errors = super().errors
        if not any(NUL in message for message in errors):
            return errors
        cleaned = errors.copy()
        cleaned.field_id = errors.field_id
        cleaned.data = [
            ValidationError(
                without_nul(next(iter(error)) if isinstance(error, ValidationError) else error),
                code=getattr(error, "code", None),
            )
            for error in errors.data
        ]
        return cleaned


class FormRenderer(DjangoTemplates):
    """Django's default renderer, with ``NulFreeBoundField`` for every form."""

    bound_field_class = NulFreeBoundField
