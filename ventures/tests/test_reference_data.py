"""The pages take stages, gate conditions and the moves between stages from the reference
data (``ventures.reference``, cached by ``seir.refcache`` and kept in the process while
its version stands): no query for them once cached, every change shown on the next
request, a stage written by another database client read rather than missed, and the
move service still deciding from the database."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape

from ventures import reference, selectors, services
from ventures.factories import VentureFactory
from ventures.models import GateCondition, Stage, StageTransition, Venture

pytestmark = pytest.mark.django_db

REFERENCE_TABLES = ('"ventures_stage"', '"ventures_gatecondition"', '"ventures_stagetransition"')


def _page(client, venture) -> str:
    response = client.get(reverse("ventures:detail", args=[venture.pk]))
    assert response.status_code == 200
    return response.content.decode()


def _tables_read(queries) -> set[str]:
    return {
        table
        for query in queries.captured_queries
        for table in REFERENCE_TABLES
        if f"FROM {table}" in query["sql"] or f"JOIN {table}" in query["sql"]
    }


def test_once_cached_the_venture_page_and_the_board_read_no_stage_condition_or_move(
    client, seir, venture
):
    # given: each page drawn once
    client.force_login(seir)
    _page(client, venture)
    client.get(reverse("ventures:board"))

    # when
    with CaptureQueriesContext(connection) as page_queries:
        html = _page(client, venture)
    with CaptureQueriesContext(connection) as board_queries:
        board = client.get(reverse("ventures:board")).content.decode()

    # then: what they show came from the reference data
    assert _tables_read(page_queries) == set()
    assert _tables_read(board_queries) == set()
    idea = Stage.objects.get(programme=venture.programme, code="idea")
    for condition in GateCondition.objects.filter(stage=idea):
        assert condition.label in html
    concept = Stage.objects.get(programme=venture.programme, code="startup")
    assert f"Gate to {concept.name}" in html  # the move forward, from the stage's moves
    assert f"?to={concept.pk}" in html
    names = Stage.objects.filter(programme=venture.programme).values_list("name", flat=True)
    assert all(escape(name) in board for name in names)


def test_a_gate_condition_added_renamed_or_removed_shows_on_the_next_request(client, seir, venture):
    # given: the page drawn once (the reference data cached)
    client.force_login(seir)
    idea = Stage.objects.get(programme=venture.programme, code="idea")
    first = GateCondition.objects.filter(stage=idea).order_by("order").first()
    old_label = first.label
    assert old_label in _page(client, venture)

    # when: an administrator renames one and adds another
    first.label = "Renamed condition"
    first.save()
    added = GateCondition.objects.create(
        stage=idea, kind="confirmed", label="A condition added today", order=99
    )
    html = _page(client, venture)

    # then
    assert "Renamed condition" in html and old_label not in html
    assert "A condition added today" in html

    # when: removed again
    added.delete()

    # then
    assert "A condition added today" not in _page(client, venture)


def test_a_move_added_between_stages_is_offered_on_the_next_request(client, seir, venture):
    # given: Idea offers only the next stage; the page drawn once
    client.force_login(seir)
    _page(client, venture)
    idea = Stage.objects.get(programme=venture.programme, code="idea")
    before = {t.to_stage.code for t in selectors.transition_list(venture=venture)}
    far = (
        Stage.objects.filter(programme=venture.programme)
        .exclude(code__in=before | {"idea"})
        .order_by("-order")
        .first()
    )

    # when
    StageTransition.objects.create(from_stage=idea, to_stage=far, requires_gate=True)

    # then
    after = [t.to_stage.code for t in selectors.transition_list(venture=venture)]
    assert set(after) == before | {far.code}
    assert after == sorted(
        after, key=lambda code: Stage.objects.get(programme=venture.programme, code=code).order
    )


def test_a_stage_written_by_another_client_is_read_not_missed(client, seir, venture):
    # given: the reference data cached ...
    client.force_login(seir)
    _page(client, venture)
    # ... then a stage with a condition written without Django's signals (as another
    # database client would), and the venture moved into it the same way
    [stage] = Stage.objects.bulk_create(
        [Stage(programme=venture.programme, code="elsewhere", name="Written elsewhere", order=50)]
    )
    GateCondition.objects.bulk_create(
        [GateCondition(stage=stage, kind="confirmed", label="A condition from elsewhere")]
    )
    Venture.objects.filter(pk=venture.pk).update(stage=stage)

    # when
    html = _page(client, venture)

    # then
    assert "Written elsewhere" in html
    assert "A condition from elsewhere" in html


def test_the_move_service_reads_the_gate_from_the_database(client, seir, venture):
    # given: the reference data cached, then a condition on Idea written without Django's
    # signals, which the cached reference data does not hold
    client.force_login(seir)
    _page(client, venture)
    idea = Stage.objects.get(programme=venture.programme, code="idea")
    GateCondition.objects.filter(stage=idea).delete()  # queryset delete: signals fire
    _page(client, venture)  # cached again: Idea has no conditions
    GateCondition.objects.bulk_create(
        [GateCondition(stage=idea, kind="confirmed", label="Written by another client")]
    )
    assert reference.stage_conditions([idea.pk]) == {}
    concept = Stage.objects.get(programme=venture.programme, code="startup")

    # when / then: the move is refused by the condition the cache does not know of
    with pytest.raises(services.MoveRefused, match="Written by another client"):
        services.venture_move(actor=seir, venture=venture, to_stage=concept)
    assert Venture.objects.get(pk=venture.pk).stage_id == idea.pk


def test_a_stage_renamed_shows_on_the_board_and_the_page(client, seir, venture):
    client.force_login(seir)
    _page(client, venture)
    client.get(reverse("ventures:board"))
    idea = Stage.objects.get(programme=venture.programme, code="idea")

    idea.name = "Seedling"
    idea.save()

    assert "Seedling" in _page(client, venture)
    assert "Seedling" in client.get(reverse("ventures:board")).content.decode()


def test_stages_of_other_programmes_are_not_on_the_board(client, seir, venture):
    from accounts.factories import ProgrammeFactory

    other = ProgrammeFactory(name="Elsewhere")
    Stage.objects.filter(programme=other, code="idea").update(name="Their own idea stage")
    VentureFactory(programme=other, stage_code="idea")
    client.force_login(seir)

    board = client.get(reverse("ventures:board")).content.decode()

    assert "Their own idea stage" not in board
    assert [s.pk for s in selectors.stage_list(programme_id=venture.programme_id)] == list(
        Stage.objects.filter(programme=venture.programme)
        .order_by("order")
        .values_list("pk", flat=True)
    )


def test_a_condition_whose_stage_was_added_after_the_stages_were_read_waits():
    """The reference data is read a query at a time: a stage and its condition added
    between the stages' read and the conditions' read (another request's commit) must not
    break the page; the condition comes with the next read."""
    from accounts.factories import ProgrammeFactory

    programme = ProgrammeFactory()
    stages = {stage.pk: stage for stage in Stage.objects.filter(programme=programme)}
    [late] = Stage.objects.bulk_create(
        [Stage(programme=programme, code="late", name="Added late", order=60)]
    )
    conditions = list(GateCondition.objects.order_by()) + [
        GateCondition(pk=10**6, stage=late, kind="confirmed", label="Late")
    ]
    moves = list(StageTransition.objects.order_by()) + [
        StageTransition(pk=10**6, from_stage=late, to_stage=next(iter(stages.values())))
    ]

    by_stage, leaving = reference._attach(stages, conditions, moves)

    assert late.pk not in by_stage and late.pk not in leaving
    assert all(c.stage_id in stages for each in by_stage.values() for c in each)
