"""A value with a NUL character is refused as before, and no page shows the NUL back
(issue 20, item 4; found by tests/test_hostile_input.py).

Validation reads the data as sent, so the same error is shown and nothing is written;
seir.renderers (the FORM_RENDERER) leaves the NUL out of what a bound field renders: its
value and its error messages.
"""

import pytest
from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.urls import reverse

from accounts.models import User
from checklists import services as checklist_services
from checklists.models import ChecklistTemplate
from plans.models import DraftSection
from seir.renderers import NulFreeBoundField, without_nul
from ventures.filters import VentureFilter
from ventures.models import GateCondition, GateConfirmation, Stage, Venture

pytestmark = pytest.mark.django_db

# The NUL as it could reach a page: raw, as an HTML character reference, in JSON.
NUL_FORMS = ["\x00", "&#0;", "&#x0;", "&#x00;", "\\u0000"]


def shows_no_nul(response) -> bool:
    body = response.content.decode()
    return not any(form in body for form in NUL_FORMS)


# --- the renderer ----------------------------------------------------------------------


class Sample(forms.Form):
    name = forms.CharField()
    size = forms.ChoiceField(choices=[("s", "Small"), ("l", "Large")])
    tags = forms.MultipleChoiceField(choices=[("a", "A"), ("b", "B")], required=False)


def test_a_refused_nul_is_the_same_error_and_the_bound_field_renders_without_it():
    # given: a form sent a NUL in a text field, a choice and a list
    form = Sample({"name": "a\x00b", "size": "\x00", "tags": ["a", "b\x00"]})

    # when / then: refused as Django refuses it, the data and form.errors untouched
    assert not form.is_valid()
    assert form.data == {"name": "a\x00b", "size": "\x00", "tags": ["a", "b\x00"]}
    assert form.errors["name"] == ["Null characters are not allowed."]
    assert form.errors["size"] == [
        "Select a valid choice. \x00 is not one of the available choices."
    ]
    # and: what the bound fields render leaves the NUL out, the error codes kept
    assert isinstance(form["name"], NulFreeBoundField)
    assert form["name"].value() == "ab"
    assert form["size"].value() == ""
    assert form["tags"].value() == ["a", "b"]
    assert list(form["name"].errors) == ["Null characters are not allowed."]
    assert list(form["size"].errors) == [
        "Select a valid choice.  is not one of the available choices."
    ]
    assert [e.code for e in form["size"].errors.as_data()] == ["invalid_choice"]
    assert form["size"].errors.field_id == "id_size"
    html = str(form)
    assert 'value="ab"' in html
    assert "\x00" not in html


def test_a_bound_field_without_nul_is_left_as_it_is():
    form = Sample({"name": "Ada", "size": "x"})

    assert not form.is_valid()
    assert form["name"].value() == "Ada"
    assert form["size"].errors is form.errors["size"]


def test_without_nul_leaves_other_values_alone():
    assert without_nul("a\x00b\x00") == "ab"
    assert without_nul(("a\x00", 1)) == ("a", 1)
    assert without_nul(None) is None
    assert without_nul(7) == 7


def test_filter_forms_and_auth_forms_use_the_renderer(seir):
    sign_in = AuthenticationForm(data={"username": "a"})
    ventures = VentureFilter({"q": "a"}, queryset=Venture.objects.none(), user=seir)

    assert isinstance(sign_in["username"], NulFreeBoundField)
    assert isinstance(ventures.form["q"], NulFreeBoundField)


# --- pages -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "field", "error"),
    [
        ({"q": "a\x00b"}, "q", "Null characters are not allowed."),
        ({"sort": "\x00"}, "sort", "Select a valid choice.  is not one of the available choices."),
    ],
)
def test_a_list_filter_refuses_nul_and_does_not_show_it_back(
    client, seir, venture, params, field, error
):
    client.force_login(seir)

    response = client.get(reverse("ventures:list"), params)

    assert response.status_code == 200
    assert response.context["filter"].form.errors[field] == [error.replace("  ", " \x00 ")]
    assert list(response.context["filter"].form[field].errors) == [error]
    assert f'id="id_{field}_errors">{error}</div>' in response.content.decode()
    assert shows_no_nul(response)


def test_sign_in_refuses_nul_and_does_not_show_it_back(client, entrepreneur):
    response = client.post(reverse("login"), {"username": "ada\x00", "password": "demo"})

    assert response.status_code == 200
    assert response.context["form"].errors == {"username": ["Null characters are not allowed."]}
    assert "_auth_user_id" not in client.session
    assert User.objects.get(pk=entrepreneur.pk).last_login is None
    assert 'name="username" value="ada"' in response.content.decode()
    assert shows_no_nul(response)


def test_a_plan_section_refuses_nul_saves_nothing_and_does_not_show_it_back(
    client, venture, entrepreneur
):
    client.force_login(entrepreneur)

    response = client.post(
        reverse("plans:section_edit", args=[venture.pk, "team"]),
        {"body": "Parveen\x00 and Aisha.", "version": "0"},
    )

    assert response.status_code == 200
    assert response.context["form"].errors == {"body": ["Null characters are not allowed."]}
    assert not DraftSection.objects.exists()
    assert ">Parveen and Aisha.</textarea>" in response.content.decode()
    assert shows_no_nul(response)


def test_a_gate_override_reason_refuses_nul_saves_nothing_and_does_not_show_it_back(
    client, venture, seir
):
    # given: a venture at Pilot whose required checklist items are outstanding
    checklist_services.checklist_create(
        actor=seir, venture=venture, template=ChecklistTemplate.objects.get(code="default")
    )
    Venture.objects.filter(pk=venture.pk).update(
        stage=Stage.objects.get(programme=venture.programme, code="pilot")
    )
    condition = GateCondition.objects.get(
        stage__programme=venture.programme, stage__code="pilot", label="Due diligence passed"
    )
    client.force_login(seir)

    # when: the SEiR confirms with a reason that holds a NUL
    response = client.post(
        reverse("ventures:gate_confirm", args=[venture.pk, condition.pk]),
        {"evidence": "Panel review.", "override_reason": "Seen\x00 by the panel."},
    )

    # then: refused beside the field, nothing saved, the NUL not shown back
    assert response.status_code == 200
    html = response.content.decode()
    assert f'id="override-{condition.pk}-error"' in html
    assert "Null characters are not allowed." in html
    assert "Seen by the panel." in html
    assert not GateConfirmation.objects.exists()
    assert shows_no_nul(response)
