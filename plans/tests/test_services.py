"""Plan services and the status rules (plans.models.PLAN_TRANSITIONS)."""

import pytest
from django.core.exceptions import PermissionDenied

from events.models import Event
from plans import factories, services
from plans.models import (
    PLAN_TRANSITIONS,
    BusinessPlan,
    DraftSection,
    PlanAction,
    PlanComment,
    PlanStatus,
    PlanVersion,
)
from plans.tests.conftest import SUMMARY_V1, SUMMARY_V2

pytestmark = pytest.mark.django_db


def plan_events(venture):
    return list(
        Event.objects.filter(venture_id=venture.pk, kind__startswith="plan.")
        .order_by("id")
        .values_list("kind", flat=True)
    )


def test_the_status_table_is_the_documented_one():
    moves = {(s, m.to): m.action for s in PLAN_TRANSITIONS for m in PLAN_TRANSITIONS.moves(s)}
    assert moves == {
        ("draft", "submitted"): "submit",
        ("feedback_given", "submitted"): "submit",
        ("approved", "submitted"): "submit",
        ("submitted", "feedback_given"): "give_feedback",
        ("submitted", "approved"): "approve",
        ("feedback_given", "approved"): "approve",
    }


def test_first_save_creates_the_plan_and_records_one_event(venture, entrepreneur):
    # when
    draft = services.plan_section_save(
        actor=entrepreneur,
        venture=venture,
        section=factories.section("services"),
        body="Walking groups\r\non Tuesdays",
        expected_version=0,
    )

    # then
    plan = BusinessPlan.objects.get(venture=venture)
    assert (plan.status, plan.draft_revision, plan.latest_number) == ("draft", 1, 0)
    assert plan.template.code == "standard"
    assert (draft.body, draft.version, draft.updated_by) == (
        "Walking groups\non Tuesdays",
        1,
        entrepreneur,
    )
    event = Event.objects.get(venture_id=venture.pk)
    assert (event.kind, event.actor, event.data) == (
        "plan.draft_saved",
        entrepreneur,
        {"section": "services", "title": "Services", "words": 4, "section_version": 1},
    )


def test_saving_unchanged_text_saves_nothing(drafted, venture, entrepreneur, plan_snapshot):
    before = plan_snapshot(venture)
    result = services.plan_section_save(
        actor=entrepreneur,
        venture=venture,
        section=factories.section("executive-summary"),
        body=SUMMARY_V1,
        expected_version=1,
    )
    assert result is None
    assert plan_snapshot(venture) == before


def test_submit_snapshots_every_section_as_version_one(drafted, venture, entrepreneur, stages):
    version = factories.submit(entrepreneur, venture, note="  Please look at the money.  ")

    assert (version.number, version.submitted_by, version.note) == (
        1,
        entrepreneur,
        "Please look at the money.",
    )
    assert version.stage == stages["idea"]
    sections = list(version.sections.values_list("order", "code", "body"))
    assert len(sections) == 13
    assert sections[0] == (1, "executive-summary", SUMMARY_V1)
    assert sections[9] == (10, "financial-plan", "| Year | Income |\n|---|---|\n| 1 | £40,000 |")
    assert sections[12] == (13, "appendices", "")
    assert version.review.status == "submitted"
    plan = BusinessPlan.objects.get(venture=venture)
    assert (plan.status, plan.latest_number) == ("submitted", 1)
    assert plan_events(venture)[-1] == "plan.version_submitted"


def test_versions_are_numbered_per_venture(
    drafted, venture, other_venture, entrepreneur, other_entrepreneur, seir
):
    v1 = factories.submit(entrepreneur, venture)
    factories.review(seir, v1, {"executive-summary": "Say who pays."})
    factories.write(entrepreneur, venture, {"executive-summary": SUMMARY_V2})
    v2 = factories.submit(entrepreneur, venture)
    factories.write(other_entrepreneur, other_venture, {"services": "Sheds."})
    other_v1 = factories.submit(other_entrepreneur, other_venture)

    assert (v1.number, v2.number, other_v1.number) == (1, 2, 1)


