"""Issue 18 item 4: a personal calendar feed (RFC 5545, parsed with icalendar) behind a
secret, revocable link that needs no session."""

from __future__ import annotations

import datetime as dt

import icalendar
import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.factories import member
from accounts.models import ProgrammeMembership
from accounts.roles import Role
from checklists.models import Checklist, ChecklistItem, ItemStatus
from commissioning.models import ProposedMeetingDate, Step
from commissioning.services import referral_move
from events.models import Event
from invitations.services import member_remove
from reminders.models import CalendarFeed
from reminders.services import calendar_feed_create, calendar_feed_revoke, token_hash
from scouting.factories import MeetingFactory
from ventures.factories import VentureFactory
from ventures.models import Venture, VentureStatus

from .conftest import application, followup, introduction, item

pytestmark = pytest.mark.django_db

DAY = dt.timedelta(days=1)


def feed_url(token: str) -> str:
    return reverse("reminders:calendar_feed", args=[token])


def parse(response) -> icalendar.Calendar:
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return icalendar.Calendar.from_ical(response.content)


def events(calendar) -> dict[str, icalendar.Event]:
    return {str(e["UID"]): e for e in calendar.walk("VEVENT")}


def test_the_feed_lists_the_persons_due_items_follow_ups_meetings_and_deadlines(world, client):
    today = timezone.localdate()
    mine = item(world, "Insurance; public liability, £5m", due=today + 3 * DAY, owner=world.lead)
    item(world, "Someone else's", due=today + 3 * DAY, owner=world.seir)
    item(world, "Done", due=today + 3 * DAY, owner=world.lead, status=ItemStatus.ACCEPTED)
    deadline = application(world, deadline=today + 10 * DAY)
    token = calendar_feed_create(actor=world.lead).token

    calendar = parse(client.get(feed_url(token)))

    assert calendar["VERSION"] == "2.0"
    assert "PRODID" in calendar
    found = events(calendar)
    assert set(found) == {
        f"checklist-item-{mine.pk}@seir-pipeline",
        f"funding-deadline-{deadline.pk}@seir-pipeline",
    }
    due = found[f"checklist-item-{mine.pk}@seir-pipeline"]
    assert str(due["SUMMARY"]) == "Due: Insurance; public liability, £5m (Saheli)"
    assert due.decoded("DTSTART") == today + 3 * DAY
    assert due.decoded("DTEND") == today + 4 * DAY
    assert str(due["URL"]).endswith(f"/checklists/items/{mine.pk}/")
    assert "DTSTAMP" in due


def test_the_seirs_feed_has_follow_ups_and_meetings(world, client):
    today = timezone.localdate()
    task = followup(world, "Call back " + "é" * 80, due=today + DAY, assignee=world.seir)
    held = timezone.now() + 2 * DAY
    meeting = MeetingFactory(programme=world.programme, logged_by=world.seir, held_at=held)
    token = calendar_feed_create(actor=world.seir).token

    found = events(parse(client.get(feed_url(token))))

    # The long summary was folded into 75-octet lines and comes back whole.
    assert str(found[f"follow-up-{task.pk}@seir-pipeline"]["SUMMARY"]) == (
        "Follow-up: Call back " + "é" * 80
    )
    start = found[f"meeting-{meeting.pk}@seir-pipeline"].decoded("DTSTART")
    assert start == held.replace(microsecond=0)


def test_every_line_of_the_feed_is_at_most_75_octets_and_ends_in_crlf(world, client):
    item(world, "ü" * 200, due=timezone.localdate(), owner=world.lead)
    token = calendar_feed_create(actor=world.lead).token
    body = client.get(feed_url(token)).content
    assert body.endswith(b"\r\n")
    lines = body.split(b"\r\n")[:-1]
    assert all(len(line) <= 75 for line in lines)
    assert b"\n" not in body.replace(b"\r\n", b"")


