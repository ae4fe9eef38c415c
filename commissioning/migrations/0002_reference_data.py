"""Seed the reference data an administrator can edit (shared/DOMAIN.md's defaults)."""

from django.db import migrations

ORGANISATION_TYPES = [
    ("pct-icb", "PCT / integrated care board"),
    ("pbc", "Practice-based commissioning group / GP practice"),
    ("local-authority", "Local authority"),
    ("other", "Other"),
]

SERVICE_AREAS = [
    ("long-term-conditions", "Long-term conditions"),
    ("mental-health", "Mental health and wellbeing"),
    ("maternity-children", "Maternity, children and young people"),
    ("older-people", "Older people and carers"),
    ("public-health", "Public health and prevention"),
    ("social-care", "Adult social care"),
    ("primary-community", "Primary and community care"),
    ("employment-skills", "Employment and skills"),
]

OUTCOME_DOMAINS = [
    (1, "preventing-premature-death", "Preventing people from dying prematurely"),
    (2, "long-term-conditions", "Enhancing quality of life for people with long-term conditions"),
    (3, "recovery", "Helping people to recover from episodes of ill health or following injury"),
    (4, "patient-experience", "Ensuring that people have a positive experience of care"),
    (5, "safety", "Treating and caring for people in a safe environment and protecting them "
     "from avoidable harm"),
]

SUPPORT_TYPES = [
    ("legal", "Legal"),
    ("accounting", "Accounting"),
    ("marketing", "Marketing"),
    ("due-diligence", "Due diligence"),
    ("mentoring", "Mentoring"),
    ("finance", "Finance"),
]


def seed(apps, schema_editor):
    for model, rows in (
        ("OrganisationType", ORGANISATION_TYPES),
        ("ServiceArea", SERVICE_AREAS),
        ("SupportType", SUPPORT_TYPES),
    ):
        Model = apps.get_model("commissioning", model)
        for order, (code, name) in enumerate(rows):
            Model.objects.update_or_create(code=code, defaults={"name": name, "order": order})
    OutcomeDomain = apps.get_model("commissioning", "OutcomeDomain")
    for number, code, name in OUTCOME_DOMAINS:
        OutcomeDomain.objects.update_or_create(
            number=number, defaults={"code": code, "name": name, "order": number}
        )


class Migration(migrations.Migration):
    dependencies = [("commissioning", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
