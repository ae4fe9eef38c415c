"""seed_demo: idempotent, tops up to a venture count, refuses production-like settings,
and writes demo data through the services so it obeys the same rules as real data."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import Programme, ProgrammeMembership, User
from demo import content
from events.models import Event
from ventures import events, gates
from ventures.models import (
    GateCondition,
    GateConfirmation,
    StageChange,
    TeamMembership,
    TeamRole,
    Venture,
    VentureNote,
)

pytestmark = pytest.mark.django_db

DEMO = "Birmingham East and North SEiR programme"


def seed(*args):
    out = io.StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


def counts():
    return {
        "users": User.objects.count(),
        "programmes": Programme.objects.count(),
        "memberships": ProgrammeMembership.objects.count(),
        "ventures": Venture.objects.count(),
        "stage_changes": StageChange.objects.count(),
        "status_changes": Event.objects.filter(kind=events.STATUS_CHANGED).count(),
        "team": TeamMembership.objects.count(),
        "notes": VentureNote.objects.count(),
        "confirmations": GateConfirmation.objects.count(),
    }


def test_running_twice_leaves_identical_counts():
    # given
    seed("--force")
    after_first = counts()

    # when
    output = seed("--force")

    # then
    assert counts() == after_first
    assert after_first["programmes"] == 2
    assert Venture.objects.filter(programme__name=DEMO).count() == len(content.ventures()) == 15
    assert set(User.objects.values_list("username", flat=True)) >= {
        u["username"] for u in content.users()
    }
    assert "(0 new)" in output
    assert "entrepreneur5  Entrepreneur  Aisha Begum" in output


def test_demo_texts_come_from_the_data_file():
    seed("--force")

    for spec in content.ventures():
        venture = Venture.objects.get(programme__name=DEMO, name=spec["name"])
        assert (venture.summary, venture.need, venture.area, venture.stage.code) == (
            spec["summary"],
            spec["need"],
            spec["area"],
            spec["stage"],
        )
        assert (venture.origin, venture.is_spinout, venture.legal_form.code) == (
            spec["origin"],
            spec["is_spinout"],
            spec["legal_form"],
        )


def test_every_demo_venture_has_a_consistent_dated_history():
    seed("--force")
    now = timezone.now()

    for venture in Venture.objects.all():
        changes = list(StageChange.objects.filter(venture=venture).order_by("changed_at", "id"))
        assert changes[0].from_stage is None
        assert changes[-1].to_stage_id == venture.stage_id
        assert all(
            a.to_stage_id == b.from_stage_id and a.changed_at < b.changed_at
            for a, b in zip(changes, changes[1:], strict=False)
        )
        assert all(c.changed_at < now for c in changes)
    saheli = Venture.objects.get(name="Saheli Women's Centre")
    assert (now - saheli.stage_changes.earliest().changed_at).days >= 200
    assert all(n.created_at < now for n in VentureNote.objects.all())


def test_overrides_are_exactly_the_moves_the_real_gate_refused():
    seed("--force")

    moves = StageChange.objects.exclude(from_stage=None)
    overridden = [m for m in moves if m.override_reason]
    assert overridden, "the demo shows what an override looks like"
    for move in overridden:
        labels = set(
            GateCondition.objects.filter(stage=move.from_stage).values_list("label", flat=True)
        )
        assert move.unmet_conditions and set(move.unmet_conditions) <= labels
    for move in moves.filter(override_reason=""):
        assert move.unmet_conditions == []
    # a 'not yet incorporated' venture cannot pass the Start-up gate without an override
    bump = Venture.objects.get(name="Saheli Women's Centre")
    assert bump.stage.code == "growth"
    # the gate of each venture's current stage is evaluated by the real evaluators
    statuses = gates.gate_status_many(Venture.objects.select_related("legal_form"))
    assert len(statuses) == Venture.objects.count()


def test_confirmations_and_statuses_go_through_the_services():
    seed("--force")

    assert GateConfirmation.objects.filter(confirmed_by__username="seir").count() == (
        GateConfirmation.objects.filter(venture__programme__name=DEMO).count()
    )
    assert all(
        c.condition.kind == "confirmed" and c.evidence for c in GateConfirmation.objects.all()
    )
    assert sorted(
        (e.venture_label, e.data["from"], e.data["to"])
        for e in Event.objects.filter(kind=events.STATUS_CHANGED)
    ) == [("Hear for You", "active", "paused"), ("Smoke-free Shard End", "active", "closed")]
    paused = Venture.objects.get(name="Hear for You")
    assert paused.status_reason.startswith("The volunteers' lead is away")


def test_ventures_option_tops_up_to_exactly_n():
    # when
    seed("--force", "--ventures", "30")
    seed("--force", "--ventures", "30")

    # then
    assert Venture.objects.filter(programme__name=DEMO).count() == 30


def test_ventures_option_after_a_plain_run():
    seed("--force")

    seed("--force", "--ventures", "30")

    assert Venture.objects.filter(programme__name=DEMO).count() == 30


def test_top_up_ventures_have_a_first_stage_change_and_their_lead_on_the_team():
    seed("--force", "--ventures", "60")

    topped = Venture.objects.filter(programme__name=DEMO).exclude(
        name__in=[v["name"] for v in content.ventures()]
    )
    assert topped.count() == 45
    for venture in topped:
        [change] = venture.stage_changes.all()
        assert (change.from_stage, change.to_stage_id) == (None, venture.stage_id)
        assert change.changed_at < timezone.now()
        if venture.lead_id:
            assert venture.team.get().user_id == venture.lead_id
            assert venture.team.get().role == TeamRole.LEAD
        else:
            assert not venture.team.exists()
    assert len({v.stage_id for v in topped}) >= 4


def test_top_up_queries_do_not_grow_with_the_number_of_ventures():
    # given: the hand-made demo already there
    seed("--force")

    # when
    with CaptureQueriesContext(connection) as small:
        seed("--force", "--ventures", "20")
    with CaptureQueriesContext(connection) as large:
        seed("--force", "--ventures", "50")

    # then: 30 more ventures cost no more queries than 5 (one insert per table and batch;
    # SQLite's batches hold 52 ventures, PostgreSQL's 1,000)
    assert Venture.objects.filter(programme__name=DEMO).count() == 50
    assert len(large.captured_queries) == len(small.captured_queries)
    # a ceiling: the top-up plus each app's demo seeder finding its data already there
    # (and the scouting source rows' copy of the ventures' target dates: lock and update;
    # the forecast's day rows recounted once: lock, delete, count and insert)
    assert len(large.captured_queries) <= 126


def test_refuses_with_debug_off_unless_forced(settings):
    # given
    settings.DEBUG = False

    # when
    with pytest.raises(CommandError, match="refuses to run with DEBUG=False"):
        seed()

    # then
    assert counts() == dict.fromkeys(counts(), 0)


def test_refuses_a_negative_or_absurd_count():
    with pytest.raises(CommandError, match="between 0 and"):
        seed("--force", "--ventures", "-1")

    assert counts() == dict.fromkeys(counts(), 0)
