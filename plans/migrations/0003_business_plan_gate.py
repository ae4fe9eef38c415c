"""The "business_plan_approved" gate condition where shared/DOMAIN.md puts a business plan:

- leaving Start-up needs an "outline business plan": any approved version;
- leaving Pilot needs a "full business plan with 3-year cash flow": a version submitted
  and approved while the venture is at Pilot ({"in_current_stage": true}), so the outline
  approved at start-up does not count twice.

These replace the hand-confirmed conditions with the same labels (the plan's approval is
the evidence), in the default stages and in every existing programme's stages; a stage
whose gate no longer has that label gets the condition added at the end. Reversible:
converted conditions go back to "confirmed" (their old confirmations still exist), added
ones are removed.
"""

from django.db import migrations

KIND = "business_plan_approved"
MARK = "plans_migration"  # params key telling reversal what this migration did
TARGETS = {
    "startup": ("Outline business plan", {}),
    "pilot": ("Full business plan with a 3-year cash flow", {"in_current_stage": True}),
}


def forwards(apps, schema_editor):
    DefaultStage = apps.get_model("ventures", "DefaultStage")
    Stage = apps.get_model("ventures", "Stage")
    GateCondition = apps.get_model("ventures", "GateCondition")
    for code, (label, params) in TARGETS.items():
        for default in DefaultStage.objects.filter(code=code):
            gate = list(default.gate or [])
            for item in gate:
                if item.get("label") == label and item.get("kind", "confirmed") == "confirmed":
                    item["kind"] = KIND
                    item["params"] = {**params, MARK: "converted"}
                    break
            else:
                if not any(item.get("kind") == KIND for item in gate):
                    gate.append({"kind": KIND, "label": label, "params": {**params, MARK: "added"}})
            default.gate = gate
            default.save(update_fields=["gate"])
        for stage in Stage.objects.filter(code=code):
            conditions = GateCondition.objects.filter(stage=stage)
            if conditions.filter(kind=KIND).exists():
                continue
            condition = conditions.filter(label=label, kind="confirmed").first()
            if condition is not None:
                condition.kind = KIND
                condition.params = {**params, MARK: "converted"}
                condition.save(update_fields=["kind", "params"])
            else:
                last = conditions.order_by("-order").first()
                GateCondition.objects.create(
                    stage=stage,
                    kind=KIND,
                    label=label,
                    params={**params, MARK: "added"},
                    order=(last.order + 1) if last else 0,
                )


def backwards(apps, schema_editor):
    DefaultStage = apps.get_model("ventures", "DefaultStage")
    GateCondition = apps.get_model("ventures", "GateCondition")
    for default in DefaultStage.objects.all():
        gate = []
        for item in default.gate or []:
            mark = (item.get("params") or {}).get(MARK)
            if item.get("kind") == KIND and mark == "added":
                continue
            if item.get("kind") == KIND and mark == "converted":
                item = {**item, "kind": "confirmed", "params": {}}
            gate.append(item)
        if gate != default.gate:
            default.gate = gate
            default.save(update_fields=["gate"])
    for condition in GateCondition.objects.filter(kind=KIND):
        mark = (condition.params or {}).get(MARK)
        if mark == "added":
            condition.delete()
        elif mark == "converted":
            condition.kind = "confirmed"
            condition.params = {}
            condition.save(update_fields=["kind", "params"])


class Migration(migrations.Migration):
    dependencies = [
        ("plans", "0002_default_template"),
        ("ventures", "0003_fieldchange_version"),
    ]
    operations = [migrations.RunPython(forwards, backwards)]
