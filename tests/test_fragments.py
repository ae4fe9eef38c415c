"""seir.fragments: a rendered fragment is served again until any data changes, and a
change is seen by every process once it commits, never before."""

import datetime
import uuid
from unittest import mock

import pytest
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.db import connection, transaction
from django.test import RequestFactory

from accounts.factories import UserFactory
from seir import fragments
from ventures.models import LegalForm


def version():
    return cache.get(fragments.VERSION_KEY)


def request_for(user, path="/somewhere/?a=1"):
    request = RequestFactory().get(path)
    request.user = user
    return request


def build_counting(calls, html="<p>hello</p>"):
    def build():
        calls.append(1)
        return html

    return build


# --- what counts as a write ----------------------------------------------------------


@pytest.mark.parametrize(
    ("sql", "table"),
    [
        ('INSERT INTO "ventures_venture" ("name") VALUES (%s)', "ventures_venture"),
        ('UPDATE "ventures_venture" SET "name" = %s', "ventures_venture"),
        ('DELETE FROM "events_event" WHERE "id" = %s', "events_event"),
        ('TRUNCATE "a", "b"', "a"),
        ('SELECT "id" FROM "ventures_venture" FOR UPDATE', None),
        ('SAVEPOINT "s1"', None),
        ('RELEASE SAVEPOINT "s1"', None),
        (["not", "sql"], None),
    ],
)
def test_written_table(sql, table):
    assert fragments._written_table(sql) == table


# --- versions and transactions (each test commits for real) --------------------------

committed = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@committed
def test_a_committed_write_sets_a_new_version_at_once_and_after_the_commit():
    before = version()
    with mock.patch.object(fragments, "bump", wraps=fragments.bump) as bump:
        with transaction.atomic():
            for n in range(5):
                LegalForm.objects.create(code=f"f{n}", name=f"Form {n}")
            assert bump.call_count == 1  # at once, for this process; once however many
            assert fragments.has_uncommitted_writes()
        assert bump.call_count == 2  # and once more after the commit
    assert not fragments.has_uncommitted_writes()
    assert version() != before


@committed
def test_a_rolled_back_transaction_leaves_no_pending_write_and_the_next_one_bumps():
    with pytest.raises(RuntimeError), transaction.atomic():
        LegalForm.objects.create(code="gone", name="Rolled back")
        raise RuntimeError
    assert not fragments.has_uncommitted_writes()

    with mock.patch.object(fragments, "bump") as bump, transaction.atomic():
        LegalForm.objects.create(code="kept", name="Kept")
        assert bump.call_count == 1
    assert bump.call_count == 2


@committed
def test_a_write_in_a_rolled_back_savepoint_is_not_pending_and_a_later_write_is():
    with mock.patch.object(fragments, "bump") as bump, transaction.atomic():
        with pytest.raises(RuntimeError), transaction.atomic():
            LegalForm.objects.create(code="inner", name="Inner")
            raise RuntimeError
        assert not fragments.has_uncommitted_writes()
        LegalForm.objects.create(code="outer", name="Outer")
        assert fragments.has_uncommitted_writes()
    # one at once for each write that was pending, one after the commit
    assert bump.call_count == 3


@committed
def test_sessions_and_plain_reads_do_not_change_the_version():
    user = UserFactory()
    fragments.bump()
    before = version()
    Session.objects.create(
        session_key="k" * 32,
        session_data="{}",
        expire_date=datetime.datetime(2099, 1, 1, tzinfo=datetime.UTC),
    )
    list(LegalForm.objects.all())
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    assert version() == before
    user.first_name = "Renamed"
    user.save()
    assert version() != before


@committed
def test_a_fragment_is_served_until_a_write_commits():
    user = UserFactory()
    calls = []
    build = build_counting(calls)

    assert fragments.cached_html(request_for(user), "t", build) == "<p>hello</p>"
    assert fragments.cached_html(request_for(user), "t", build) == "<p>hello</p>"
    assert len(calls) == 1

    LegalForm.objects.create(code="new", name="New")  # autocommit: everyone's at once
    fragments.cached_html(request_for(user), "t", build)
    assert len(calls) == 2


