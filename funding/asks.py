"""The funding part of "What is being asked of you" (ventures.asks): applications the
team is still drafting whose deadline has passed or is near.

While an application is drafting, submitting it (or withdrawing it) is the team's move;
after that the funder decides, and nothing waits on the team. The deadline is the
application's own, or else its fund's closing date. One query for every venture at once.
"""

from __future__ import annotations

from django.db.models import Q
from django.urls import reverse

from ventures.asks import Ask, AskKind, due_soon_until, register_source

from .models import ApplicationStatus, FundingApplication


def _day(date) -> str:
    return f"{date:%-d %B %Y}"


def funding_asks(*, user, ventures, today):
    until = due_soon_until(today)
    applications = (
        FundingApplication.objects.filter(
            venture__in=[v.pk for v in ventures], status=ApplicationStatus.DRAFTING
        )
        .filter(Q(deadline__lte=until) | Q(deadline__isnull=True, fund__closes_on__lte=until))
        .select_related("fund")
        .order_by("id")
    )
    for application in applications:
        deadline = application.deadline or application.fund.closes_on
        which = "deadline" if application.deadline else "closing date"
        name = application.fund.name
        if deadline < today:
            kind = AskKind.OVERDUE
            text = (
                f"The {name} application's {which} was {_day(deadline)} and it is still "
                "drafting: record it as submitted, or withdraw it"
            )
        else:
            kind = AskKind.DUE_SOON
            when = "today" if deadline == today else f"by {_day(deadline)}"
            text = f"Submit the {name} application {when}"
        yield Ask(
            venture_id=application.venture_id,
            kind=kind,
            text=text,
            url=reverse("funding:venture", args=[application.venture_id])
            + f"#app-{application.pk}",
            detail=application.purpose,
            detail_label="What the money is for",
            due=deadline,
        )


register_source("funding", funding_asks)
