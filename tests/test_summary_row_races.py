"""Two writers recomputing the same programme's summary rows at once (PostgreSQL, two
connections): the second waits for the first to commit, then counts both, so the rows
still equal a count made from scratch and neither writer gets an error.

Without ``seir.locks.hold`` the second writer, counting without the first's uncommitted
rows, either broke the day rows' unique constraint (a 500 for a person logging an item
or an introduction) or inserted its rows beside the first's (every figure of that day
counted twice). SQLite lets one writing transaction at a time, so there is no race to
test there.
"""

from __future__ import annotations

import datetime
from collections import Counter

from django.db import transaction
from django.utils import timezone

from checklists import services as checklist_services
from checklists import tallies as checklist_tallies
from checklists.models import ChecklistItem, ChecklistTemplate, ItemDay
from commissioning import services as commissioning_services
from commissioning.factories import CommissionerFactory, ContactFactory
from commissioning.models import IntroductionDay
from scouting import tallies as scouting_tallies
from scouting.factories import IdeaFactory, MeetingFactory
from scouting.models import IdeaSource, MeetingTally
from tests.concurrency import TWO_CONNECTIONS, race
from ventures import stage_days
from ventures.factories import VentureFactory
from ventures.models import StageDay
from ventures.services import venture_create

pytestmark = TWO_CONNECTIONS


def rows(model, fields, **where) -> Counter:
    return Counter(model.objects.filter(**where).values_list(*fields))


def rebuilt(model, fields, rebuild, programme) -> Counter:
    """The rows a rebuild from scratch makes (the rows as they should be)."""
    with transaction.atomic():
        rebuild(programme.pk)
        expected = rows(model, fields, programme=programme)
        transaction.set_rollback(True)
    return expected


def test_two_items_due_the_same_day_are_both_counted(programme, seir):
    venture = VentureFactory(programme=programme, stage_code="startup", seir=seir)
    template = ChecklistTemplate.objects.get(code="default")
    checklist_services.checklist_create(actor=seir, venture=venture, template=template)
    day = timezone.localdate() + datetime.timedelta(days=10)
    first, second, third = ChecklistItem.objects.filter(checklist__venture=venture)[:3]
    checklist_services.checklist_item_update(actor=seir, item=first, data={"due_date": day})

    def due(item):
        return lambda: checklist_services.checklist_item_update(
            actor=seir, item=item, data={"due_date": day}
        )

    assert race(due(second), due(third)) == []
    fields = ("day", "open_due", "accepted_expiring")
    assert rows(ItemDay, fields, programme=programme) == Counter({(day, 3, 0): 1})
    assert rows(ItemDay, fields, programme=programme) == rebuilt(
        ItemDay, fields, checklist_tallies.programme_rebuild, programme
    )


def test_two_introductions_made_the_same_day_are_both_counted(programme, seir):
    contact = ContactFactory(commissioner=CommissionerFactory())
    ventures = [VentureFactory(programme=programme, seir=seir) for _ in range(3)]
    day = timezone.localdate() - datetime.timedelta(days=2)

    def make(venture):
        return lambda: commissioning_services.introduction_make(
            actor=seir, venture=venture, contact=contact, purpose="Pilot", made_on=day
        )

    make(ventures[0])()
    assert race(make(ventures[1]), make(ventures[2])) == []
    fields = ("day", "step", "introductions")
    assert rows(IntroductionDay, fields, programme=programme) == Counter({(day, "requested", 3): 1})


def test_two_meetings_held_the_same_day_are_both_counted(programme, seir):
    held = timezone.now() - datetime.timedelta(days=3)

    def meet():
        return MeetingFactory(programme=programme, held_at=held, logged_by=seir)

    meet()
    assert race(meet, meet) == []
    fields = ("day", "logged_by", "meeting_type", "sector", "meetings")
    assert rows(MeetingTally, fields, programme=programme) == Counter(
        {(timezone.localtime(held).date(), seir.pk, "one_to_one", "", 3): 1}
    )


def test_two_source_meetings_added_to_one_idea_at_once_make_one_row(programme, seir):
    held = timezone.now() - datetime.timedelta(days=3)
    meetings = [MeetingFactory(programme=programme, held_at=held, logged_by=seir) for _ in "abc"]
    idea = IdeaFactory(programme=programme, source_meetings=[meetings[0]])

    def add(meeting):
        return lambda: idea.source_meetings.add(meeting)

    assert race(add(meetings[1]), add(meetings[2])) == []
    fields = ("idea", "day", "logged_by", "sector")
    assert rows(IdeaSource, fields, programme=programme) == Counter(
        {(idea.pk, timezone.localtime(held).date(), seir.pk, ""): 1}
    )
    assert rows(IdeaSource, fields, programme=programme) == rebuilt(
        IdeaSource, fields, scouting_tallies.programme_rebuild, programme
    )


def test_two_ventures_entering_a_stage_the_same_day_are_both_counted(programme, seir):
    entered = timezone.now() - datetime.timedelta(days=2)

    def add(name):
        return lambda: venture_create(actor=seir, programme=programme, name=name, at=entered)

    add("First")()
    assert race(add("Second"), add("Third")) == []
    fields = ("stage__code", "day", "ventures")
    assert rows(StageDay, fields, programme=programme) == Counter(
        {("idea", timezone.localtime(entered).date(), 3): 1}
    )
    assert rows(StageDay, fields, programme=programme) == rebuilt(
        StageDay, fields, stage_days.programme_rebuild, programme
    )
