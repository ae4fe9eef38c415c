"""A commissioner acts for an organisation only through an active link: a contact made
inactive (in the admin, the one place contacts are deactivated) no longer lets its
person see or answer the organisation's introductions, and gets them back when made
active again; an inactive organisation lets none of its people in."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.factories import UserFactory
from commissioning import services
from commissioning.models import ProposedMeetingDate, Step

pytestmark = pytest.mark.django_db


@pytest.fixture
def intro(seir, venture, contact, days_ago):
    return services.introduction_make(
        actor=seir, venture=venture, contact=contact, purpose="Falls", made_on=days_ago(3)
    )


def _set_active(obj, active: bool) -> None:
    """What ticking "is active" in the admin saves."""
    obj.is_active = active
    obj.save(update_fields=["is_active"])


def _listed(client) -> list[int] | None:
    """The introductions listed to the user; None when the page is not theirs at all."""
    pipeline = client.get(reverse("commissioning:introductions"))
    if pipeline.status_code == 404:
        return None
    assert pipeline.status_code == 200
    return [i.pk for c in pipeline.context["columns"] for i in c.items]


def _answer(client, intro):
    day = timezone.localdate() + datetime.timedelta(days=5)
    return client.post(
        reverse("commissioning:introduction_respond", args=[intro.pk]),
        {"answer": "agree", "proposed_date_1": day.isoformat(), "expected_step": "requested"},
    )


def _reaches(client, intro) -> bool:
    page = client.get(reverse("commissioning:introduction", args=[intro.pk]))
    assert page.status_code in (200, 404)
    return page.status_code == 200


def test_an_active_contact_sees_and_answers(client, commissioner_user, intro):
    client.force_login(commissioner_user)

    assert _reaches(client, intro) is True
    assert _listed(client) == [intro.pk]
    assert _answer(client, intro).status_code == 302
    intro.refresh_from_db()
    assert (intro.step, intro.steps.last().changed_by) == (Step.MEETING_AGREED, commissioner_user)


def test_a_deactivated_contact_loses_the_introduction_until_reactivated(
    client, commissioner_user, contact, intro
):
    # given their contact is made inactive
    _set_active(contact, False)
    client.force_login(commissioner_user)

    # then the introduction is neither shown, listed nor answerable, and nothing changes
    assert _reaches(client, intro) is False
    assert _listed(client) == []
    assert _answer(client, intro).status_code == 404
    intro.refresh_from_db()
    assert (intro.step, intro.steps.count(), ProposedMeetingDate.objects.count()) == (
        Step.REQUESTED,
        1,
        0,
    )

    # when the contact is made active again, they reach and answer it once more
    _set_active(contact, True)
    assert _reaches(client, intro) is True
    assert _listed(client) == [intro.pk]
    assert _answer(client, intro).status_code == 302
    intro.refresh_from_db()
    assert (intro.step, ProposedMeetingDate.objects.count()) == (Step.MEETING_AGREED, 1)


def test_an_inactive_organisation_lets_neither_contacts_nor_members_in(
    client, commissioner_user, ben_pct, intro
):
    member = UserFactory(username="mo", first_name="Mo", last_name="Member")
    ben_pct.members.add(member)
    _set_active(ben_pct, False)

    # the contact keeps the Commissioner role (an empty list); the member, without it,
    # is not offered the page at all
    for user, listed in ((commissioner_user, []), (member, None)):
        client.force_login(user)
        assert _reaches(client, intro) is False
        assert _listed(client) == listed
        assert _answer(client, intro).status_code == 404
    intro.refresh_from_db()
    assert (intro.step, intro.steps.count()) == (Step.REQUESTED, 1)

    # made active again, its member is back in
    _set_active(ben_pct, True)
    assert _reaches(client, intro) is True
    assert _listed(client) == [intro.pk]


def test_the_seir_still_sees_an_inactive_contacts_introduction(client, seir, contact, intro):
    _set_active(contact, False)
    _set_active(contact.commissioner, False)
    client.force_login(seir)

    assert _reaches(client, intro) is True
    assert _listed(client) == [intro.pk]
