"""The introduction lifecycle: every allowed and refused step, who may take it, stale
clients, dated history and events; support referrals reuse the same mechanism."""

from __future__ import annotations

import datetime
import itertools

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from commissioning import selectors, services
from commissioning.factories import SupportProviderFactory
from commissioning.models import (
    COMMISSIONER_MOVES,
    STEP_TRANSITIONS,
    Introduction,
    IntroductionStep,
    ProposedMeetingDate,
    Step,
)
from events.models import Event

pytestmark = pytest.mark.django_db

ALL_MOVES = list(itertools.product(Step.values, Step.values))
ALLOWED = {(a, b) for a, nexts in STEP_TRANSITIONS.items() for b in nexts}


def test_the_transition_table_is_the_documented_lifecycle():
    assert STEP_TRANSITIONS == {
        "requested": ("introduced", "meeting_agreed", "declined", "no_response"),
        "introduced": ("meeting_agreed", "meeting_held", "declined", "no_response"),
        "meeting_agreed": ("meeting_held", "declined", "no_response"),
        "meeting_held": ("pilot_agreed", "tender", "contract_awarded", "declined", "no_response"),
        "pilot_agreed": ("tender", "contract_awarded", "declined", "no_response"),
        "tender": ("contract_awarded", "declined", "no_response"),
        "contract_awarded": (),
        "declined": (),
        "no_response": (),
    }
    # Issue 16, item 6: the commissioner agrees a meeting or declines, before or after
    # the SEiR records "Introduced".
    assert COMMISSIONER_MOVES == {
        ("requested", "meeting_agreed"),
        ("requested", "declined"),
        ("introduced", "meeting_agreed"),
        ("introduced", "declined"),
    }


def _dates(to_step: str) -> list[datetime.date]:
    """What a move to ``to_step`` is sent with: two dates when a meeting is agreed."""
    if to_step != "meeting_agreed":
        return []
    today = timezone.localdate()
    return [today + datetime.timedelta(days=9), today + datetime.timedelta(days=7)]


def _at_step(introduction: Introduction, step: str) -> Introduction:
    Introduction.objects.filter(pk=introduction.pk).update(step=step)
    introduction.refresh_from_db()
    return introduction


@pytest.fixture
def introduction(seir, venture, contact, priority, days_ago):
    return services.introduction_make(
        actor=seir,
        venture=venture,
        contact=contact,
        priority=priority,
        purpose="Pilot a COPD rehabilitation service",
        made_on=days_ago(5),
    )


def test_making_an_introduction_records_step_history_and_event(introduction, seir, days_ago):
    assert (introduction.step, introduction.step_on, introduction.made_by) == (
        "requested",
        days_ago(5),
        seir,
    )
    assert introduction.commissioner.name == "BEN PCT"
    assert list(introduction.steps.values_list("from_step", "to_step", "on")) == [
        ("", "requested", days_ago(5))
    ]
    event = Event.objects.get(kind="commissioning.introduction_made")
    assert (event.venture_id, event.actor, event.visibility) == (
        introduction.venture_id,
        seir,
        "staff",
    )
    assert event.data["commissioner"] == "BEN PCT"
    assert event.data["priority"] == "COPD rehabilitation"


@pytest.mark.parametrize(("from_step", "to_step"), ALL_MOVES)
def test_every_move_for_staff(introduction, seir, from_step, to_step):
    introduction = _at_step(introduction, from_step)
    before = IntroductionStep.objects.count()
    if (from_step, to_step) in ALLOWED:
        services.referral_move(
            actor=seir,
            referral=introduction,
            to_step=to_step,
            note="Reason given",
            proposed_dates=_dates(to_step),
        )
        introduction.refresh_from_db()
        assert introduction.step == to_step
        assert IntroductionStep.objects.count() == before + 1
        event = Event.objects.get(kind="commissioning.introduction_moved")
        assert (event.data["from"], event.data["to"]) == (from_step, to_step)
    else:
        with pytest.raises(services.CommissioningError):
            services.referral_move(
                actor=seir,
                referral=introduction,
                to_step=to_step,
                note="x",
                proposed_dates=_dates(to_step),
            )
        introduction.refresh_from_db()
        assert introduction.step == from_step
        assert IntroductionStep.objects.count() == before
        assert not ProposedMeetingDate.objects.exists()
        assert not Event.objects.filter(kind="commissioning.introduction_moved").exists()


