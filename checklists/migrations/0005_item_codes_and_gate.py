"""One source for each fact: the gate conditions that restate a checklist item are met by
that item's acceptance.

- Every item of the default checklist template gets a stable code, copied onto the items
  of checklists already given (by their template item).
- "Registrations for regulated care (e.g. CQC) in place" (Growth) becomes a
  ``checklist_item_accepted`` condition naming the item ``cqc-registration``, in the
  default stage set and in every existing programme's Growth stage. Confirmations given
  by hand for it are kept (history), but no longer count: the item does.
- "Due diligence passed" (Pilot) stays a SEiR's confirmation, but it now "covers" the
  stage's required checklist items: while they are outstanding it counts only as an
  override with a written reason.
Reversible."""

from django.db import migrations

TEMPLATE = "default"
# label in the default template -> code
CODES = {
    "Legal form chosen (CIC, company limited by guarantee, community benefit society, charity)": "legal-form",
    "Governing document": "governing-document",
    "Board skills and independence": "board-skills",
    "Conflicts of interest register": "conflicts-register",
    "Meets the definition of a social enterprise (asset lock / reinvested surplus)": "social-enterprise-definition",
    "2–3 years of accounts or an opening balance": "accounts",
    "Management accounts": "management-accounts",
    "3-year forecast with scenarios": "forecast",
    "Use of funds": "use-of-funds",
    "Ability to repay": "ability-to-repay",
    "Reserves, debts and legal cases": "reserves-debts-legal",
    "CQC registration where regulated activities are provided": "cqc-registration",
    "Clinical governance": "clinical-governance",
    "Complaints and incident handling": "complaints-incidents",
    "Safeguarding policy": "safeguarding-policy",
    "DBS checks": "dbs-checks",
    "Professional registration": "professional-registration",
    "Supervision": "supervision",
    "TUPE transfer of NHS staff": "tupe-transfer",
    "Pensions for transferring NHS staff": "nhs-pensions",
    "Contract guarantee from the commissioner": "contract-guarantee",
    "Employer's liability insurance": "employers-liability-insurance",
    "Public liability insurance": "public-liability-insurance",
    "Professional indemnity insurance": "professional-indemnity-insurance",
    "Data-protection registration (ICO)": "ico-registration",
    "Confidentiality and records policies": "confidentiality-records",
    "NHS data-security standards where patient data is handled": "data-security-toolkit",
    "Equality and diversity policy": "equality-policy",
    "Health and safety policy": "health-safety-policy",
    "Whistleblowing policy": "whistleblowing-policy",
    "Business continuity plan": "business-continuity",
    "Theory of change": "theory-of-change",
    "Outcome indicators with a baseline": "outcome-indicators",
    "Service-user involvement": "service-user-involvement",
    "Named commissioner or customer": "named-commissioner",
    "Letters of support": "letters-of-support",
    "Pricing against tariff": "pricing",
    "Competitors and partners": "competitors-partners",
}

CQC_STAGE = "growth"
CQC_LABEL = "Registrations for regulated care (e.g. CQC) in place"
CQC_KIND = "checklist_item_accepted"
CQC_PARAMS = {"items": ["cqc-registration"]}

DD_STAGE = "pilot"
DD_LABEL = "Due diligence passed"
COVERS = "checklist_items_accepted"


def _set_conditions(DefaultStage, GateCondition, *, cqc, dd_params):
    for default in DefaultStage.objects.filter(code__in=(CQC_STAGE, DD_STAGE)):
        gate = []
        for c in default.gate:
            if default.code == CQC_STAGE and c.get("label") == CQC_LABEL:
                c = {**c, **cqc}
            if default.code == DD_STAGE and c.get("label") == DD_LABEL:
                c = {**c, "params": dd_params}
            gate.append(c)
        default.gate = gate
        default.save(update_fields=["gate"])
    GateCondition.objects.filter(stage__code=CQC_STAGE, label=CQC_LABEL).update(**cqc)
    GateCondition.objects.filter(stage__code=DD_STAGE, label=DD_LABEL, kind="confirmed").update(
        params=dd_params
    )


def forwards(apps, schema_editor):
    TemplateItem = apps.get_model("checklists", "TemplateItem")
    ChecklistItem = apps.get_model("checklists", "ChecklistItem")
    for item in TemplateItem.objects.filter(section__template__code=TEMPLATE, code=""):
        code = CODES.get(item.label)
        if code:
            item.code = code
            item.save(update_fields=["code"])
    for template_item_id, code in TemplateItem.objects.exclude(code="").values_list("id", "code"):
        ChecklistItem.objects.filter(template_item_id=template_item_id, code="").update(code=code)
    _set_conditions(
        apps.get_model("ventures", "DefaultStage"),
        apps.get_model("ventures", "GateCondition"),
        cqc={"kind": CQC_KIND, "params": CQC_PARAMS},
        dd_params={"covers": COVERS},
    )


def backwards(apps, schema_editor):
    _set_conditions(
        apps.get_model("ventures", "DefaultStage"),
        apps.get_model("ventures", "GateCondition"),
        cqc={"kind": "confirmed", "params": {}},
        dd_params={},
    )


class Migration(migrations.Migration):
    dependencies = [
        ("checklists", "0004_item_code"),
        ("ventures", "0008_gate_confirmation_override"),
    ]
    operations = [migrations.RunPython(forwards, backwards)]
