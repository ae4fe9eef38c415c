"""Notifications (issue 18, item 1): who is told of what, by email as they chose, never of
their own action nor of what they may not see; the inbox page, the bell, reading."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.factories import ProgrammeFactory, member
from accounts.roles import Role
from checklists import services as checklist_services
from checklists.models import ChecklistItem, ChecklistTemplate, ItemStatus
from events.models import Event
from events.registry import kind_notifies, notify_rules
from events.services import event_record
from inbox.digest import digest_send
from inbox.models import Delivery, DigestSent, Notification, NotificationPreference, Read
from inbox.notifications import delivery_for, email_now, notify_event
from inbox.services import notification_read, preferences_set
from inbox.tasks import send_daily_digest
from ventures.factories import VentureFactory
from ventures.models import TeamMembership

pytestmark = pytest.mark.django_db


@pytest.fixture
def programme():
    return ProgrammeFactory(name="Birmingham East and North SEiR programme")


@pytest.fixture
def seir(programme):
    return member(
        programme,
        Role.SEIR,
        username="seir",
        first_name="Samira",
        last_name="Patel",
        email="samira@example.org",
    )


@pytest.fixture
def manager(programme):
    return member(
        programme,
        Role.MANAGER,
        username="manager",
        first_name="Mo",
        last_name="Manager",
        email="mo@example.org",
    )


@pytest.fixture
def entrepreneur(programme):
    return member(
        programme,
        Role.ENTREPRENEUR,
        username="entrepreneur1",
        first_name="Parveen",
        last_name="Akhtar",
        email="parveen@example.org",
    )


@pytest.fixture
def teammate(programme):
    return member(
        programme,
        Role.ENTREPRENEUR,
        username="teammate",
        first_name="Tom",
        last_name="Mate",
        email="tom@example.org",
    )


@pytest.fixture
def outsider(programme):
    """An entrepreneur of the same programme, not on the venture's team."""
    return member(
        programme,
        Role.ENTREPRENEUR,
        username="outsider",
        first_name="Otto",
        last_name="Side",
        email="otto@example.org",
    )


@pytest.fixture
def other_seir():
    return member(
        ProgrammeFactory(name="Solihull Council SEiR programme"),
        Role.SEIR,
        username="other-seir",
        email="owen@example.org",
    )


@pytest.fixture
def venture(programme, seir, entrepreneur, teammate, manager, outsider):
    venture = VentureFactory(
        programme=programme,
        stage_code="startup",
        name="Saheli Women's Centre",
        lead=entrepreneur,
        seir=seir,
    )
    TeamMembership.objects.create(venture=venture, user=teammate)
    return venture


@pytest.fixture
def item(seir, venture):
    checklist_services.checklist_create(
        actor=seir, venture=venture, template=ChecklistTemplate.objects.get(code="default")
    )
    return ChecklistItem.objects.get(checklist__venture=venture, label="Governing document")


def submit(item, actor):
    checklist_services.evidence_add_link(actor=actor, item=item, url="https://example.org/doc")
    checklist_services.checklist_item_move(actor=actor, item=item, to_status=ItemStatus.SUBMITTED)
    return Event.objects.filter(kind="checklist.item_submitted").latest("pk")


def others(item):
    return list(
        ChecklistItem.objects.filter(checklist=item.checklist).exclude(pk=item.pk).order_by("pk")
    )


def told(event=None):
    rows = Notification.objects.all() if event is None else Notification.objects.filter(event=event)
    return sorted(rows.values_list("user__username", flat=True))


def test_the_rules_are_data_beside_the_kinds():
    # Given the apps' rules, then these kinds tell people and others do not.
    for code in (
        "venture.moved",
        "checklist.item_submitted",
        "checklist.item_accepted",
        "checklist.item_returned",
        "plan.version_submitted",
        "plan.feedback_given",
        "plan.approved",
        "commissioning.introduction_made",
        "commissioning.introduction_moved",
        "scouting.followup_added",
        "funding.status_changed",
    ):
        assert kind_notifies(code), code
    assert not kind_notifies("checklist.evidence_added")
    assert not kind_notifies("venture.profile_edited")


