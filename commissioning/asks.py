"""The commissioning part of "What is being asked of you" (ventures.asks): introduction
and support-referral steps that are the venture team's to take.

Steps are recorded by the SEiR or the addressed commissioner, never by the team, so
"waiting on the team" is a reading of the lifecycle, kept here as data:
- an introduction at *Introduced*: the commissioner has been introduced (or accepted a
  meeting); the next step, *Meeting held*, needs the team to meet them;
- an introduction at *Tender / qualification*: the team has a bid to prepare;
- a support referral at *Introduced*: the team takes up the support with the provider.
Requested (waiting on the SEiR or the commissioner), Meeting held and Pilot agreed (the
commissioner's decision or work under way) and the final steps ask nothing of the team.
Two queries for every venture at once.
"""

from __future__ import annotations

from django.urls import reverse

from ventures.asks import Ask, AskKind, register_source

from .models import Introduction, Step, SupportReferral

# At "Introduced" the commissioner answers (agree a meeting or decline); once a meeting is
# agreed, with the dates they proposed, it is the team's move to meet them.
INTRODUCTION_TEAM_STEPS = {
    Step.MEETING_AGREED: "Meet {contact} of {commissioner}: a meeting was agreed on {on}",
    Step.TENDER: "Prepare your bid for {commissioner}: tender / qualification since {on}",
}
REFERRAL_TEAM_STEPS = {
    Step.INTRODUCED: "Take up {support} support with {provider}: introduced on {on}",
}


def _day(date) -> str:
    return f"{date:%-d %B %Y}"


def commissioning_asks(*, user, ventures, today):
    ids = [v.pk for v in ventures]
    introductions = (
        Introduction.objects.filter(venture__in=ids, step__in=list(INTRODUCTION_TEAM_STEPS))
        .select_related("contact", "commissioner")
        .order_by("step_on", "id")
    )
    for introduction in introductions:
        yield Ask(
            venture_id=introduction.venture_id,
            kind=AskKind.WAITING,
            text=INTRODUCTION_TEAM_STEPS[introduction.step].format(
                contact=introduction.contact.name,
                commissioner=introduction.commissioner.name,
                on=_day(introduction.step_on),
            ),
            # The team reads introductions on the venture's Commissioning tab.
            url=reverse("commissioning:venture_tab", args=[introduction.venture_id])
            + "#intros-title",
            detail=introduction.purpose,
            detail_label="Why this introduction",
        )
    referrals = (
        SupportReferral.objects.filter(venture__in=ids, step__in=list(REFERRAL_TEAM_STEPS))
        .select_related("provider__support_type")
        .order_by("step_on", "id")
    )
    for referral in referrals:
        yield Ask(
            venture_id=referral.venture_id,
            kind=AskKind.WAITING,
            text=REFERRAL_TEAM_STEPS[referral.step].format(
                support=referral.provider.support_type.name.lower(),
                provider=referral.provider.name,
                on=_day(referral.step_on),
            ),
            url=reverse("commissioning:referral", args=[referral.pk]),
            detail=referral.purpose,
            detail_label="Why this referral",
        )


register_source("commissioning", commissioning_asks)
