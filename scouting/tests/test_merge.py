"""Merging two records keeps every link: meetings, ideas, talent notes, follow-ups, tags."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from events.models import Event
from scouting import services
from scouting.factories import (
    FollowUpFactory,
    IdeaFactory,
    MeetingFactory,
    OrganisationFactory,
    PersonFactory,
)
from scouting.models import Meeting, Organisation, Person, Tag, TalentNote
from scouting.services.meetings import DIRECTORY_CHANGED

pytestmark = pytest.mark.django_db


def test_person_merge_keeps_every_link(seir, programme, nadia, saheli):
    duplicate = PersonFactory(
        programme=programme, name="Nadia Husain", organisation=saheli, email="", job_title=""
    )
    duplicate.tags.set([Tag.objects.get(code="potential-entrepreneur")])
    nadia.tags.set([Tag.objects.get(code="community-leader")])
    both = MeetingFactory(programme=programme, attendees=[nadia, duplicate])
    only_dup = MeetingFactory(programme=programme, attendees=[duplicate])
    idea = IdeaFactory(programme=programme, proposers=[duplicate])
    talent = TalentNote.objects.create(meeting=only_dup, person=duplicate, note="Organiser")
    followup = FollowUpFactory(programme=programme, person=duplicate)

    kept = services.person_merge(actor=seir, keep=nadia, remove=duplicate)

    assert not Person.objects.filter(pk=duplicate.pk).exists()
    assert set(kept.meetings.all()) == {both, only_dup}
    assert list(both.attendees.all()) == [nadia]  # no double attendance
    assert list(idea.proposers.all()) == [nadia]
    talent.refresh_from_db()
    followup.refresh_from_db()
    assert (talent.person, followup.person) == (nadia, nadia)
    assert set(kept.tags.values_list("code", flat=True)) == {
        "community-leader",
        "potential-entrepreneur",
    }
    kept.refresh_from_db()
    assert (kept.email, kept.phone) == ("nadia@saheli.org.uk", "0121 440 0000")
    event = Event.objects.filter(kind__startswith="scouting.").get(kind="scouting.person_merged")
    assert event.data["moved"] == {"meetings": 1, "ideas": 1, "talent_notes": 1, "followups": 1}


def test_organisation_merge_moves_people_and_meetings(seir, programme, saheli, nadia):
    dup = OrganisationFactory(
        programme=programme, name="Saheli", area="", website="https://saheli.example"
    )
    member = PersonFactory(programme=programme, organisation=dup)
    both = MeetingFactory(programme=programme, organisations=[saheli, dup])
    only = MeetingFactory(programme=programme, organisations=[dup])

    services.organisation_merge(actor=seir, keep=saheli, remove=dup)

    assert not Organisation.objects.filter(pk=dup.pk).exists()
    member.refresh_from_db()
    saheli.refresh_from_db()
    assert member.organisation == saheli
    assert set(Meeting.objects.filter(organisations=saheli)) == {both, only}
    assert list(both.organisations.all()) == [saheli]
    assert saheli.website == "https://saheli.example"


def test_merge_refuses_same_record_or_other_programme(seir, nadia, other_programme, snapshot):
    stranger = PersonFactory(programme=other_programme)
    before = snapshot()
    with pytest.raises(services.ScoutingError):
        services.person_merge(actor=seir, keep=nadia, remove=nadia)
    with pytest.raises(services.ScoutingError):
        services.person_merge(actor=seir, keep=nadia, remove=stranger)
    assert snapshot() == before


@pytest.mark.parametrize("merged", ["organisation", "person"])
def test_a_meeting_naming_a_record_merged_since_the_form_was_shown_is_refused(
    seir, programme, saheli, nadia, snapshot, merged
):
    """The form was shown, then someone merged the organisation (or person) away: the
    meeting is refused with a clear message and nothing is saved (it used to fail as it
    committed, an error page)."""
    other_org = OrganisationFactory(programme=programme, name="Saheli Group")
    other_person = PersonFactory(programme=programme, name="Nadia K.", organisation=saheli)
    # What the form picked, read before the merge.
    picked_org = Organisation.objects.get(pk=saheli.pk)
    picked_person = Person.objects.get(pk=nadia.pk)
    if merged == "organisation":
        services.organisation_merge(actor=seir, keep=other_org, remove=saheli)
    else:
        services.person_merge(actor=seir, keep=other_person, remove=nadia)
    before = snapshot()
    with pytest.raises(ValidationError) as refused:
        services.meeting_log(
            actor=seir,
            programme=programme,
            meeting=services.MeetingInput(
                held_at=timezone.now(),
                meeting_type="one_to_one",
                organisations=[picked_org] if merged == "organisation" else [],
                attendees=[picked_person],
            ),
        )
    assert refused.value.messages == [DIRECTORY_CHANGED]
    assert snapshot() == before
