"""Rendered parts of pages, cached per person until any data changes.

The pipeline pages spend most of their time in Python, not SQL: building forms and
rows and rendering hundreds of template variables (docs/performance.md). What they show
changes only when somebody saves something, so the part of a page below the navigation
is kept in the shared cache (Redis, or files on an embedded install) and served again
until the data changes.

**When it is stale.** Every INSERT, UPDATE, DELETE or TRUNCATE that Django sends to the
database, from any process (web, Celery, a management command), sets a new *data
version* in the shared cache: at once, and again once its transaction commits. A
fragment is served only under the version it was rendered under. Writes to tables that
no page shows (sessions, sign-in attempts) are ignored, so reading a page never empties
the cache. Inside a transaction that has written and not yet committed, this process
renders afresh and stores nothing: its data is not yet everyone's. A change made
outside Django (psql) is seen within ``TIMEOUT``.

**Whose it is.** A fragment is keyed by the person (their id), the full path, whether
htmx asked, and today's date (pages count days). Nobody is ever served another
person's fragment. Who may open the page is still checked on every request, before the
cache is asked, and revoking access is a write, so it empties the cache as well.

**What stays live.** A CSRF token and a one-time submission token are different on
every request, so fragments are rendered with placeholders and each request fills in
its own (``{% csrf_token %}``, ``{% submission_token_input %}`` and
``seir.forms.SubmissionTokenMixin`` all cooperate). Messages and the navigation are in
the base template, outside the fragment.

If the cache cannot be reached, the fragment is rendered every time.
"""

from __future__ import annotations

import contextvars
import hashlib
import logging
import re
import uuid
from collections.abc import Callable
from typing import TypeVar

from django.conf import settings
from django.db import connections, transaction
from django.db.backends.signals import connection_created
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.template.context import make_context
from django.template.loader import get_template
from django.test.signals import template_rendered
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from render_block import render_block_to_string

from . import refcache

log = logging.getLogger(__name__)
T = TypeVar("T")

VERSION_KEY = "fragments:version"
TIMEOUT = 10 * 60  # a safety net for changes made outside Django
# Tables no page shows: writing them (every sign-in, every session) must not empty the cache.
IGNORED_TABLE_PREFIXES = (
    "django_session",
    "axes_",
    # The outbox's bookkeeping (a delivery taken, done, failed): the change it is about
    # wrote its own tables in the same transaction.
    "outbox_",
    # A person's notifications, read receipts and email settings: only their own pages
    # show them (the bell is in the live navigation), so they bump that person's
    # version (``bump_person``), not everyone's.
    "inbox_",
    # Reminders sent and calendar links: no cached page shows them, so a daily reminder
    # run empties no one's cached pages.
    "reminders_",
)

# Placeholders rendered into a cached fragment and filled in for each request.
CSRF_HOLE = "csrf-token-filled-in-per-request"
TOKEN_HOLE = uuid.UUID("00000000-0000-4000-8000-0000f4a9e0e1")
_TOKEN_HOLE_TEXT = str(TOKEN_HOLE)

_rendering = contextvars.ContextVar("seir_fragment_rendering", default=False)


# --- the data version ----------------------------------------------------------------


def bump() -> None:
    refcache.bump(VERSION_KEY)


_WRITE = re.compile(r'\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM|TRUNCATE)\s+"?([\w.]*)', re.I)


def _written_table(sql) -> str | None:
    """The table an INSERT/UPDATE/DELETE/TRUNCATE writes, or None for anything else."""
    if not isinstance(sql, str) or sql[:1] in ("S", "s"):  # SELECT, SAVEPOINT: most queries
        return None
    match = _WRITE.match(sql)
    return match.group(1) if match else None


class _Pending:
    """A bump is due after the current transaction of one connection commits.

    Kept as the connection's list of commit hooks (replaced at every commit and
    rollback) and the savepoints open when the hook was added (a rolled-back savepoint
    drops it)."""

    __slots__ = ("hooks", "savepoints")

    def __init__(self, connection):
        self.hooks = connection.run_on_commit
        self.savepoints = frozenset(connection.savepoint_ids)

    def holds(self, connection) -> bool:
        return (
            connection.in_atomic_block
            and self.hooks is connection.run_on_commit
            and self.savepoints.issubset(connection.savepoint_ids)
        )


def has_uncommitted_writes(using: str = "default") -> bool:
    """Whether this process has written in a transaction that has not committed."""
    connection = connections[using]
    pending = getattr(connection, "_seir_fragments_pending", None)
    return pending is not None and pending.holds(connection)


def person_version_key(user_id) -> str:
    return f"{VERSION_KEY}:person:{user_id}"


