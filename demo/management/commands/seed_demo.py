"""Build the demo programme: idempotent, and never on a production database by accident."""

import datetime
import random

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from accounts.factories import UserFactory
from accounts.models import Programme, User
from accounts.roles import Role
from accounts.services import membership_add, programme_create, user_set_global_admin
from ventures.factories import VentureFactory
from ventures.models import (
    GateConfirmation,
    LegalForm,
    NoteVisibility,
    Origin,
    Stage,
    StageChange,
    StageTransition,
    Venture,
    VentureNote,
)

PASSWORD = "demo"
PROGRAMME = "Birmingham East and North SEiR programme"
SECOND_PROGRAMME = "Solihull Council SEiR programme"

USERS = [
    # username, first, last, role
    ("admin", "Ada", "Administrator", Role.ADMINISTRATOR),
    ("seir", "Samira", "Patel", Role.SEIR),
    ("manager", "Michael", "O'Connor", Role.MANAGER),
    ("commissioner", "Claire", "Evans", Role.COMMISSIONER),
    ("entrepreneur1", "Parveen", "Akhtar", Role.ENTREPRENEUR),
    ("entrepreneur2", "Daniel", "Okafor", Role.ENTREPRENEUR),
    ("entrepreneur3", "Grace", "Williams", Role.ENTREPRENEUR),
    ("entrepreneur4", "Tomasz", "Nowak", Role.ENTREPRENEUR),
    ("entrepreneur5", "Aisha", "Begum", Role.ENTREPRENEUR),
]

# name, origin, spin-out, legal form code, stage code, lead username, area, summary, need
VENTURES = [
    (
        "Saheli Women's Centre",
        Origin.COMMUNITY,
        False,
        "cic",
        "growth",
        "entrepreneur1",
        "Balsall Heath",
        "Sport and social activities, from dry-slope skiing to walking groups, for a mostly Asian community of women.",
        "Low physical activity and social isolation among South Asian women.",
    ),
    (
        "Breathe Easy Erdington",
        Origin.NHS_STAFF,
        True,
        "cic",
        "pilot",
        "entrepreneur2",
        "Erdington",
        "Respiratory nurses spinning out a community COPD rehabilitation service.",
        "Avoidable emergency admissions for COPD.",
    ),
    (
        "Men's Sheds Kingstanding",
        Origin.THIRD_SECTOR,
        False,
        "cbs",
        "startup",
        "entrepreneur3",
        "Kingstanding",
        "Workshops where older men make, mend and talk.",
        "Loneliness and poor mental health in older men.",
    ),
    (
        "Bump to Buggy Peer Support",
        Origin.COMMUNITY,
        False,
        "not-incorporated",
        "idea",
        "entrepreneur4",
        "Aston",
        "Trained local mums supporting new parents through the first year.",
        "Low breastfeeding rates and postnatal depression.",
    ),
    (
        "Healthy Homes Hodge Hill",
        Origin.LOCAL_AUTHORITY,
        False,
        "clg",
        "pilot",
        "entrepreneur5",
        "Hodge Hill",
        "Home checks and small repairs that prevent falls and cold homes.",
        "Falls and cold-related admissions among over-65s.",
    ),
    (
        "Stechford Community Kitchen",
        Origin.COMMUNITY,
        False,
        "charity",
        "startup",
        None,
        "Stechford",
        "Cookery classes and a pay-what-you-can café.",
        "Diet-related ill health and food poverty.",
    ),
    (
        "MindWorks Employment",
        Origin.NHS_STAFF,
        True,
        "not-incorporated",
        "idea",
        None,
        "Sutton Coldfield",
        "Occupational therapists offering employment support for people with mental illness.",
        "Worklessness among people with severe mental illness.",
    ),
    (
        "Castle Vale Dementia Café",
        Origin.THIRD_SECTOR,
        False,
        "charity",
        "growth",
        None,
        "Castle Vale",
        "Weekly cafés and carers' respite.",
        "Carers' breakdown and early care-home admissions.",
    ),
    (
        "Washwood Heath Youth Boxing",
        Origin.COMMUNITY,
        False,
        "cic",
        "pilot",
        None,
        "Washwood Heath",
        "Boxing, mentoring and healthy eating for young people.",
        "Childhood obesity and youth violence.",
    ),
    (
        "Smoke-free Shard End",
        Origin.LOCAL_AUTHORITY,
        False,
        "not-incorporated",
        "idea",
        None,
        "Shard End",
        "Stop-smoking champions in local shops and mosques.",
        "High smoking prevalence.",
    ),
    (
        "Ward End Carers Network",
        Origin.THIRD_SECTOR,
        False,
        "cbs",
        "startup",
        None,
        "Ward End",
        "Peer network and training for unpaid carers.",
        "Unpaid carers' own health.",
    ),
    (
        "Nechells Green Gym",
        Origin.COMMUNITY,
        False,
        "cic",
        "scale",
        None,
        "Nechells",
        "Outdoor conservation volunteering as exercise.",
        "Inactivity and low mood.",
    ),
    (
        "Diabetes Buddies Alum Rock",
        Origin.NHS_STAFF,
        True,
        "cic",
        "growth",
        None,
        "Alum Rock",
        "Practice nurses training lay buddies for people with type 2 diabetes.",
        "Poor diabetes control.",
    ),
    (
        "Hear for You",
        Origin.OTHER,
        False,
        "not-incorporated",
        "idea",
        None,
        "Erdington",
        "Hearing-aid maintenance drop-ins run by volunteers.",
        "Unused hearing aids and isolation.",
    ),
    (
        "Sparkbrook Wellbeing Gardens",
        Origin.COMMUNITY,
        False,
        "cic",
        "startup",
        None,
        "Sparkbrook",
        "Therapeutic gardening on prescription.",
        "Anxiety and depression in working-age adults.",
    ),
]