def test_full_cycle_statuses_and_events(drafted, venture, entrepreneur, seir):
    v1 = factories.submit(entrepreneur, venture)
    services.plan_comment_add(
        actor=seir, version=v1, section_code="executive-summary", body="Name the commissioner."
    )
    services.plan_comment_add(actor=seir, version=v1, section_code="", body="A good start.")
    review = services.plan_version_review(actor=seir, version=v1, action=PlanAction.GIVE_FEEDBACK)
    assert (review.status, review.changed_by) == ("feedback_given", seir)
    assert BusinessPlan.objects.get(venture=venture).status == "feedback_given"

    factories.write(entrepreneur, venture, {"executive-summary": SUMMARY_V2})
    v2 = factories.submit(entrepreneur, venture)
    services.plan_version_review(actor=seir, version=v2, action=PlanAction.APPROVE)

    statuses = dict(
        PlanVersion.objects.filter(plan__venture=venture).values_list("number", "review__status")
    )
    assert statuses == {1: "feedback_given", 2: "approved"}
    assert BusinessPlan.objects.get(venture=venture).status == "approved"
    assert plan_events(venture) == [
        "plan.draft_saved",
        "plan.draft_saved",
        "plan.version_submitted",
        "plan.comment_added",
        "plan.comment_added",
        "plan.feedback_given",
        "plan.draft_saved",
        "plan.version_submitted",
        "plan.approved",
    ]


def test_seir_may_approve_after_giving_feedback(submitted, seir):
    factories.review(seir, submitted, {"risks": "Add the lease."})
    review = services.plan_version_review(actor=seir, version=submitted, action=PlanAction.APPROVE)
    assert review.status == "approved"


@pytest.mark.parametrize(
    ("setup", "action", "message"),
    [
        (
            "approved",
            PlanAction.GIVE_FEEDBACK,
            "Version 1 is already approved: that cannot be done now.",
        ),
        ("approved", PlanAction.APPROVE, "Version 1 is already approved: that cannot be done now."),
        (
            "feedback",
            PlanAction.GIVE_FEEDBACK,
            "Version 1 is already feedback given: that cannot be done now.",
        ),
    ],
)
def test_review_actions_refused_from_the_wrong_state(
    submitted, venture, seir, plan_snapshot, setup, action, message
):
    factories.review(seir, submitted, {"risks": "Add the lease."}, approve=setup == "approved")
    before = plan_snapshot(venture)
    with pytest.raises(services.PlanError) as refused:
        services.plan_version_review(actor=seir, version=submitted, action=action)
    assert refused.value.message == message
    assert plan_snapshot(venture) == before


def test_feedback_given_needs_a_comment(submitted, venture, seir, plan_snapshot):
    before = plan_snapshot(venture)
    with pytest.raises(services.PlanError) as refused:
        services.plan_version_review(actor=seir, version=submitted, action=PlanAction.GIVE_FEEDBACK)
    assert refused.value.message == "Write feedback on at least one section first."
    assert plan_snapshot(venture) == before


def test_submit_refused_while_a_version_awaits_review(
    submitted, venture, entrepreneur, plan_snapshot
):
    factories.write(entrepreneur, venture, {"risks": "Losing the hall."})
    before = plan_snapshot(venture)
    with pytest.raises(services.PlanError) as refused:
        factories.submit(entrepreneur, venture)
    assert refused.value.message.startswith("Version 1 is waiting for the SEiR's feedback")
    assert plan_snapshot(venture) == before


def test_submit_refused_when_nothing_changed_since_the_last_version(
    submitted, venture, entrepreneur, seir, plan_snapshot
):
    factories.review(seir, submitted, {"risks": "Add the lease."})
    before = plan_snapshot(venture)
    with pytest.raises(services.PlanError) as refused:
        factories.submit(entrepreneur, venture)
    assert refused.value.message == "Nothing has changed since version 1: edit the draft first."
    assert plan_snapshot(venture) == before


def test_empty_plan_cannot_be_submitted(venture, entrepreneur):
    with pytest.raises(services.PlanError) as refused:
        services.plan_submit(
            actor=entrepreneur, venture=venture, expected_revision=0, expected_number=0
        )
    assert refused.value.message == (
        "The plan is empty: write at least one section before submitting."
    )
    assert not BusinessPlan.objects.filter(venture=venture).exists()


def test_double_submit_creates_one_version(drafted, venture, entrepreneur, plan_snapshot):
    # given: the same form posted twice (same revision and number)
    services.plan_submit(
        actor=entrepreneur, venture=venture, expected_revision=2, expected_number=0
    )
    before = plan_snapshot(venture)
    with pytest.raises(services.PlanError) as refused:
        services.plan_submit(
            actor=entrepreneur, venture=venture, expected_revision=2, expected_number=0
        )
    assert refused.value.message == (
        "Version 1 has been submitted since you opened this page, so nothing more was submitted."
    )
    assert plan_snapshot(venture) == before
    assert PlanVersion.objects.filter(plan__venture=venture).count() == 1


