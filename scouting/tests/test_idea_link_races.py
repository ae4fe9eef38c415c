"""Two SEiRs linking two different ideas to the same venture at once (PostgreSQL, two
connections): the second waits for the first to commit, then is told the venture
already came from another idea.

Without the lock on the venture each locked only its own idea, both passed the "already
came from another idea" check and the second broke the unique key on ``Idea.venture``
(an error page).
"""

from __future__ import annotations

from scouting import services
from scouting.factories import IdeaFactory
from scouting.models import Idea, IdeaStatus
from scouting.services import ScoutingError
from tests.concurrency import TWO_CONNECTIONS, race
from ventures.factories import VentureFactory

pytestmark = TWO_CONNECTIONS


def test_two_ideas_linked_to_one_venture_at_once_link_one(programme, seir):
    venture = VentureFactory(programme=programme, seir=seir, name="Walking Netball CIC")
    first, second = IdeaFactory(programme=programme), IdeaFactory(programme=programme)

    def link(idea):
        return lambda: services.idea_link_venture(actor=seir, idea=idea, venture=venture)

    raised = race(link(first), link(second))

    assert [type(error) for error in raised] == [ScoutingError]
    assert raised[0].message == "Walking Netball CIC already came from another idea."
    assert list(Idea.objects.filter(venture=venture).values_list("pk", flat=True)) == [first.pk]
    second.refresh_from_db()
    assert (second.venture_id, second.status) == (None, IdeaStatus.NEW)
