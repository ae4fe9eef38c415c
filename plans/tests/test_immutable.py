"""Submitted versions cannot be edited: not by a service, the model or the admin."""

import pytest
from django.contrib.admin.sites import site
from django.test import RequestFactory

from plans import factories
from plans.models import ImmutableError, PlanVersion, PlanVersionSection
from plans.tests.conftest import SUMMARY_V1

pytestmark = pytest.mark.django_db


def test_model_refuses_to_save_an_existing_version(submitted):
    version = PlanVersion.objects.get(pk=submitted.pk)
    version.note = "Changed afterwards"
    with pytest.raises(ImmutableError):
        version.save()
    with pytest.raises(ImmutableError):
        version.save(update_fields=["note"])
    assert PlanVersion.objects.get(pk=submitted.pk).note == "First go."


def test_model_refuses_to_save_or_delete_a_version_section(submitted):
    section = PlanVersionSection.objects.get(version=submitted, code="executive-summary")
    section.body = "Rewritten history"
    with pytest.raises(ImmutableError):
        section.save()
    with pytest.raises(ImmutableError):
        section.delete()
    with pytest.raises(ImmutableError):
        PlanVersion.objects.get(pk=submitted.pk).delete()
    assert PlanVersionSection.objects.get(pk=section.pk).body == SUMMARY_V1


def test_editing_the_draft_after_submitting_leaves_the_version_alone(
    submitted, venture, entrepreneur
):
    factories.write(entrepreneur, venture, {"executive-summary": "Completely new text."})
    assert (
        PlanVersionSection.objects.get(version=submitted, code="executive-summary").body
        == SUMMARY_V1
    )


def test_admin_is_read_only_for_versions(submitted, administrator):
    request = RequestFactory().get("/")
    request.user = administrator
    for model in (PlanVersion, PlanVersionSection):
        if model not in site._registry:
            continue
        model_admin = site._registry[model]
        assert model_admin.has_add_permission(request) is False
        assert model_admin.has_change_permission(request, submitted) is False
        assert model_admin.has_delete_permission(request, submitted) is False
    inline = site._registry[PlanVersion].inlines[0](PlanVersion, site)
    assert inline.has_add_permission(request, submitted) is False
    assert inline.has_change_permission(request, submitted) is False
    assert inline.can_delete is False


def test_admin_change_post_changes_nothing(client, submitted, administrator):
    administrator.is_staff = True
    administrator.is_superuser = True
    administrator.save()
    client.force_login(administrator)
    url = f"/admin/plans/planversion/{submitted.pk}/change/"
    assert client.get(url).status_code == 200  # viewable
    response = client.post(url, {"note": "Edited in the admin", "number": 7})
    assert response.status_code == 403
    assert PlanVersion.objects.values_list("number", "note").get(pk=submitted.pk) == (
        1,
        "First go.",
    )
