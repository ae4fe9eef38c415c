"""Seed the default tags (reference data, editable in the admin). Reversible."""

from django.db import migrations

TAGS = [
    ("clinician", "Clinician", 10),
    ("potential-entrepreneur", "Potential entrepreneur", 20),
    ("nhs-manager", "NHS manager", 30),
    ("commissioner", "Commissioner", 40),
    ("community-leader", "Community leader", 50),
    ("council-officer", "Council officer", 60),
    ("funder", "Funder", 70),
]


def add_tags(apps, schema_editor):
    Tag = apps.get_model("scouting", "Tag")
    for code, name, order in TAGS:
        Tag.objects.get_or_create(code=code, defaults={"name": name, "order": order})


def remove_tags(apps, schema_editor):
    apps.get_model("scouting", "Tag").objects.filter(code__in=[t[0] for t in TAGS]).delete()


class Migration(migrations.Migration):
    dependencies = [("scouting", "0001_initial")]

    operations = [migrations.RunPython(add_tags, remove_tags)]
