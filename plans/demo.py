"""Demo business plans for the ventures ``seed_demo`` creates, made through the services.

``seed_demo(stdout=...)`` is idempotent: a venture that already has a plan is left alone.
"""

from __future__ import annotations

from django.db import transaction

from accounts.models import User
from ventures.models import Venture

from . import factories
from .models import BusinessPlan

PROGRAMME = "Birmingham East and North SEiR programme"

SAHELI_V1 = {
    "executive-summary": (
        "Saheli Women's Centre runs sport and social activities for women in Balsall Heath, "
        "most of them from South Asian families. We want to grow from weekly sessions to a "
        "year-round programme that GPs can refer women to."
    ),
    "organisation": (
        "Saheli is a community interest company (CIC) limited by guarantee, with an asset "
        "lock. Five directors: three women from the community, a retired practice nurse and "
        "an accountant."
    ),
    "social-mission": (
        "Many women in Balsall Heath do little physical activity and are isolated at home. "
        "**Our theory of change:** women-only, culturally safe activities → regular exercise "
        "and friendships → better mental and physical health."
    ),
    "services": (
        "- Women-only swimming and gym sessions\n- Walking groups in Cannon Hill Park\n"
        "- Dry-slope skiing trips\n- Coffee mornings with health talks"
    ),
    "market": (
        "The ward has some of the lowest physical activity rates in Birmingham. The PCT's "
        "commissioning intentions name obesity and diabetes prevention as priorities."
    ),
    "financial-plan": (
        "| Year | Grants | Contracts | Trading |\n|---|---|---|---|\n"
        "| 1 | £30,000 | £0 | £4,000 |\n| 2 | £20,000 | £15,000 | £6,000 |\n"
        "| 3 | £10,000 | £30,000 | £8,000 |"
    ),
    "risks": "Losing our hall booking; depending on one grant.",
}
SAHELI_FEEDBACK = {
    "": "A strong start. The plan needs to show who will pay once the grants end.",
    "executive-summary": "Say what you are asking the PCT for, in one sentence.",
    "market": "Add the numbers: how many women in the ward, and how many you reach today.",
    "financial-plan": "Where does the year 2 contract income come from? Name the commissioner.",
}
SAHELI_V2 = {
    "executive-summary": (
        "Saheli Women's Centre runs sport and social activities, from dry-slope skiing to "
        "walking groups, for women in Balsall Heath, most of them from South Asian families. "
        "We ask the PCT for a two-year exercise-on-referral contract so that GPs can refer "
        "women at risk of diabetes to a year-round programme."
    ),
    "market": (
        "The ward has some of the lowest physical activity rates in Birmingham: about 6,000 "
        "women aged 16 to 65 live here and we reach 180 a month. The PCT's commissioning "
        "intentions name obesity and diabetes prevention as priorities."
    ),
    "financial-plan": (
        "| Year | Grants | PCT contract | Trading |\n|---|---|---|---|\n"
        "| 1 | £30,000 | £0 | £4,000 |\n| 2 | £20,000 | £15,000 | £6,000 |\n"
        "| 3 | £10,000 | £30,000 | £8,000 |\n\n"
        "The contract income is the exercise-on-referral pilot discussed with the PCT's "
        "public health lead."
    ),
    "impact": (
        "We will record attendance, the Warwick-Edinburgh wellbeing score at joining and "
        "every six months, and weight and blood pressure for referred women."
    ),
}
SAHELI_DRAFT = {
    "risks": (
        "- Losing our hall booking: we are negotiating a three-year lease.\n"
        "- Depending on one grant: the PCT contract and trading income reduce this."
    ),
}

SHEDS_V1 = {
    "executive-summary": (
        "Men's Sheds Kingstanding gives older men a workshop where they make, mend and talk."
    ),
    "services": "Two workshop sessions a week; a repair café on Saturdays.",
    "financial-plan": "Start-up costs £12,000 (tools, rent); running costs £18,000 a year.",
}
SHEDS_FEEDBACK = {"financial-plan": "Show where the £18,000 a year will come from."}
SHEDS_V2 = {
    "financial-plan": (
        "Start-up costs £12,000 (tools, rent); running costs £18,000 a year, met by a "
        "social prescribing grant (£10,000), members' subscriptions (£3,000) and repair "
        "café income (£5,000)."
    ),
}

BREATHE_V1 = {
    "executive-summary": (
        "Respiratory nurses from the PCT's community team spin out a COPD rehabilitation "
        "service run as a social enterprise."
    ),
    "team": "Four respiratory nurses and a physiotherapist; TUPE transfer from the PCT.",
}


def _plan(venture, lead, seir, v1, feedback, v2, draft, approve_second: bool) -> None:
    factories.write(lead, venture, v1)
    first = factories.submit(lead, venture, note="Our first full draft.")
    if feedback is None:
        return
    factories.review(seir, first, feedback)
    factories.write(lead, venture, v2)
    second = factories.submit(lead, venture, note="Revised after the SEiR's feedback.")
    if approve_second:
        factories.review(seir, second, {}, approve=True)
    if draft:
        factories.write(lead, venture, draft)


@transaction.atomic
def seed_demo(*, stdout=None) -> None:
    seir = User.objects.filter(username="seir").first()
    ventures = {v.name: v for v in Venture.objects.filter(programme__name=PROGRAMME)}
    if seir is None or not ventures:
        if stdout:
            stdout.write("Business plans: no demo programme yet (run seed_demo first).")
        return
    made = 0
    for name, v1, feedback, v2, draft, approve in (
        ("Saheli Women's Centre", SAHELI_V1, SAHELI_FEEDBACK, SAHELI_V2, SAHELI_DRAFT, False),
        ("Men's Sheds Kingstanding", SHEDS_V1, SHEDS_FEEDBACK, SHEDS_V2, {}, True),
        ("Breathe Easy Erdington", BREATHE_V1, None, {}, {}, False),
    ):
        venture = ventures.get(name)
        if venture is None or venture.lead is None:
            continue
        if BusinessPlan.objects.filter(venture=venture).exists():
            continue
        _plan(venture, venture.lead, seir, v1, feedback, v2, draft, approve)
        made += 1
    if stdout:
        stdout.write(f"Business plans: {made} demo plan(s) added.")