class Command(BaseCommand):
    help = "Create the demo programme, users (password 'demo') and ventures. Safe to run twice."

    def add_arguments(self, parser):
        parser.add_argument(
            "--ventures",
            type=int,
            default=0,
            help="Top the demo programme up to at least N ventures.",
        )
        parser.add_argument(
            "--force", action="store_true", help="Run even with DEBUG=False (never on live data)."
        )
        parser.add_argument(
            "--seed", type=int, default=2009, help="Random seed for generated history."
        )

    def handle(self, *args, ventures, force, seed, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "seed_demo creates users with a known password; it refuses to run with DEBUG=False. Use --force if you mean it."
            )
        self.rng = random.Random(seed)
        with transaction.atomic():
            users = self._users()
            programme = self._programme(users)
            created = self._named_ventures(programme, users)
            topped = self._top_up(programme, users, ventures)
            self._second_programme(users)
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data ready: {Venture.objects.filter(programme=programme).count()} ventures in “{programme}” "
                f"({created + topped} new)."
            )
        )
        self.stdout.write("Demo logins (password for all: demo):")
        for username, first, last, role in USERS:
            self.stdout.write(f"  {username:<14} {role.label:<13} {first} {last}")

    # --- people and programmes ------------------------------------------------
    def _users(self) -> dict[str, User]:
        users = {}
        for username, first, last, _role in USERS:
            user = User.objects.filter(username=username).first()
            if user is None:
                user = UserFactory(
                    username=username, first_name=first, last_name=last, password=PASSWORD
                )
            if username == "admin":
                # The demo administrator runs every programme: the global role.
                user_set_global_admin(user=user, is_global_admin=True)
            users[username] = user
        return users

    def _programme(self, users) -> Programme:
        programme = Programme.objects.filter(name=PROGRAMME).first()
        if programme is None:
            programme = programme_create(
                name=PROGRAMME,
                host_organisation="Birmingham East and North PCT",
                start_date=timezone.localdate() - datetime.timedelta(days=330),
            )
        for username, _first, _last, role in USERS:
            membership_add(programme=programme, user=users[username], role=role)
        return programme

    def _second_programme(self, users):
        programme = Programme.objects.filter(name=SECOND_PROGRAMME).first()
        if programme is not None:
            return
        programme = programme_create(
            name=SECOND_PROGRAMME,
            host_organisation="Solihull Metropolitan Borough Council",
            start_date=timezone.localdate() - datetime.timedelta(days=60),
        )
        membership_add(programme=programme, user=users["admin"], role=Role.ADMINISTRATOR)
        outsider = User.objects.filter(username="solihull-lead").first() or UserFactory(
            username="solihull-lead",
            first_name="Rhys",
            last_name="Morgan",
            password=PASSWORD,
            is_active=False,
        )
        membership_add(programme=programme, user=outsider, role=Role.ENTREPRENEUR)
        self._venture_with_history(
            programme,
            users["admin"],
            outsider,
            name="Shirley Link Transport",
            origin=Origin.THIRD_SECTOR,
            is_spinout=False,
            legal_code="cic",
            target="startup",
            area="Shirley",
            summary="Volunteer drivers taking patients to hospital appointments.",
            need="Missed outpatient appointments.",
            days_ago=55,
        )

    # --- ventures -------------------------------------------------------------
    def _named_ventures(self, programme, users) -> int:
        created = 0
        existing = set(Venture.objects.filter(programme=programme).values_list("name", flat=True))
        for name, origin, spin, legal, stage, lead, area, summary, need in VENTURES:
            if name in existing:
                continue
            self._venture_with_history(
                programme,
                users["seir"],
                users.get(lead) if lead else self._extra_lead(programme, name),
                name=name,
                origin=origin,
                is_spinout=spin,
                legal_code=legal,
                target=stage,
                area=area,
                summary=summary,
                need=need,
                days_ago=self.rng.randint(200, 325),
            )
            created += 1
        return created

    def _extra_lead(self, programme, venture_name) -> User:
        """A lead entrepreneur without a demo login (only entrepreneur1-5 can sign in)."""
        from faker import Faker

        fake = Faker("en_GB")
        fake.seed_instance(venture_name)
        username = "lead-" + "".join(ch for ch in venture_name.lower() if ch.isalnum())[:20]
        user = User.objects.filter(username=username).first() or UserFactory(
            username=username,
            first_name=fake.first_name(),
            last_name=fake.last_name(),
            password=None,
        )
        membership_add(programme=programme, user=user, role=Role.ENTREPRENEUR)
        return user

    def _top_up(self, programme, users, target: int) -> int:
        have = Venture.objects.filter(programme=programme).count()
        from faker import Faker

        fake = Faker("en_GB")
        fake.seed_instance(have)
        codes = list(
            Stage.objects.filter(programme=programme)
            .order_by("order")
            .values_list("code", flat=True)
        )
        entrepreneurs = [users[f"entrepreneur{i}"] for i in range(1, 6)]
        for index in range(have, target):
            self._venture_with_history(
                programme,
                users["seir"],
                self.rng.choice(entrepreneurs + [None] * 5),
                name=f"{fake.street_name()} {self.rng.choice(['Health Hub', 'Wellbeing CIC', 'Community Care', 'Social Prescribing', 'Food Co-op'])} {index + 1}",
                origin=self.rng.choice(list(Origin)),
                is_spinout=self.rng.random() < 0.15,
                legal_code=self.rng.choice(["not-incorporated", "cic", "clg", "cbs", "charity"]),
                target=self.rng.choice(codes[:4]),
                area=fake.city(),
                summary=fake.sentence(nb_words=14),
                need=fake.sentence(nb_words=10),
                days_ago=self.rng.randint(20, 360),
            )
        return max(0, target - have)

    def _venture_with_history(
        self,
        programme,
        seir,
        lead,
        *,
        name,
        origin,
        is_spinout,
        legal_code,
        target,
        area,
        summary,
        need,
        days_ago,
    ):
        """A venture that travelled from Idea to ``target`` over ``days_ago`` days."""
        now = timezone.now()
        started = now - datetime.timedelta(days=days_ago, hours=self.rng.randint(0, 8))
        stages = list(Stage.objects.filter(programme=programme).order_by("order"))
        path = stages[: [s.code for s in stages].index(target) + 1]
        venture = VentureFactory(
            programme=programme,
            name=name,
            origin=origin,
            is_spinout=is_spinout,
            legal_form=LegalForm.objects.get(code=legal_code),
            stage=path[0],
            lead=lead,
            seir=seir,
            area=area,
            summary=summary,
            need=need,
            beneficiaries="Residents of " + area,
            history=started,
        )
        Venture.objects.filter(pk=venture.pk).update(created_at=started)
        moment = started
        span = (now - started) / (len(path) + 0.5)
        for previous, stage in zip(path, path[1:], strict=False):
            moment = moment + span * self.rng.uniform(0.6, 1.0)
            conditions = list(previous.gate_conditions.all())
            override = ""
            for condition in conditions:
                if condition.kind == "confirmed" and self.rng.random() < 0.85:
                    GateConfirmation.objects.get_or_create(
                        venture=venture,
                        condition=condition,
                        defaults={
                            "confirmed_by": seir,
                            "confirmed_at": moment - datetime.timedelta(days=2),
                            "evidence": "Seen at the review meeting.",
                        },
                    )
                elif condition.kind == "confirmed":
                    override = "Commissioner asked us to start the pilot early; evidence follows."
            transition = StageTransition.objects.get(from_stage=previous, to_stage=stage)
            StageChange.objects.create(
                venture=venture,
                from_stage=previous,
                to_stage=transition.to_stage,
                changed_by=seir,
                changed_at=moment,
                note=f"Reviewed with {lead.first_name if lead else 'the team'}.",
                override_reason=override,
                unmet_conditions=[
                    c.label
                    for c in conditions
                    if override
                    and c.kind == "confirmed"
                    and not GateConfirmation.objects.filter(venture=venture, condition=c).exists()
                ],
            )
        Venture.objects.filter(pk=venture.pk).update(stage=path[-1])
        # Part of the current stage's gate is already evidenced.
        for condition in path[-1].gate_conditions.filter(kind="confirmed"):
            if self.rng.random() < 0.5:
                GateConfirmation.objects.get_or_create(
                    venture=venture,
                    condition=condition,
                    defaults={
                        "confirmed_by": seir,
                        "confirmed_at": now - datetime.timedelta(days=self.rng.randint(1, 20)),
                        "evidence": "Checked with the team; copy on file.",
                    },
                )
        VentureNote.objects.create(
            venture=venture,
            author=seir,
            visibility=NoteVisibility.TEAM,
            created_at=moment + datetime.timedelta(days=1),
            body="Good progress at the last review; next step agreed.",
        )
        VentureNote.objects.create(
            venture=venture,
            author=seir,
            visibility=NoteVisibility.STAFF,
            created_at=moment + datetime.timedelta(days=1),
            body="Board needs strengthening before the next funding bid.",
        )
        return venture
