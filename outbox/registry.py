"""Who does the work of each outbox topic: ``register_consumer(topic)(fn)``.

``fn(payload: dict) -> None`` does the work. It must be idempotent: a message can be
delivered more than once (a worker killed after the work and before the row was marked,
the drain sending again a message a slow worker still holds), and a second run must be
harmless, e.g. by writing under a unique key.
"""

from __future__ import annotations

from collections.abc import Callable

Consumer = Callable[[dict], None]

_consumers: dict[str, Consumer] = {}


def register_consumer(topic: str) -> Callable[[Consumer], Consumer]:
    """Decorator: ``fn`` consumes messages of ``topic`` (registering again replaces it)."""
    if not topic:
        raise ValueError("An outbox topic needs a name.")

    def decorator(fn: Consumer) -> Consumer:
        _consumers[topic] = fn
        return fn

    return decorator


def unregister_consumer(topic: str) -> None:
    _consumers.pop(topic, None)


def consumer_for(topic: str) -> Consumer | None:
    return _consumers.get(topic)
