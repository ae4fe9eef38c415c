"""Demo commissioning data for seed_demo, made through the services (so it obeys the same
rules as real data). Idempotent: a second run adds nothing."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from accounts.models import Programme, User
from ventures.models import Venture

from . import services
from .models import (
    STEPS_NEEDING_DATES,
    Commissioner,
    Contact,
    OrganisationType,
    OutcomeDomain,
    ServiceArea,
    Step,
    SupportProvider,
    SupportType,
)

PROGRAMME = "Birmingham East and North SEiR programme"

COMMISSIONERS = [
    # name, type code, service area codes, area, contacts [(name, role, email, username)]
    (
        "BEN PCT",
        "pct-icb",
        ["long-term-conditions", "primary-community", "mental-health"],
        "Birmingham East and North",
        [
            (
                "Claire Evans",
                "Head of commissioning, long-term conditions",
                "claire.evans@example.nhs.uk",
                "commissioner",
            ),
            (
                "Rajesh Gill",
                "Commissioning manager, mental health",
                "rajesh.gill@example.nhs.uk",
                None,
            ),
        ],
    ),
    (
        "Birmingham City Council",
        "local-authority",
        ["public-health", "social-care", "older-people"],
        "Birmingham",
        [("Helen Marsh", "Public health commissioner", "helen.marsh@example.gov.uk", None)],
    ),
    (
        "Erdington Practice-Based Commissioning Group",
        "pbc",
        ["primary-community", "long-term-conditions"],
        "Erdington",
        [("Dr Femi Adeyemi", "GP lead", "femi.adeyemi@example.nhs.uk", None)],
    ),
]

# commissioner, title, domain number, service area code, budget, window route
PRIORITIES = [
    ("BEN PCT", "Community COPD rehabilitation", 2, "long-term-conditions", "250000", "pilot"),
    ("BEN PCT", "Diabetes self-management support", 2, "primary-community", "120000", "framework"),
    ("BEN PCT", "Social prescribing for low mood", 3, "mental-health", "80000", "grant"),
    ("Birmingham City Council", "Falls prevention at home", 5, "older-people", "150000", "tender"),
    (
        "Birmingham City Council",
        "Physical activity for inactive women",
        1,
        "public-health",
        "60000",
        "grant",
    ),
    (
        "Erdington Practice-Based Commissioning Group",
        "Hearing support in primary care",
        4,
        "primary-community",
        "20000",
        "pilot",
    ),
]

# venture, domains, service areas
FOCUS = [
    ("Saheli Women's Centre", [1, 2], ["public-health"]),
    ("Breathe Easy Erdington", [2, 3], ["long-term-conditions"]),
    ("Healthy Homes Hodge Hill", [5], ["older-people"]),
    ("Diabetes Buddies Alum Rock", [2], ["primary-community"]),
    ("Sparkbrook Wellbeing Gardens", [3], ["mental-health"]),
    ("Hear for You", [4], ["primary-community"]),
    ("Men's Sheds Kingstanding", [3], ["mental-health", "older-people"]),
]

# venture, contact, priority title or None, days ago made, path of steps (each 7 days apart)
INTRODUCTIONS = [
    ("Hear for You", "Dr Femi Adeyemi", "Hearing support in primary care", 6, []),
    (
        "Sparkbrook Wellbeing Gardens",
        "Rajesh Gill",
        "Social prescribing for low mood",
        30,
        ["introduced"],
    ),
    ("Men's Sheds Kingstanding", "Claire Evans", None, 12, ["introduced", "meeting_agreed"]),
    (
        "Diabetes Buddies Alum Rock",
        "Claire Evans",
        "Diabetes self-management support",
        60,
        ["introduced", "meeting_held"],
    ),
    (
        "Healthy Homes Hodge Hill",
        "Helen Marsh",
        "Falls prevention at home",
        90,
        ["introduced", "meeting_held", "pilot_agreed"],
    ),
    (
        "Saheli Women's Centre",
        "Helen Marsh",
        "Physical activity for inactive women",
        120,
        ["introduced", "meeting_held", "tender"],
    ),
    (
        "Breathe Easy Erdington",
        "Claire Evans",
        "Community COPD rehabilitation",
        150,
        ["introduced", "meeting_held", "pilot_agreed", "contract_awarded"],
    ),
    ("Washwood Heath Youth Boxing", "Helen Marsh", None, 70, ["introduced", "declined"]),
    ("Stechford Community Kitchen", "Dr Femi Adeyemi", None, 80, ["no_response"]),
]

STEP_NOTES = {
    "introduced": "Introduction made by email; a meeting offered.",
    "meeting_agreed": "Happy to meet: two dates proposed.",
    "meeting_held": "Met at the commissioner's office.",
    "pilot_agreed": "Six-month pilot agreed.",
    "tender": "Invited to tender.",
    "contract_awarded": "Contract awarded.",
    "declined": "Outside this year's commissioning intentions.",
    "no_response": "No reply after two reminders.",
}

PROVIDERS = [
    ("Anthony Collins Solicitors", "legal"),
    ("Social Enterprise West Midlands accountancy clinic", "accounting"),
    ("iSE business mentoring", "mentoring"),
]


def _say(stdout, message: str) -> None:
    if stdout is not None:
        stdout.write(message)


@transaction.atomic
def seed_demo(*, stdout=None) -> None:
    programme = Programme.objects.filter(name=PROGRAMME).first()
    seir = User.objects.filter(username="seir").first()
    if programme is None or seir is None:
        _say(stdout, "Commissioning demo skipped: run seed_demo first.")
        return
    if Commissioner.objects.filter(name="BEN PCT").exists():
        _say(stdout, "Commissioning demo data already present.")
        return
    today = timezone.localdate()
    ventures = {v.name: v for v in Venture.objects.filter(programme=programme)}
    contacts = _directory(seir)
    priorities = _priorities(seir, today)
    domains = {d.number: d for d in OutcomeDomain.objects.all()}
    areas = {a.code: a for a in ServiceArea.objects.all()}
    for name, domain_numbers, area_codes in FOCUS:
        if name in ventures:
            services.venture_focus_set(
                actor=seir,
                venture=ventures[name],
                domains=[domains[n] for n in domain_numbers],
                service_areas=[areas[c] for c in area_codes],
            )
    made = {}
    for venture_name, contact_name, priority_title, days, path in INTRODUCTIONS:
        if venture_name not in ventures:
            continue
        introduction = services.introduction_make(
            actor=seir,
            venture=ventures[venture_name],
            contact=contacts[contact_name],
            priority=priorities.get(priority_title),
            purpose=f"Introduce {venture_name} to {contact_name}.",
            made_on=today - datetime.timedelta(days=days),
        )
        for index, step in enumerate(path, start=1):
            services.referral_move(
                actor=seir,
                referral=introduction,
                to_step=step,
                on=min(today, introduction.made_on + datetime.timedelta(days=7 * index)),
                note=STEP_NOTES[step],
                proposed_dates=_proposed_dates(step, today),
            )
        made[venture_name] = introduction
    _contracts(seir, ventures, made, today)
    _referrals(seir, ventures, today)
    _say(stdout, f"Commissioning demo: {len(made)} introductions, 2 contracts.")


def _directory(seir) -> dict[str, Contact]:
    users = {u.username: u for u in User.objects.filter(username="commissioner")}
    contacts = {}
    for name, type_code, area_codes, area, people in COMMISSIONERS:
        commissioner = services.commissioner_create(
            actor=seir,
            name=name,
            organisation_type=OrganisationType.objects.get(code=type_code),
            service_areas=list(ServiceArea.objects.filter(code__in=area_codes)),
            area=area,
        )
        for person, role, email, username in people:
            contacts[person] = services.contact_add(
                actor=seir,
                commissioner=commissioner,
                name=person,
                role=role,
                email=email,
                user=users.get(username) if username else None,
            )
    return contacts


def _priorities(seir, today) -> dict:
    priorities = {}
    commissioners = {c.name: c for c in Commissioner.objects.all()}
    for index, (owner, title, domain, area, budget, route) in enumerate(PRIORITIES):
        priority = services.priority_create(
            actor=seir,
            commissioner=commissioners[owner],
            title=title,
            description=f"{title}: commissioning intention for {today.year}/{today.year + 1}.",
            domain=OutcomeDomain.objects.get(number=domain),
            service_area=ServiceArea.objects.get(code=area),
            budget=Decimal(budget),
            period_start=today - datetime.timedelta(days=90),
            period_end=today + datetime.timedelta(days=275),
        )
        # the last priority's window has closed, so it shows as not matching
        closed = index == len(PRIORITIES) - 1
        services.window_add(
            actor=seir,
            priority=priority,
            opens=today - datetime.timedelta(days=60 if closed else 20),
            closes=today - datetime.timedelta(days=5)
            if closed
            else today + datetime.timedelta(days=40 + index * 10),
            route=route,
        )
        priorities[title] = priority
    return priorities


def _contracts(seir, ventures, made, today) -> None:
    if "Breathe Easy Erdington" in ventures:
        services.contract_record(
            actor=seir,
            venture=ventures["Breathe Easy Erdington"],
            commissioner=made["Breathe Easy Erdington"].commissioner,
            introduction=made["Breathe Easy Erdington"],
            service="Community COPD rehabilitation",
            value=Decimal("185000.00"),
            start_date=today - datetime.timedelta(days=30),
            end_date=today + datetime.timedelta(days=700),
            status="live",
        )
    if "Castle Vale Dementia Café" in ventures:
        services.contract_record(
            actor=seir,
            venture=ventures["Castle Vale Dementia Café"],
            commissioner=Commissioner.objects.get(name="Birmingham City Council"),
            service="Carers' respite cafés",
            value=Decimal("42500.00"),
            start_date=today + datetime.timedelta(days=14),
            end_date=today + datetime.timedelta(days=379),
            status="signed",
        )


def _referrals(seir, ventures, today) -> None:
    providers = []
    for name, type_code in PROVIDERS:
        provider, _ = SupportProvider.objects.get_or_create(
            name=name, support_type=SupportType.objects.get(code=type_code)
        )
        providers.append(provider)
    if "Bump to Buggy Peer Support" in ventures:
        services.support_referral_make(
            actor=seir,
            venture=ventures["Bump to Buggy Peer Support"],
            provider=providers[0],
            purpose="Choosing a legal form and drafting CIC articles.",
            made_on=today - datetime.timedelta(days=10),
        )
    if "Men's Sheds Kingstanding" in ventures:
        referral = services.support_referral_make(
            actor=seir,
            venture=ventures["Men's Sheds Kingstanding"],
            provider=providers[1],
            purpose="Management accounts and a three-year forecast.",
            made_on=today - datetime.timedelta(days=40),
        )
        services.referral_move(
            actor=seir,
            referral=referral,
            to_step=Step.INTRODUCED,
            on=today - datetime.timedelta(days=35),
            note="Clinic appointment booked.",
        )


def _proposed_dates(step: str, today: datetime.date) -> list[datetime.date]:
    """A meeting agreed in the demo proposes two dates in the coming fortnight."""
    if step not in STEPS_NEEDING_DATES:
        return []
    return [today + datetime.timedelta(days=7), today + datetime.timedelta(days=9)]


def seed_scale(*, ventures: int, stdout=None) -> None:
    """Volume for benchmarks; see commissioning.scale."""
    from .scale import seed_scale as bulk

    bulk(ventures=ventures, stdout=stdout)
