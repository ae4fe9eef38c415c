"""Backups write real files: uploads on disk (as in production), archives and the
erasure log in a temporary directory of each test's own."""

import pytest


@pytest.fixture
def backup_env(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "private-media")},
        },
    }
    settings.SEIR_BACKUP_DIR = tmp_path / "backups"
    settings.SEIR_ERASURE_LOG = tmp_path / "erasure-log.jsonl"
    settings.VAR_DIR = tmp_path
    return tmp_path