def test_a_submitted_item_tells_its_seir_at_once_and_nobody_else(
    item, entrepreneur, django_capture_on_commit_callbacks
):
    # When the entrepreneur submits the item (the work runs after commit, eagerly here),
    with django_capture_on_commit_callbacks(execute=True):
        event = submit(item, entrepreneur)
    # then only the SEiR is told: not the actor, not the teammate, not the manager,
    # not an outsider.
    assert told(event) == ["seir"]
    notification = Notification.objects.get(event=event)
    assert notification.link == reverse("checklists:item", args=[item.pk])
    assert notification.read_at is None
    # and, by the SEiR's default for submissions, emailed at once, once.
    assert [m.to for m in mail.outbox] == [["samira@example.org"]]
    assert "Checklist item submitted: Governing document (Saheli Women's Centre)" in (
        mail.outbox[0].subject
    )
    assert f"/inbox/notifications/{notification.pk}/" in mail.outbox[0].body
    assert notification.emailed_at is not None


def test_a_returned_item_tells_the_team_and_not_the_seir_who_returned_it(item, seir, entrepreneur):
    submit(item, entrepreneur)
    checklist_services.checklist_item_move(
        actor=seir, item=item, to_status=ItemStatus.RETURNED, comment="Please sign it."
    )
    event = Event.objects.get(kind="checklist.item_returned")
    notify_event(event.pk)
    assert told(event) == ["entrepreneur1", "teammate"]


def test_a_second_delivery_of_the_same_event_tells_nobody_twice(item, entrepreneur):
    event = submit(item, entrepreneur)
    Notification.objects.all().delete()
    mail.outbox.clear()
    assert len(notify_event(event.pk)) == 1
    # The outbox delivers again (a retry, the drain): nothing new.
    assert notify_event(event.pk) == []
    assert told(event) == ["seir"]
    assert len(mail.outbox) == 1


def test_nobody_is_told_of_what_they_may_not_see(item, venture, entrepreneur, teammate, other_seir):
    # Given the venture's owning SEiR is somebody who may not open it (another
    # programme's SEiR), and a team member whose account is deactivated,
    venture.seir = other_seir
    venture.save(update_fields=["seir"])
    teammate.is_active = False
    teammate.save(update_fields=["is_active"])
    # when the item is submitted and then returned by an administrator,
    event = submit(item, entrepreneur)
    notify_event(event.pk)
    # then the SEiR who cannot see it is not told (the programme's own SEiR is instead),
    assert told(event) == ["seir"]
    admin = member(venture.programme, Role.ADMINISTRATOR, username="admin")
    checklist_services.checklist_item_move(
        actor=admin, item=item, to_status=ItemStatus.RETURNED, comment="Sign it."
    )
    returned = Event.objects.get(kind="checklist.item_returned")
    notify_event(returned.pk)
    # and of the team only the active member is.
    assert told(returned) == ["entrepreneur1"]


def test_a_manager_is_told_of_a_stage_move_and_an_outsider_is_not(venture, seir, manager, outsider):
    event = _move(venture, seir)
    notify_event(event.pk)
    assert told(event) == ["entrepreneur1", "manager", "teammate"]
    # The team hears of a move at once; the manager in a digest (defaults per role).
    assert sorted(m.to[0] for m in mail.outbox) == ["parveen@example.org", "tom@example.org"]


def _move(venture, actor):
    with transaction.atomic():
        return event_record(
            actor=actor,
            kind="venture.moved",
            subject=venture,
            venture=venture,
            data={"from": "Start-up", "to": "Established"},
        )


