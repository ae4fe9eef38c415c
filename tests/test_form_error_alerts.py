"""A refused form's errors that are not about one field are announced (role="alert"),
whether the page is loaded or htmx swaps the form in (WCAG 4.1.3, status messages)."""

from __future__ import annotations

from crispy_forms.utils import render_crispy_form
from django import forms


class _Form(forms.Form):
    name = forms.CharField()

    def clean(self):
        raise forms.ValidationError("Someone changed this meanwhile.")


class _FormSet(forms.BaseFormSet):
    def clean(self):
        raise forms.ValidationError("Two rows name the same person.")


def test_a_forms_own_errors_are_announced():
    form = _Form(data={"name": "Ann"})
    assert not form.is_valid()
    html = render_crispy_form(form)
    assert '<div class="alert alert-block alert-danger" role="alert">' in html
    assert "Someone changed this meanwhile." in html


def test_a_formsets_own_errors_are_announced():
    formset = forms.formset_factory(_Form, formset=_FormSet)(
        data={"form-TOTAL_FORMS": "0", "form-INITIAL_FORMS": "0"}
    )
    assert not formset.is_valid()
    html = render_crispy_form(formset)
    assert '<div class="alert alert-block alert-danger" role="alert">' in html
    assert "Two rows name the same person." in html
