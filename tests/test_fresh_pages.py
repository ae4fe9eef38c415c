"""Pages are rendered afresh for every request (issue 19): the per-person page cache is
gone, and with it each way it could show a person something stale or someone else's.

One test per hole the cache had, kept so none can come back with a new cache:
people's content is shown as written and never carries a token; access is checked on
every request, even when it was removed by a change Django did not see; days are
counted in calendar days, the same all day; reference data read inside a transaction is
never cached; sign-ins and derived columns leave the cache alone; security counters live
in a cache that is never evicted, apart from the cache that only saves work.
"""

from __future__ import annotations

import datetime
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import cache, caches
from django.db import connections, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import ProgrammeMembership
from accounts.throttle import throttle_hit
from scouting.factories import IdeaFactory, MeetingFactory, OrganisationFactory, PersonFactory
from seir import refcache
from seir.dates import days_since, more_than_days_ago
from tests.reference_data import reference_data_restore
from ventures.factories import VentureFactory

pytestmark = pytest.mark.django_db

# What the old cache rendered in place of each request's tokens: text anyone could type.
OLD_PLACEHOLDERS = ("csrf-token-filled-in-per-request", "00000000-0000-4000-8000-0000f4a9e0e1")


def _at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


# --- people's content never carries a token ------------------------------------------------


def test_text_people_write_is_shown_as_written_and_never_holds_the_readers_tokens(
    client, seir, venture
):
    # given a venture whose summary holds the old placeholders, as anyone on the team
    # could type them
    venture.summary = " and ".join(OLD_PLACEHOLDERS)
    venture.save(update_fields=["summary"])
    client.force_login(seir)

    # when the SEiR opens the page twice
    first, second = (client.get(reverse("ventures:detail", args=[venture.pk])) for _ in "12")

    # then the text is shown as written, and their CSRF token appears only in the forms'
    # own hidden inputs, never in what the team wrote
    token = client.cookies[settings.CSRF_COOKIE_NAME].value
    for response in (first, second):
        html = response.content.decode()
        assert " and ".join(OLD_PLACEHOLDERS) in html
        inputs = html.count('name="csrfmiddlewaretoken"')
        assert inputs >= 1
        masked = re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
        assert len(masked) == inputs and token not in html
    # and each rendering carries its own one-time submission tokens
    tokens = [
        set(re.findall(r'name="submission_token" value="([^"]+)"', r.content.decode()))
        for r in (first, second)
    ]
    assert tokens[0] and tokens[1] and not tokens[0] & tokens[1]


# --- access on every request ---------------------------------------------------------------


PAGES = {
    "venture list": lambda w: reverse("ventures:list"),
    "board": lambda w: reverse("ventures:board"),
    "venture page": lambda w: reverse("ventures:detail", args=[w["venture"].pk]),
    "scouting people": lambda w: reverse("scouting:person_list"),
    "scouting meetings": lambda w: reverse("scouting:meeting_list"),
    "scouting ideas": lambda w: reverse("scouting:idea_list"),
    "scouting organisations": lambda w: reverse("scouting:organisation_list"),
}
SHOWN = {
    "venture list": "Saheli Women",
    "board": "Saheli Women",
    "venture page": "Saheli Women",
    "scouting people": "Parveen Akhtar",
    "scouting meetings": "Saheli Hub",
    "scouting ideas": "Walking football",
    "scouting organisations": "Saheli Trust",
}


@pytest.fixture
def reference_data():
    """The migrations' reference rows (default stages among them), which a transactional
    test that ran before on this worker may have flushed."""
    reference_data_restore()


@pytest.fixture
def committed_world(reference_data, programme, seir, venture):
    organisation = OrganisationFactory(programme=programme, name="Saheli Trust")
    person = PersonFactory(programme=programme, name="Parveen Akhtar", organisation=organisation)
    MeetingFactory(programme=programme, location="Saheli Hub", attendees=[person])
    IdeaFactory(programme=programme, title="Walking football")
    return {"venture": venture, "seir": seir, "programme": programme}


# Serialized rollback: the flush after it leaves the content types for the serialized
# tests that follow on this worker.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize("where", list(PAGES))
def test_access_removed_by_another_database_client_is_refused_on_the_next_request(
    where, committed_world
):
    seir = committed_world["seir"]
    client = Client()
    client.force_login(seir)
    url = PAGES[where](committed_world)
    # given the SEiR has the page open
    shown = client.get(url)
    assert shown.status_code == 200 and SHOWN[where] in shown.content.decode()

    # when their membership is removed by another database client (psql, another
    # service), which nothing in this process sees happen
    other = connections.create_connection("default")
    try:
        with other.cursor() as cursor:
            table = ProgrammeMembership._meta.db_table
            cursor.execute(f"DELETE FROM {table} WHERE user_id = %s", [seir.pk])  # noqa: S608
        if not other.get_autocommit():
            other.commit()
    finally:
        other.close()

    # then the next request shows nothing of the programme
    refused = client.get(url)
    assert refused.status_code in (200, 403, 404)
    assert SHOWN[where] not in refused.content.decode()


