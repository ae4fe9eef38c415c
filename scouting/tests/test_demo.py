"""The demo data: built through the services after seed_demo, idempotent; scale data bulk."""

import pytest
from django.core.management import call_command

from events.models import Event
from scouting import demo
from scouting.models import Idea, IdeaStatus, Meeting, Organisation, Person

pytestmark = pytest.mark.django_db


def test_seed_demo_then_scouting_demo(settings):
    settings.DEBUG = True
    call_command("seed_demo", verbosity=0)

    demo.seed_demo()
    demo.seed_demo()  # idempotent

    assert (Organisation.objects.count(), Person.objects.count(), Meeting.objects.count()) == (
        40,
        120,
        40,
    )
    statuses = set(Idea.objects.values_list("status", flat=True))
    assert statuses == set(IdeaStatus.values)
    promoted = Idea.objects.filter(status=IdeaStatus.PROMOTED).select_related("venture")
    assert sorted(i.venture.name for i in promoted) == [
        "Breathe Easy Erdington",
        "Men's Sheds Kingstanding",
        "Saheli Women's Centre",
    ]
    for idea in promoted:
        assert (
            Event.objects.filter(kind__startswith="scouting.")
            .filter(venture_id=idea.venture_id, kind="scouting.meeting_in_venture")
            .exists()
        )
    held = list(Meeting.objects.values_list("held_at", flat=True))
    assert (max(held) - min(held)).days >= 300


def test_seed_scale_bulk(settings):
    settings.DEBUG = True
    call_command("seed_demo", verbosity=0)  # includes scouting's own demo data
    before = (
        Meeting.objects.count(),
        Person.objects.count(),
        Organisation.objects.count(),
        Idea.objects.filter(status=IdeaStatus.PROMOTED).count(),
        Meeting.attendees.through.objects.count(),
    )
    demo.seed_scale(ventures=5, meetings=500)
    demo.seed_scale(ventures=5, meetings=500)  # idempotent

    # it tops the programme up to 500 meetings, with people, organisations and attendees
    # in proportion to the meetings it adds
    added = 500 - before[0]
    assert Meeting.objects.count() == 500
    assert Person.objects.count() == before[1] + added // 5
    assert Organisation.objects.count() == before[2] + added // 50
    assert Idea.objects.filter(status=IdeaStatus.PROMOTED).count() == before[3] + 5
    assert Meeting.attendees.through.objects.count() == before[4] + 2 * added
