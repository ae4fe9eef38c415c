"""Writes: making an archive, pruning old ones, restoring one."""

from .create import BackupError, BackupResult, backup_create, backups_prune, stored_names
from .restore import RestoreError, RestoreResult, backup_restore

__all__ = [
    "BackupError",
    "BackupResult",
    "RestoreError",
    "RestoreResult",
    "backup_create",
    "backup_restore",
    "backups_prune",
    "stored_names",
]
