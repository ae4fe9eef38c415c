"""seed_demo: idempotent, tops up to a venture count, and refuses production-like settings."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from accounts.models import Programme, ProgrammeMembership, User
from demo.management.commands.seed_demo import USERS, VENTURES
from ventures.models import GateConfirmation, StageChange, TeamMembership, Venture, VentureNote

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
    assert Venture.objects.filter(programme__name=DEMO).count() == len(VENTURES)
    assert set(User.objects.values_list("username", flat=True)) >= {u[0] for u in USERS}
    assert "(0 new)" in output


def test_every_demo_venture_has_a_consistent_history():
    seed("--force")

    for venture in Venture.objects.all():
        changes = list(StageChange.objects.filter(venture=venture).order_by("changed_at", "id"))
        assert changes[0].from_stage is None
        assert changes[-1].to_stage_id == venture.stage_id
        assert all(
            a.to_stage_id == b.from_stage_id for a, b in zip(changes, changes[1:], strict=False)
        )


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


def test_refuses_with_debug_off_unless_forced(settings):
    # given
    settings.DEBUG = False

    # when
    with pytest.raises(CommandError, match="refuses to run with DEBUG=False"):
        seed()

    # then
    assert counts() == dict.fromkeys(counts(), 0)
