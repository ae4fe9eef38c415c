from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.template.defaultfilters import pluralize

from backups.services import BackupError, backup_create


class Command(BaseCommand):
    help = (
        "Write one archive (database, private uploads, manifest with row counts and "
        "checksums) to SEIR_BACKUP_DIR (var/backups/ by default)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--directory", type=Path, help="Write the archive here instead.")

    def handle(self, *args, directory, **options):
        try:
            result = backup_create(directory=directory)
        except BackupError as error:
            raise CommandError(error.message) from error
        files = len(result.manifest["files"])
        self.stdout.write(
            f"Wrote {result.path}: {len(result.manifest['tables'])} tables, {result.rows} "
            f"rows, {files} uploaded file{pluralize(files)}."
        )
