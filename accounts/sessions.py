"""What a signed-in session remembers about itself: when it was last used (idle timeout)
and whether it has passed the second factor (``security`` decides when that is needed).

Sessions are ended in three ways:
- idle: a session unused for longer than its limit is flushed on its next request
  (``IdleTimeoutMiddleware``): ``SESSION_IDLE_TIMEOUT_STAFF_HOURS`` (8 by default) for
  global administrators, SEiRs and programme administrators, and
  ``SESSION_IDLE_TIMEOUT_OTHER_HOURS`` (7 days by default, inside the session cookie's
  own 14 days, so the person is told why) for everyone else;
- everywhere: raising ``User.session_epoch`` changes the hash Django checks on every
  request, so every session of that person ends at its next request;
- a password change or reset: Django's hash is made from the password, so every other
  session ends too (the change view keeps the current one: ``update_session_auth_hash``).
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone

from seir.signed_out import signed_out_in_place

LAST_SEEN = "seir_last_seen"
IDLE_LIMIT = "seir_idle_limit"
# The second factor: VERIFIED once a code was accepted in this session; EXEMPT (with
# the moment it was decided, in TWO_FACTOR_CHECKED) for a person who needs none.
TWO_FACTOR = "seir_2fa"
TWO_FACTOR_CHECKED = "seir_2fa_checked"
VERIFIED = "verified"
EXEMPT = "exempt"

# last_seen is rewritten at most this often, so a busy session is not saved on every page.
LAST_SEEN_GRANULARITY_SECONDS = 60


def now_seconds() -> int:
    return int(timezone.now().timestamp())


def idle_limit_seconds(user) -> int:
    """How long ``user``'s sessions may stay unused: shorter for those who run programmes."""
    from .permissions import runs_programme

    if runs_programme(user):
        return settings.SESSION_IDLE_TIMEOUT_STAFF_HOURS * 3600
    return settings.SESSION_IDLE_TIMEOUT_OTHER_HOURS * 3600


def _shortest_limit_seconds() -> int:
    return (
        min(settings.SESSION_IDLE_TIMEOUT_STAFF_HOURS, settings.SESSION_IDLE_TIMEOUT_OTHER_HOURS)
        * 3600
    )


def session_is_verified(request) -> bool:
    session = getattr(request, "session", None)
    return session is not None and session.get(TWO_FACTOR) == VERIFIED


def session_mark_verified(session) -> None:
    session[TWO_FACTOR] = VERIFIED
    session.pop(TWO_FACTOR_CHECKED, None)


@receiver(user_logged_in, dispatch_uid="accounts.sessions.start")
def session_start(sender, request, user, **kwargs):
    """Every sign-in starts the idle clock and must pass the second factor afresh (a
    session kept across a second sign-in as the same person keeps no old verification)."""
    session = getattr(request, "session", None)
    if session is None:
        return
    session[LAST_SEEN] = now_seconds()
    session[IDLE_LIMIT] = idle_limit_seconds(user)
    session.pop(TWO_FACTOR, None)
    session.pop(TWO_FACTOR_CHECKED, None)


class IdleTimeoutMiddleware:
    """Signs out a session that was not used for longer than its limit, and says why."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            session = request.session
            now = now_seconds()
            last_seen = session.get(LAST_SEEN)
            limit = session.get(IDLE_LIMIT)
            if limit is None:
                limit = session[IDLE_LIMIT] = idle_limit_seconds(user)
            idle = now - last_seen if isinstance(last_seen, int) else 0
            if idle > _shortest_limit_seconds() and idle <= limit:
                # A role given since sign-in may shorten it (made a SEiR: 8 hours, not
                # 7 days); read only for a session idle long enough to matter.
                limit = session[IDLE_LIMIT] = min(limit, idle_limit_seconds(user))
            if idle > limit:
                logout(request)
                hours = limit // 3600
                span = f"{hours} hours" if hours < 48 else f"{hours // 24} days"
                messages.info(request, f"You were signed out after {span} without using the site.")
                in_place = signed_out_in_place(request)
                if in_place is not None:
                    return in_place
                login_url = reverse(settings.LOGIN_URL)
                if request.method == "GET" and not request.headers.get("HX-Request"):
                    login_url += "?" + urlencode({"next": request.get_full_path()})
                return redirect(login_url)
            if not isinstance(last_seen, int) or now - last_seen >= (LAST_SEEN_GRANULARITY_SECONDS):
                session[LAST_SEEN] = now
        return self.get_response(request)


def force_login_verified(client, user) -> None:
    """Sign a Django test ``client`` in as ``user`` with the second factor passed: for the
    benchmark and profiling scripts, which measure pages, not the sign-in."""
    client.force_login(user)
    session = client.session
    session_mark_verified(session)
    session.save()
