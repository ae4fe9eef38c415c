"""The paused and closed ventures' own index (migration 0015): a list filtered to one of
those statuses counts and pages its few ventures from it, rather than reading every
active venture's entry of the filters' index, and the list still shows exactly them; the
dashboard's tally of stalled ventures reads it too."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from progress.periods import programme_period
from progress.scope import Scope
from progress.tallies import _tallies
from ventures.factories import VentureFactory
from ventures.models import Venture, VentureStatus

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="the plans checked are PostgreSQL's"
    ),
]


@pytest.fixture
def many_active_few_paused(programme, stages):
    template = VentureFactory(programme=programme, stage=stages["idea"], name="Template")
    Venture.objects.bulk_create(
        [
            Venture(
                programme=programme,
                stage=stages["idea"],
                name=f"Active {i:04}",
                search_text=f"active {i:04}",
                stage_entered_at=template.stage_entered_at,
            )
            for i in range(3000)
        ]
    )
    paused = [
        VentureFactory(
            programme=programme,
            stage=stages["idea"],
            name=f"Paused {i}",
            status=VentureStatus.PAUSED,
        )
        for i in range(3)
    ]
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE ventures_venture")
    return paused


def _plan(sql: str, params) -> str:
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN " + sql, params)
        return "\n".join(row[0] for row in cursor.fetchall())


def test_the_list_of_paused_ventures_reads_their_own_index(client, seir, many_active_few_paused):
    client.force_login(seir)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("ventures:list"), {"status": VentureStatus.PAUSED})

    html = response.content.decode()
    assert "3 ventures" in html
    assert html.index("Paused 0") < html.index("Paused 1") < html.index("Paused 2")
    assert "Active 0" not in html and "Template" not in html
    counts = [q["sql"] for q in captured.captured_queries if "COUNT(*)" in q["sql"]]
    assert len(counts) == 1
    plan = _plan(counts[0], None)
    assert "venture_inactive_idx" in plan, plan


def test_the_dashboards_stalled_ventures_are_counted_from_it(programme, many_active_few_paused):
    # The forecast's fallback: paused and closed ventures by stage over every programme,
    # one part of the dashboard's tallies (progress.tallies, "stalled").
    with CaptureQueriesContext(connection) as captured:
        tallies = _tallies(
            Scope.at(
                programme=programme,
                period=programme_period(programme),
                seir=None,
                now=timezone.now(),
            )
        )

    stalled = {r["t_key"]: r["t_a"] for r in tallies if r["t_kind"] == "stalled"}
    assert stalled == {"idea": 3}
    (sql,) = [q["sql"] for q in captured.captured_queries if "'stalled'" in q["sql"]]
    plan = _plan(sql, None)
    assert "venture_inactive_idx" in plan, plan
