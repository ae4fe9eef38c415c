"""Fixed-window counters in the "counters" cache (Redis in production, shared by every
worker, never evicted: settings.CACHES)."""

from django.core.cache import caches

cache = caches["counters"]


def throttle_hit(key: str, *, limit: int, period_seconds: int) -> bool:
    """Count one hit on ``key``; True when this hit is over ``limit`` in the window."""
    key = f"throttle:{key}"
    cache.add(key, 0, timeout=period_seconds)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=period_seconds)
        count = 1
    return count > limit