@pytest.mark.parametrize(("from_step", "to_step"), sorted(ALLOWED))
def test_the_addressed_commissioner_may_only_agree_a_meeting_or_decline(
    introduction, commissioner_user, from_step, to_step
):
    introduction = _at_step(introduction, from_step)
    before = IntroductionStep.objects.count()
    if (from_step, to_step) in COMMISSIONER_MOVES:
        services.referral_move(
            actor=commissioner_user,
            referral=introduction,
            to_step=to_step,
            note="Our reason",
            proposed_dates=_dates(to_step),
        )
        introduction.refresh_from_db()
        assert introduction.step == to_step
        assert introduction.steps.last().changed_by == commissioner_user
    else:
        with pytest.raises(PermissionDenied):
            services.referral_move(
                actor=commissioner_user,
                referral=introduction,
                to_step=to_step,
                note="x",
                proposed_dates=_dates(to_step),
            )
        introduction.refresh_from_db()
        assert introduction.step == from_step
        assert IntroductionStep.objects.count() == before
        assert not ProposedMeetingDate.objects.exists()


@pytest.mark.parametrize("who", ["council_user", "manager", "entrepreneur"])
def test_others_cannot_move_an_introduction(request, introduction, council_contact, who):
    actor = request.getfixturevalue(who)
    with pytest.raises(PermissionDenied):
        services.referral_move(actor=actor, referral=introduction, to_step="introduced")
    introduction.refresh_from_db()
    assert introduction.step == "requested"
    assert introduction.steps.count() == 1


def test_a_stale_client_is_refused_and_nothing_changes(introduction, seir, commissioner_user):
    # given the commissioner agreed a meeting while the SEiR's page still showed "requested"
    services.referral_move(
        actor=commissioner_user,
        referral=introduction,
        to_step="meeting_agreed",
        proposed_dates=_dates("meeting_agreed"),
    )
    stale = Introduction.objects.get(pk=introduction.pk)
    # when the SEiR submits a decline based on the old step
    with pytest.raises(services.StaleStep) as refused:
        services.referral_move(
            actor=seir, referral=stale, to_step="declined", note="No", expected_step="requested"
        )
    # then it is refused and nothing was written
    assert "has moved to “Meeting agreed”" in refused.value.message
    stale.refresh_from_db()
    assert stale.step == "meeting_agreed"
    assert stale.steps.count() == 2


def test_declining_needs_a_reason(introduction, commissioner_user):
    with pytest.raises(ValidationError) as refused:
        services.referral_move(
            actor=commissioner_user, referral=introduction, to_step="declined", note="  "
        )
    assert refused.value.message_dict == {"note": ["Give a reason (it is kept in the history)."]}
    introduction.refresh_from_db()
    assert introduction.step == "requested"


def test_step_dates_cannot_be_in_the_future_or_before_the_last_step(introduction, seir, days_ago):
    tomorrow = days_ago(-1)
    with pytest.raises(ValidationError) as future:
        services.referral_move(actor=seir, referral=introduction, to_step="introduced", on=tomorrow)
    assert "in the future" in future.value.message_dict["on"][0]
    with pytest.raises(ValidationError) as earlier:
        services.referral_move(
            actor=seir, referral=introduction, to_step="introduced", on=days_ago(6)
        )
    assert earlier.value.message_dict["on"] == [
        f"The date cannot be before {days_ago(5):%d %B %Y}."
    ]
    assert introduction.steps.count() == 1


def test_unknown_step_is_refused(introduction, seir):
    with pytest.raises(services.CommissioningError):
        services.referral_move(actor=seir, referral=introduction, to_step="<script>")


def test_the_history_keeps_every_dated_step(introduction, seir, commissioner_user, days_ago):
    services.referral_move(actor=seir, referral=introduction, to_step="introduced", on=days_ago(4))
    services.referral_move(
        actor=commissioner_user,
        referral=introduction,
        to_step="meeting_agreed",
        on=days_ago(3),
        proposed_dates=[days_ago(2)],
    )
    services.referral_move(
        actor=seir, referral=introduction, to_step="meeting_held", on=days_ago(2), note="Met"
    )
    assert list(introduction.steps.values_list("from_step", "to_step", "on", "note")) == [
        ("", "requested", days_ago(5), "Pilot a COPD rehabilitation service"),
        ("requested", "introduced", days_ago(4), ""),
        ("introduced", "meeting_agreed", days_ago(3), ""),
        ("meeting_agreed", "meeting_held", days_ago(2), "Met"),
    ]


