"""Issue 18's measurements for ``make bench`` (and ``scripts/bench_issue18.py``): a
reminder run over the whole programme, and what notifications add to a stage move's
request. Run inside a process whose Django is set up on the bench's database."""

from __future__ import annotations

import statistics
import time

SEIR = "seir"  # the demo SEiR (as in bench.py)
VENTURE = "Saheli Women's Centre"  # a hand-made demo venture (as in bench.py)


def measure_reminders(ventures: int) -> dict:
    """Issue 18: a reminder run over the whole programme (with 20 checklist items and 10
    follow-ups per venture, topped up in bulk where the demo data has fewer), then a
    second run that finds everything sent: the time and the number of queries of each,
    which must not grow with the items."""
    import datetime

    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from accounts.models import User
    from checklists.models import Checklist, ChecklistItem
    from reminders.models import Reminder
    from reminders.services import reminders_send
    from scouting.models import FollowUp
    from ventures.models import Venture

    seir = User.objects.get(username=SEIR)
    programme_id = Venture.objects.get(name=VENTURE).programme_id
    today = timezone.localdate()
    missing = 10 * ventures - FollowUp.objects.count()
    if missing > 0:
        FollowUp.objects.bulk_create(
            [
                FollowUp(
                    programme_id=programme_id,
                    what=f"Bench follow-up {i}",
                    assignee=seir,
                    due=today + datetime.timedelta(days=i % 60 - 20),
                )
                for i in range(missing)
            ],
            batch_size=2000,
        )
    # ~20 checklist items per venture from the checklists' demo; top up to exactly 20 per
    # venture in bulk (extra items spread over the checklists) if it gave fewer.
    missing = 20 * ventures - ChecklistItem.objects.count()
    checklist_ids = list(Checklist.objects.order_by("pk").values_list("pk", flat=True))
    if missing > 0 and checklist_ids:
        now = timezone.now()
        ChecklistItem.objects.bulk_create(
            [
                ChecklistItem(
                    checklist_id=checklist_ids[i % len(checklist_ids)],
                    section="Bench",
                    label=f"Bench item {i}",
                    due_date=today + datetime.timedelta(days=i % 60 - 20),
                    created_at=now,
                )
                for i in range(missing)
            ],
            batch_size=2000,
        )
    sizes = (Venture.objects.count(), ChecklistItem.objects.count(), FollowUp.objects.count())
    runs = []
    for _ in range(2):
        started = time.perf_counter()
        with CaptureQueriesContext(connection) as captured:
            emails = reminders_send()
        runs.append((time.perf_counter() - started, len(captured.captured_queries), emails))
    result = {"sizes": sizes, "runs": runs, "reminders": Reminder.objects.count()}
    (first_s, first_q, first_e), (second_s, second_q, second_e) = runs
    print(
        f"Reminder run over {sizes[0]} ventures, {sizes[1]} checklist items, {sizes[2]} "
        f"follow-ups: {first_s:.1f} s, {first_q} queries, {result['reminders']} reminders in "
        f"{first_e} email(s); run again: {second_s:.1f} s, {second_q} queries, {second_e} "
        f"email(s) (target: under 30 s, queries not growing with the items).\n"
    )
    return result


def measure_moves(rounds: int = 3, moves: int = 30) -> dict:
    """Issue 18: what notifications add to a stage move's request. ``moves`` moves per
    round through the move view (Django's test client, signed in as the demo SEiR, each
    on a different active venture, overriding the gate), with notifications on (the
    outbox row written in the move's transaction and sent to the configured broker after
    commit) and off (``events.services._notifies`` answering False, so no outbox row and
    no send), alternating in rounds; the median request time of each, in ms."""
    from unittest import mock

    from django.test import Client
    from django.test.utils import setup_test_environment
    from django.urls import reverse

    from accounts.models import User
    from accounts.sessions import force_login_verified
    from events import services as event_services
    from outbox.models import OutboxMessage
    from ventures.models import Venture, VentureStatus
    from ventures.selectors import transition_list

    try:
        setup_test_environment()  # lets the test client's "testserver" host in
    except RuntimeError:
        pass  # prepare() has done so already
    seir = User.objects.get(username=SEIR)
    programme_id = Venture.objects.get(name=VENTURE).programme_id
    candidates = iter(
        Venture.objects.filter(programme_id=programme_id, status=VentureStatus.ACTIVE)
        .exclude(name=VENTURE)
        .order_by("pk")
    )
    client = Client()
    force_login_verified(client, seir)
    times: dict[str, list[float]] = {"on": [], "off": []}
    outbox_rows = {"on": 0, "off": 0}

    def move_once(mode: str) -> None:
        for venture in candidates:  # the next venture with somewhere to go
            transitions = transition_list(venture=venture)
            if transitions:
                transition = transitions[0]
                break
        else:
            raise RuntimeError("No active venture left with a stage to move to.")
        path = reverse("ventures:move", args=[venture.pk])
        data = {
            "to_stage": transition.to_stage_id,
            "expected_stage": venture.stage_id,
            "note": "bench",
            "override_reason": "Benchmark move",
        }
        before = OutboxMessage.objects.count()
        started = time.perf_counter()
        response = client.post(path, data)
        elapsed = (time.perf_counter() - started) * 1000
        if response.status_code != 302:
            raise RuntimeError(f"The move of venture {venture.pk} answered {response.status_code}.")
        times[mode].append(elapsed)
        outbox_rows[mode] += OutboxMessage.objects.count() - before

    move_once("on")  # the first request of a process sets up what it keeps
    times["on"].clear()
    outbox_rows["on"] = 0
    for round_number in range(rounds):
        # Alternate which mode goes first, so that neither always follows the other.
        for mode in ("on", "off") if round_number % 2 == 0 else ("off", "on"):
            if mode == "off":
                with mock.patch.object(event_services, "_notifies", return_value=False):
                    for _ in range(moves):
                        move_once(mode)
            else:
                for _ in range(moves):
                    move_once(mode)
    on, off = statistics.median(times["on"]), statistics.median(times["off"])
    result = {"on_ms": on, "off_ms": off, "difference_ms": on - off, "outbox_rows": outbox_rows}
    print(
        f"Stage move request, median of {rounds} x {moves} moves each: notifications on "
        f"{on:.1f} ms ({outbox_rows['on']} outbox rows), off {off:.1f} ms "
        f"({outbox_rows['off']} outbox rows); difference {on - off:+.1f} ms "
        f"(target: under 20 ms).\n"
    )
    return result