def bump_person(user_id) -> None:
    """Only ``user_id``'s cached pages are out of date (what they have read changed): at
    once for this process, and again after the commit for everyone."""
    key = person_version_key(user_id)
    refcache.bump(key)
    transaction.on_commit(lambda: refcache.bump(key), robust=True)


def _note_write(connection, sql) -> None:
    table = _written_table(sql)
    if table is None or table.startswith(IGNORED_TABLE_PREFIXES):
        return
    if not connection.in_atomic_block:  # autocommit: the write is already everyone's
        bump()
        return
    if has_uncommitted_writes(connection.alias):
        return  # a bump after this commit is already due
    connection._seir_fragments_pending = _Pending(connection)
    bump()  # at once, for this process
    transaction.on_commit(bump, using=connection.alias, robust=True)  # for everyone


def _watch_writes(execute, sql, params, many, context):
    result = execute(sql, params, many, context)
    _note_write(context["connection"], sql)
    return result


def _install(sender, connection, **kwargs) -> None:
    if _watch_writes not in connection.execute_wrappers:
        connection.execute_wrappers.append(_watch_writes)


def watch_writes() -> None:
    """Every connection, now and later, reports its writes (called from AppConfig.ready)."""
    connection_created.connect(_install, dispatch_uid="seir-fragments-watch-writes")
    for connection in connections.all(initialized_only=True):
        _install(None, connection)


# --- per-request holes ---------------------------------------------------------------


def submission_token() -> uuid.UUID:
    """A fresh one-time token, or its placeholder while a fragment is rendered."""
    return TOKEN_HOLE if _rendering.get() else uuid.uuid4()


def _fill(request, html: str) -> SafeString:
    if CSRF_HOLE in html:
        html = html.replace(CSRF_HOLE, get_token(request))
    if _TOKEN_HOLE_TEXT in html:
        parts = html.split(_TOKEN_HOLE_TEXT)
        html = "".join(part if i == 0 else f"{uuid.uuid4()}{part}" for i, part in enumerate(parts))
    return mark_safe(html)  # noqa: S308 - rendered by the template engine, escaped there


# --- fragments -----------------------------------------------------------------------


def _key(request, name: str, vary) -> str:
    parts = (
        request.user.pk,
        request.get_full_path(),
        bool(getattr(request, "htmx", False)),
        timezone.localdate().isoformat(),
        *vary,
    )
    digest = hashlib.blake2b(repr(parts).encode(), digest_size=16).hexdigest()
    return f"fragment:{name}:{digest}"


def cached_html(request, name: str, build: Callable[[], str], *, vary=()) -> SafeString:
    """``build()``'s HTML for this person and this URL, until the data next changes.

    ``build`` renders with placeholders for per-request tokens (see the module's
    docstring); call it only through here. Anything besides the person, the path, htmx
    and the date that the HTML depends on goes in ``vary``."""

    def render() -> str:
        marker = _rendering.set(True)
        try:
            return str(build())
        finally:
            _rendering.reset(marker)

    return _fill(request, cached_value(_key(request, name, vary), render, person=request.user.pk))


def cached_value(key: str, build: Callable[[], T], *, person=None) -> T:
    """``build()``'s value under ``key`` until the data next changes, as fragments are
    kept (and built afresh inside a transaction that has written). With ``person`` (a
    user's id), also until that person's own version is bumped (``bump_person``)."""
    if not getattr(settings, "SEIR_FRAGMENT_CACHE", True) or has_uncommitted_writes():
        return build()
    version_key = VERSION_KEY if person is None else (VERSION_KEY, person_version_key(person))
    return refcache.cached(key, build, version_key=version_key, timeout=TIMEOUT)


def render_page(
    request,
    template_name: str,
    context: Callable[[], dict],
    *,
    name: str,
    light: dict | None = None,
    vary=(),
    cached: bool = True,
    status: int = 200,
) -> HttpResponse:
    """The page ``template_name`` (which extends ``base.html``) with its ``content``
    block cached as ``cached_html`` does.

    ``context()`` is called only when the block has to be rendered. The rest of the
    page (title, navigation, messages) is rendered on every request with ``light``,
    which must hold what those blocks use (for a venture page, the venture).

    A page showing a refused form (``cached=False``, or a status other than 200) is
    rendered whole from ``context()`` and never cached."""
    if not cached or status != 200:
        return render(request, template_name, context(), status=status)

    def build() -> str:
        full = make_context({**context(), "csrf_token": CSRF_HOLE}, request)
        html = render_block_to_string(template_name, "content", full, request)
        # Rendering one block skips Template.render, whose signal lets the test client
        # show a test the context (response.context); send it the same way.
        template_rendered.send(
            sender=None, template=get_template(template_name).template, context=full
        )
        return html

    content = cached_html(request, name, build, vary=vary)
    return render(request, template_name, {**(light or {}), "cached_content": content})
