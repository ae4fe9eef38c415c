"""submission_save_once: one token, one save; a refused save does not use the token up."""

import uuid

import pytest
from django.contrib.auth.models import Group

from accounts.factories import UserFactory
from submissions.models import SubmissionToken
from submissions.services import AlreadySubmitted, submission_find, submission_save_once

pytestmark = pytest.mark.django_db


def test_second_save_with_the_same_token_saves_nothing_and_names_the_first():
    user, token = UserFactory(), uuid.uuid4()

    first = submission_save_once(
        actor=user, token=token, save=lambda: Group.objects.create(name="one")
    )
    with pytest.raises(AlreadySubmitted) as again:
        submission_save_once(actor=user, token=token, save=lambda: Group.objects.create(name="two"))

    assert again.value.target == first
    assert list(Group.objects.filter(name__in=["one", "two"]).values_list("name", flat=True)) == [
        "one"
    ]
    assert submission_find(actor=user, data={"submission_token": str(token)}).target == first


def test_a_refused_save_leaves_the_token_unused():
    user, token = UserFactory(), uuid.uuid4()

    def refuse():
        Group.objects.create(name="half-written")
        raise ValueError("refused")

    with pytest.raises(ValueError):
        submission_save_once(actor=user, token=token, save=refuse)

    assert SubmissionToken.objects.count() == 0
    assert not Group.objects.filter(name="half-written").exists()
    saved = submission_save_once(
        actor=user, token=token, save=lambda: Group.objects.create(name="ok")
    )
    assert saved.name == "ok"


def test_without_a_token_every_save_runs():
    user = UserFactory()
    for name in ("a", "b"):
        submission_save_once(
            actor=user, token=None, save=lambda n=name: Group.objects.create(name=n)
        )

    assert Group.objects.filter(name__in=["a", "b"]).count() == 2
    assert SubmissionToken.objects.count() == 0


@pytest.mark.parametrize("raw", ["", "not-a-uuid", "\x00", "9" * 5000])
def test_find_ignores_malformed_tokens(raw):
    assert submission_find(actor=UserFactory(), data={"submission_token": raw}) is None


def test_a_prefixed_forms_token_is_found_under_its_prefix_only():
    user, token = UserFactory(), uuid.uuid4()
    first = submission_save_once(
        actor=user, token=token, save=lambda: Group.objects.create(name="prefixed")
    )

    found = submission_find(actor=user, data={"i7-submission_token": str(token)}, prefix="i7")

    assert found.target == first
    assert submission_find(actor=user, data={"i7-submission_token": str(token)}) is None
    assert (
        submission_find(actor=user, data={"i8-submission_token": str(token)}, prefix="i7") is None
    )


def test_keep_marks_the_token_kept():
    user = UserFactory()
    submission_save_once(actor=user, token=uuid.uuid4(), save=lambda: None)
    submission_save_once(actor=user, token=uuid.uuid4(), save=lambda: None, keep=True)

    assert sorted(SubmissionToken.objects.values_list("kept", flat=True)) == [False, True]