def test_off_sends_no_email_but_the_inbox_still_shows_it(item, seir, entrepreneur):
    preferences_set(user=seir, choices={"checklist.item_submitted": Delivery.OFF})
    event = submit(item, entrepreneur)
    notify_event(event.pk)
    assert told(event) == ["seir"]
    assert mail.outbox == []
    # and the daily digest does not send it either.
    assert digest_send(today=timezone.localdate()) == 0
    assert mail.outbox == []


def test_the_digest_sends_one_email_a_day_listing_everything(venture, item, seir, entrepreneur):
    # Given the SEiR hears of submissions in the daily digest,
    preferences_set(user=seir, choices={"checklist.item_submitted": Delivery.DIGEST})
    second = others(item)[0]
    notify_event(submit(item, entrepreneur).pk)
    notify_event(submit(second, entrepreneur).pk)
    assert mail.outbox == []  # nothing at once
    # when the digest task runs (eagerly), twice the same day,
    assert send_daily_digest.apply().get() == 1
    assert send_daily_digest.apply().get() == 0
    # then one email lists both,
    assert [m.to for m in mail.outbox] == [["samira@example.org"]]
    body = mail.outbox[0].body
    assert "Governing document (Saheli Women's Centre)" in body
    assert f"{second.label} (Saheli Women's Centre)" in body
    assert mail.outbox[0].subject == "SEiR Pipeline: your daily digest (2 new)"
    assert Notification.objects.filter(emailed_at__isnull=True).count() == 0
    # and a notification arriving later that day waits for tomorrow's digest.
    checklist_services.checklist_item_move(
        actor=seir, item=item, to_status=ItemStatus.RETURNED, comment="Sign it."
    )
    third = others(item)[1]
    notify_event(submit(third, entrepreneur).pk)
    assert send_daily_digest.apply().get() == 0
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    assert digest_send(today=tomorrow) == 1
    assert len(mail.outbox) == 2
    assert DigestSent.objects.filter(user=seir).count() == 2


def test_the_digest_leaves_out_what_the_person_may_no_longer_see(item, seir, entrepreneur):
    # Given: the SEiR hears of submissions in the daily digest, and one is waiting
    preferences_set(user=seir, choices={"checklist.item_submitted": Delivery.DIGEST})
    notify_event(submit(item, entrepreneur).pk)
    assert Notification.objects.filter(user=seir).count() == 1
    # When: their role in the programme is removed before the digest runs
    seir.programme_memberships.all().delete()
    # Then: no digest goes to them
    assert digest_send(today=timezone.localdate()) == 0
    assert mail.outbox == []


def test_an_email_sent_late_is_not_sent_to_someone_no_longer_allowed(item, seir, entrepreneur):
    # Given: the SEiR's notification written, its email not yet sent (as when the outbox
    # retries a refused mail server)
    notify_event(submit(item, entrepreneur).pk, email=False)
    notification = Notification.objects.get(user=seir)
    assert notification.emailed_at is None
    # When: their role in the programme is removed, then the email is tried
    seir.programme_memberships.all().delete()
    # Then: nothing is sent
    assert email_now(notification) is False
    assert mail.outbox == []


def test_a_mail_server_failure_undoes_the_claim_so_the_retry_sends(
    item, seir, entrepreneur, monkeypatch
):
    preferences_set(user=seir, choices={"checklist.item_submitted": Delivery.DIGEST})
    notify_event(submit(item, entrepreneur).pk)

    def refuse(*args, **kwargs):
        raise ConnectionError("mail server down")

    monkeypatch.setattr("inbox.digest.send_mail", refuse)
    with pytest.raises(ConnectionError):
        digest_send(today=timezone.localdate())
    assert DigestSent.objects.count() == 0
    assert Notification.objects.get().emailed_at is None
    monkeypatch.undo()
    assert digest_send(today=timezone.localdate()) == 1
    assert len(mail.outbox) == 1


