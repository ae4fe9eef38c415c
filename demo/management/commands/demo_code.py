"""Print the code an authenticator app holding the demo key shows now (demo only)."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from security.demo import demo_code


class Command(BaseCommand):
    help = "Print the current two-factor code of the demo accounts (admin, seir)."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("demo_code is for the demo: it refuses to run with DEBUG=False.")
        self.stdout.write(demo_code())
