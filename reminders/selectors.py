from __future__ import annotations

from accounts.models import User

from .models import CalendarFeed


def calendar_feed_live(*, user: User) -> CalendarFeed | None:
    """The person's live calendar link, if they have one."""
    return CalendarFeed.objects.filter(user=user, revoked_at__isnull=True).first()
