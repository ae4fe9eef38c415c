"""A person's data: exported exactly, erased in place so aggregates stay right."""

import datetime

import pytest
from django.utils import timezone

from events.models import Event
from scouting import services
from scouting.factories import FollowUpFactory, IdeaFactory, MeetingFactory
from scouting.funnel import scouting_funnel
from scouting.models import Person, Tag, TalentNote

pytestmark = pytest.mark.django_db


@pytest.fixture
def nadia_linked(programme, nadia, saheli):
    nadia.tags.set([Tag.objects.get(code="community-leader")])
    nadia.notes = "Prefers mornings."
    nadia.consent_to_contact = True
    nadia.consent_date = datetime.date(2026, 3, 1)
    nadia.save()
    held = timezone.make_aware(datetime.datetime(2026, 3, 2, 10, 30))
    meeting = MeetingFactory(
        programme=programme,
        held_at=held,
        location="Saheli Hub",
        attendees=[nadia],
        organisations=[saheli],
    )
    TalentNote.objects.create(meeting=meeting, person=nadia, note="Natural organiser")
    idea = IdeaFactory(
        programme=programme, title="Walking netball", proposers=[nadia], source_meetings=[meeting]
    )
    followup = FollowUpFactory(
        programme=programme, person=nadia, what="Send SEIF form", due=datetime.date(2026, 3, 9)
    )
    return nadia, meeting, idea, followup


def test_export_holds_everything_exactly(seir, nadia_linked):
    nadia, meeting, idea, followup = nadia_linked

    data = services.person_export(actor=seir, person=nadia)

    nadia.refresh_from_db()
    assert data == {
        "person": {
            "id": nadia.pk,
            "programme": "Birmingham East and North SEiR programme",
            "name": "Nadia Hussain",
            "organisation": "Saheli Women's Group",
            "job_title": "Coordinator",
            "email": "nadia@saheli.org.uk",
            "phone": "0121 440 0000",
            "notes": "Prefers mornings.",
            "tags": ["Community leader"],
            "consent_to_contact": True,
            "consent_date": "2026-03-01",
            "created_at": nadia.created_at.isoformat(),
            "updated_at": nadia.updated_at.isoformat(),
        },
        "meetings_attended": [
            {
                "id": meeting.pk,
                "held_at": meeting.held_at.isoformat(),
                "type": "One-to-one",
                "location": "Saheli Hub",
            }
        ],
        "talent_notes": [{"meeting_id": meeting.pk, "note": "Natural organiser"}],
        "ideas_proposed": [{"id": idea.pk, "title": "Walking netball", "status": "New"}],
        "follow_ups": [
            {"id": followup.pk, "what": "Send SEIF form", "due": "2026-03-09", "done": False}
        ],
        "records_merged_into_them": [],
    }
    event = Event.objects.filter(kind__startswith="scouting.").get()
    assert (event.kind, event.visibility, event.data) == (
        "scouting.person_exported",
        "staff",
        {"person_id": nadia.pk},
    )


def test_erase_anonymises_in_place_and_keeps_aggregates(seir, programme, nadia_linked):
    nadia, meeting, idea, followup = nadia_linked
    services.person_update(actor=seir, person=nadia, changes={"job_title": "Lead"})
    funnel_before = scouting_funnel([programme.pk])

    services.person_erase(actor=seir, person=nadia)

    row = (
        Person.objects.filter(pk=nadia.pk)
        .values(
            "name",
            "organisation",
            "job_title",
            "email",
            "phone",
            "notes",
            "consent_to_contact",
            "consent_date",
            "is_erased",
        )
        .get()
    )
    assert row == {
        "name": f"Erased person {nadia.pk}",
        "organisation": None,
        "job_title": "",
        "email": "",
        "phone": "",
        "notes": "",
        "consent_to_contact": False,
        "consent_date": None,
        "is_erased": True,
    }
    assert list(nadia.tags.all()) == []
    assert list(TalentNote.objects.values_list("note", flat=True)) == [""]
    # Links stay, so the meeting and idea counts do not change.
    assert list(meeting.attendees.all()) == [nadia]
    assert list(idea.proposers.all()) == [nadia]
    assert scouting_funnel([programme.pk]) == funnel_before
    # No event still carries the name.
    assert (
        not Event.objects.filter(kind__startswith="scouting.")
        .filter(subject_label__contains="Nadia")
        .exists()
    )
    assert list(
        Event.objects.filter(kind__startswith="scouting.")
        .order_by("id")
        .values_list("kind", "subject_label")
    ) == [
        ("scouting.person_changed", f"Erased person {nadia.pk}"),
        ("scouting.person_erased", f"Erased person {nadia.pk}"),
    ]
    with pytest.raises(services.ScoutingError):
        services.person_erase(actor=seir, person=nadia)
    with pytest.raises(services.ScoutingError):
        services.person_update(actor=seir, person=nadia, changes={"name": "Back"})
