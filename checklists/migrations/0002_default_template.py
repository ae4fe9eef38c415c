"""Seed the default due-diligence checklist from shared/DOMAIN.md (reference data an
administrator can edit). Each item names the stage whose gate needs it; spin-out items
only apply to NHS staff spin-outs; insurance, registrations and checks have a validity."""

from django.db import migrations

CODE = "default"


def i(label, stage="", guidance="", months=None, spinout=False):
    return {"label": label, "stage": stage, "guidance": guidance, "months": months, "spinout": spinout}


SECTIONS = [
    ("Legal form & governance", [
        i("Legal form chosen (CIC, company limited by guarantee, community benefit society, charity)", "startup",
          "Certificate of incorporation or registration."),
        i("Governing document", "startup", "Articles of association or rules, as registered."),
        i("Board skills and independence", "startup", "Board list with skills matrix; independent members named."),
        i("Conflicts of interest register", "pilot", "The current register, signed off by the board."),
        i("Meets the definition of a social enterprise (asset lock / reinvested surplus)", "startup",
          "The clauses of the governing document on the asset lock and use of surplus."),
    ]),
    ("Finance", [
        i("2–3 years of accounts or an opening balance", "pilot", "Filed accounts, or an opening balance sheet for a new organisation."),
        i("Management accounts", "pilot", "The latest quarter's management accounts."),
        i("3-year forecast with scenarios", "pilot", "Income, costs and cash flow, with best, expected and worst cases."),
        i("Use of funds", "pilot", "What the money sought will pay for, and when."),
        i("Ability to repay", "growth", "For loans: repayment schedule against the forecast."),
        i("Reserves, debts and legal cases", "pilot", "Reserves policy, borrowing, and any legal claims or cases."),
    ]),
    ("Regulation & quality", [
        i("CQC registration where regulated activities are provided", "growth",
          "The CQC registration certificate, or why no regulated activity is provided."),
        i("Clinical governance", "pilot", "Clinical governance framework and the named clinical lead."),
        i("Complaints and incident handling", "pilot", "Complaints and incident reporting procedures."),
    ]),
    ("Safeguarding & workforce", [
        i("Safeguarding policy", "pilot", "Adults and children safeguarding policy with a named lead.", 12),
        i("DBS checks", "pilot", "Record of enhanced DBS checks for staff and volunteers in regulated roles.", 36),
        i("Professional registration", "pilot", "NMC, HCPC, GMC or other registrations for clinical staff.", 12),
        i("Supervision", "growth", "Clinical and management supervision arrangements."),
        i("TUPE transfer of NHS staff", "pilot", "Staff list, TUPE consultation and measures letter.", None, True),
        i("Pensions for transferring NHS staff", "pilot",
          "NHS Pension Scheme access (direction body status) or a broadly comparable scheme.", None, True),
        i("Contract guarantee from the commissioner", "pilot",
          "The commissioner's guaranteed contract for the spun-out service (length and value).", None, True),
    ]),
    ("Insurance", [
        i("Employer's liability insurance", "pilot", "The current certificate.", 12),
        i("Public liability insurance", "pilot", "The current certificate.", 12),
        i("Professional indemnity insurance", "pilot", "The current certificate.", 12),
    ]),
    ("Information governance", [
        i("Data-protection registration (ICO)", "pilot", "The ICO registration certificate.", 12),
        i("Confidentiality and records policies", "pilot", "Confidentiality, records management and retention policies."),
        i("NHS data-security standards where patient data is handled", "growth",
          "The Data Security and Protection Toolkit assessment.", 12),
    ]),
    ("Policies", [
        i("Equality and diversity policy", "pilot"),
        i("Health and safety policy", "pilot", "Policy and risk assessments for premises and activities."),
        i("Whistleblowing policy", "growth"),
        i("Business continuity plan", "growth"),
    ]),
    ("Impact", [
        i("Theory of change", "startup", "How the activities lead to the outcomes aimed at."),
        i("Outcome indicators with a baseline", "pilot", "Indicators, their baseline values and the source of data."),
        i("Service-user involvement", "growth", "How people who use the service shape it."),
    ]),
    ("Commercial", [
        i("Named commissioner or customer", "startup"),
        i("Letters of support", "startup", "From commissioners, partners or community leaders."),
        i("Pricing against tariff", "pilot", "Unit prices compared with the tariff or current provider."),
        i("Competitors and partners", "startup"),
    ]),
]


def seed(apps, schema_editor):
    Template = apps.get_model("checklists", "ChecklistTemplate")
    Section = apps.get_model("checklists", "TemplateSection")
    Item = apps.get_model("checklists", "TemplateItem")
    template, _ = Template.objects.update_or_create(
        code=CODE,
        defaults={
            "name": "Default due-diligence checklist",
            "description": "The programme's standard due diligence (shared/DOMAIN.md).",
        },
    )
    for section_order, (name, items) in enumerate(SECTIONS, start=1):
        section, _ = Section.objects.update_or_create(
            template=template, name=name, defaults={"order": section_order}
        )
        for order, item in enumerate(items, start=1):
            Item.objects.update_or_create(
                section=section,
                label=item["label"],
                defaults={
                    "order": order,
                    "guidance": item["guidance"],
                    "stage_code": item["stage"],
                    "validity_months": item["months"],
                    "spinout_only": item["spinout"],
                },
            )


def unseed(apps, schema_editor):
    apps.get_model("checklists", "ChecklistTemplate").objects.filter(code=CODE).delete()


class Migration(migrations.Migration):
    dependencies = [("checklists", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