def test_the_feed_needs_no_session(world, client):
    token = calendar_feed_create(actor=world.lead).token
    client.logout()
    assert client.get(feed_url(token)).status_code == 200


def test_a_revoked_link_gets_404(world, client):
    token = calendar_feed_create(actor=world.lead).token
    assert calendar_feed_revoke(actor=world.lead) == 1
    assert client.get(feed_url(token)).status_code == 404


def test_a_new_link_turns_off_the_old_one(world, client):
    old = calendar_feed_create(actor=world.lead).token
    new = calendar_feed_create(actor=world.lead).token
    assert client.get(feed_url(old)).status_code == 404
    assert client.get(feed_url(new)).status_code == 200
    assert CalendarFeed.objects.filter(user=world.lead, revoked_at__isnull=True).count() == 1


def test_a_deactivated_account_gets_404(world, client):
    token = calendar_feed_create(actor=world.lead).token
    world.lead.is_active = False
    world.lead.save()
    assert client.get(feed_url(token)).status_code == 404


@pytest.mark.parametrize("token", ["nope", "x" * 5000, "%00", "ü"])
def test_an_unknown_link_gets_404(world, client, token):
    calendar_feed_create(actor=world.lead)
    assert client.get(f"/reminders/calendar/{token}.ics").status_code == 404


def test_only_a_hash_of_the_secret_is_stored(world):
    made = calendar_feed_create(actor=world.lead)
    feed = CalendarFeed.objects.get()
    assert feed.token_hash == token_hash(made.token)
    assert made.token not in feed.token_hash


def test_each_change_records_one_event_and_a_revoke_of_nothing_none(world):
    calendar_feed_create(actor=world.lead)
    calendar_feed_revoke(actor=world.lead)
    assert calendar_feed_revoke(actor=world.lead) == 0
    calendar_kinds = Event.objects.filter(kind__startswith="calendar.").order_by("pk")
    assert list(calendar_kinds.values_list("kind", "actor")) == [
        ("calendar.link_created", world.lead.pk),
        ("calendar.link_revoked", world.lead.pk),
    ]


# --- the page -------------------------------------------------------------------------


def test_the_page_makes_a_link_shows_it_once_and_turns_it_off(world, client):
    client.force_login(world.lead)
    page = reverse("reminders:calendar")
    assert "You have no calendar link." in client.get(page).content.decode()

    response = client.post(reverse("reminders:calendar_create"), follow=True)
    html = response.content.decode()
    feed = CalendarFeed.objects.get(user=world.lead)
    assert "Your new link" in html
    # The link shown opens the feed, and is never shown again.
    start = html.index('value="http://testserver/reminders/calendar/') + len('value="')
    url = html[start : html.index('"', start)]
    assert token_hash(url.rsplit("/", 1)[1].removesuffix(".ics")) == feed.token_hash
    assert client.get(url).status_code == 200
    assert "Your new link" not in client.get(page).content.decode()

    client.post(reverse("reminders:calendar_revoke"))
    assert client.get(url).status_code == 404
    assert "You have no calendar link." in client.get(page).content.decode()


def test_the_page_needs_sign_in_and_its_actions_are_post_only(world, client):
    page = reverse("reminders:calendar")
    assert client.get(page).status_code == 302
    assert client.post(reverse("reminders:calendar_create")).status_code == 302
    assert CalendarFeed.objects.count() == 0
    client.force_login(world.lead)
    assert client.get(reverse("reminders:calendar_create")).status_code == 405
    assert client.get(reverse("reminders:calendar_revoke")).status_code == 405
    assert CalendarFeed.objects.count() == 0


def test_one_person_cannot_turn_off_anothers_link(world, client):
    token = calendar_feed_create(actor=world.lead).token
    other = member(world.programme, Role.ENTREPRENEUR, username="other")
    client.force_login(other)
    client.post(reverse("reminders:calendar_revoke"))
    client.logout()
    assert client.get(feed_url(token)).status_code == 200


