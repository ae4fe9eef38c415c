"""Who has read what: one row per person and thing, written idempotently, read in one
query, and no event recorded (reading is per-person view state, like last_login)."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from accounts.factories import ProgrammeFactory, UserFactory
from accounts.models import Programme
from events.models import Event
from inbox.models import Read
from inbox.selectors import read_ids
from inbox.services import mark_read

pytestmark = pytest.mark.django_db


@pytest.fixture
def people():
    return UserFactory(username="esther"), UserFactory(username="tom")


@pytest.fixture
def things():
    return [ProgrammeFactory(name=f"Programme {n}") for n in range(3)]


def test_marking_twice_writes_one_row_and_keeps_the_first_time(people, things):
    esther, _ = people
    first = timezone.now() - datetime.timedelta(days=1)

    mark_read(user=esther, objects=[things[0]], at=first)
    mark_read(user=esther, objects=[things[0], things[0], things[1]])

    rows = Read.objects.filter(user=esther).order_by("object_id")
    assert [(r.object_id, r.read_at == first) for r in rows] == [
        (things[0].pk, True),
        (things[1].pk, False),
    ]
    assert Read.objects.count() == 2


def test_marking_what_is_already_read_writes_nothing(people, things, django_assert_num_queries):
    # given esther has read both things
    esther, _ = people
    mark_read(user=esther, objects=things[:2])

    # when a page shows them to her again
    with django_assert_num_queries(1):  # which of them she has read; no write
        mark_read(user=esther, objects=things[:2])

    # then nothing more is written, and a new thing is still recorded
    assert Read.objects.filter(user=esther).count() == 2
    mark_read(user=esther, objects=things)
    assert Read.objects.filter(user=esther).count() == 3


def test_a_row_written_meanwhile_by_another_request_is_no_error(people, things):
    # given a second request already recorded the read (the race a double click makes)
    esther, _ = people
    Read.objects.create(
        user=esther,
        content_type=ContentType.objects.get_for_model(Programme),
        object_id=things[0].pk,
        read_at=timezone.now(),
    )
    # when this one records it too, with another thing
    mark_read(user=esther, objects=things[:2])
    # then nothing fails and each thing is read once
    assert Read.objects.filter(user=esther).count() == 2


def test_reading_is_per_person_and_records_no_event(people, things):
    esther, tom = people
    events = Event.objects.count()

    mark_read(user=esther, objects=things)

    assert read_ids(user=esther, model=Programme, ids=[t.pk for t in things]) == {
        t.pk for t in things
    }
    assert read_ids(user=tom, model=Programme, ids=[t.pk for t in things]) == set()
    assert Event.objects.count() == events


def test_the_selector_asks_once_whatever_the_number_of_ids(
    people, things, django_assert_num_queries
):
    esther, _ = people
    ContentType.objects.get_for_model(Programme)  # the content type cache, warm
    mark_read(user=esther, objects=things[:1])
    with django_assert_num_queries(1):
        assert read_ids(user=esther, model=Programme, ids=[t.pk for t in things]) == {things[0].pk}
    with django_assert_num_queries(0):
        assert read_ids(user=esther, model=Programme, ids=[]) == set()


def test_nothing_to_mark_or_nobody_signed_in_writes_nothing(
    people, things, django_assert_num_queries
):
    esther, _ = people
    with django_assert_num_queries(0):
        mark_read(user=esther, objects=[])
        mark_read(user=AnonymousUser(), objects=things)
    assert not Read.objects.exists()
