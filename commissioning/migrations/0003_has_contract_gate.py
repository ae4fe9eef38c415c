"""Add "Has a contract (signed or live)" to the pilot stage's gate, where DOMAIN.md puts
"first contract or framework place": in the default stage set and in every existing
programme's pilot stage. Reversible."""

from django.db import migrations

KIND = "has_contract"
LABEL = "Has a contract (signed or live)"
STAGE_CODE = "pilot"


def add(apps, schema_editor):
    DefaultStage = apps.get_model("ventures", "DefaultStage")
    Stage = apps.get_model("ventures", "Stage")
    GateCondition = apps.get_model("ventures", "GateCondition")
    for default in DefaultStage.objects.filter(code=STAGE_CODE):
        if not any(item.get("kind") == KIND for item in default.gate):
            default.gate = [*default.gate, {"kind": KIND, "label": LABEL, "params": {}}]
            default.save(update_fields=["gate"])
    for stage in Stage.objects.filter(code=STAGE_CODE):
        conditions = GateCondition.objects.filter(stage=stage)
        if conditions.filter(kind=KIND).exists():
            continue
        last = conditions.order_by("-order").values_list("order", flat=True).first()
        GateCondition.objects.create(
            stage=stage, kind=KIND, label=LABEL, params={}, order=(last or 0) + 1
        )


def remove(apps, schema_editor):
    DefaultStage = apps.get_model("ventures", "DefaultStage")
    GateCondition = apps.get_model("ventures", "GateCondition")
    for default in DefaultStage.objects.filter(code=STAGE_CODE):
        kept = [item for item in default.gate if item.get("kind") != KIND]
        if kept != default.gate:
            default.gate = kept
            default.save(update_fields=["gate"])
    GateCondition.objects.filter(kind=KIND).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("commissioning", "0002_reference_data"),
        ("ventures", "0002_reference_data"),
    ]
    operations = [migrations.RunPython(add, remove)]