def test_submit_refused_when_the_draft_changed_since_the_page_was_opened(
    drafted, venture, entrepreneur, other_entrepreneur, plan_snapshot
):
    factories.write(entrepreneur, venture, {"team": "Parveen and two coaches."})
    before = plan_snapshot(venture)
    with pytest.raises(services.PlanError) as refused:
        services.plan_submit(
            actor=entrepreneur, venture=venture, expected_revision=2, expected_number=0
        )
    assert refused.value.message.startswith("The draft has been changed since you opened")
    assert plan_snapshot(venture) == before


def test_comments_only_on_the_latest_unapproved_version(submitted, venture, entrepreneur, seir):
    factories.review(seir, submitted, {"risks": "Add the lease."})
    factories.write(entrepreneur, venture, {"risks": "The lease ends in 2027."})
    v2 = factories.submit(entrepreneur, venture)
    with pytest.raises(services.PlanError) as old:
        services.plan_comment_add(actor=seir, version=submitted, section_code="", body="Late.")
    assert old.value.message == (
        "Version 1 has been replaced by version 2: give feedback on the latest one."
    )
    services.plan_version_review(actor=seir, version=v2, action=PlanAction.APPROVE)
    with pytest.raises(services.PlanError) as approved:
        services.plan_comment_add(actor=seir, version=v2, section_code="", body="More.")
    assert approved.value.message == "Version 2 is approved: it takes no more feedback."
    assert PlanComment.objects.filter(version__plan__venture=venture).count() == 1


@pytest.mark.parametrize(
    ("section_code", "body", "message"),
    [
        ("no-such-section", "Fine.", "That section is not part of this version."),
        ("", "   ", "Write the feedback first."),
        ("", "bad\x00byte", "The feedback contains a NUL character; remove it and try again."),
        ("", "x" * 10_001, "The feedback is too long (10,001 characters; at most 10,000)."),
    ],
)
def test_bad_comments_are_refused(
    submitted, venture, seir, plan_snapshot, section_code, body, message
):
    before = plan_snapshot(venture)
    with pytest.raises(services.PlanError) as refused:
        services.plan_comment_add(
            actor=seir, version=submitted, section_code=section_code, body=body
        )
    assert refused.value.message == message
    assert plan_snapshot(venture) == before


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("a\x00b", "The section contains a NUL character; remove it and try again."),
        ("x" * 200_001, "The section is too long (200,001 characters; at most 200,000)."),
    ],
)
def test_hostile_section_text_is_refused(
    drafted, venture, entrepreneur, plan_snapshot, body, message
):
    before = plan_snapshot(venture)
    with pytest.raises(services.PlanError) as refused:
        services.plan_section_save(
            actor=entrepreneur,
            venture=venture,
            section=factories.section("risks"),
            body=body,
            expected_version=0,
        )
    assert refused.value.message == message
    assert plan_snapshot(venture) == before


def test_unicode_text_round_trips(venture, entrepreneur):
    text = "Café for ضيوف and 客人 — £5 a week 🎿"
    factories.write(entrepreneur, venture, {"services": text})
    assert DraftSection.objects.get(plan__venture=venture).body == text


def test_who_may_not(
    drafted,
    submitted,
    venture,
    manager,
    commissioner,
    other_entrepreneur,
    entrepreneur,
    plan_snapshot,
):
    before = plan_snapshot(venture)
    for outsider in (manager, commissioner, other_entrepreneur):
        with pytest.raises(PermissionDenied):
            services.plan_section_save(
                actor=outsider,
                venture=venture,
                section=factories.section("risks"),
                body="Mine now.",
                expected_version=0,
            )
        with pytest.raises(PermissionDenied):
            services.plan_submit(
                actor=outsider, venture=venture, expected_revision=2, expected_number=1
            )
    for not_reviewer in (entrepreneur, manager, commissioner, other_entrepreneur):
        with pytest.raises(PermissionDenied):
            services.plan_comment_add(
                actor=not_reviewer, version=submitted, section_code="", body="Hi"
            )
        with pytest.raises(PermissionDenied):
            services.plan_version_review(
                actor=not_reviewer, version=submitted, action=PlanAction.APPROVE
            )
    assert plan_snapshot(venture) == before


def test_seir_and_administrator_may_write_the_draft(venture, seir, administrator):
    factories.write(seir, venture, {"risks": "Funding gap in year 2."})
    factories.write(administrator, venture, {"milestones": "CIC registered by May."})
    assert sorted(DraftSection.objects.values_list("updated_by__username", flat=True)) == [
        "admin",
        "seir",
    ]
    assert PlanStatus.DRAFT == BusinessPlan.objects.get(venture=venture).status
