"""Two administrators giving two rows the same unique name or code at the same moment in
the Django admin: both forms pass their unique check (neither row is committed yet), and
the second save breaks the unique key. That was a 500 page and the person's typing lost;
now the second sees their form again, as typed, with the form's own unique-check error,
and nothing of theirs saved (``seir.admin.UniqueClashShown``).

The race is made deterministic here: the form's unique checks are run blind once (as
they were before the other administrator's row was committed) and see again after the
save is refused. ``commissioning/tests/test_commissioner_name_races.py`` runs the real
race on two PostgreSQL connections.
"""

from __future__ import annotations

from contextlib import contextmanager
from unittest import mock

import pytest
from django.contrib import admin
from django.contrib.admin.models import LogEntry
from django.db import models
from django.urls import reverse

from commissioning.factories import CommissionerFactory
from commissioning.models import Commissioner
from events.models import Event
from seir.admin import UniqueClashShown
from tests.clients import client_for
from tests.html_forms import page_form
from ventures.models import LegalForm, Stage

pytestmark = pytest.mark.django_db


@contextmanager
def checked_before_the_other_committed():
    """The form's unique checks find nothing until the first save is tried, as when the
    other administrator's row was not yet committed while this form was validated."""
    blind = {"on": True}
    real_unique = models.Model.validate_unique
    real_constraints = models.Model.validate_constraints
    real_save = admin.ModelAdmin.save_model

    def validate_unique(self, exclude=None):
        if not blind["on"]:
            real_unique(self, exclude)

    def validate_constraints(self, exclude=None):
        if not blind["on"]:
            real_constraints(self, exclude)

    def save_model(self, request, obj, form, change):
        blind["on"] = False
        real_save(self, request, obj, form, change)

    with (
        mock.patch.object(models.Model, "validate_unique", validate_unique),
        mock.patch.object(models.Model, "validate_constraints", validate_constraints),
        mock.patch.object(admin.ModelAdmin, "save_model", save_model),
    ):
        yield blind


def _typed_over(client, url: str, field: str, **typed) -> dict:
    form = page_form(client.get(url).content, containing=field)
    return {**form.values, **typed}


def _rows(model) -> list[dict]:
    return list(model.objects.order_by("pk").values())


def test_a_commissioner_renamed_to_a_name_another_admin_just_took_is_shown_the_form_again(
    administrator,
):
    # given: two organisations; the other administrator has just renamed the first to
    # "Heart of Birmingham PCT" while this one types the same name for the second
    CommissionerFactory(name="Heart of Birmingham PCT")
    sandwell = CommissionerFactory(name="Sandwell PCT", area="West Bromwich")
    client = client_for(administrator)
    url = reverse("admin:commissioning_commissioner_change", args=[sandwell.pk])
    data = _typed_over(client, url, "name", name="Heart of Birmingham PCT", area="Oldbury")
    before = (_rows(Commissioner), LogEntry.objects.count(), Event.objects.count())

    # when: this administrator saves, their form having passed its unique check
    with checked_before_the_other_committed() as blind:
        response = client.post(url, data)

    # then: the form again, with the form's own words and what they typed, and nothing saved
    assert not blind["on"], "the save was not tried"
    assert response.status_code == 200
    page = response.content.decode()
    assert response.context["adminform"].form.errors == {
        "name": ["Commissioner with this Name already exists."]
    }
    assert 'value="Heart of Birmingham PCT"' in page
    assert 'value="Oldbury"' in page
    assert (_rows(Commissioner), LogEntry.objects.count(), Event.objects.count()) == before


def test_a_legal_form_added_with_a_code_another_admin_just_took_is_shown_the_form_again(
    administrator,
):
    # given: the code "cic" exists (the other administrator's, just committed)
    client = client_for(administrator)
    url = reverse("admin:ventures_legalform_add")
    data = _typed_over(client, url, "code", code="cic", name="Community interest co.", order="9")
    before = (_rows(LegalForm), LogEntry.objects.count())

    with checked_before_the_other_committed() as blind:
        response = client.post(url, data)

    assert not blind["on"], "the save was not tried"
    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {
        "code": ["Legal form with this Code already exists."]
    }
    assert 'value="Community interest co."' in response.content.decode()
    assert (_rows(LegalForm), LogEntry.objects.count()) == before


def test_a_stage_given_a_code_another_admin_just_took_is_shown_the_form_again(
    administrator, stages
):
    # given: a programme's stages; the code "pilot" is another stage's
    first = min(stages.values(), key=lambda stage: stage.order)
    assert first.code != "pilot" and "pilot" in stages
    client = client_for(administrator)
    url = reverse("admin:ventures_stage_change", args=[first.pk])
    data = _typed_over(client, url, "code", code="pilot", name="Renamed first stage")
    before = (_rows(Stage), LogEntry.objects.count())

    with checked_before_the_other_committed() as blind:
        response = client.post(url, data)

    assert not blind["on"], "the save was not tried"
    assert response.status_code == 200
    assert response.context["adminform"].form.non_field_errors() == [
        "Stage with this Programme and Code already exists."
    ]
    assert 'value="Renamed first stage"' in response.content.decode()
    assert (_rows(Stage), LogEntry.objects.count()) == before


def _unique_together(model) -> bool:
    fields = any(f.unique and not f.primary_key for f in model._meta.local_fields)
    constraints = any(isinstance(c, models.UniqueConstraint) for c in model._meta.constraints)
    return fields or constraints or bool(model._meta.unique_together)


def test_every_admin_that_writes_a_unique_row_shows_a_clash_as_a_form_error(rf, administrator):
    """One mechanism for every admin: a new admin page for a model with a unique key
    that can add or change rows gets it, or this test names it."""
    request = rf.get("/")
    request.user = administrator
    missing = [
        f"{model._meta.label} ({type(model_admin).__name__})"
        for model, model_admin in admin.site._registry.items()
        if _unique_together(model)
        and (model_admin.has_add_permission(request) or model_admin.has_change_permission(request))
        and not isinstance(model_admin, UniqueClashShown)
    ]
    assert missing == []