@committed
def test_inside_a_transaction_that_wrote_the_fragment_is_rendered_and_not_stored():
    user = UserFactory()
    calls = []
    build = build_counting(calls)
    fragments.cached_html(request_for(user), "t", build)
    with transaction.atomic():
        LegalForm.objects.create(code="new", name="New")
        fragments.cached_html(request_for(user), "t", build)
        fragments.cached_html(request_for(user), "t", build)
        assert len(calls) == 3
    fragments.cached_html(request_for(user), "t", build)
    fragments.cached_html(request_for(user), "t", build)
    assert len(calls) == 4


# --- keys, holes and failures (no commit needed) -------------------------------------


@pytest.mark.django_db
def test_each_person_path_and_day_has_its_own_fragment(monkeypatch):
    ann, bob = UserFactory(), UserFactory()
    connection._seir_fragments_pending = None  # as if the users above were committed
    calls = []
    build = build_counting(calls)

    fragments.cached_html(request_for(ann), "t", build)
    fragments.cached_html(request_for(bob), "t", build)
    fragments.cached_html(request_for(ann, "/somewhere/?a=2"), "t", build)
    fragments.cached_html(request_for(ann), "other", build)
    assert len(calls) == 4
    fragments.cached_html(request_for(ann), "t", build)
    assert len(calls) == 4

    monkeypatch.setattr(
        fragments.timezone, "localdate", lambda: datetime.date.today() + datetime.timedelta(1)
    )
    fragments.cached_html(request_for(ann), "t", build)
    assert len(calls) == 5


@pytest.mark.django_db
def test_tokens_are_filled_in_fresh_for_every_request():
    user = UserFactory()
    connection._seir_fragments_pending = None  # as if the user above were committed

    def build():
        return (
            f"<input name='csrfmiddlewaretoken' value='{fragments.CSRF_HOLE}'>"
            f"<input value='{fragments.submission_token()}'>"
            f"<input value='{fragments.submission_token()}'>"
        )

    first = fragments.cached_html(request_for(user), "t", build)
    second = fragments.cached_html(request_for(user), "t", build)
    for html in (first, second):
        assert fragments.CSRF_HOLE not in html
        assert str(fragments.TOKEN_HOLE) not in html
    tokens = [part.split("'")[0] for part in (first + second).split("<input value='")[1:]]
    assert len(tokens) == 4
    assert len(set(tokens)) == 4
    assert all(uuid.UUID(token).version == 4 for token in tokens)
    assert fragments.submission_token() != fragments.TOKEN_HOLE  # outside a render


@pytest.mark.django_db
def test_without_a_cache_the_fragment_is_rendered_every_time(monkeypatch):
    user = UserFactory()

    def down(*args, **kwargs):
        raise ConnectionError("cache unreachable")

    monkeypatch.setattr(cache, "get_many", down)
    monkeypatch.setattr(cache, "set", down)
    calls = []
    build = build_counting(calls)
    assert fragments.cached_html(request_for(user), "t", build) == "<p>hello</p>"
    assert fragments.cached_html(request_for(user), "t", build) == "<p>hello</p>"
    assert len(calls) == 2
    LegalForm.objects.create(code="saved", name="Saved while the cache is down")
    assert LegalForm.objects.filter(code="saved").exists()


@pytest.mark.django_db
def test_a_placeholder_token_posted_back_counts_as_no_token():
    from submissions.models import SubmissionToken
    from submissions.services import submission_save_once

    user = UserFactory()
    for _ in range(2):
        assert submission_save_once(actor=user, token=fragments.TOKEN_HOLE, save=lambda: 1) == 1
    assert not SubmissionToken.objects.exists()