def test_priority_must_belong_to_the_contacts_commissioner(
    seir, venture, council_contact, priority
):
    with pytest.raises(ValidationError) as refused:
        services.introduction_make(
            actor=seir, venture=venture, contact=council_contact, priority=priority, purpose="x"
        )
    assert "another commissioner" in refused.value.message_dict["priority"][0]
    assert not Introduction.objects.exists()


def test_only_the_ventures_seir_makes_introductions(manager, venture, contact):
    with pytest.raises(PermissionDenied):
        services.introduction_make(actor=manager, venture=venture, contact=contact, purpose="x")
    assert not Introduction.objects.exists()


def test_support_referrals_use_the_same_dated_lifecycle(seir, venture, manager, days_ago):
    provider = SupportProviderFactory(name="Anthony Collins Solicitors")
    referral = services.support_referral_make(
        actor=seir, venture=venture, provider=provider, purpose="CIC articles", made_on=days_ago(3)
    )
    services.referral_move(actor=seir, referral=referral, to_step="introduced", on=days_ago(2))
    with pytest.raises(services.CommissioningError):
        services.referral_move(actor=seir, referral=referral, to_step="tender")
    with pytest.raises(PermissionDenied):
        services.referral_move(actor=manager, referral=referral, to_step="meeting_held")
    referral.refresh_from_db()
    assert (referral.step, referral.step_on) == ("introduced", days_ago(2))
    assert [
        (c.to_step, c.on, c.actor, c.note) for c in selectors.referral_history(referral=referral)
    ] == [
        ("requested", days_ago(3), seir, "CIC articles"),
        ("introduced", days_ago(2), seir, ""),
    ]
    assert list(
        Event.objects.filter(venture_id=venture.pk).order_by("id").values_list("kind", flat=True)
    ) == ["commissioning.referral_made", "commissioning.referral_moved"]


def test_no_step_is_recorded_when_dates_are_absurd(introduction, seir):
    with pytest.raises(ValidationError):
        services.referral_move(
            actor=seir, referral=introduction, to_step="introduced", on=datetime.date(1900, 1, 1)
        )
    assert introduction.steps.count() == 1


def test_a_second_open_introduction_to_the_same_contact_is_refused(introduction, seir, contact):
    # a double submit of the same form
    with pytest.raises(ValidationError) as refused:
        services.introduction_make(
            actor=seir, venture=introduction.venture, contact=contact, purpose="again"
        )
    assert refused.value.message_dict == {
        "contact": ["Saheli Women's Centre already has an open introduction to Claire Evans."]
    }
    assert Introduction.objects.count() == 1
    # once that one is closed, a new introduction may be made
    services.referral_move(actor=seir, referral=introduction, to_step="no_response")
    services.introduction_make(
        actor=seir, venture=introduction.venture, contact=contact, purpose="Try again"
    )
    assert Introduction.objects.count() == 2


@pytest.mark.parametrize(
    ("dates", "message"),
    [
        ([], "Propose at least one date for the meeting."),
        ([1, 2, 3, 4], "Propose at most 3 dates."),
        ([-1], None),  # before the day agreed
        ([40000], "Propose dates before 2100."),
    ],
)
def test_meeting_agreed_needs_one_to_three_sane_dates(
    introduction, commissioner_user, dates, message
):
    today = timezone.localdate()
    with pytest.raises(ValidationError) as refused:
        services.referral_move(
            actor=commissioner_user,
            referral=introduction,
            to_step="meeting_agreed",
            proposed_dates=[today + datetime.timedelta(days=d) for d in dates],
        )
    expected = message or f"Propose dates from {today:%d %B %Y} (the day agreed) onwards."
    assert refused.value.message_dict == {"proposed_dates": [expected]}
    introduction.refresh_from_db()
    assert (introduction.step, introduction.steps.count()) == ("requested", 1)
    assert not ProposedMeetingDate.objects.exists()
    assert not Event.objects.filter(kind="commissioning.introduction_moved").exists()


def test_the_same_date_twice_is_kept_once(introduction, commissioner_user):
    day = timezone.localdate() + datetime.timedelta(days=3)
    services.referral_move(
        actor=commissioner_user,
        referral=introduction,
        to_step="meeting_agreed",
        proposed_dates=[day, day],
    )
    assert list(ProposedMeetingDate.objects.values_list("on", flat=True)) == [day]
    event = Event.objects.get(kind="commissioning.introduction_moved")
    assert event.data["proposed_dates"] == [day.isoformat()]
