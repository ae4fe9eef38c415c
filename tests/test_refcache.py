"""seir.refcache: reference data cached under a version any change replaces, and pages
that keep working when the cache cannot be reached."""

import pytest
from django.core.cache import cache

from seir import refcache

pytestmark = pytest.mark.django_db


def test_a_value_is_built_once_until_a_change_replaces_the_version():
    calls = []

    def build():
        calls.append(1)
        return len(calls)

    assert refcache.cached("k", build) == 1
    assert refcache.cached("k", build) == 1
    refcache.bump()
    assert refcache.cached("k", build) == 2
    assert len(calls) == 2


def test_saving_reference_data_replaces_the_version():
    from ventures.models import LegalForm

    refcache.cached("k", lambda: "old")
    form = LegalForm.objects.first()
    form.name = f"{form.name} (renamed)"
    form.save()

    assert refcache.cached("k", lambda: "new") == "new"


def test_without_a_cache_the_value_is_built_every_time(monkeypatch):
    def down(*args, **kwargs):
        raise ConnectionError("cache unreachable")

    monkeypatch.setattr(cache, "get_many", down)
    monkeypatch.setattr(cache, "set", down)

    assert refcache.cached("k", lambda: "from the database") == "from the database"
    assert refcache.cached("k", lambda: "again") == "again"


def test_a_save_succeeds_when_the_cache_is_down(monkeypatch):
    from ventures.models import LegalForm

    def down(*args, **kwargs):
        raise ConnectionError("cache unreachable")

    monkeypatch.setattr(cache, "set", down)
    form = LegalForm.objects.first()
    form.name = "Community interest company (renamed)"
    form.save()

    assert LegalForm.objects.get(pk=form.pk).name == "Community interest company (renamed)"


def test_the_venture_list_works_when_the_cache_is_down(monkeypatch, client):
    from django.urls import reverse

    from accounts.factories import ProgrammeFactory, member
    from accounts.roles import Role

    seir = member(ProgrammeFactory(), Role.SEIR, username="seir")

    def down(*args, **kwargs):
        raise ConnectionError("cache unreachable")

    monkeypatch.setattr(cache, "get_many", down)
    client.force_login(seir)

    response = client.get(reverse("ventures:list"))

    assert response.status_code == 200
    assert "Any legal form" in response.content.decode()


def test_a_sign_in_does_not_empty_the_cache(client, django_user_model):
    user = django_user_model.objects.create_user(username="someone", password="x" * 12)
    refcache.cached("k", lambda: "kept")

    client.force_login(user)  # saves last_login, as every sign-in does

    user.refresh_from_db()
    assert user.last_login is not None
    assert refcache.cached("k", lambda: "rebuilt") == "kept"


def test_in_process_a_value_is_read_once_and_kept_until_the_version_changes(monkeypatch):
    calls, reads = [], []

    def build():
        calls.append(1)
        return [len(calls)]

    real_get = cache.get
    monkeypatch.setattr(
        cache, "get", lambda key, *a, **k: reads.append(key) or real_get(key, *a, **k)
    )

    first = refcache.cached("k", build, in_process=True)
    again = refcache.cached("k", build, in_process=True)
    # then: built once, and the second call read only the version, not the value
    assert first == again == [1] and again is first
    assert reads.count("k") == 1  # the first call, which found nothing

    refcache.bump()
    assert refcache.cached("k", build, in_process=True) == [2]


def test_in_process_a_value_another_process_cached_is_read_from_the_cache():
    refcache.cached("k", lambda: "shared", in_process=True)
    refcache._in_process.clear()  # as in another process, which has not read it yet

    assert refcache.cached("k", lambda: "rebuilt", in_process=True) == "shared"


def test_in_process_nothing_is_kept_while_a_transaction_is_open():
    from django.db import transaction

    calls = []

    def build():
        calls.append(1)
        return len(calls)

    with transaction.atomic():
        assert refcache.cached("k", build, in_process=True) == 1
        assert refcache.cached("k", build, in_process=True) == 2

    assert refcache.cached("k", build, in_process=True) == 3
    assert refcache.cached("k", build, in_process=True) == 3


