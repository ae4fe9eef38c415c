"""The profile form sent twice (a double click on Save, a resend): saved once, and the
second answer says it is saved. Before, it said "Someone else saved changes to this
venture while you were editing. Your changes have not been saved", marking the person's
own change as a clash, though it was saved."""

import pytest
from django.urls import reverse

from ventures.models import FieldChange

pytestmark = pytest.mark.django_db


def test_a_profile_edit_sent_twice_is_saved_once_and_says_so(client, venture, entrepreneur):
    client.force_login(entrepreneur)
    url = reverse("ventures:edit", args=[venture.pk])
    data = {
        "name": "Saheli CIC",
        "summary": venture.summary,
        "need": venture.need,
        "beneficiaries": venture.beneficiaries,
        "area": venture.area,
        "legal_form": "",
        "version": venture.version,
    }
    assert client.post(url, data).status_code == 302

    second = client.post(url, data, follow=True)

    page = second.content.decode()
    assert "while you were editing" not in page
    assert "have not been saved" not in page
    assert "Already saved: Saheli CIC shows what you sent." in page
    assert list(FieldChange.objects.values_list("field", "new_value")) == [("name", "Saheli CIC")]
    venture.refresh_from_db()
    assert (venture.name, venture.version) == ("Saheli CIC", 2)
