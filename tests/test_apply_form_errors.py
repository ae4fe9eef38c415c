"""seir.forms.apply_form_errors: a service's refusal lands where the person sees it."""

from django import forms
from django.core.exceptions import ValidationError

from seir.forms import apply_form_errors


class _Form(forms.Form):
    name = forms.CharField(required=False)
    introduction = forms.IntegerField(required=False, widget=forms.HiddenInput)


def test_an_error_on_a_visible_field_stays_beside_it():
    form = _Form({"name": "x"})
    form.is_valid()

    apply_form_errors(form, ValidationError({"name": "Too short."}))

    assert form.errors == {"name": ["Too short."]}


def test_an_error_on_a_hidden_field_or_no_field_goes_above_the_form():
    form = _Form({"name": "x", "introduction": "3"})
    form.is_valid()

    apply_form_errors(
        form,
        ValidationError({"introduction": "Another venture's introduction.", "nope": "Odd."}),
    )

    assert form.non_field_errors() == ["Another venture's introduction.", "Odd."]
    assert "introduction" not in form.errors
