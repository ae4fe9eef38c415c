"""Build the demo programme: idempotent, and never on a production database by accident.

Every write goes through the services (ventures.services, ventures.bulk, accounts.services)
with a time argument, so demo history has realistic dates and passes the real checks.
"""

import random
from importlib import import_module

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from accounts.roles import Role
from demo import content
from demo.seeding import DemoSeeder
from security import demo as security_demo

MAX_VENTURES = 1_000_000
# Apps that add their own demo data (``<app>.demo.seed_demo``) once the ventures exist,
# each through its own services and idempotent.
# progress comes after the domain apps: its reports read everything they made.
DEMO_APPS = (
    "checklists",
    "plans",
    "funding",
    "outcomes",
    "scouting",
    "commissioning",
    "progress",
    # Last: tells the demo people of what the apps above recorded.
    "inbox",
    # The demo's SEiRs and administrator sign in with the demo authenticator key.
    "security",
)


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
        if not 0 <= ventures <= MAX_VENTURES:
            raise CommandError(f"--ventures must be between 0 and {MAX_VENTURES}.")
        seeder = DemoSeeder(random.Random(seed))
        with transaction.atomic():
            programme, created = seeder.run(ventures=ventures)
        for label in DEMO_APPS:
            if apps.is_installed(label):
                with transaction.atomic():
                    import_module(f"{label}.demo").seed_demo(stdout=self.stdout)
        total = programme.ventures.count()
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data ready: {total} ventures in “{programme}” ({created} new)."
            )
        )
        self.stdout.write("Demo logins (password for all: demo):")
        for user in content.users():
            label = Role(user["role"]).label
            name = f"{user['first_name']} {user['last_name']}"
            self.stdout.write(f"  {user['username']:<14} {label:<13} {name}")
        self.stdout.write(
            "Two-factor sign-in (admin and seir, and any SEiR or administrator): add the "
            f"setup key {security_demo.DEMO_TOTP_SECRET} to an authenticator app, or run "
            "`python manage.py demo_code` for the current code."
        )
