"""Two writers at once, on two connections (PostgreSQL): ``race(first, second)``.

A module of such tests sets ``pytestmark = TWO_CONNECTIONS``: a transactional database
(each thread commits for real), the reference data put back first (an earlier
transactional test may have flushed it: ``tests/reference_data.py``), and PostgreSQL
only: SQLite lets one writing transaction at a time (``transaction_mode = IMMEDIATE``),
so there is no race to test there.
"""

from __future__ import annotations

import threading

import pytest
from celery import _state as celery_state
from django.db import connection, transaction

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite runs one writing transaction at a time: no race to test",
)

TWO_CONNECTIONS = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("reference_data_restored"),
    postgresql_only,
]

# How long the first writer keeps its transaction open while the second one works: long
# enough for the second to reach its insert (or, with the lock, to queue behind it).
HOLD_SECONDS = 1.0


def in_transaction(work, raised: list[BaseException], *, done=None) -> None:
    """Run ``work`` in a transaction on this thread's connection, as a side of a race
    run in a thread: what it raises is appended to ``raised``; then ``done`` (an event)
    is set and the thread's connection closed."""
    try:
        with transaction.atomic():
            work()
    except BaseException as error:  # noqa: BLE001 - handed back to the test
        raised.append(error)
    finally:
        if done is not None:
            done.set()
        connection.close()


def race(first, second) -> list[BaseException]:
    """Run ``first`` in a transaction that stays open while ``second`` runs in another
    thread (another connection); ``first`` commits when ``second`` has finished or after
    ``HOLD_SECONDS``. Returns what ``second`` raised."""
    started, finished = threading.Event(), threading.Event()
    raised: list[BaseException] = []

    def other():
        started.wait(10)
        in_transaction(second, raised, done=finished)

    # Celery's "never wait for a result inside a task" flag is one for the process: an
    # eager task run by each side at once (after its commit) can leave it set, and every
    # later test that waits for a result would then be refused. Put it back.
    blocks = celery_state.task_join_will_block()
    thread = threading.Thread(target=other)
    thread.start()
    try:
        with transaction.atomic():
            first()
            started.set()
            finished.wait(HOLD_SECONDS)
        thread.join(30)
    finally:
        celery_state._set_task_join_will_block(blocks)
    assert not thread.is_alive()
    return raised
