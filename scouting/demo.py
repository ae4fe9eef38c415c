"""Demo and benchmark data for scouting.

``seed_demo`` builds a year of scouting for the demo programme through the services (so
it obeys the same rules and records the same events as real use). ``seed_scale`` bulk-
inserts 100,000 meetings with proportionate people and organisations for benchmarks.
Both are idempotent.
"""

from __future__ import annotations

import datetime
import random

from django.db import transaction
from django.utils import timezone

from accounts.models import Programme, User
from ventures.models import Venture

from . import services
from .models import (
    FollowUp,
    Idea,
    IdeaStatus,
    Meeting,
    MeetingType,
    Organisation,
    Person,
    Sector,
    Tag,
)

PROGRAMME = "Birmingham East and North SEiR programme"
AREAS = [
    "Balsall Heath",
    "Erdington",
    "Kingstanding",
    "Sparkbrook",
    "Aston",
    "Handsworth",
    "Small Heath",
    "Sutton Coldfield",
    "Castle Vale",
    "Washwood Heath",
]
ORG_KINDS = [
    (Sector.PCT, "{} Commissioning Team"),
    (Sector.GP_PRACTICE, "{} Medical Practice"),
    (Sector.HOSPITAL_TRUST, "Heart of England NHS Trust ({})"),
    (Sector.LOCAL_AUTHORITY, "Birmingham City Council, {} Neighbourhood Office"),
    (Sector.THIRD_SECTOR, "{} Community Trust"),
    (Sector.COMMUNITY_GROUP, "{} Women's Group"),
    (Sector.PRIVATE, "{} Pharmacy"),
    (Sector.OTHER, "{} Faith Forum"),
]
IDEAS = [
    ("Walking netball for older women", "Inactivity and isolation among older women"),
    ("Community COPD rehab in church halls", "Avoidable COPD admissions"),
    ("Men's shed for retired workers", "Loneliness in older men"),
    ("Peer-led diabetes cooking classes", "Type 2 diabetes in South Asian families"),
    ("Social prescribing link workers", "GP appointments for non-medical needs"),
    ("Dementia-friendly cinema", "Carers' isolation"),
    ("Young carers' drop-in", "Young carers' wellbeing"),
    ("Mobile foot-care clinic", "Diabetic foot amputations"),
    ("Bike recycling and repair", "Inactivity and unemployment"),
    ("Breastfeeding peer supporters", "Low breastfeeding rates"),
    ("Falls prevention dance classes", "Falls in over-75s"),
    ("Mental health first aid for taxi drivers", "Men's mental health"),
]
# status for each idea above, in order; the promoted ones link to the named demo ventures.
STATUSES = [
    "promoted",
    "promoted",
    "promoted",
    "exploring",
    "exploring",
    "new",
    "new",
    "parked",
    "parked",
    "rejected",
    "rejected",
    "new",
]
LINKED_VENTURES = ["Saheli Women's Centre", "Breathe Easy Erdington", "Men's Sheds Kingstanding"]
REASONS = {
    "parked": "Waiting for the council's new commissioning round.",
    "rejected": "Another provider already runs this locally.",
}


def _say(stdout, text):
    if stdout is not None:
        stdout.write(text + "\n")