def test_reading_a_notification_marks_its_thing_read(item, seir, entrepreneur):
    event = submit(item, entrepreneur)
    notify_event(event.pk)
    notification = Notification.objects.get()
    notification_read(user=seir, notification=notification)
    notification.refresh_from_db()
    assert notification.read_at is not None
    assert Read.objects.filter(user=seir, object_id=item.pk).count() == 1


# --- pages -------------------------------------------------------------------------------


def test_the_bell_counts_unread_and_the_page_links_to_the_thing(client, item, seir, entrepreneur):
    notify_event(submit(item, entrepreneur).pk)
    client.force_login(seir)
    page = client.get(reverse("inbox:notifications"))
    html = page.content.decode()
    assert page.status_code == 200
    assert 'data-testid="bell-count">1<span class="visually-hidden"> unread</span>' in html
    notification = Notification.objects.get()
    assert f'href="{reverse("inbox:open", args=[notification.pk])}"' in html
    assert "Checklist item submitted: Governing document (Saheli Women&#x27;s Centre)" in html
    # Opening it lands on the item and reads it.
    opened = client.get(reverse("inbox:open", args=[notification.pk]))
    assert opened.status_code == 302
    assert opened["Location"] == reverse("checklists:item", args=[item.pk])
    assert (
        'data-testid="bell-count"' not in client.get(reverse("home"), follow=True).content.decode()
    )


def test_another_persons_notification_is_404_and_stays_unread(client, item, seir, entrepreneur):
    notify_event(submit(item, entrepreneur).pk)
    notification = Notification.objects.get()
    client.force_login(entrepreneur)
    assert client.get(reverse("inbox:open", args=[notification.pk])).status_code == 404
    assert client.post(reverse("inbox:mark", args=[notification.pk])).status_code == 404
    client.post(reverse("inbox:read_all"))
    notification.refresh_from_db()
    assert notification.read_at is None
    assert Read.objects.count() == 0


def test_mark_one_and_mark_all(client, venture, item, seir, entrepreneur):
    second = others(item)[0]
    notify_event(submit(item, entrepreneur).pk)
    notify_event(submit(second, entrepreneur).pk)
    first, other = Notification.objects.order_by("pk")
    client.force_login(seir)
    response = client.post(reverse("inbox:mark", args=[first.pk]))
    assert response["Location"] == reverse("inbox:notifications")
    assert list(Notification.objects.filter(read_at__isnull=True)) == [other]
    client.post(reverse("inbox:read_all"))
    assert Notification.objects.filter(read_at__isnull=True).count() == 0
    assert sorted(Read.objects.filter(user=seir).values_list("object_id", flat=True)) == sorted(
        [item.pk, second.pk]
    )


def test_preferences_page_saves_only_what_changed_and_refuses_nonsense(client, seir):
    client.force_login(seir)
    page = client.get(reverse("inbox:preferences"))
    html = page.content.decode()
    # The SEiR's defaults: submissions at once, stage moves in the digest.
    assert 'name="checklist.item_submitted" value="immediate" class="form-check-input"' in html
    # The form posts every kind: the SEiR changes one, and leaves stage moves as they were.
    shown = {rule.code: delivery_for(seir, rule.code) for rule in notify_rules()}
    assert shown["venture.moved"] == "digest"
    response = client.post(
        reverse("inbox:preferences"), {**shown, "checklist.item_submitted": "off"}
    )
    assert response.status_code == 302
    assert list(NotificationPreference.objects.values_list("kind", "delivery")) == [
        ("checklist.item_submitted", "off")
    ]
    refused = client.post(
        reverse("inbox:preferences"), {**shown, "checklist.item_submitted": "\x00"}
    )
    assert refused.status_code == 400
    assert "Select a valid choice" in refused.content.decode()
    assert list(NotificationPreference.objects.values_list("kind", "delivery")) == [
        ("checklist.item_submitted", "off")
    ]


