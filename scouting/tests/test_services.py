"""Scouting services: each writes what it says, records its event, and refuses cleanly."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone

from events.models import Event
from scouting import services
from scouting.factories import IdeaFactory, MeetingFactory, PersonFactory
from scouting.models import FollowUp, Idea, IdeaStatus, MeetingDraft, MeetingType, Person, Tag
from ventures.models import Venture

pytestmark = pytest.mark.django_db


def kinds():
    return list(
        Event.objects.filter(kind__startswith="scouting.")
        .order_by("id")
        .values_list("kind", flat=True)
    )


def test_person_create_lowercases_email_records_event_and_sets_tags(seir, programme, saheli):
    clinician = Tag.objects.get(code="clinician")

    person = services.person_create(
        actor=seir,
        programme=programme,
        name="  Amira Khan ",
        organisation=saheli,
        email="Amira.Khan@NHS.net",
        tags=[clinician],
        consent_to_contact=True,
    )

    person.refresh_from_db()
    assert (person.name, person.email) == ("Amira Khan", "amira.khan@nhs.net")
    assert list(person.tags.all()) == [clinician]
    assert person.consent_date == datetime.date.today()
    event = Event.objects.filter(kind__startswith="scouting.").get()
    assert (event.kind, event.subject_label, event.visibility) == (
        "scouting.person_added",
        "Amira Khan",
        "staff",
    )
    assert event.programme_id == programme.pk


def test_duplicates_flagged_by_email_and_similar_name_in_same_organisation(
    programme, nadia, saheli, surgery
):
    by_email = services.person_duplicates(
        programme_id=programme.pk, name="N. Hussain", email="NADIA@saheli.org.uk"
    )
    by_name = services.person_duplicates(
        programme_id=programme.pk, name="Mrs Nadia Husain", organisation_id=saheli.pk
    )
    other_org = services.person_duplicates(
        programme_id=programme.pk, name="Nadia Hussain", organisation_id=surgery.pk
    )

    assert [(p.pk, why) for p, why in by_email] == [(nadia.pk, "same email")]
    assert [(p.pk, why) for p, why in by_name] == [
        (nadia.pk, "similar name in the same organisation")
    ]
    assert other_org == []


def test_person_update_changes_only_what_changed(seir, nadia):
    before = Person.objects.filter(pk=nadia.pk).values().get()

    changed = services.person_update(
        actor=seir, person=nadia, changes={"job_title": "Manager", "name": "Nadia Hussain"}
    )

    after = Person.objects.filter(pk=nadia.pk).values().get()
    assert changed == ["job_title"]
    assert {k for k in after if after[k] != before[k]} == {"job_title", "updated_at"}
    assert Event.objects.filter(kind__startswith="scouting.").get().data == {
        "fields": ["job_title"]
    }


def test_nothing_changed_records_nothing(seir, nadia):
    assert services.person_update(actor=seir, person=nadia, changes={"name": "Nadia Hussain"}) == []
    assert Event.objects.filter(kind__startswith="scouting.").count() == 0


def test_other_programmes_seir_is_refused_and_nothing_written(other_seir, nadia, snapshot):
    before = snapshot()
    with pytest.raises(Http404):
        services.person_update(actor=other_seir, person=nadia, changes={"name": "X"})
    with pytest.raises(Http404):
        services.person_create(actor=other_seir, programme=nadia.programme, name="Y")
    assert snapshot() == before
    assert Person.objects.get(pk=nadia.pk).name == "Nadia Hussain"


def test_manager_cannot_write(manager, programme, snapshot):
    before = snapshot()
    with pytest.raises(Http404):
        services.organisation_create(actor=manager, programme=programme, name="X")
    assert snapshot() == before


def test_meeting_log_writes_everything_in_one_go(seir, programme, nadia, dr_lee, surgery, saheli):
    MeetingDraft.objects.create(user=seir, data={"notes": ["typing"]}, updated_at=timezone.now())
    # Before the follow-up's due date (a follow-up due before the meeting needs confirming).
    held_at = timezone.make_aware(datetime.datetime(2026, 11, 20, 10, 30))

    meeting = services.meeting_log(
        actor=seir,
        programme=programme,
        meeting=services.MeetingInput(
            held_at=held_at,
            meeting_type=MeetingType.WORKSHOP,
            location="Saheli Hub",
            notes="Talked about walking groups.",
            attendees=[nadia],
            organisations=[surgery],
            ideas=[services.IdeaRow(title="Walking netball", health_need="Inactivity")],
            talent=[services.TalentRow(person=nadia, note="Natural organiser")],
            followups=[
                services.FollowUpRow(what="Send SEIF details", due=datetime.date(2026, 12, 1))
            ],
        ),
    )

    assert list(meeting.attendees.all()) == [nadia]
    # The attendee's organisation counts as represented.
    assert set(meeting.organisations.all()) == {surgery, saheli}
    idea = Idea.objects.get()
    assert (idea.title, idea.health_need, list(idea.source_meetings.all())) == (
        "Walking netball",
        "Inactivity",
        [meeting],
    )
    assert [(t.person, t.note) for t in meeting.talent.all()] == [(nadia, "Natural organiser")]
    followup = FollowUp.objects.get()
    assert (followup.what, followup.assignee, followup.due, followup.meeting) == (
        "Send SEIF details",
        seir,
        datetime.date(2026, 12, 1),
        meeting,
    )
    assert not MeetingDraft.objects.exists()
    assert kinds() == ["scouting.meeting_logged", "scouting.idea_added", "scouting.followup_added"]


def test_meeting_log_refuses_people_of_another_programme(
    seir, programme, other_programme, snapshot
):
    stranger = PersonFactory(programme=other_programme, name="Stranger")
    before = snapshot()
    with pytest.raises(ValidationError):
        services.meeting_log(
            actor=seir,
            programme=programme,
            meeting=services.MeetingInput(
                held_at=timezone.now(), meeting_type=MeetingType.EVENT, attendees=[stranger]
            ),
        )
    assert snapshot() == before


def test_followup_done_twice_records_once(seir, programme):
    followup = services.followup_add(actor=seir, programme=programme, what="Call", assignee=seir)

    services.followup_set_done(actor=seir, followup=followup, done=True)
    services.followup_set_done(actor=seir, followup=followup, done=True)

    followup.refresh_from_db()
    assert followup.done and followup.done_at is not None
    assert kinds() == ["scouting.followup_added", "scouting.followup_done"]


def test_draft_save_replaces_and_bounds(seir):
    services.draft_save(actor=seir, data={"notes": "first"})
    services.draft_save(actor=seir, data={"notes": ["second\x00"], "attendees": [1, 2]})

    assert MeetingDraft.objects.get(user=seir).data == {
        "notes": ["second"],
        "attendees": ["1", "2"],
    }
    with pytest.raises(services.ScoutingError):
        services.draft_save(actor=seir, data={"notes": "x" * 300_000})
    with pytest.raises(services.ScoutingError):
        services.draft_save(actor=seir, data=["not", "a", "dict"])
    assert MeetingDraft.objects.get(user=seir).data["notes"] == ["second"]


def test_draft_refused_for_manager(manager):
    with pytest.raises(services.ScoutingError):
        services.draft_save(actor=manager, data={"notes": "x"})
    assert not MeetingDraft.objects.exists()


def test_idea_status_machine(seir, programme):
    idea = IdeaFactory(programme=programme)

    services.idea_set_status(actor=seir, idea=idea, to_status=IdeaStatus.EXPLORING)
    with pytest.raises(ValidationError):
        services.idea_set_status(actor=seir, idea=idea, to_status=IdeaStatus.REJECTED)
    services.idea_set_status(
        actor=seir, idea=idea, to_status=IdeaStatus.REJECTED, reason="No buyer."
    )
    with pytest.raises(services.ScoutingError, match="A rejected idea cannot become parked"):
        services.idea_set_status(actor=seir, idea=idea, to_status=IdeaStatus.PARKED, reason="x")
    with pytest.raises(services.ScoutingError):
        services.idea_set_status(actor=seir, idea=idea, to_status=IdeaStatus.PROMOTED)

    idea.refresh_from_db()
    assert (idea.status, idea.status_reason) == ("rejected", "No buyer.")
    assert [e.data for e in Event.objects.filter(kind__startswith="scouting.").order_by("id")] == [
        {"from": "new", "to": "exploring", "reason": ""},
        {"from": "exploring", "to": "rejected", "reason": "No buyer."},
    ]


def test_promote_creates_links_and_puts_promotion_and_meetings_in_venture_timeline(
    seir, programme, nadia
):
    held = timezone.now() - datetime.timedelta(days=10)
    meeting = MeetingFactory(programme=programme, held_at=held, location="Saheli Hub")
    idea = IdeaFactory(programme=programme, title="Walking netball", source_meetings=[meeting])

    venture = services.idea_promote(
        actor=seir, idea=idea, venture_fields={"name": "Walking Netball CIC", "area": "Sparkbrook"}
    )

    idea.refresh_from_db()
    assert idea.venture == venture and idea.status == IdeaStatus.PROMOTED
    assert (venture.name, venture.area, venture.programme) == (
        "Walking Netball CIC",
        "Sparkbrook",
        programme,
    )
    in_timeline = (
        Event.objects.filter(kind__startswith="scouting.")
        .filter(venture_id=venture.pk)
        .order_by("at")
    )
    assert [(e.kind, e.at) for e in in_timeline][:1] == [("scouting.meeting_in_venture", held)]
    assert {e.kind for e in in_timeline} >= {
        "scouting.meeting_in_venture",
        "scouting.idea_promoted",
    }
    with pytest.raises(services.ScoutingError):
        services.idea_promote(actor=seir, idea=idea, venture_fields={"name": "Again"})
    assert Venture.objects.count() == 1


def test_promote_refused_when_venture_invalid_leaves_idea_untouched(seir, programme, snapshot):
    idea = IdeaFactory(programme=programme)
    before = snapshot()
    with pytest.raises(ValidationError):
        services.idea_promote(actor=seir, idea=idea, venture_fields={"name": ""})
    assert snapshot() == before
    idea.refresh_from_db()
    assert (idea.status, idea.venture_id) == ("new", None)
    assert Venture.objects.count() == 0
