"""A form left open while someone else changed its records: nothing the person picked or
typed is dropped, and no one's saved change is silently undone."""

import pytest
from django.urls import reverse

from scouting import services
from scouting.factories import IdeaFactory, PersonFactory
from scouting.models import Idea, Meeting, Person
from scouting.tests.rows import rows_post
from tests.html_forms import page_form

pytestmark = pytest.mark.django_db


def _meeting(programme, **extra):
    return {
        "programme": programme.pk,
        "held_at": "2026-11-01T10:00",
        "meeting_type": "one_to_one",
        "submission_token": "0123456789abcdef0123456789abcdef",
        **rows_post(),
        **extra,
    }


def test_an_attendee_merged_since_the_form_was_shown_is_saved_as_the_kept_record(
    client, seir, programme, nadia, saheli
):
    """Given Nadia picked on the phone, when a colleague merges her into another record
    before the meeting is sent, then the meeting has the record that stayed: she used to
    be dropped without a word ("Meeting saved", no attendees)."""
    kept = PersonFactory(programme=programme, name="Nadia K. Hussain", organisation=saheli)
    client.force_login(seir)
    services.person_merge(actor=seir, keep=kept, remove=nadia)

    response = client.post(
        reverse("scouting:meeting_log"), _meeting(programme, attendees=[nadia.pk])
    )

    assert response.status_code == 302
    meeting = Meeting.objects.get()
    assert list(meeting.attendees.all()) == [kept]


def test_an_attendee_no_longer_in_the_directory_is_refused_not_dropped(
    client, seir, programme, nadia, snapshot
):
    """An attendee picked whose record is gone (not merged) stops the save with a message
    saying so; the other attendees stay picked and nothing is saved."""
    client.force_login(seir)
    before = snapshot()

    response = client.post(
        reverse("scouting:meeting_log"), _meeting(programme, attendees=[nadia.pk, 987654])
    )

    assert response.status_code == 400
    body = response.content.decode()
    assert "1 attendee you picked is no longer in the directory" in body
    assert f'value="{nadia.pk}"' in body
    assert snapshot() == before


def test_a_proposer_merged_since_the_idea_form_was_shown_is_kept(
    client, seir, programme, nadia, saheli
):
    kept = PersonFactory(programme=programme, name="Nadia K. Hussain", organisation=saheli)
    client.force_login(seir)
    services.person_merge(actor=seir, keep=kept, remove=nadia)

    response = client.post(
        reverse("scouting:idea_create"),
        {
            "programme": programme.pk,
            "title": "Diabetes peer group",
            "attendees": [nadia.pk],
            "submission_token": "0123456789abcdef0123456789abcdef",
        },
    )

    assert response.status_code == 302
    assert list(Idea.objects.get().proposers.all()) == [kept]


def _edit(client, url, **typed):
    form = page_form(client.get(url).content, containing=next(iter(typed)))
    return {**form.values, **typed}


def test_a_person_edit_does_not_undo_a_colleagues_change(client, seir, nadia, snapshot):
    """Given the edit page open, when a colleague saves a new email and then the page is
    sent with a new job title, then the colleague's email is not put back: the page says
    what changed meanwhile and keeps what was typed (it used to save the old email over
    the new one without a word)."""
    client.force_login(seir)
    url = reverse("scouting:person_edit", args=[nadia.pk])
    values = _edit(client, url, job_title="Director")
    services.person_update(actor=seir, person=nadia, changes={"email": "new@saheli.org.uk"})
    before = snapshot()

    response = client.post(url, values)

    assert response.status_code == 409
    body = response.content.decode()
    assert "changed by someone else while you were editing" in body
    assert "new@saheli.org.uk" in body
    assert 'value="Director"' in body
    nadia.refresh_from_db()
    assert (nadia.email, nadia.job_title) == ("new@saheli.org.uk", "Coordinator")
    assert snapshot() == before

    # Sent again from that page, having seen the message: saved.
    again = page_form(response.content, containing="job_title").values
    again["email"] = "new@saheli.org.uk"
    assert client.post(url, again).status_code == 302
    nadia.refresh_from_db()
    assert (nadia.email, nadia.job_title) == ("new@saheli.org.uk", "Director")


def test_an_organisation_edit_does_not_undo_a_colleagues_change(client, seir, saheli):
    client.force_login(seir)
    url = reverse("scouting:organisation_edit", args=[saheli.pk])
    values = _edit(client, url, area="Sparkbrook")
    services.organisation_update(actor=seir, organisation=saheli, changes={"name": "Saheli"})

    response = client.post(url, values)

    assert response.status_code == 409
    body = response.content.decode()
    assert "changed by someone else while you were editing" in body
    assert "Name is now “Saheli”" in body and 'value="Sparkbrook"' in body
    saheli.refresh_from_db()
    assert (saheli.name, saheli.area) == ("Saheli", "Balsall Heath")


def test_the_stale_message_names_a_field_the_form_declares_itself(client, seir, saheli):
    """The website field is declared on the form without a label: the message used to
    say "None is now …"."""
    client.force_login(seir)
    url = reverse("scouting:organisation_edit", args=[saheli.pk])
    values = _edit(client, url, area="Sparkbrook")
    services.organisation_update(
        actor=seir, organisation=saheli, changes={"website": "https://saheli.example.org"}
    )

    response = client.post(url, values)

    assert response.status_code == 409
    body = response.content.decode()
    assert "Website is now “https://saheli.example.org”" in body
    assert "None is now" not in body


def test_an_idea_edit_does_not_undo_a_colleagues_change(client, seir, programme):
    idea = IdeaFactory(
        programme=programme, created_by=seir, title="Peer group", description="First words"
    )
    client.force_login(seir)
    url = reverse("scouting:idea_edit", args=[idea.pk])
    values = _edit(client, url, health_need="Isolation")
    services.idea_update(actor=seir, idea=idea, changes={"description": "Better words"})

    response = client.post(url, values)

    assert response.status_code == 409
    assert "changed by someone else while you were editing" in response.content.decode()
    idea.refresh_from_db()
    assert (idea.description, idea.health_need) == ("Better words", "")


def test_an_edit_with_no_colleague_in_between_saves_first_time(client, seir, nadia):
    client.force_login(seir)
    url = reverse("scouting:person_edit", args=[nadia.pk])

    response = client.post(url, _edit(client, url, job_title="Director"))

    assert response.status_code == 302
    assert Person.objects.get(pk=nadia.pk).job_title == "Director"
