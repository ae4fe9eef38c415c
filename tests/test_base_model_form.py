"""seir.forms.BaseModelForm: the one place that keeps current values and reports only
what changed, for single and multiple choice fields alike."""

import pytest
from django.contrib.auth.models import Group

from accounts.factories import UserFactory
from seir.forms import BaseModelForm
from ventures.forms import NoteForm, VentureCreateForm, VentureProfileForm

pytestmark = pytest.mark.django_db


class GroupsForm(BaseModelForm):
    class Meta:
        model = UserFactory._meta.model
        fields = ["first_name", "groups"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["groups"].queryset = Group.objects.filter(name__startswith="open")


def test_every_model_form_of_the_pipeline_uses_the_base():
    assert all(
        issubclass(f, BaseModelForm) for f in (VentureCreateForm, VentureProfileForm, NoteForm)
    )


def test_multiple_choice_keeps_the_current_values_no_longer_offered():
    # given: a user in a group the form no longer offers
    kept, offered = Group.objects.create(name="closed team"), Group.objects.create(name="open team")
    user = UserFactory(first_name="Ann")
    user.groups.add(kept)

    # when: the form is rendered unbound
    form = GroupsForm(instance=user)
    choices = sorted((str(value), label) for value, label in form["groups"].field.choices)

    # then: both groups are offered, the kept one labelled as current
    assert choices == sorted(
        [(str(kept.pk), "closed team (current)"), (str(offered.pk), "open team")]
    )

    # when: the person changes only the first name and submits the kept group
    bound = GroupsForm({"first_name": "Anne", "groups": [kept.pk]}, instance=user)

    # then: it validates and reports only the first name as changed
    assert bound.is_valid(), bound.errors
    assert bound.changed_data_dict() == {"first_name": "Anne"}


def test_omitted_field_keeps_its_value_and_is_not_reported():
    # given
    group = Group.objects.create(name="open team")
    user = UserFactory(first_name="Ann")

    # when: a request carries the groups but no first name at all
    form = GroupsForm({"groups": [group.pk]}, instance=user)

    # then: the first name is kept, not cleared
    assert form.is_valid(), form.errors
    assert list(form.changed_data_dict()) == ["groups"]
    assert list(form.changed_data_dict()["groups"]) == [group]
    assert form.omitted_fields == {"first_name"}
    assert form.cleaned_data["first_name"] == "Ann"
