"""Seed the accessibility statement and the privacy notice with their default text."""

from django.db import migrations

from sitepages import defaults

PAGES = [
    ("accessibility", defaults.ACCESSIBILITY_TITLE, defaults.ACCESSIBILITY_BODY),
    ("privacy", defaults.PRIVACY_TITLE, defaults.PRIVACY_BODY),
]


def seed(apps, schema_editor):
    SitePage = apps.get_model("sitepages", "SitePage")
    for kind, title, body in PAGES:
        # Never overwrite text an administrator has already edited.
        SitePage.objects.get_or_create(kind=kind, defaults={"title": title, "body": body})


class Migration(migrations.Migration):
    dependencies = [("sitepages", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
