"""Used one-time form tokens are removed once past their keeping period (issue 18 item 6)."""

import uuid
from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.factories import UserFactory
from submissions.models import SubmissionToken
from submissions.services import TOKEN_KEEP, submission_tokens_remove_expired
from submissions.tasks import remove_expired_submission_tokens

pytestmark = pytest.mark.django_db


def test_tokens_past_their_keeping_period_are_removed_and_recent_ones_kept():
    user, now = UserFactory(), timezone.now()
    for age in (TOKEN_KEEP + timedelta(seconds=1), TOKEN_KEEP - timedelta(seconds=1), timedelta(0)):
        SubmissionToken.objects.create(user=user, token=uuid.uuid4(), created_at=now - age)

    assert submission_tokens_remove_expired(now=now) == 1
    assert sorted(
        now - t for t in SubmissionToken.objects.values_list("created_at", flat=True)
    ) == [
        timedelta(0),
        TOKEN_KEEP - timedelta(seconds=1),
    ]
    # a second run (a retried task) removes nothing more
    assert submission_tokens_remove_expired(now=now) == 0


def test_the_task_runs_daily_on_beat():
    from celery.schedules import crontab

    from seir.celery import app

    SubmissionToken.objects.create(
        user=UserFactory(), token=uuid.uuid4(), created_at=timezone.now() - TOKEN_KEEP * 2
    )

    assert remove_expired_submission_tokens.delay().get() == 1
    assert app.conf.beat_schedule["remove-expired-submission-tokens"] == {
        "task": "submissions.tasks.remove_expired_submission_tokens",
        "schedule": crontab(hour=3, minute=40),
    }


def test_a_token_saved_with_keep_is_never_removed():
    """The meeting log's draft keeps its token on the device, so a meeting sent again a
    year later still finds the one it saved."""
    user, now = UserFactory(), timezone.now()
    kept = SubmissionToken.objects.create(
        user=user, token=uuid.uuid4(), created_at=now - TOKEN_KEEP * 12, kept=True
    )
    SubmissionToken.objects.create(user=user, token=uuid.uuid4(), created_at=now - TOKEN_KEEP * 2)

    assert submission_tokens_remove_expired(now=now) == 1
    assert list(SubmissionToken.objects.all()) == [kept]
