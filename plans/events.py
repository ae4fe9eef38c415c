"""The event kinds plans records and who hears of them (registered from
PlansConfig.ready()). Plan events show in a venture's timeline only to those who may
read the plan (draft saves only to those who may read the draft)."""

from __future__ import annotations

from accounts.permissions import runs_programme
from events.models import EventVisibility
from events.registry import EventKind, notify, register_kinds
from ventures import notify as n

from .permissions import plan_access


def plan_readers(user, venture, access):
    return plan_access(user, venture, access).read_versions


def draft_readers(user, venture, access):
    return plan_access(user, venture, access).read_draft


def draft_feed_readers(user, programme):
    # Of a programme feed's readers (its staff and PCT managers), only the staff may read
    # drafts; a manager reads submitted versions.
    return runs_programme(user, programme.pk)


def register() -> None:
    register_kinds(
        EventKind(
            "plan.draft_saved",
            "Business plan draft saved",
            "plans/events/draft_saved.jinja",
            audience=draft_readers,
            feed_audience=draft_feed_readers,
        ),
        EventKind(
            "plan.version_submitted",
            "Business plan version submitted",
            "plans/events/version_submitted.jinja",
            audience=plan_readers,
        ),
        # Feedback is released to the team by "feedback given": until then only
        # the SEiR and administrators see that it is being written.
        EventKind(
            "plan.comment_added",
            "Business plan feedback written",
            "plans/events/comment_added.jinja",
            visibility=EventVisibility.STAFF,
            audience=plan_readers,
        ),
        EventKind(
            "plan.feedback_replied",
            "Reply to business plan feedback",
            "plans/events/feedback_replied.jinja",
            audience=plan_readers,
        ),
        EventKind(
            "plan.feedback_given",
            "Business plan feedback given",
            "plans/events/feedback_given.jinja",
            audience=plan_readers,
        ),
        EventKind(
            "plan.approved",
            "Business plan approved",
            "plans/events/approved.jinja",
            audience=plan_readers,
        ),
    )
    _notifications()


def _notifications() -> None:
    """A version submitted tells the SEiR; feedback given and approval, the team (the
    kinds' audience, who may read the plan, is checked for each person)."""
    plan_tab = n.venture_tab("plans:plan")
    notify(
        "plan.version_submitted",
        audience=n.seir,
        may_see=n.reads(),
        link=plan_tab,
        email={"seir": "immediate"},
    )
    notify(
        "plan.feedback_given",
        audience=n.team,
        may_see=n.reads(),
        link=plan_tab,
        email={"entrepreneur": "immediate"},
    )
    notify(
        "plan.approved",
        audience=n.anyone_of(n.team, n.managers),
        may_see=n.reads(),
        link=plan_tab,
        email={"entrepreneur": "immediate"},
    )
