"""Lift the wrong-code lock of an account's two-factor sign-in (security.lockout)."""

from django.core.management.base import BaseCommand, CommandError

from accounts.models import User
from security import lockout


class Command(BaseCommand):
    help = "Lift the two-factor lock of USERNAME (after too many wrong codes)."

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username, **options):
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No account {username!r}.")
        was_locked = lockout.is_locked(user)
        lockout.failures_reset(user)
        self.stdout.write("Unlocked." if was_locked else "Not locked; failures cleared.")
