"""The second step of signing in (a code, or setting the app up), the backup codes, and
the account page (two-factor sign-in and sessions)."""

from __future__ import annotations

import base64
from binascii import unhexlify

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST
from django_otp.plugins.otp_totp.models import TOTPDevice, default_key

from accounts.sessions import idle_limit_seconds, session_is_verified, session_mark_verified
from seir.redirects import next_path

from . import lockout, services
from .forms import CodeForm, EnrolForm
from .middleware import two_factor_exempt
from .policy import has_two_factor, totp_device, two_factor_reason

ENROL_KEY = "seir_2fa_enrol_key"
CODES_TO_SHOW = "seir_2fa_codes"


def _next(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    return next_path(request, target, reverse("home"))


def _locked(request):
    """Sign the person out and say for how long their codes are refused."""
    logout(request)
    return render(
        request,
        "security/locked.html",
        {
            "minutes": settings.TWO_FACTOR_COOLOFF_MINUTES,
            "limit": settings.TWO_FACTOR_FAILURE_LIMIT,
        },
        status=429,
    )


@two_factor_exempt
@require_http_methods(["GET", "POST"])
def verify(request):
    """After the password: a code from the app or a backup code."""
    user = request.user
    if session_is_verified(request):
        return redirect(_next(request))
    if lockout.is_locked(user):
        return _locked(request)
    if not has_two_factor(user):
        if two_factor_reason(user) is None:
            return redirect(_next(request))
        enrol_url = reverse("security:enrol")
        return redirect(f"{enrol_url}?{request.GET.urlencode()}" if request.GET else enrol_url)
    form = CodeForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                used = services.two_factor_verify(user=user, code=form.cleaned_data["code"])
            except services.TwoFactorLocked:
                return _locked(request)
            except services.TwoFactorError as error:
                form.add_error("code", error.message)
            else:
                request.session.cycle_key()
                session_mark_verified(request.session)
                if used == "backup":
                    left = services.backup_codes_left(user)
                    messages.warning(
                        request,
                        f"You signed in with a backup code, which now cannot be used again. "
                        f"You have {left} left: make new ones on your account page.",
                    )
                return redirect(_next(request))
    return render(
        request,
        "security/verify.html",
        {"form": form, "next": _next(request)},
        status=status,
    )


def _secret_text(key_hex: str) -> str:
    """The secret as a person types it into an app: base32 in groups of four."""
    secret = base64.b32encode(unhexlify(key_hex)).decode()
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def _qr_data_uri(url: str) -> str:
    svg = segno.make(url, error="m").svg_data_uri(scale=5, border=2)
    return svg


@two_factor_exempt
@require_http_methods(["GET", "POST"])
def enrol(request):
    """Set up an authenticator app: QR code and the secret as text, confirmed by a code."""
    user = request.user
    if has_two_factor(user) and not session_is_verified(request):
        # Replacing the app needs the old one (or a backup code) first.
        return redirect(f"{reverse('security:verify')}?{request.GET.urlencode()}")
    key_hex = request.session.get(ENROL_KEY)
    if not key_hex:
        key_hex = request.session[ENROL_KEY] = default_key()
    form = EnrolForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                codes = services.two_factor_enrol(
                    user=user, key_hex=key_hex, code=form.cleaned_data["code"]
                )
            except services.TwoFactorError as error:
                form.add_error("code", error.message)
            else:
                request.session.pop(ENROL_KEY, None)
                request.session.cycle_key()
                session_mark_verified(request.session)
                request.session[CODES_TO_SHOW] = codes
                messages.success(request, "Two-factor sign-in is set up.")
                url = reverse("security:backup_codes")
                return redirect(f"{url}?{request.GET.urlencode()}" if request.GET else url)
    device = TOTPDevice(user=user, key=key_hex, name=services.DEVICE_NAME)
    return render(
        request,
        "security/enrol.html",
        {
            "form": form,
            "qr": _qr_data_uri(device.config_url),
            "secret": _secret_text(key_hex),
            "issuer": settings.OTP_TOTP_ISSUER,
            "replacing": has_two_factor(user),
            "required": two_factor_reason(user),
        },
        status=status,
    )


@require_http_methods(["GET"])
def backup_codes(request):
    """The backup codes just made, shown once."""
    codes = request.session.pop(CODES_TO_SHOW, None)
    if not codes:
        messages.info(request, "Backup codes are shown only once. You can make new ones here.")
        return redirect("security:account")
    return render(
        request,
        "security/backup_codes.html",
        {"codes": codes, "next": _next(request)},
    )


@require_http_methods(["GET"])
def account(request):
    user = request.user
    device = totp_device(user)
    hours = idle_limit_seconds(user) // 3600
    return render(
        request,
        "security/account.html",
        {
            "device": device,
            "required": two_factor_reason(user),
            "codes_left": services.backup_codes_left(user) if device else 0,
            "idle": f"{hours} hours" if hours < 48 else f"{hours // 24} days",
        },
    )


@require_POST
def backup_codes_new(request):
    try:
        codes = services.backup_codes_make(user=request.user)
    except services.TwoFactorError as error:
        messages.error(request, error.message)
        return redirect("security:account")
    request.session[CODES_TO_SHOW] = codes
    messages.success(request, "New backup codes are made; the old ones no longer work.")
    return redirect(f"{reverse('security:backup_codes')}?next={reverse('security:account')}")


@require_POST
def remove(request):
    try:
        services.two_factor_remove(user=request.user)
    except PermissionDenied as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "Two-factor sign-in is off.")
    return redirect("security:account")


@require_POST
def sign_out_everywhere(request):
    services.sessions_end_everywhere(user=request.user)
    logout(request)
    messages.success(
        request,
        "You are signed out everywhere: on this device and every other. Sign in again to carry on.",
    )
    return redirect(settings.LOGIN_URL)
