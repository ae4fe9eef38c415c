"""The five NHS Outcomes Framework domains (reference data an administrator can edit)."""

from django.db import migrations

DOMAINS = [
    (1, "Preventing people from dying prematurely"),
    (2, "Enhancing quality of life for people with long-term conditions"),
    (3, "Helping people to recover from episodes of ill health or following injury"),
    (4, "Ensuring that people have a positive experience of care"),
    (5, "Treating and caring for people in a safe environment and protecting them from avoidable harm"),
]


def add_domains(apps, schema_editor):
    OutcomeDomain = apps.get_model("outcomes", "OutcomeDomain")
    for number, name in DOMAINS:
        OutcomeDomain.objects.update_or_create(number=number, defaults={"name": name})


def remove_domains(apps, schema_editor):
    OutcomeDomain = apps.get_model("outcomes", "OutcomeDomain")
    OutcomeDomain.objects.filter(indicators__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("outcomes", "0001_initial")]

    operations = [migrations.RunPython(add_domains, remove_domains)]
