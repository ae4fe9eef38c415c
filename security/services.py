"""Writes about a person's sign-in: their second factor and their sessions.

Each service records one event (``events.services.event_record``) in its transaction.
The codes themselves are django-otp's: a ``TOTPDevice`` (the authenticator app) and a
``StaticDevice`` whose ``StaticToken``s are the one-time backup codes.
"""

from __future__ import annotations

import re
from binascii import unhexlify

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import F
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import User
from events.services import event_record
from seir.refusals import Refused

from . import events, lockout
from .policy import two_factor_reason

DEVICE_NAME = "Authenticator app"
BACKUP_DEVICE_NAME = "Backup codes"


class TwoFactorError(Refused):
    """A code or a request the person can correct; the message says how."""


def normalise_code(code: str) -> str:
    """What a person typed, without the spaces and dashes people copy with codes."""
    return re.sub(r"[\s-]", "", code or "").lower()[:32]


def _data(user: User, **extra) -> dict:
    return {"user": user.display_name, "user_id": user.pk, **extra}


def _locked(user: User) -> User:
    """The person's row, locked until commit: their second-factor writes (enrol, new
    backup codes, remove) queue one behind the other, so each one's check and delete
    see what the one before it committed (a double click leaves one set of codes)."""
    return User.objects.select_for_update().get(pk=user.pk)


def _make_backup_codes(user: User) -> list[str]:
    """Replace the person's backup codes with ``TWO_FACTOR_BACKUP_CODES`` new ones."""
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=BACKUP_DEVICE_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(settings.TWO_FACTOR_BACKUP_CODES)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=c) for c in codes])
    return codes


def totp_matches(*, key_hex: str, code: str) -> int | None:
    """The time step at which ``code`` is right for the secret ``key_hex`` (one step of
    clock drift either way), or None."""
    code = normalise_code(code)
    if not code.isdigit() or len(code) != 6:
        return None
    totp = TOTP(unhexlify(key_hex.encode()), step=30, digits=6)
    for offset in (0, -1, 1):
        totp.drift = offset
        if totp.token() == int(code):
            return totp.t()
    return None


@transaction.atomic
def two_factor_enrol(*, user: User, key_hex: str, code: str) -> list[str]:
    """Set up the authenticator app whose secret is ``key_hex``, proven by a ``code``
    from it; replaces any earlier app and backup codes. Returns the new backup codes,
    shown once."""
    t = totp_matches(key_hex=key_hex, code=code)
    if t is None:
        raise TwoFactorError(
            "That code is not right. Check the time on your phone is set automatically, "
            "and type the 6-digit code the app shows now."
        )
    user = _locked(user)
    replaced = TOTPDevice.objects.filter(user=user).exists()
    TOTPDevice.objects.filter(user=user).delete()
    device = TOTPDevice(user=user, name=DEVICE_NAME, key=key_hex, confirmed=True, last_t=t)
    device.full_clean()
    device.save()
    codes = _make_backup_codes(user)
    event_record(
        actor=user,
        kind=events.TWO_FACTOR_ENROLLED,
        subject=user,
        data=_data(user, replaced=replaced),
    )
    return codes


@transaction.atomic
def backup_codes_make(*, user: User) -> list[str]:
    """New backup codes for someone with two-factor sign-in; the old ones stop working."""
    user = _locked(user)
    if not TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        raise TwoFactorError("Set up two-factor sign-in first.")
    codes = _make_backup_codes(user)
    event_record(actor=user, kind=events.BACKUP_CODES_MADE, subject=user, data=_data(user))
    return codes


@transaction.atomic
def two_factor_remove(*, user: User) -> None:
    """Turn two-factor sign-in off: only for someone who is not required to use it."""
    user = _locked(user)
    reason = two_factor_reason(user)
    if reason is not None:
        raise PermissionDenied(f"You cannot turn two-factor sign-in off. {reason}")
    deleted, _ = TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    if deleted:
        event_record(actor=user, kind=events.TWO_FACTOR_REMOVED, subject=user, data=_data(user))


def two_factor_verify(*, user: User, code: str) -> str:
    """Check a code at sign-in: ``"app"`` for the authenticator app's code, ``"backup"``
    for a backup code (used up, and recorded). A wrong code counts towards the lockout
    (``security.lockout``) and raises ``TwoFactorError``."""
    if lockout.is_locked(user):
        raise TwoFactorLocked()
    code = normalise_code(code)
    used = _verify(user=user, code=code) if code else None
    if used is None:
        if lockout.failure_record(user) >= settings.TWO_FACTOR_FAILURE_LIMIT:
            _record_lock(user)
            raise TwoFactorLocked()
        raise TwoFactorError(
            "That code is not right. Type the 6-digit code your authenticator app shows "
            "now, or one of your backup codes."
        )
    lockout.failures_reset(user)
    return used


class TwoFactorLocked(TwoFactorError):
    def __init__(self):
        super().__init__(
            f"Too many wrong codes: two-factor sign-in for this account is locked for "
            f"{settings.TWO_FACTOR_COOLOFF_MINUTES} minutes after "
            f"{settings.TWO_FACTOR_FAILURE_LIMIT} wrong codes."
        )


@transaction.atomic
def _verify(*, user: User, code: str) -> str | None:
    # Rows locked: two requests with the same code cannot both use it.
    app = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=True).first()
    if app is not None and len(code) == 6 and code.isdigit() and app.verify_token(code):
        return "app"
    backup = StaticDevice.objects.select_for_update().filter(user=user, confirmed=True).first()
    if backup is not None and len(code) != 6 and backup.verify_token(code):
        left = backup.token_set.count()
        event_record(
            actor=user,
            kind=events.BACKUP_CODE_USED,
            subject=user,
            data=_data(user, codes_left=left),
        )
        return "backup"
    return None


@transaction.atomic
def _record_lock(user: User) -> None:
    event_record(
        actor=user,
        kind=events.TWO_FACTOR_LOCKED,
        subject=user,
        data=_data(user, failures=settings.TWO_FACTOR_FAILURE_LIMIT),
    )


def backup_codes_left(user: User) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


@transaction.atomic
def sessions_end_everywhere(*, user: User) -> None:
    """End every session of ``user``, on every device: the next request of each is
    signed out (``User.session_epoch`` is part of the session hash Django checks)."""
    User.objects.filter(pk=user.pk).update(session_epoch=F("session_epoch") + 1)
    user.refresh_from_db(fields=["session_epoch"])
    event_record(actor=user, kind=events.SIGNED_OUT_EVERYWHERE, subject=user, data=_data(user))
