"""The outbox (issue 18 item 5): written in the caller's transaction, delivered only when
its consumer finishes, sent again by the drain, retried with backoff."""

import smtplib
from datetime import timedelta

import pytest
from django.db import OperationalError, transaction
from django.utils import timezone

from outbox import delivery, tasks
from outbox.delivery import RESEND_AFTER, backoff, deliver_message
from outbox.models import OutboxMessage
from outbox.retry import TRANSIENT_ERRORS
from outbox.selectors import outbox_oldest_undelivered_age
from outbox.services import outbox_put, outbox_put_many
from outbox.tasks import deliver, drain_due

from .conftest import TOPIC

pytestmark = pytest.mark.django_db


def undelivered():
    return list(
        OutboxMessage.objects.filter(delivered_at__isnull=True).values_list("payload", flat=True)
    )


# --- writing ---------------------------------------------------------------------------


def test_put_is_one_insert_and_rolls_back_with_the_callers_change(django_assert_num_queries):
    # given a change that writes a message and then fails
    with pytest.raises(RuntimeError), transaction.atomic():
        with django_assert_num_queries(1):
            outbox_put(topic=TOPIC, payload={"n": 1})
        raise RuntimeError("the change is refused")

    # then the message went with it
    assert OutboxMessage.objects.count() == 0


def test_put_sends_the_message_after_commit_and_it_is_delivered(
    consumed, django_capture_on_commit_callbacks
):
    # when a change puts a message and commits
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        message = outbox_put(topic=TOPIC, payload={"venture": 7})
        # then nothing is sent before the commit
        assert consumed == []

    # then the worker (eager here) ran the consumer once and marked the row delivered
    assert len(callbacks) == 1
    assert consumed == [{"venture": 7}]
    row = OutboxMessage.objects.get(pk=message.pk)
    assert row.delivered_at is not None
    assert (row.attempts, row.taken_at, row.last_error) == (1, None, "")