def test_a_removed_seirs_feed_no_longer_lists_the_ventures_proposed_meetings(world, client):
    # given the SEiR agreed a meeting on their venture, with a proposed date
    today = timezone.localdate()
    intro = introduction(world, step_on=today - 2 * DAY)
    referral_move(
        actor=world.seir,
        referral=intro,
        to_step=Step.MEETING_AGREED,
        proposed_dates=[today + 5 * DAY],
    )
    proposed = ProposedMeetingDate.objects.get()
    uid = f"proposed-meeting-{proposed.pk}@seir-pipeline"
    token = calendar_feed_create(actor=world.seir).token
    found = events(parse(client.get(feed_url(token))))
    assert str(found[uid]["SUMMARY"]) == (
        f"Proposed meeting: Saheli with {intro.commissioner.name}"
    )

    # when an administrator takes their SEiR role away on the programme page
    administrator = member(world.programme, Role.ADMINISTRATOR, username="ada")
    member_remove(
        actor=administrator,
        membership=ProgrammeMembership.objects.get(user=world.seir, role=Role.SEIR),
    )

    # then the venture still names them as its SEiR, but their feed lists nothing of it
    assert Venture.objects.get(pk=world.venture.pk).seir_id == world.seir.pk
    assert list(events(parse(client.get(feed_url(token))))) == []


@pytest.mark.parametrize("stopped", [VentureStatus.CLOSED, VentureStatus.PAUSED])
def test_a_paused_or_closed_ventures_due_dates_leave_the_feed_and_come_back_when_it_resumes(
    world, client, stopped
):
    # Given: the lead's due item, and the venture's funding deadline and a meeting agreed
    # with a commissioner, in the lead's and the SEiR's feeds; and the SEiR's own due
    # item on a second venture that stays active throughout
    today = timezone.localdate()
    due = item(world, "Insurance", due=today + 3 * DAY, owner=world.lead)
    deadline = application(world, deadline=today + 10 * DAY)
    referral_move(
        actor=world.seir,
        referral=introduction(world, step_on=today - 2 * DAY),
        to_step=Step.MEETING_AGREED,
        proposed_dates=[today + 5 * DAY],
    )
    proposed = ProposedMeetingDate.objects.get()
    other = VentureFactory(programme=world.programme, name="Still going", seir=world.seir)
    other_item = ChecklistItem.objects.create(
        checklist=Checklist.objects.create(venture=other, created_at=timezone.now()),
        section="Governance",
        label="Board minutes",
        owner=world.seir,
        due_date=today + 4 * DAY,
        created_at=timezone.now(),
    )
    lead = calendar_feed_create(actor=world.lead).token
    seir = calendar_feed_create(actor=world.seir).token
    active_uids = {f"checklist-item-{other_item.pk}@seir-pipeline"}
    seir_uids = {
        f"funding-deadline-{deadline.pk}@seir-pipeline",
        f"proposed-meeting-{proposed.pk}@seir-pipeline",
    }
    lead_uids = {f"checklist-item-{due.pk}@seir-pipeline", *seir_uids}
    assert set(events(parse(client.get(feed_url(lead))))) == lead_uids
    assert set(events(parse(client.get(feed_url(seir))))) == seir_uids | active_uids

    # When: the venture is paused or closed, nothing is due on it any more (the active
    # venture's item stays)
    Venture.objects.filter(pk=world.venture.pk).update(status=stopped)
    assert list(events(parse(client.get(feed_url(lead))))) == []
    assert set(events(parse(client.get(feed_url(seir))))) == active_uids

    # Then: resumed or reopened, the same events come back under the same UIDs
    Venture.objects.filter(pk=world.venture.pk).update(status=VentureStatus.ACTIVE)
    assert set(events(parse(client.get(feed_url(lead))))) == lead_uids
    assert set(events(parse(client.get(feed_url(seir))))) == seir_uids | active_uids
