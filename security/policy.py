"""Who signs in with a second factor.

Required for global administrators, SEiRs and programme administrators (the people who
run a programme's pipeline), and for everyone in a programme whose "require two-factor
sign-in for everyone" setting is on. Optional for everyone else: a person who set it up
is asked for a code too.
"""

from __future__ import annotations

from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import Programme
from accounts.permissions import runs_programme, user_is_global_admin


def two_factor_reason(user) -> str | None:
    """Why ``user`` must use two-factor sign-in, or None when it is their choice."""
    if not user.is_authenticated or not user.is_active:
        return None
    if user_is_global_admin(user):
        return "You are a global administrator."
    if runs_programme(user):
        return "You run a programme (as its SEiR or administrator)."
    requiring = list(
        Programme.objects.filter(require_two_factor=True, memberships__user=user)
        .values_list("name", flat=True)
        .distinct()[:3]
    )
    if requiring:
        return f"{', '.join(requiring)} requires it for everyone."
    return None


def two_factor_required(user) -> bool:
    return two_factor_reason(user) is not None


def totp_device(user) -> TOTPDevice | None:
    """The person's confirmed authenticator-app device (at most one: enrolling replaces)."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("-id").first()


def has_two_factor(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def needs_second_factor(user) -> bool:
    """Whether a session of ``user`` must pass a code (or enrol) before anything else."""
    return has_two_factor(user) or two_factor_required(user)
