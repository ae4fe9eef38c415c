"""Codes an authenticator app would show, for tests that sign in with a second factor."""

from __future__ import annotations

import base64
import time
from binascii import unhexlify

from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice


def key_from_secret(secret_text: str) -> str:
    """The hex key behind the base32 secret the set-up page shows (in groups of four)."""
    secret = secret_text.replace(" ", "").upper()
    return base64.b32decode(secret + "=" * (-len(secret) % 8)).hex()


def totp_code(key_hex: str, *, at: float | None = None, steps: int = 0) -> str:
    totp = TOTP(unhexlify(key_hex.encode()), step=30, digits=6)
    totp.time = (time.time() if at is None else at) + steps * 30
    return f"{totp.token():06d}"


def code_for(username: str) -> str:
    """The current code of ``username``'s app. The device forgets which step it last
    accepted, so a test may sign the same person in twice within one 30-second step (a
    real app would have to wait for the next code)."""
    device = TOTPDevice.objects.get(user__username=username, confirmed=True)
    TOTPDevice.objects.filter(pk=device.pk).update(last_t=-1)
    return totp_code(device.key)
