"""Two people adding the same commissioner at once (PostgreSQL, two connections): the
second is told the name is taken, as if it had come second, and one row is written.

Both passed ``full_clean``'s unique check before either had committed; the second's
insert then broke the unique key on ``Commissioner.name`` (an error page).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.urls import reverse

from commissioning import services
from commissioning.factories import CommissionerFactory
from commissioning.models import Commissioner, OrganisationType
from tests.clients import client_for
from tests.concurrency import TWO_CONNECTIONS, race
from tests.html_forms import page_form

pytestmark = TWO_CONNECTIONS

TAKEN = "Commissioner with this Name already exists."


def create(actor, pct):
    return lambda: services.commissioner_create(
        actor=actor, name="Heart of Birmingham PCT", organisation_type=pct
    )


def test_the_same_commissioner_added_twice_at_once_is_added_once(seir, administrator):
    pct = OrganisationType.objects.get(code="pct-icb")

    raised = race(create(seir, pct), create(administrator, pct))

    assert [type(error) for error in raised] == [ValidationError]
    assert raised[0].message_dict == {"name": [TAKEN]}
    assert list(Commissioner.objects.values_list("name", flat=True)) == ["Heart of Birmingham PCT"]


def test_the_second_person_sees_the_refusal_beside_what_they_typed(client, seir, administrator):
    pct = OrganisationType.objects.get(code="pct-icb")
    client.force_login(administrator)
    responses = []

    def post():
        responses.append(
            client.post(
                reverse("commissioning:commissioner_create"),
                {
                    "name": "Heart of Birmingham PCT",
                    "organisation_type": pct.pk,
                    "area": "Ladywood",
                },
            )
        )

    assert race(create(seir, pct), post) == []

    page = responses[0].content.decode()
    assert responses[0].status_code == 400  # the form drawn again with its refusal (save_once)
    assert TAKEN in page
    assert 'value="Heart of Birmingham PCT"' in page
    assert 'value="Ladywood"' in page
    assert Commissioner.objects.count() == 1


def test_two_administrators_renaming_to_the_same_name_in_the_admin(administrator):
    # given: two organisations; another administrator renames the first to
    # "Heart of Birmingham PCT" and, before that commits, this one gives the second the
    # same name in the admin (both unique checks pass: neither sees the other's row)
    first = CommissionerFactory(name="Birmingham PCT")
    second = CommissionerFactory(name="Sandwell PCT", area="West Bromwich")
    client = client_for(administrator)
    url = reverse("admin:commissioning_commissioner_change", args=[second.pk])
    form = page_form(client.get(url).content, containing="name")
    responses = []

    def rename_the_first():
        Commissioner.objects.filter(pk=first.pk).update(name="Heart of Birmingham PCT")

    def post():
        typed = {**form.values, "name": "Heart of Birmingham PCT", "area": "Oldbury"}
        responses.append(client.post(url, typed))

    assert race(rename_the_first, post) == []

    # then: the second administrator sees their form again with the form's own words
    # and what they typed, not an error page; the second organisation is unchanged
    page = responses[0].content.decode()
    assert responses[0].status_code == 200
    assert TAKEN in page
    assert 'value="Oldbury"' in page
    assert list(Commissioner.objects.order_by("pk").values_list("name", "area")) == [
        ("Heart of Birmingham PCT", ""),
        ("Sandwell PCT", "West Bromwich"),
    ]
