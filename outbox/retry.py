"""How a task retries when a service it needs is briefly away.

``RETRY_OPTIONS`` for ``@shared_task(**RETRY_OPTIONS)``: the database, the broker or the
mail server failing (locked, restarting, unreachable) retries the task with exponential
backoff and jitter (2 s, 4 s, 8 s ... at most 10 minutes apart, 8 times), never for a
bug. The longest wait stays well inside the Redis visibility timeout (settings).
"""

from __future__ import annotations

import smtplib

from django.db import InterfaceError
from django.db import OperationalError as DatabaseOperationalError
from kombu.exceptions import OperationalError as BrokerOperationalError

TRANSIENT_ERRORS: tuple[type[BaseException], ...] = (
    DatabaseOperationalError,  # locked, gone away, too many connections
    InterfaceError,  # the connection closed under us
    BrokerOperationalError,  # the broker refused or dropped the connection
    smtplib.SMTPException,  # the mail server refused, timed out or hung up
    ConnectionError,  # refused, reset, broken pipe
    TimeoutError,
)

RETRY_BACKOFF_MAX_SECONDS = 600
RETRY_OPTIONS = {
    "autoretry_for": TRANSIENT_ERRORS,
    "retry_backoff": 2,
    "retry_backoff_max": RETRY_BACKOFF_MAX_SECONDS,
    "retry_jitter": True,
    "max_retries": 8,
}


def is_transient(error: BaseException) -> bool:
    return isinstance(error, TRANSIENT_ERRORS)
