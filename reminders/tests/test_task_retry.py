"""A reminder run the database interrupts (restarting, failing over) is retried, not lost
until the next day's beat tick (the soak, scripts/soak.py, lost one to a PostgreSQL
restart). Safe: each reminder is written once under its unique key."""

import pytest
from django.db import InterfaceError, OperationalError
from kombu.exceptions import OperationalError as BrokerOperationalError

from reminders import tasks


@pytest.mark.parametrize("task", [tasks.send_reminders, tasks.send_manager_digests])
def test_a_run_retries_on_the_database_or_broker_failing(task):
    assert {OperationalError, InterfaceError, BrokerOperationalError} <= set(task.autoretry_for)
    assert task.max_retries == 8
    assert task.retry_backoff == 2


@pytest.mark.parametrize("task", [tasks.send_reminders, tasks.send_manager_digests])
def test_a_bug_is_not_retried(task):
    assert ValueError not in task.autoretry_for
    assert not any(issubclass(ValueError, kind) for kind in task.autoretry_for)