def test_the_bells_count_is_never_an_old_one_from_the_cache(
    client, venture, item, seir, entrepreneur, django_assert_num_queries
):
    from inbox.selectors import unread_count

    client.force_login(seir)
    assert unread_count(user=seir) == 0  # counted, and kept
    with django_assert_num_queries(0):
        assert unread_count(user=seir) == 0
    # A notification written (by the worker) forgets the kept count,
    notify_event(submit(item, entrepreneur).pk)
    assert unread_count(user=seir) == 1
    notify_event(submit(others(item)[0], entrepreneur).pk)
    page = client.get(reverse("inbox:notifications")).content.decode()
    assert 'data-testid="bell-count">2<' in page
    # and so does reading one, or all.
    client.get(reverse("inbox:open", args=[Notification.objects.order_by("pk")[0].pk]))
    assert (
        'data-testid="bell-count">1<' in client.get(reverse("inbox:notifications")).content.decode()
    )
    client.post(reverse("inbox:read_all"))
    assert (
        'data-testid="bell-count"'
        not in client.get(reverse("inbox:notifications")).content.decode()
    )


def test_an_introduction_tells_the_team_and_the_commissioners_contact_not_another_commissioner(
    venture, seir, programme
):
    from commissioning.factories import ContactFactory
    from commissioning.services import introduction_make

    claire = member(programme, Role.COMMISSIONER, username="claire", email="claire@nhs.example")
    other = member(programme, Role.COMMISSIONER, username="other-commissioner")
    contact = ContactFactory(user=claire)
    ContactFactory(user=other)  # at another commissioner
    with transaction.atomic():
        introduction = introduction_make(
            actor=seir, venture=venture, contact=contact, purpose="Falls prevention"
        )
    event = Event.objects.get(kind="commissioning.introduction_made")
    notify_event(event.pk)
    # The team and the addressed contact; not the SEiR who made it, not another commissioner.
    assert told(event) == ["claire", "entrepreneur1", "teammate"]
    assert Notification.objects.get(user=claire).link == reverse(
        "commissioning:introduction", args=[introduction.pk]
    )
    # The commissioner hears of it at once (their role's default).
    assert "claire@nhs.example" in [m.to[0] for m in mail.outbox]


def test_the_notifications_page_costs_the_same_queries_at_two_sizes(
    client, venture, item, seir, entrepreneur
):
    def many(n):
        for i in range(n):
            with transaction.atomic():
                event = event_record(
                    actor=entrepreneur,
                    kind="checklist.item_submitted",
                    subject=item,
                    venture=venture,
                    data={"label": f"Item {i}"},
                )
            notify_event(event.pk, email=False)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("inbox:notifications")).status_code == 200
        return len(captured.captured_queries)

    client.force_login(seir)
    many(2)
    small = queries()
    many(30)
    # Session, user, memberships, the page's count and rows (actors joined); the bell's
    # count is kept from sign-in and forgotten by each write, so counted once here too.
    assert queries() == small == 7  # and the events' ventures, for the access checks


@pytest.mark.parametrize(
    ("sent", "lands_on"),
    [
        ("abc", "/inbox/notifications/"),
        ("home", "/inbox/notifications/"),
        ("/ventures/", "/ventures/"),
    ],
)
def test_marking_one_read_with_a_next_that_is_not_a_path_lands_on_the_inbox(
    client, item, seir, entrepreneur, sent, lands_on
):
    # A bare word passed Django's host check and redirect() read it as a URL name: an
    # unknown one was a 500, "home" went to the start page.
    notify_event(submit(item, entrepreneur).pk)
    notification = Notification.objects.get(user=seir)
    client.force_login(seir)

    response = client.post(reverse("inbox:mark", args=[notification.pk]), {"next": sent})

    assert response.status_code == 302
    assert response["Location"] == lands_on
    assert Notification.objects.get(pk=notification.pk).read_at is not None
