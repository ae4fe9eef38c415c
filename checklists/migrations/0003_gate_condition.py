"""Add the "all checklist items required for this stage accepted" condition to the gates
whose exit criteria DOMAIN.md ties to due diligence: Start-up (legal form, governance),
Pilot ("due diligence passed") and Growth (registrations for regulated care in place) —
in the default stage set and in every existing programme's stages. Reversible."""

from django.db import migrations

KIND = "checklist_items_accepted"
LABEL = "All checklist items required for this stage accepted"
STAGE_CODES = ("startup", "pilot", "growth")


def add(apps, schema_editor):
    DefaultStage = apps.get_model("ventures", "DefaultStage")
    Stage = apps.get_model("ventures", "Stage")
    GateCondition = apps.get_model("ventures", "GateCondition")
    for default in DefaultStage.objects.filter(code__in=STAGE_CODES):
        if not any(c.get("kind") == KIND for c in default.gate):
            default.gate = [*default.gate, {"kind": KIND, "label": LABEL, "params": {}}]
            default.save(update_fields=["gate"])
    for stage in Stage.objects.filter(code__in=STAGE_CODES):
        conditions = GateCondition.objects.filter(stage=stage)
        if not conditions.filter(kind=KIND).exists():
            last = conditions.order_by("-order").values_list("order", flat=True).first()
            GateCondition.objects.create(
                stage=stage, kind=KIND, label=LABEL, params={}, order=(last or 0) + 1
            )


def remove(apps, schema_editor):
    DefaultStage = apps.get_model("ventures", "DefaultStage")
    GateCondition = apps.get_model("ventures", "GateCondition")
    for default in DefaultStage.objects.filter(code__in=STAGE_CODES):
        default.gate = [c for c in default.gate if c.get("kind") != KIND]
        default.save(update_fields=["gate"])
    GateCondition.objects.filter(kind=KIND).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("checklists", "0002_default_template"),
        ("ventures", "0002_reference_data"),
    ]
    operations = [migrations.RunPython(add, remove)]