def test_a_duplicate_key_writes_and_sends_nothing(consumed, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = outbox_put(topic=TOPIC, payload={"n": 1}, key="reminders:2026-12-02:7")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        second = outbox_put(topic=TOPIC, payload={"n": 2}, key="reminders:2026-12-02:7")

    assert first is not None and second is None
    assert callbacks == []
    assert list(OutboxMessage.objects.values_list("payload", flat=True)) == [{"n": 1}]
    assert consumed == [{"n": 1}]


def test_put_many_is_one_insert_and_one_task(
    consumed, django_assert_num_queries, django_capture_on_commit_callbacks, monkeypatch
):
    sent = []
    monkeypatch.setattr(tasks.deliver_many, "apply_async", lambda args, **kw: sent.append(args))

    with django_capture_on_commit_callbacks(execute=True):
        with django_assert_num_queries(1):
            messages = outbox_put_many(topic=TOPIC, payloads=[{"n": n} for n in range(3)])

    assert sent == [([m.pk for m in messages],)]
    assert [m.payload for m in messages] == [{"n": 0}, {"n": 1}, {"n": 2}]


# --- delivering --------------------------------------------------------------------------


def test_a_delivered_message_is_not_run_again(consumed):
    message = outbox_put(topic=TOPIC, payload={"n": 1})

    assert deliver_message(message.pk) == delivery.DELIVERED
    assert deliver_message(message.pk) == delivery.SKIPPED
    assert consumed == [{"n": 1}]


def test_a_message_a_live_worker_holds_is_left_to_it(consumed):
    # given a message a worker took a minute ago and is still running
    message = outbox_put(topic=TOPIC, payload={"n": 1})
    OutboxMessage.objects.filter(pk=message.pk).update(
        taken_at=timezone.now() - timedelta(minutes=1), attempts=1
    )

    # when a second copy of its task arrives
    # then it does nothing
    assert deliver_message(message.pk) == delivery.SKIPPED
    assert consumed == []
    assert OutboxMessage.objects.get(pk=message.pk).attempts == 1


def test_a_failing_consumer_leaves_the_message_undelivered_with_its_error(consumed):
    consumed.fail.append(smtplib.SMTPServerDisconnected("Connection unexpectedly closed"))
    message = outbox_put(topic=TOPIC, payload={"n": 1})
    before = timezone.now()

    assert deliver_message(message.pk) == delivery.FAILED

    row = OutboxMessage.objects.get(pk=message.pk)
    assert row.delivered_at is None and row.taken_at is None
    assert row.attempts == 1
    assert row.last_error == "SMTPServerDisconnected: Connection unexpectedly closed"
    # sent again after the first backoff, a minute
    assert (
        before + timedelta(minutes=1)
        <= row.next_attempt_at
        <= timezone.now() + timedelta(minutes=1)
    )


def test_a_topic_without_a_consumer_is_kept_with_the_reason():
    message = outbox_put(topic="test.outbox.nobody", payload={})

    assert deliver_message(message.pk) == delivery.FAILED

    row = OutboxMessage.objects.get(pk=message.pk)
    assert row.delivered_at is None
    assert row.last_error == (
        "LookupError: No consumer is registered for the outbox topic 'test.outbox.nobody'."
    )


def test_backoff_doubles_from_a_minute_up_to_an_hour():
    assert [backoff(n) for n in range(1, 9)] == [
        timedelta(minutes=m) for m in (1, 2, 4, 8, 16, 32, 60, 60)
    ]


# --- the drain -----------------------------------------------------------------------------


def test_drain_retries_a_failed_message_only_after_its_backoff(consumed):
    # given a message whose first run failed on the mail server
    consumed.fail.append(smtplib.SMTPConnectError(421, "try later"))
    message = outbox_put(topic=TOPIC, payload={"n": 1})
    deliver_message(message.pk)
    failed_at = timezone.now()

    # when the drain runs before the backoff has passed, then it sends nothing
    assert drain_due(now=failed_at + timedelta(seconds=30)) == 0
    assert consumed == []

    # when it runs after, then it sends it and the second run delivers it
    OutboxMessage.objects.filter(pk=message.pk).update(next_attempt_at=failed_at)
    assert drain_due() == 1
    assert consumed == [{"n": 1}]
    row = OutboxMessage.objects.get(pk=message.pk)
    assert (row.attempts, row.last_error) == (2, "")
    assert row.delivered_at is not None


def test_a_second_failure_waits_twice_as_long(consumed):
    consumed.fail.extend([OperationalError("database is locked")] * 2)
    message = outbox_put(topic=TOPIC, payload={"n": 1})

    deliver_message(message.pk)
    OutboxMessage.objects.filter(pk=message.pk).update(next_attempt_at=timezone.now())
    drain_due()
    after_second = timezone.now()

    row = OutboxMessage.objects.get(pk=message.pk)
    assert row.attempts == 2 and row.delivered_at is None
    assert row.last_error == "OperationalError: database is locked"
    assert after_second + timedelta(minutes=1, seconds=50) < row.next_attempt_at
    assert row.next_attempt_at <= after_second + timedelta(minutes=2)


def test_drain_sends_again_a_message_never_sent_and_one_a_dead_worker_took(consumed):
    now = timezone.now()
    old = now - RESEND_AFTER - timedelta(seconds=1)
    # given a message never sent (the broker was down at commit) ...
    never_sent = outbox_put(topic=TOPIC, payload={"n": "never sent"})
    OutboxMessage.objects.filter(pk=never_sent.pk).update(created_at=old, next_attempt_at=old)
    # ... one a worker took and died running (it never finished) ...
    orphaned = outbox_put(topic=TOPIC, payload={"n": "worker died"})
    OutboxMessage.objects.filter(pk=orphaned.pk).update(
        created_at=old, taken_at=old, attempts=1, next_attempt_at=old
    )
    # ... and one written a moment ago, whose task is still on its way
    recent = outbox_put(topic=TOPIC, payload={"n": "recent"})

    # when the drain runs
    assert drain_due(now=now) == 2

    # then the first two are delivered once each, and the recent one is left to its task
    assert consumed == [{"n": "never sent"}, {"n": "worker died"}]
    assert undelivered() == [{"n": "recent"}]
    assert OutboxMessage.objects.get(pk=orphaned.pk).attempts == 2
    # and a second tick sends nothing again
    assert drain_due(now=now) == 0
    assert OutboxMessage.objects.get(pk=recent.pk).next_attempt_at > now


def test_drain_marks_what_it_sends_so_the_next_tick_leaves_it(monkeypatch):
    monkeypatch.setattr(tasks, "publish", lambda ids: True)
    message = outbox_put(topic=TOPIC, payload={})
    OutboxMessage.objects.filter(pk=message.pk).update(next_attempt_at=timezone.now())
    now = timezone.now()

    assert drain_due(now=now) == 1
    assert drain_due(now=now + timedelta(minutes=1)) == 0
    assert OutboxMessage.objects.get(pk=message.pk).next_attempt_at == now + RESEND_AFTER


# --- retries of the task itself ------------------------------------------------------------


def test_deliver_retries_with_backoff_when_the_database_fails(consumed, monkeypatch):
    # given a database that is locked on the first try
    message = outbox_put(topic=TOPIC, payload={"n": 1})
    real_take = delivery._take
    calls = []

    def flaky_take(message_id, now):
        calls.append(message_id)
        if len(calls) == 1:
            raise OperationalError("database is locked")
        return real_take(message_id, now)

    monkeypatch.setattr(delivery, "_take", flaky_take)

    # when the task runs (eagerly: Celery runs its retry at once)
    result = deliver.apply(args=(message.pk,), throw=False)

    # then it retried and the second try delivered the message once
    assert result.successful()
    assert calls == [message.pk, message.pk]
    assert consumed == [{"n": 1}]


@pytest.mark.parametrize("name", ["outbox.deliver", "outbox.deliver_many", "outbox.drain"])
def test_tasks_retry_on_database_broker_and_mail_errors_with_backoff(name):
    from seir.celery import app

    task = app.tasks[name]
    assert set(task.autoretry_for) == set(TRANSIENT_ERRORS)
    assert {OperationalError, smtplib.SMTPException} <= set(task.autoretry_for)
    assert (task.retry_backoff, task.retry_backoff_max, task.retry_jitter) == (2, 600, True)


def test_the_drain_runs_every_minute_on_beat():
    from celery.schedules import crontab

    from seir.celery import app

    entry = app.conf.beat_schedule["outbox-drain"]
    assert entry == {"task": "outbox.drain", "schedule": crontab()}


# --- how old is the oldest undelivered message ------------------------------------------------


def test_oldest_undelivered_age():
    now = timezone.now()
    assert outbox_oldest_undelivered_age(now=now) is None

    done = outbox_put(topic=TOPIC, payload={})
    OutboxMessage.objects.filter(pk=done.pk).update(
        created_at=now - timedelta(hours=2), delivered_at=now
    )
    waiting = outbox_put(topic=TOPIC, payload={})
    OutboxMessage.objects.filter(pk=waiting.pk).update(created_at=now - timedelta(seconds=95))

    assert outbox_oldest_undelivered_age(now=now) == timedelta(seconds=95)


# --- the page cache ---------------------------------------------------------------------------
