"""The search's trigram index is written through (migration 0014): a venture's everyday
writes leave nothing in GIN's pending list, which every search would otherwise read
whole and which made PostgreSQL give up the index for a scan of the table."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.utils import timezone

from ventures.factories import VentureFactory
from ventures.models import Venture
from ventures.search import search_q

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="the trigram index is PostgreSQL's"
    ),
]

INDEX = "venture_search_trgm_idx"


def _pending_pages() -> int:
    """Merges GIN's pending list into the index; how many pages it held."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT gin_clean_pending_list(%s::regclass)", [INDEX])
        return cursor.fetchone()[0]


def test_the_index_has_no_pending_list():
    with connection.cursor() as cursor:
        cursor.execute("SELECT reloptions FROM pg_class WHERE relname = %s", [INDEX])
        assert cursor.fetchone()[0] == ["fastupdate=off"]


def test_a_new_venture_and_its_rewrites_leave_nothing_pending_and_are_found():
    venture = VentureFactory(name="Sutton Coldfield Men's Sheds")
    _pending_pages()  # whatever the setup left (nothing, unless the index were buffered)
    for days in range(1, 6):  # a row rewritten as each event's last-activity touch does
        Venture.objects.filter(pk=venture.pk).update(
            last_activity_at=timezone.now() + datetime.timedelta(days=days)
        )
    VentureFactory(name="Another Sutton venture")

    assert _pending_pages() == 0
    found = Venture.objects.filter(search_q("sutton")).order_by("name")
    assert [v.name for v in found] == ["Another Sutton venture", "Sutton Coldfield Men's Sheds"]
