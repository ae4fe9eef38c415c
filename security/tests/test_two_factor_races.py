"""Two requests about one person's second factor at once (PostgreSQL, two connections):
the second waits for the first to commit (each service locks the person's row first),
so what it reads and replaces includes the first one's codes.

Without the lock a double click on "New backup codes" left two sets of codes (each
request deleted only the codes committed before it began): the account page said 20
codes left, and sign-in tried whichever set came first, about half the time not the one
the page showed. Turning two-factor sign-in off while new codes were being made left
backup codes for someone without two-factor sign-in.
"""

from __future__ import annotations

import pytest
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice, default_key

from events.models import Event
from security import events, services
from tests.concurrency import TWO_CONNECTIONS, race
from tests.two_factor import totp_code

pytestmark = TWO_CONNECTIONS


def enrolled(user) -> list[str]:
    key = default_key()
    return services.two_factor_enrol(user=user, key_hex=key, code=totp_code(key))


def test_new_backup_codes_twice_at_once_leave_only_the_last_ones(entrepreneur):
    enrolment_codes = enrolled(entrepreneur)
    made: dict[str, list[str]] = {}

    def make(name):
        return lambda: made.__setitem__(name, services.backup_codes_make(user=entrepreneur))

    assert race(make("first"), make("second")) == []

    # the second request, which committed last, is the one whose codes the page showed
    assert StaticDevice.objects.filter(user=entrepreneur).count() == 1
    assert sorted(StaticToken.objects.values_list("token", flat=True)) == sorted(made["second"])
    assert services.backup_codes_left(entrepreneur) == 10
    assert services.two_factor_verify(user=entrepreneur, code=made["second"][0]) == "backup"
    for stale in (made["first"][0], enrolment_codes[0]):
        with pytest.raises(services.TwoFactorError):
            services.two_factor_verify(user=entrepreneur, code=stale)
    assert services.backup_codes_left(entrepreneur) == 9


def test_new_backup_codes_while_turning_it_off_are_refused(entrepreneur):
    enrolled(entrepreneur)

    raised = race(
        lambda: services.two_factor_remove(user=entrepreneur),
        lambda: services.backup_codes_make(user=entrepreneur),
    )

    assert [str(e) for e in raised] == ["Set up two-factor sign-in first."]
    assert TOTPDevice.objects.filter(user=entrepreneur).count() == 0
    assert StaticDevice.objects.filter(user=entrepreneur).count() == 0
    assert services.backup_codes_left(entrepreneur) == 0
    kinds = list(Event.objects.filter(actor=entrepreneur).order_by("pk").values_list("kind"))
    assert kinds == [(events.TWO_FACTOR_ENROLLED,), (events.TWO_FACTOR_REMOVED,)]