def seed_demo(*, stdout=None) -> None:
    programme = Programme.objects.filter(name=PROGRAMME).first()
    seir = User.objects.filter(username="seir").first()
    if programme is None or seir is None:
        _say(stdout, "Scouting demo skipped: run seed_demo first.")
        return
    if Meeting.objects.filter(programme=programme).exists():
        _say(stdout, "Scouting demo data already there.")
        return
    from faker import Faker

    fake = Faker("en_GB")
    fake.seed_instance(2009)
    rng = random.Random(2009)  # noqa: S311 - demo data, not security
    tags = list(Tag.objects.filter(is_active=True))
    now = timezone.now()
    with transaction.atomic():
        organisations = []
        for i in range(40):
            sector, pattern = ORG_KINDS[i % len(ORG_KINDS)]
            area = AREAS[i % len(AREAS)]
            name = pattern.format(area if i < len(AREAS) * 2 else f"{area} {fake.street_suffix()}")
            organisations.append(
                services.organisation_create(
                    actor=seir,
                    programme=programme,
                    name=f"{name}" if i < 20 else f"{name} {i}",
                    sector=sector,
                    area=area,
                )
            )
        people = []
        for i in range(120):
            org = organisations[i % 40]
            first, last = fake.first_name(), fake.last_name()
            consent = rng.random() < 0.7
            people.append(
                services.person_create(
                    actor=seir,
                    programme=programme,
                    name=f"{first} {last}",
                    organisation=org,
                    job_title=fake.job()[:200],
                    email=f"{first}.{last}.{i}@example.org".lower(),
                    phone=f"0121 496 {i:04d}",
                    tags=rng.sample(tags, k=rng.randint(0, 2)),
                    consent_to_contact=consent,
                    consent_date=(now - datetime.timedelta(days=rng.randint(1, 300))).date()
                    if consent
                    else None,
                )
            )
        meetings = []
        for i in range(40):
            attendees = rng.sample(people, k=rng.randint(1, 4))
            held = now - datetime.timedelta(days=360 - i * 9, hours=rng.randint(0, 6))
            idea_rows = []
            if i % 3 == 0 and i // 3 < len(IDEAS):
                title, need = IDEAS[i // 3]
                idea_rows.append(
                    services.IdeaRow(
                        title=title, description=fake.sentence(nb_words=16), health_need=need
                    )
                )
            meeting = services.meeting_log(
                actor=seir,
                programme=programme,
                meeting=services.MeetingInput(
                    held_at=held.replace(minute=0, second=0, microsecond=0),
                    meeting_type=list(MeetingType)[i % len(MeetingType)],
                    location=f"{organisations[i].name}, {organisations[i].area}",
                    notes=fake.paragraph(nb_sentences=3),
                    attendees=attendees,
                    ideas=idea_rows,
                    talent=[services.TalentRow(person=attendees[0], note="Could lead a venture.")]
                    if i % 4 == 0
                    else [],
                    followups=[
                        services.FollowUpRow(
                            what=f"Send {attendees[0].name} the funding options",
                            assignee=seir,
                            due=(held + datetime.timedelta(days=14)).date(),
                        )
                    ],
                ),
            )
            meetings.append(meeting)
            if i < 30:
                for followup in meeting.followups.all():
                    services.followup_set_done(actor=seir, followup=followup, done=True)
        ideas = list(Idea.objects.filter(programme=programme).order_by("id"))
        ventures = {
            v.name: v for v in Venture.objects.filter(programme=programme, name__in=LINKED_VENTURES)
        }
        linked = 0
        for idea, status in zip(ideas, STATUSES, strict=False):
            services.idea_update(
                actor=seir,
                idea=idea,
                changes={"proposers": list(idea.source_meetings.first().attendees.all()[:1])},
            )
            if status == "promoted":
                venture = (
                    ventures.get(LINKED_VENTURES[linked]) if linked < len(LINKED_VENTURES) else None
                )
                linked += 1
                if venture is not None and not Idea.objects.filter(venture=venture).exists():
                    services.idea_link_venture(actor=seir, idea=idea, venture=venture)
            elif status in ("exploring", "parked", "rejected"):
                if status != "exploring":
                    services.idea_set_status(actor=seir, idea=idea, to_status="exploring")
                services.idea_set_status(
                    actor=seir, idea=idea, to_status=status, reason=REASONS.get(status, "")
                )
    _say(
        stdout,
        f"Scouting demo: {len(organisations)} organisations, {len(people)} people, "
        f"{len(meetings)} meetings, {len(ideas)} ideas.",
    )


def seed_scale(*, ventures: int, stdout=None, meetings: int = 100_000) -> None:
    """Bulk-insert ``meetings`` meetings (1 in 5 as many people, 1 in 50 organisations,
    1 in 20 ideas, with attendees, organisations and follow-ups) into the demo programme,
    linking promoted ideas to up to ``ventures`` of its ventures. No events: these rows are
    for timing pages, not an activity history."""
    programme = Programme.objects.filter(name=PROGRAMME).first()
    seir = User.objects.filter(username="seir").first()
    if programme is None or seir is None:
        _say(stdout, "Scouting scale data skipped: run seed_demo first.")
        return
    have = Meeting.objects.filter(programme=programme).count()
    if have >= meetings:
        _say(stdout, f"Scouting scale data already there ({have} meetings).")
        return
    rng = random.Random(42)  # noqa: S311 - benchmark data
    now = timezone.now()
    todo = meetings - have
    n_orgs, n_people, n_ideas = max(1, todo // 50), max(1, todo // 5), max(1, todo // 20)
    sectors = [s for s, _ in Sector.choices]
    batch = 5000
    with transaction.atomic():
        orgs = Organisation.objects.bulk_create(
            [
                Organisation(
                    programme=programme,
                    name=f"Scale organisation {i:05d}",
                    sector=sectors[i % len(sectors)],
                    area=AREAS[i % len(AREAS)],
                )
                for i in range(n_orgs)
            ],
            batch_size=batch,
        )
        people = Person.objects.bulk_create(
            [
                Person(
                    programme=programme,
                    name=f"Scale person {i:06d}",
                    organisation=orgs[i % n_orgs],
                    email=f"scale{i}@example.org",
                    job_title="Nurse",
                )
                for i in range(n_people)
            ],
            batch_size=batch,
        )
        rows = Meeting.objects.bulk_create(
            [
                Meeting(
                    programme=programme,
                    held_at=now - datetime.timedelta(minutes=5 * i + 1),
                    meeting_type=MeetingType.values[i % len(MeetingType)],
                    location=f"Venue {i % 300}",
                    logged_by=seir,
                )
                for i in range(todo)
            ],
            batch_size=batch,
        )
        attendees = Meeting.attendees.through
        represented = Meeting.organisations.through
        links, org_links = [], []
        for i, meeting in enumerate(rows):
            a, b = people[(2 * i) % n_people], people[(2 * i + 1) % n_people]
            links += [
                attendees(meeting_id=meeting.pk, person_id=a.pk),
                attendees(meeting_id=meeting.pk, person_id=b.pk),
            ]
            org_links.append(represented(meeting_id=meeting.pk, organisation_id=a.organisation_id))
        attendees.objects.bulk_create(links, batch_size=batch)
        represented.objects.bulk_create(org_links, batch_size=batch)
        FollowUp.objects.bulk_create(
            [
                FollowUp(
                    programme=programme,
                    meeting=rows[i],
                    what=f"Follow up {i}",
                    assignee=seir,
                    due=(now + datetime.timedelta(days=i % 60)).date(),
                    done=i % 3 != 0,
                )
                for i in range(0, todo, 10)
            ],
            batch_size=batch,
        )
        free = list(
            Venture.objects.filter(programme=programme, scouting_idea__isnull=True).values_list(
                "pk", flat=True
            )[:ventures]
        )
        statuses = [IdeaStatus.NEW, IdeaStatus.EXPLORING, IdeaStatus.PARKED, IdeaStatus.REJECTED]
        ideas = []
        for i in range(n_ideas):
            venture_id = free[i] if i < len(free) else None
            ideas.append(
                Idea(
                    programme=programme,
                    title=f"Scale idea {i:05d}",
                    created_by=seir,
                    status=IdeaStatus.PROMOTED if venture_id else statuses[i % 4],
                    venture_id=venture_id,
                    promoted_at=now if venture_id else None,
                )
            )
        ideas = Idea.objects.bulk_create(ideas, batch_size=batch)
        Idea.source_meetings.through.objects.bulk_create(
            [
                Idea.source_meetings.through(
                    idea_id=idea.pk, meeting_id=rows[rng.randrange(todo)].pk
                )
                for idea in ideas
            ],
            batch_size=batch,
        )
        # Bulk inserts send no signals: the summary rows are built once, at the end.
        from .tallies import programme_rebuild

        programme_rebuild(programme.pk)
    _say(
        stdout,
        f"Scouting scale data: {todo} meetings, {n_people} people, {n_orgs} organisations, {n_ideas} ideas.",
    )