# --- days in calendar days ---------------------------------------------------------------


def test_days_in_stage_are_calendar_days_the_same_all_day(client, programme, seir, stages):
    today = timezone.localdate()
    yesterday = today - datetime.timedelta(days=1)
    # given one venture entered its stage late yesterday, one early today
    late = VentureFactory(
        programme=programme, stage_code="idea", seir=seir, name="Late",
        history=_at(yesterday, 23, 59),
    )  # fmt: skip
    early = VentureFactory(
        programme=programme, stage_code="idea", seir=seir, name="Early",
        history=_at(today, 0, 1),
    )  # fmt: skip

    # then, whatever the time now, the first has been one day in stage and the second none
    assert days_since(_at(yesterday, 23, 59), _at(today, 0, 2)) == 1
    assert days_since(_at(yesterday, 0, 0), _at(today, 23, 59)) == 1
    assert days_since(_at(today, 0, 1), _at(today, 23, 59)) == 0
    client.force_login(seir)
    page = client.get(reverse("ventures:detail", args=[late.pk])).content.decode()
    assert "1 day in stage" in page
    page = client.get(reverse("ventures:detail", args=[early.pk])).content.decode()
    assert "0 days in stage" in page
    # and the list's "more than 0 days" filter holds exactly the one whose count shows 1
    listed = client.get(reverse("ventures:list"), {"stale_days": 0}).content.decode()
    assert "Late" in listed and ">Early<" not in listed
    assert more_than_days_ago(0) == _at(today, 0, 0)


# --- the reference cache --------------------------------------------------------------------


def test_nothing_read_inside_a_transaction_is_cached_so_a_rollback_leaves_no_trace():
    from ventures.models import LegalForm

    form = LegalForm.objects.order_by("pk").first()
    original = form.name

    def names():
        return sorted(LegalForm.objects.values_list("name", flat=True))

    # when a change is made, read and rolled back, in a savepoint inside a transaction
    with transaction.atomic():
        with transaction.atomic():
            LegalForm.objects.filter(pk=form.pk).update(name="Uncommitted name")
            assert "Uncommitted name" in refcache.cached("forms", names)
            transaction.set_rollback(True)
        assert refcache.in_transaction()
        refcache.cached("forms", names)  # still inside the outer transaction
    assert not refcache.in_transaction()

    # then the next reader gets the committed names, and they are kept from now on
    assert original in refcache.cached("forms", names)
    assert "Uncommitted name" not in refcache.cached("forms", lambda: ["rebuilt"])


def test_sign_ins_and_signing_out_everywhere_leave_the_reference_cache_alone(client, seir):
    refcache.cached("k", lambda: "kept")
    version = cache.get(refcache.VERSION_KEY)

    client.post(reverse("login"), {"username": "seir", "password": "wrong"})
    client.force_login(seir)  # saves last_login (and the derived is_staff)
    seir.session_epoch += 1
    seir.save(update_fields=["session_epoch"])

    assert cache.get(refcache.VERSION_KEY) == version
    assert refcache.cached("k", lambda: "rebuilt") == "kept"


# --- counters never in an evictable cache --------------------------------------------------


def test_security_counters_survive_the_cache_that_only_saves_work_being_emptied():
    # given a reset throttle at its limit
    for _ in range(3):
        assert not throttle_hit("reset:someone", limit=3, period_seconds=60)

    # when the work-saving cache is emptied (as an evicting Redis may at any time)
    cache.clear()

    # then the counter still stands
    assert throttle_hit("reset:someone", limit=3, period_seconds=60)
    assert caches["counters"] is not cache


def test_compose_runs_the_cache_on_its_own_evicting_redis_and_the_broker_never_evicts():
    compose = (Path(settings.BASE_DIR) / "docker-compose.yml").read_text()
    services = dict(re.findall(r"^  (\w[\w-]*):\n((?:    .*\n|\n)+)", compose, re.M))
    assert "--maxmemory-policy allkeys-lru" in services["cache"]
    assert "--maxmemory " in services["cache"]
    assert "--maxmemory-policy noeviction" in services["redis"]
    assert "CACHE_URL: redis://cache:6379/0" in compose
    assert "REDIS_URL: redis://redis:6379/0" in compose
