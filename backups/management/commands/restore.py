from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.template.defaultfilters import pluralize

from backups.services import RestoreError, backup_restore


class Command(BaseCommand):
    help = (
        "Restore an archive written by `manage.py backup` into an empty installation, "
        "then re-apply every logged erasure. Stop the web and worker processes first."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", type=Path, help="The .tar.gz archive to restore.")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Replace the data of an installation that is not empty.",
        )

    def handle(self, *args, archive, force, **options):
        try:
            result = backup_restore(archive_path=archive, force=force)
        except RestoreError as error:
            raise CommandError(error.message) from error
        self.stdout.write(
            f"Restored {archive.name} (made {result.created_at}): {result.tables} tables, "
            f"{result.rows} rows and {result.files} uploaded file{pluralize(result.files)}, "
            f"all matching the manifest. Erasure log: {result.erasures_logged} "
            f"entr{pluralize(result.erasures_logged, 'y,ies')}, "
            f"{result.erasures_reapplied} record{pluralize(result.erasures_reapplied)} "
            "erased again."
        )
