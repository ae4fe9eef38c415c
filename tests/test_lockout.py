"""Repeated failed sign-ins lock the account (django-axes), and an administrator can lift it."""

import pytest
from axes.utils import reset
from django.conf import settings
from django.core import mail
from django.core.cache import caches
from django.test import Client, override_settings
from django.urls import reverse

from accounts.client_ip import client_ip
from accounts.models import User

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"
WRONG_LOGIN_MESSAGE = "username or password is not right"
LOCKED_OUT_HEADING = "Too many failed sign-in attempts"


@pytest.fixture
def user():
    return User.objects.create_user(username="samira", password=PASSWORD)


def _sign_in(client, password):
    return client.post(reverse("login"), {"username": "samira", "password": password})


def _signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_one_wrong_password_shows_the_form_error(client, user):
    # given a user
    # when they type a wrong password once
    response = _sign_in(client, "wrong")

    # then the form says so, and they are not signed in
    assert response.status_code == 200
    assert WRONG_LOGIN_MESSAGE in response.content.decode()
    assert not _signed_in(client)


def test_failure_limit_locks_the_account_until_an_administrator_resets_it(client, user):
    # given the failure limit the settings promise
    assert settings.AXES_FAILURE_LIMIT == 5

    # when the user gets the password wrong that many times
    responses = [_sign_in(client, "wrong") for _ in range(settings.AXES_FAILURE_LIMIT)]

    # then the attempts before the limit show the form error, and the last one locks
    assert [r.status_code for r in responses] == [200, 200, 200, 200, 429]
    assert all(WRONG_LOGIN_MESSAGE in r.content.decode() for r in responses[:-1])
    assert LOCKED_OUT_HEADING in responses[-1].content.decode()
    assert "locked for 15 minutes after 5 failed attempts" in responses[-1].content.decode()

    # when they then try the right password
    locked = _sign_in(client, PASSWORD)

    # then they still get the lockout page and are not signed in
    assert locked.status_code == 429
    assert LOCKED_OUT_HEADING in locked.content.decode()
    assert not _signed_in(client)

    # when an administrator lifts the lock and the user tries again
    assert reset(username="samira") == 1
    response = _sign_in(client, PASSWORD)

    # then the right password works
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert _signed_in(client)
    assert client.session["_auth_user_id"] == str(user.pk)


# --- the lockout cannot be turned on others (issue 6, item 3) ------------------------

ADDRESS_A = "203.0.113.5"
ADDRESS_B = "198.51.100.7"
PROXY = "10.0.0.2"


def _sign_in_from(client, password, **meta):
    return client.post(reverse("login"), {"username": "samira", "password": password}, **meta)


def _fail_until_locked(client, **meta):
    responses = [_sign_in_from(client, "wrong", **meta) for _ in range(settings.AXES_FAILURE_LIMIT)]
    assert responses[-1].status_code == 429


def test_failures_from_one_address_do_not_lock_the_user_out_at_another(client, user):
    # given: five wrong passwords from address A
    _fail_until_locked(client, REMOTE_ADDR=ADDRESS_A)

    # when: the user signs in from address B
    response = _sign_in_from(Client(), PASSWORD, REMOTE_ADDR=ADDRESS_B)

    # then: they are in; address A stays locked
    assert response.status_code == 302
    assert _sign_in_from(Client(), PASSWORD, REMOTE_ADDR=ADDRESS_A).status_code == 429


@override_settings(TRUSTED_PROXY_COUNT=1)
def test_behind_a_trusted_proxy_each_client_is_counted_at_its_own_address(client, user):
    # given: every request arrives from the proxy, which appends the client's address
    _fail_until_locked(client, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=ADDRESS_A)

    # when: the user signs in through the same proxy from address B
    response = _sign_in_from(Client(), PASSWORD, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=ADDRESS_B)

    # then
    assert response.status_code == 302


@override_settings(TRUSTED_PROXY_COUNT=1)
def test_behind_a_proxy_a_client_cannot_pick_its_address(client, user):
    # given: the attacker at A is locked out
    _fail_until_locked(client, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=ADDRESS_A)

    # when: it sends its own X-Forwarded-For naming B (the proxy appends A after it)
    response = _sign_in_from(
        Client(),
        PASSWORD,
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=f"{ADDRESS_B}, {ADDRESS_A}",
    )

    # then: still counted at A, still locked
    assert response.status_code == 429


