"""Two people adding the same commissioner at once (PostgreSQL, two connections): the
second is told the name is taken, as if it had come second, and one row is written.

Both passed ``full_clean``'s unique check before either had committed; the second's
insert then broke the unique key on ``Commissioner.name`` (an error page).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.urls import reverse

from commissioning import services
from commissioning.models import Commissioner, OrganisationType
from tests.concurrency import TWO_CONNECTIONS, race

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
