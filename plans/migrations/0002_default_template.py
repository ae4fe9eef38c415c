"""Seed the default business plan template: the 13 standard sections of shared/DOMAIN.md,
each with guidance for the team (reference data, editable in the admin)."""

from django.db import migrations

SECTIONS = [
    (
        "executive-summary",
        "Executive summary",
        "One page a busy commissioner or funder reads first: the problem, what you do about "
        "it, for whom, the difference it makes, what you need (money, a contract, a pilot) "
        "and why your team can deliver. Write it last.",
    ),
    (
        "organisation",
        "Organisation, legal form, governance",
        "Legal form (CIC, company limited by guarantee, community benefit society, charity) "
        "and why; governing document and asset lock; board members, their skills and "
        "independence; how decisions are made and conflicts of interest handled.",
    ),
    (
        "social-mission",
        "Social mission, problem, theory of change",
        "The health or social problem, with local evidence; who is affected; your mission; "
        "the theory of change from activities to outputs to outcomes; how surplus is "
        "reinvested.",
    ),
    (
        "services",
        "Services",
        "What you deliver, to whom, where and how often; what a person using the service "
        "experiences; what is free, what is paid for and by whom.",
    ),
    (
        "market",
        "Market & needs analysis",
        "Need and demand in the area (joint strategic needs assessment, practice data); "
        "commissioner priorities and commissioning intentions; competitors and partners; "
        "why you and why now.",
    ),
    (
        "marketing",
        "Marketing & route to commissioners/customers",
        "Who buys (integrated care board, GP practices, local authority, individuals); how "
        "you reach them; procurement routes and windows; pricing against tariff or "
        "alternatives; how service users hear about you.",
    ),
    (
        "operations",
        "Operations & delivery",
        "Premises and equipment; how delivery is organised; quality, clinical governance "
        "and safeguarding; regulation (e.g. CQC registration); information governance; "
        "suppliers and partners.",
    ),
    (
        "team",
        "Team & staffing",
        "Founders and key staff with their experience; roles still to fill; volunteers; "
        "supervision and training; for NHS staff spin-outs, TUPE and pensions.",
    ),
    (
        "impact",
        "Impact measurement plan",
        "Outcome indicators with their baseline, target and source, tagged to the NHS "
        "Outcomes Framework domains; how and how often you measure; how service users are "
        "involved; how you will report to commissioners.",
    ),
    (
        "financial-plan",
        "Financial plan",
        "Income mix (contracts, grants, trading, donations); a 3-year profit and loss and "
        "cash flow with assumptions; break-even point; reserves; the funding you are asking "
        "for and what it pays for.",
    ),
    (
        "risks",
        "Risks",
        "The main risks (funding, contracts, staff, regulation, reputation, safeguarding), "
        "how likely and serious each is, and what you do to reduce it.",
    ),
    (
        "milestones",
        "Milestones",
        "What will be done by when over the next 12 to 36 months: incorporation, pilot, "
        "first contract, registrations, growth; who is responsible for each.",
    ),
    (
        "appendices",
        "Appendices",
        "Supporting material: letters of support, CVs, detailed financial tables, evidence "
        "of need, policies (list them and where they can be found).",
    ),
]


def seed(apps, schema_editor):
    PlanTemplate = apps.get_model("plans", "PlanTemplate")
    PlanTemplateSection = apps.get_model("plans", "PlanTemplateSection")
    template, _ = PlanTemplate.objects.update_or_create(
        code="standard",
        defaults={
            "name": "Standard social enterprise business plan",
            "description": "The 13 standard sections; drafts are versioned and reviewed by the SEiR.",
            "is_default": True,
            "is_active": True,
        },
    )
    for order, (code, title, guidance) in enumerate(SECTIONS, start=1):
        PlanTemplateSection.objects.update_or_create(
            template=template,
            code=code,
            defaults={"title": title, "guidance": guidance, "order": order},
        )


def unseed(apps, schema_editor):
    PlanTemplate = apps.get_model("plans", "PlanTemplate")
    BusinessPlan = apps.get_model("plans", "BusinessPlan")
    template = PlanTemplate.objects.filter(code="standard").first()
    if template is not None and not BusinessPlan.objects.filter(template=template).exists():
        template.delete()


class Migration(migrations.Migration):
    dependencies = [("plans", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
