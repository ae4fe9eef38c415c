"""The addressed commissioner is offered exactly the answers the service accepts from them
at the introduction's step: agree a meeting or decline, whether requested or introduced
(issue 16, item 6), nothing once it has moved on."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from commissioning import permissions, services
from commissioning.forms import RespondForm
from commissioning.models import Introduction, ProposedMeetingDate, Step

pytestmark = pytest.mark.django_db

OFFERED = {
    Step.REQUESTED: ["agree", "decline"],
    Step.INTRODUCED: ["agree", "decline"],
    Step.MEETING_AGREED: [],
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
                    proposed_dates=[timezone.localdate()] if to_step == Step.MEETING_AGREED else [],
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
        (Step.REQUESTED, "agree", Step.MEETING_AGREED),
        (Step.REQUESTED, "decline", Step.DECLINED),
        (Step.INTRODUCED, "agree", Step.MEETING_AGREED),
        (Step.INTRODUCED, "decline", Step.DECLINED),
    ],
)
def test_an_offered_answer_is_recorded(client, commissioner_user, intro, step, answer, to_step):
    intro = _at(intro, step)
    client.force_login(commissioner_user)
    url = reverse("commissioning:introduction_respond", args=[intro.pk])
    day = timezone.localdate() + datetime.timedelta(days=5)

    response = client.post(
        url,
        {
            "answer": answer,
            "proposed_date_1": day.isoformat(),
            "reason": "Our reason",
            "expected_step": step,
        },
    )

    assert response.status_code == 302
    intro.refresh_from_db()
    assert intro.step == to_step
    assert intro.steps.last().changed_by == commissioner_user


def test_agreeing_a_meeting_once_introduced_records_the_proposed_dates(
    client, commissioner_user, seir, intro
):
    # given the SEiR recorded the introduction as made (before issue 16 only "Decline"
    # was left to the commissioner from here)
    intro = _at(intro, Step.INTRODUCED)
    client.force_login(commissioner_user)
    url = reverse("commissioning:introduction_respond", args=[intro.pk])
    first, second = (timezone.localdate() + datetime.timedelta(days=d) for d in (12, 5))

    # when the commissioner agrees a meeting, proposing two dates (second typed first)
    response = client.post(
        url,
        {
            "answer": "agree",
            "proposed_date_1": first.isoformat(),
            "proposed_date_2": second.isoformat(),
            "proposed_date_3": "",
            "reason": "Either works for us.",
            "expected_step": "introduced",
        },
    )

    # then it is recorded, with both dates in order, and the SEiR sees them
    assert response.status_code == 302
    intro.refresh_from_db()
    assert intro.step == Step.MEETING_AGREED
    step = intro.steps.last()
    assert (step.from_step, step.changed_by, step.note) == (
        "introduced",
        commissioner_user,
        "Either works for us.",
    )
    assert list(step.proposed_dates.values_list("on", flat=True)) == [second, first]
    client.force_login(seir)
    page = client.get(reverse("commissioning:introduction", args=[intro.pk]))
    assert page.context["meeting_dates"] == [second, first]
    html = page.content.decode()
    assert (
        f'<time datetime="{second:%Y-%m-%d}">{second:%A} {second.day} {second:%B %Y}</time>' in html
    )


def test_agreeing_without_a_date_is_refused_beside_the_field_and_changes_nothing(
    client, commissioner_user, intro
):
    client.force_login(commissioner_user)
    url = reverse("commissioning:introduction_respond", args=[intro.pk])

    response = client.post(url, {"answer": "agree", "reason": "", "expected_step": "requested"})

    assert response.status_code == 400
    assert response.context["respond_form"].errors == {
        "proposed_date_1": ["Propose at least one date for the meeting."]
    }
    intro.refresh_from_db()
    assert (intro.step, intro.steps.count()) == ("requested", 1)
    assert not ProposedMeetingDate.objects.exists()


def test_a_date_before_today_is_refused_and_changes_nothing(client, commissioner_user, intro):
    client.force_login(commissioner_user)
    url = reverse("commissioning:introduction_respond", args=[intro.pk])
    yesterday = timezone.localdate() - datetime.timedelta(days=1)

    response = client.post(
        url,
        {"answer": "agree", "proposed_date_1": yesterday.isoformat(), "expected_step": "requested"},
    )

    assert response.status_code == 400
    errors = response.context["respond_form"].errors["proposed_date_1"]
    assert errors == [
        f"Propose dates from {timezone.localdate():%d %B %Y} (the day agreed) onwards."
    ]
    intro.refresh_from_db()
    assert (intro.step, intro.steps.count()) == ("requested", 1)
    assert not ProposedMeetingDate.objects.exists()


def test_agreeing_once_a_meeting_is_held_is_not_offered_and_changes_nothing(
    client, commissioner_user, intro
):
    # given the SEiR already recorded the meeting as held
    intro = _at(intro, Step.MEETING_HELD)
    client.force_login(commissioner_user)
    url = reverse("commissioning:introduction_respond", args=[intro.pk])

    # when a hand-made post agrees anyway
    response = client.post(
        url,
        {
            "answer": "agree",
            "proposed_date_1": timezone.localdate().isoformat(),
            "expected_step": "meeting_held",
        },
    )

    # then it is refused with a message (not a 403), no form is drawn, nothing is written
    assert response.status_code == 400
    assert response.context["respond_form"] is None
    assert [str(m) for m in response.context["messages"]] == [
        "It is at “Meeting held”: there is nothing left for you to answer."
    ]
    intro.refresh_from_db()
    assert (intro.step, intro.steps.count()) == ("meeting_held", 1)
    assert not ProposedMeetingDate.objects.exists()
