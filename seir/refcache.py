"""Reference data read on every page, cached across requests and processes.

The venture list's filter offers the programmes, their SEiRs, stages and legal forms:
four queries and their rendering on every request, for lists that change a few times a
year. They are cached in the shared cache (Redis, or files on an embedded install) under
one *reference version*, and every save or delete of a model they are built from sets a
new version, at once and again after the commit, so no process serves an old list once
the change is saved. Only what is *offered* is cached: a submitted value is still
checked against the database.

Nothing is stored while this process has a transaction open (``in_transaction``): what
it reads there may be its own uncommitted change, which a rollback would leave in the
cache for everyone.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from contextvars import ContextVar
from typing import TypeVar

from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.db import connections, transaction
from django.db.models.signals import post_delete, post_save

T = TypeVar("T")
log = logging.getLogger(__name__)

VERSION_KEY = "refdata:version"
TIMEOUT = 60 * 60  # a safety net; a change sets a new version at once


def cached(
    key: str,
    build: Callable[[], T],
    *,
    version_key: str | tuple[str, ...] = VERSION_KEY,
    timeout: int = TIMEOUT,
    in_process: bool = False,
) -> T:
    """``build()``'s value, cached under ``key`` until reference data next changes (or,
    with ``version_key``, until that version is next bumped; with several version keys,
    until any of them is, all read in the same round trip).

    ``in_process=True`` also keeps the value in this process under its version, so a
    request reads only the version from the shared cache, not the value, which it would
    otherwise unpickle afresh: for values their readers never change (they are shared by
    every request the process serves).

    The cache only saves work: if it cannot be reached, the value is built each time."""
    version_keys = (version_key,) if isinstance(version_key, str) else tuple(version_key)
    seen = _request_versions.get()
    try:
        wanted = [each for each in version_keys if seen is None or each not in seen]
        if not in_process:
            wanted.append(key)
        found = cache.get_many(wanted) if wanted else {}
        versions = []
        for each in version_keys:
            version = seen.get(each) if seen is not None else None
            if version is None:
                version = found.get(each)
            if version is None:
                version = _new_version()
                cache.add(each, version, timeout=None)
                version = cache.get(each, version)
            if seen is not None:
                seen[each] = version
            versions.append(version)
        version = versions[0] if len(versions) == 1 else tuple(versions)
    except Exception:  # noqa: BLE001 - any cache failure: read the database instead
        log.warning("Reference cache unavailable; reading %s from the database", key)
        return build()
    if in_process:
        kept = _in_process.get(key)
        if kept is not None and kept[0] == version and kept[2] > time.monotonic():
            return kept[1]
        entry = _get(key)
    else:
        entry = found.get(key)
    if entry is not None and entry[0] == version:
        if in_process:  # the shared cache holds only committed data
            _keep(key, entry[0], entry[1], timeout)
        return entry[1]
    # The version is read before the data, so data read before a concurrent change is
    # stored under the version that change replaces.
    value = build()
    if in_transaction():
        return value
    if in_process:
        _keep(key, version, value, timeout)
    try:
        cache.set(key, (version, value), timeout=timeout)
    except Exception:  # noqa: BLE001
        log.warning("Reference cache unavailable; %s not stored", key)
    return value


# The versions this request has read: {version key: version}, or None outside a request.
# A page asks for several reference values (the stages, the gates, a form's choices);
# the versions are read from the shared cache once for all of them, as if the request
# had read them all at its start. A change this process makes (``bump``) is read again;
# one another process makes is seen by the next request, as any change made while a
# request is under way.
_request_versions: ContextVar[dict | None] = ContextVar("refcache_versions", default=None)


def _request_started(**kwargs) -> None:
    _request_versions.set({})


def _request_finished(**kwargs) -> None:
    _request_versions.set(None)


request_started.connect(_request_started, dispatch_uid="refcache-request-started")
request_finished.connect(_request_finished, dispatch_uid="refcache-request-finished")


# ``cached(..., in_process=True)``'s values in this process: {key: (version, value,
# until)}, each kept ``timeout`` seconds at most after it was read, as the shared cache
# keeps its entries: the safety net for a change Django did not see (another database
# client), which sets no new version.
_in_process: dict[str, tuple[object, object, float]] = {}


def _keep(key: str, version, value, timeout: int) -> None:
    _in_process[key] = (version, value, time.monotonic() + timeout)


def _get(key: str):
    try:
        return cache.get(key)
    except Exception:  # noqa: BLE001 - built instead, as when the cache is unreachable
        log.warning("Reference cache unavailable; reading %s from the database", key)
        return None


def in_transaction(using: str = "default") -> bool:
    """Whether code in this process has a transaction open on ``using`` (the one a test
    case wraps every test in does not count: it stands for the database itself)."""
    blocks = connections[using].atomic_blocks
    return any(not getattr(block, "_from_testcase", False) for block in blocks)


def _new_version() -> int:
    # Unique rather than counted: a version lost with the cache never comes back.
    return time.time_ns()


def bump(version_key: str = VERSION_KEY) -> None:
    seen = _request_versions.get()
    if seen is not None:
        seen.pop(version_key, None)  # this request reads the new version too
    try:
        cache.set(version_key, _new_version(), timeout=None)
    except Exception:  # noqa: BLE001 - a save must not fail because the cache is down
        # Entries keep their old version; they expire within TIMEOUT.
        log.error("Reference cache unavailable: could not mark reference data changed")


def _changed(sender, **kwargs) -> None:
    bump()  # this process, at once
    transaction.on_commit(bump)  # everyone, once the change is visible


# Saves that touch only these fields change no reference data: a sign-in saves the
# user's last_login (with is_staff, which User.save always derives and writes), signing
# out everywhere moves session_epoch, a new password changes no name; none of them may
# empty everyone's cache.
_IGNORED_FIELDS = {"last_login", "is_staff", "session_epoch", "password"}


def _saved(sender, update_fields=None, **kwargs) -> None:
    if update_fields is not None and not set(update_fields) - _IGNORED_FIELDS:
        return
    _changed(sender)


def invalidate_on_change(*models) -> None:
    """Any save or delete of ``models`` sets a new reference version."""
    for model in models:
        post_save.connect(_saved, sender=model, dispatch_uid=f"refcache-save-{model._meta}")
        post_delete.connect(_changed, sender=model, dispatch_uid=f"refcache-del-{model._meta}")
