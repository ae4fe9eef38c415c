"""Demo data: every demo person who must sign in with a second factor (the global
administrator, the SEiRs) already has an authenticator app set up, with one known key,
so ``make run`` gives working sign-ins. Put the key in any authenticator app, or print
the current code with ``manage.py demo_code``. A demo-only secret: never use it for
a real account (seed_demo refuses to run with DEBUG off)."""

from __future__ import annotations

import base64

from django.db.models import Exists, OuterRef, Q
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import User
from accounts.roles import STAFF_ROLES

from .policy import two_factor_required
from .services import two_factor_enrol

DEMO_TOTP_SECRET = "SEIRDEMOSEIRDEMOSEIRDEMOSEIRDEMO"  # noqa: S105 (demo only)
DEMO_TOTP_KEY = base64.b32decode(DEMO_TOTP_SECRET).hex()


def demo_code(*, steps: int = 0) -> str:
    """The code an app holding the demo key shows now (or ``steps`` later)."""
    import time
    from binascii import unhexlify

    from django_otp.oath import TOTP

    totp = TOTP(unhexlify(DEMO_TOTP_KEY), step=30, digits=6)
    totp.time = time.time() + steps * 30
    return f"{totp.token():06d}"


def seed_demo(*, stdout) -> None:
    # One query finds who is left to set up (a second run finds nobody).
    candidates = (
        User.objects.filter(is_active=True)
        .filter(
            Q(is_global_admin=True)
            | Q(is_superuser=True)
            | Q(programme_memberships__role__in=STAFF_ROLES)
            | Q(programme_memberships__programme__require_two_factor=True)
        )
        .exclude(Exists(TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)))
        .distinct()
        .order_by("username")
    )
    enrolled = []
    for user in candidates:
        if two_factor_required(user):
            two_factor_enrol(user=user, key_hex=DEMO_TOTP_KEY, code=demo_code())
            enrolled.append(user.username)
    if enrolled:
        stdout.write(f"Two-factor sign-in set up for: {', '.join(enrolled)}")
