"""venture_create_many: venture_create's rules for many rows, in a bounded number of queries."""

import datetime
import math

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.factories import UserFactory
from events.models import Event
from ventures import events
from ventures.bulk import VentureRow, venture_create_many
from ventures.models import Stage, StageChange, TeamMembership, TeamRole, Venture

pytestmark = pytest.mark.django_db


def rows(n, stages, *, lead=None, **extra):
    moment = timezone.now() - datetime.timedelta(days=30)
    return [
        VentureRow(
            name=f"Imported {i}",
            stage=stages["pilot" if i % 2 else "idea"],
            area="Aston",
            lead=lead,
            entered_at=moment,
            **extra,
        )
        for i in range(n)
    ]


def test_creates_ventures_with_first_stage_change_and_lead(
    programme, seir, entrepreneur, stages, legal_forms
):
    # given
    batch = rows(3, stages, lead=entrepreneur, legal_form=legal_forms["cic"])

    # when
    created = venture_create_many(actor=seir, programme=programme, rows=batch)

    # then
    assert [v.name for v in created] == ["Imported 0", "Imported 1", "Imported 2"]
    assert sorted(
        Venture.objects.values_list("name", "stage__code", "seir__username", "legal_form__code")
    ) == [
        ("Imported 0", "idea", "seir", "cic"),
        ("Imported 1", "pilot", "seir", "cic"),
        ("Imported 2", "idea", "seir", "cic"),
    ]
    for venture, row in zip(created, batch, strict=True):
        [change] = StageChange.objects.filter(venture=venture)
        assert (change.from_stage, change.to_stage, change.changed_at, change.changed_by) == (
            None,
            row.stage,
            row.entered_at,
            seir,
        )
        assert list(TeamMembership.objects.filter(venture=venture).values_list("user", "role")) == [
            (entrepreneur.pk, TeamRole.LEAD)
        ]
        # the event venture_create records, dated when the venture entered its stage
        [event] = Event.objects.filter(venture_id=venture.pk)
        assert (event.kind, event.actor, event.at, event.data) == (
            events.VENTURE_CREATED,
            seir,
            row.entered_at,
            {"stage": row.stage.name, "stage_id": row.stage.pk, "lead": "Parveen Akhtar"},
        )
    assert set(Venture.objects.values_list("last_activity_at", flat=True)) == {batch[0].entered_at}


def test_queries_are_a_constant_plus_one_insert_per_table_and_batch(programme, seir, stages):
    def import_rows(n, prefix):
        batch = [
            VentureRow(**{**r.__dict__, "name": f"{prefix} {r.name}"}) for r in rows(n, stages)
        ]
        with CaptureQueriesContext(connection) as captured:
            venture_create_many(actor=seir, programme=programme, rows=batch, batch_size=25)
        inserts = [q for q in captured.captured_queries if q["sql"].startswith("INSERT")]
        return len(captured.captured_queries) - len(inserts), len(inserts)

    # given: the actor's roles already read once (cached for the request, as in a view)
    import_rows(1, "warm")

    # when
    small = import_rows(10, "small")
    large = import_rows(100, "large")

    # then: the same look-ups whatever the size, and one insert per table and batch
    # (ventures, their first stage change, their "venture created" event), plus the
    # forecast's day rows (ventures.StageDay) once for the import
    assert small == (large[0], 3 + 1)
    assert large[1] == 3 * math.ceil(100 / 25) + 1
    assert Venture.objects.count() == 111


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"lead": "outsider"}, "is not a member of"),
        ({"seir": "entrepreneur"}, "is not a SEiR of"),
        ({"stage": "foreign"}, "That stage belongs to another programme."),
        ({"name": ""}, "name: This field cannot be blank."),
        ({"origin": "martian"}, "is not a valid choice"),
        ({"entered_at": "future"}, "cannot enter a stage in the future"),
    ],
)
def test_one_bad_row_refuses_them_all(
    programme, other_programme, seir, entrepreneur, stages, change, message
):
    # given
    values = {
        "outsider": UserFactory(username="outsider"),
        "entrepreneur": entrepreneur,
        "foreign": Stage.objects.get(programme=other_programme, code="idea"),
        "future": timezone.now() + datetime.timedelta(days=1),
    }
    batch = rows(3, stages)
    field, value = next(iter(change.items()))
    bad = VentureRow(
        **{
            **batch[1].__dict__,
            field: values.get(value, value) if isinstance(value, str) else value,
        }
    )
    batch[1] = bad

    # when
    with pytest.raises(ValidationError) as refused:
        venture_create_many(actor=seir, programme=programme, rows=batch)

    # then
    assert any(message in m for m in refused.value.message_dict["row 2"])
    assert Venture.objects.count() == 0
    assert StageChange.objects.count() == 0


def test_only_the_programmes_staff_may_import(programme, other_seir, entrepreneur, stages):
    for actor in (other_seir, entrepreneur):
        with pytest.raises(PermissionDenied):
            venture_create_many(actor=actor, programme=programme, rows=rows(2, stages))

    assert Venture.objects.count() == 0


def test_nothing_to_import_writes_nothing(programme, seir):
    assert venture_create_many(actor=seir, programme=programme, rows=[]) == []
    assert Venture.objects.count() == 0


def test_last_activity_after_a_bulk_import_takes_one_update_per_500_ventures(
    programme, seir, stages, django_capture_on_commit_callbacks
):
    # given: 600 rows entering their stages at different times
    batch = [
        VentureRow(**{**r.__dict__, "entered_at": r.entered_at - datetime.timedelta(minutes=i)})
        for i, r in enumerate(rows(600, stages))
    ]
    with django_capture_on_commit_callbacks() as callbacks:
        venture_create_many(actor=seir, programme=programme, rows=batch)
    # when the after-commit work runs
    with CaptureQueriesContext(connection) as captured:
        for callback in callbacks:
            callback()
    # then: the handler's batch form ran (two UPDATEs of up to 500 rows), not 600 UPDATEs
    updates = [q for q in captured.captured_queries if q["sql"].startswith("UPDATE")]
    assert len(updates) == 2
    latest = dict(Venture.objects.values_list("name", "last_activity_at"))
    assert [latest[r.name] for r in batch] == [r.entered_at for r in batch]


def test_an_import_writes_each_venture_once(programme, seir, stages):
    """Its rows are inserted with their last activity, target date and furthest stage:
    the after-commit handler and the targets' recompute find nothing to rewrite."""
    from events.models import Event
    from ventures.handlers import venture_touch_last_activity
    from ventures.targets import target_reached_refresh

    made = venture_create_many(actor=seir, programme=programme, rows=rows(4, stages))
    ids = [v.pk for v in made]

    assert venture_touch_last_activity.many(Event.objects.filter(venture_id__in=ids)) == 0
    assert target_reached_refresh(programme_id=programme.pk, venture_ids=ids) == 0
    # a venture whose last activity is older than its newest event is moved forward
    Venture.objects.filter(pk=ids[0]).update(last_activity_at=None)
    assert venture_touch_last_activity.many(Event.objects.filter(venture_id__in=ids)) == 1
    assert Venture.objects.get(pk=ids[0]).last_activity_at == made[0].stage_entered_at