def test_in_process_without_a_cache_the_value_is_built_every_time(monkeypatch):
    def down(*args, **kwargs):
        raise ConnectionError("cache unreachable")

    refcache.cached("k", lambda: "kept", in_process=True)
    monkeypatch.setattr(cache, "get_many", down)

    assert refcache.cached("k", lambda: "from the database", in_process=True) == (
        "from the database"
    )


def test_in_process_a_value_is_kept_no_longer_than_the_cache_keeps_it(monkeypatch):
    """A change Django does not see (another database client) sets no new version: the
    value is read again once its time is up, here as in the shared cache."""
    import time

    clock = [1000.0]
    monkeypatch.setattr(time, "monotonic", lambda: clock[0])
    refcache.cached("k", lambda: "first", in_process=True, timeout=60)
    cache.delete("k")  # the shared entry gone (expired, evicted)

    clock[0] += 59
    assert refcache.cached("k", lambda: "second", in_process=True, timeout=60) == "first"
    clock[0] += 2
    assert refcache.cached("k", lambda: "second", in_process=True, timeout=60) == "second"


@pytest.fixture
def in_a_request():
    """Between request_started and request_finished, as Django's handler sends them."""
    from django.core.signals import request_finished, request_started

    request_started.send(sender=None)
    yield
    request_finished.send(sender=None)


def _count_version_reads(monkeypatch) -> list:
    reads = []
    real_get_many = cache.get_many

    def get_many(keys, *args, **kwargs):
        reads.extend(keys)
        return real_get_many(keys, *args, **kwargs)

    monkeypatch.setattr(cache, "get_many", get_many)
    return reads


def test_a_request_reads_the_version_once_for_all_its_values(monkeypatch, in_a_request):
    reads = _count_version_reads(monkeypatch)

    assert refcache.cached("a", lambda: "A", in_process=True) == "A"
    assert refcache.cached("b", lambda: "B", in_process=True) == "B"
    assert refcache.cached("c", lambda: "C") == "C"  # the value from the shared cache

    assert reads.count(refcache.VERSION_KEY) == 1
    assert reads.count("c") == 1


def test_outside_a_request_each_call_reads_the_version(monkeypatch):
    reads = _count_version_reads(monkeypatch)

    refcache.cached("a", lambda: "A", in_process=True)
    refcache.cached("b", lambda: "B", in_process=True)

    assert reads.count(refcache.VERSION_KEY) == 2


def test_a_change_this_request_makes_is_read_at_once(in_a_request):
    assert refcache.cached("k", lambda: "old", in_process=True) == "old"
    refcache.bump()  # a save of reference data in this request

    assert refcache.cached("k", lambda: "new", in_process=True) == "new"


def test_a_change_another_process_makes_is_read_by_the_next_request():
    from django.core.signals import request_finished, request_started

    request_started.send(sender=None)
    assert refcache.cached("k", lambda: "old", in_process=True) == "old"
    cache.set(refcache.VERSION_KEY, refcache._new_version())  # another process's bump
    # this request read the version when it began, as if it had read everything then
    assert refcache.cached("k", lambda: "new", in_process=True) == "old"
    request_finished.send(sender=None)

    request_started.send(sender=None)
    try:
        assert refcache.cached("k", lambda: "new", in_process=True) == "new"
    finally:
        request_finished.send(sender=None)


def test_the_venture_page_reads_the_reference_version_once(monkeypatch, client):
    from accounts.factories import member
    from accounts.models import Role
    from ventures.factories import VentureFactory

    venture = VentureFactory()
    seir = member(venture.programme, Role.SEIR, username="reader")
    client.force_login(seir)
    client.get(f"/ventures/{venture.pk}/")  # the values cached
    reads = _count_version_reads(monkeypatch)

    assert client.get(f"/ventures/{venture.pk}/").status_code == 200
    assert reads.count(refcache.VERSION_KEY) == 1
