"""The addressed commissioner is offered exactly the answers the service accepts from them
at the introduction's step: accept or decline when requested, only decline once introduced,
nothing once it has moved on."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse

from commissioning import permissions, services
from commissioning.forms import RespondForm
from commissioning.models import Introduction, Step

pytestmark = pytest.mark.django_db

OFFERED = {
    Step.REQUESTED: ["accept", "decline"],
    Step.INTRODUCED: ["decline"],
    Step.MEETING_HELD: [],
    Step.PILOT_AGREED: [],
    Step.TENDER: [],
    Step.CONTRACT_AWARDED: [],
    Step.DECLINED: [],
    Step.NO_RESPONSE: [],
}


class _Undo(Exception):
    pass


@pytest.fixture
def intro(seir, venture, contact, days_ago):
    return services.introduction_make(
        actor=seir, venture=venture, contact=contact, purpose="Falls", made_on=days_ago(3)
    )


def _at(intro, step) -> Introduction:
    Introduction.objects.filter(pk=intro.pk).update(step=step)
    return Introduction.objects.get(pk=intro.pk)


def _accepted_by_the_service(user, intro, step) -> list[str]:
    """The answers whose move the service makes for ``user`` at ``step`` (each undone)."""
    accepted = []
    for answer, (to_step, _) in RespondForm.ANSWERS.items():
        try:
            with transaction.atomic():
                services.referral_move(
                    actor=user,
                    referral=Introduction.objects.get(pk=intro.pk),
                    to_step=to_step,
                    note="Our reason",
                    expected_step=step,
                )
                raise _Undo
        except _Undo:
            accepted.append(answer)
        except (PermissionDenied, ValidationError, services.CommissioningError):
            pass
    return accepted


@pytest.mark.parametrize("step", Step.values)
def test_the_response_form_offers_exactly_what_the_service_accepts(
    client, commissioner_user, intro, step
):
    # given the introduction is at ``step``
    intro = _at(intro, step)
    client.force_login(commissioner_user)

    # when the commissioner opens it
    page = client.get(reverse("commissioning:introduction", args=[intro.pk]))

    # then the form offers exactly the answers the service accepts from them there
    assert page.status_code == 200
    form = page.context["respond_form"]
    offered = [code for code, _ in form.fields["answer"].choices] if form else []
    assert offered == OFFERED[step]
    assert offered == _accepted_by_the_service(commissioner_user, intro, step)
    assert [RespondForm.ANSWERS[a][0] for a in offered] == permissions.commissioner_answers(
        commissioner_user, intro
    )
    if not offered:
        assert "Send response" not in page.content.decode()
    intro.refresh_from_db()
    assert (intro.step, intro.steps.count()) == (step, 1)


@pytest.mark.parametrize(
    ("step", "answer", "to_step"),
    [
        (Step.REQUESTED, "accept", Step.INTRODUCED),
        (Step.REQUESTED, "decline", Step.DECLINED),
        (Step.INTRODUCED, "decline", Step.DECLINED),
    ],
)
def test_an_offered_answer_is_recorded(client, commissioner_user, intro, step, answer, to_step):
    intro = _at(intro, step)
    client.force_login(commissioner_user)
    url = reverse("commissioning:introduction_respond", args=[intro.pk])

    response = client.post(url, {"answer": answer, "reason": "Our reason", "expected_step": step})

    assert response.status_code == 302
    intro.refresh_from_db()
    assert intro.step == to_step
    assert intro.steps.last().changed_by == commissioner_user


def test_accepting_once_introduced_is_not_offered_and_changes_nothing(
    client, commissioner_user, intro
):
    # given the SEiR already recorded the introduction as made
    intro = _at(intro, Step.INTRODUCED)
    client.force_login(commissioner_user)
    url = reverse("commissioning:introduction_respond", args=[intro.pk])

    # when a hand-made post accepts anyway
    response = client.post(url, {"answer": "accept", "reason": "", "expected_step": "introduced"})

    # then it gets a field error (not a 403), the form still offers only declining
    assert response.status_code == 400
    form = response.context["respond_form"]
    assert form.errors == {
        "answer": ["Select a valid choice. accept is not one of the available choices."]
    }
    assert [code for code, _ in form.fields["answer"].choices] == ["decline"]
    intro.refresh_from_db()
    assert (intro.step, intro.steps.count()) == ("introduced", 1)