def test_without_trusted_proxies_the_forwarded_header_is_ignored(client, user):
    # given: failures from A claiming to be B
    _fail_until_locked(client, REMOTE_ADDR=ADDRESS_A, HTTP_X_FORWARDED_FOR=ADDRESS_B)

    # then: B itself is not locked, and A cannot escape by claiming another address
    assert _sign_in_from(Client(), PASSWORD, REMOTE_ADDR=ADDRESS_B).status_code == 302
    assert (
        _sign_in_from(
            Client(), PASSWORD, REMOTE_ADDR=ADDRESS_A, HTTP_X_FORWARDED_FOR="192.0.2.1"
        ).status_code
        == 429
    )


@pytest.mark.parametrize(
    ("count", "forwarded", "expected"),
    [
        (0, "192.0.2.1", ADDRESS_A),
        (1, "192.0.2.1", "192.0.2.1"),
        (1, "6.6.6.6, 192.0.2.1", "192.0.2.1"),
        (2, "6.6.6.6, 192.0.2.1, 10.0.0.9", "192.0.2.1"),
        (2, "192.0.2.1", ADDRESS_A),  # fewer hops than proxies: not through them all
        (1, "not-an-address", ADDRESS_A),
        (1, "", ADDRESS_A),
        (1, "\x00" * 5000, ADDRESS_A),
    ],
)
def test_client_ip(rf, count, forwarded, expected):
    request = rf.get("/", REMOTE_ADDR=ADDRESS_A, HTTP_X_FORWARDED_FOR=forwarded)
    with override_settings(TRUSTED_PROXY_COUNT=count):
        assert client_ip(request) == expected


# --- password reset is throttled per address and per account -------------------------

NEUTRAL_PAGE = reverse("password_reset_done")


@pytest.fixture(autouse=True)
def _fresh_throttles():
    cache.clear()
    yield
    cache.clear()


cache = caches["counters"]


@pytest.fixture
def people():
    return [
        User.objects.create_user(
            username=f"person{i}", email=f"person{i}@example.nhs.uk", password=PASSWORD
        )
        for i in range(12)
    ]


def _reset(client, email, address=ADDRESS_A):
    return client.post(reverse("password_reset"), {"email": email}, REMOTE_ADDR=address)


@override_settings(PASSWORD_RESET_LIMIT_PER_ACCOUNT=3, PASSWORD_RESET_LIMIT_PER_ADDRESS=100)
def test_reset_emails_per_account_are_limited_even_from_many_addresses(client, people):
    # when: one inbox is asked for five times, from five addresses
    responses = [_reset(client, "Person0@example.nhs.uk", address=f"192.0.2.{i}") for i in range(5)]

    # then: every answer is the same neutral page, but only three emails went out
    assert [(r.status_code, r["Location"]) for r in responses] == [(302, NEUTRAL_PAGE)] * 5
    assert [m.to for m in mail.outbox] == [["person0@example.nhs.uk"]] * 3

    # and another account is not affected
    _reset(client, "person1@example.nhs.uk", address="192.0.2.99")
    assert len(mail.outbox) == 4


@override_settings(PASSWORD_RESET_LIMIT_PER_ACCOUNT=3, PASSWORD_RESET_LIMIT_PER_ADDRESS=10)
def test_reset_requests_per_address_are_limited(client, people):
    # when: one address asks for twelve different accounts
    responses = [_reset(client, f"person{i}@example.nhs.uk") for i in range(12)]

    # then: ten emails, the same neutral page for all twelve
    assert [(r.status_code, r["Location"]) for r in responses] == [(302, NEUTRAL_PAGE)] * 12
    assert [m.to[0] for m in mail.outbox] == [f"person{i}@example.nhs.uk" for i in range(10)]

    # and another address still gets its email
    _reset(client, "person11@example.nhs.uk", address=ADDRESS_B)
    assert mail.outbox[-1].to == ["person11@example.nhs.uk"]
    assert len(mail.outbox) == 11


@override_settings(PASSWORD_RESET_LIMIT_PER_ACCOUNT=1, PASSWORD_RESET_LIMIT_PER_ADDRESS=100)
def test_a_throttled_reset_looks_like_any_other_and_sends_nothing(client, people):
    first = _reset(client, "person0@example.nhs.uk")
    throttled = _reset(client, "person0@example.nhs.uk")
    unknown = _reset(client, "nobody@example.nhs.uk")

    assert first["Location"] == throttled["Location"] == unknown["Location"] == NEUTRAL_PAGE
    assert len(mail.outbox) == 1
