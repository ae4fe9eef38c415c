"""Wrong codes lock two-factor sign-in for the account, like django-axes does for
passwords (accounts' sign-in page): after ``TWO_FACTOR_FAILURE_LIMIT`` wrong codes within
``TWO_FACTOR_COOLOFF_MINUTES`` the account's codes are refused for that long.

Counted per account, not per address as axes counts passwords: whoever reaches this step
already has the password, so changing address must not buy more guesses. Counters live
in the "counters" cache (Redis in production, never evicted), as the password-reset
throttle's do.
"""

from __future__ import annotations

from django.conf import settings
from django.core.cache import caches

cache = caches["counters"]


def _keys(user) -> tuple[str, str]:
    return f"2fa:failures:{user.pk}", f"2fa:locked:{user.pk}"


def cooloff_seconds() -> int:
    return settings.TWO_FACTOR_COOLOFF_MINUTES * 60


def is_locked(user) -> bool:
    return bool(cache.get(_keys(user)[1]))


def failure_record(user) -> int:
    """Count one wrong code; returns the failures so far. Reaching the limit locks the
    account for the full cool-off from now."""
    failures, locked = _keys(user)
    cache.add(failures, 0, timeout=cooloff_seconds())
    try:
        count = cache.incr(failures)
    except ValueError:  # expired between add and incr
        cache.set(failures, 1, timeout=cooloff_seconds())
        count = 1
    if count >= settings.TWO_FACTOR_FAILURE_LIMIT:
        cache.set(locked, True, timeout=cooloff_seconds())
        cache.delete(failures)
    return count


def failures_reset(user) -> None:
    """A right code clears the count (and `manage.py two_factor_unlock` the lock)."""
    cache.delete_many(list(_keys(user)))
