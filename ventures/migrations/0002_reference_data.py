"""Seed reference data an administrator can edit: legal forms and the default stages
(with exit criteria and gate conditions) from shared/DOMAIN.md."""

from django.db import migrations

LEGAL_FORMS = [
    ("not-incorporated", "Not yet incorporated", False),
    ("cic", "Community interest company (CIC)", True),
    ("clg", "Company limited by guarantee", True),
    ("cbs", "Community benefit society", True),
    ("charity", "Charity (incl. CIO)", True),
    ("co-op", "Co-operative society", True),
    ("other", "Other incorporated form", True),
]


def c(label, kind="confirmed", **params):
    return {"kind": kind, "label": label, "params": params}


STAGES = [
    (
        "idea",
        "Idea",
        "Need evidenced (local data / needs assessment); founder or team named; a plausible "
        "NHS or council buyer named.",
        [
            c("Need evidenced (local data or a needs assessment)"),
            c("Founder or team named", "has_lead"),
            c("A plausible NHS or council buyer named"),
        ],
    ),
    (
        "startup",
        "Start-up",
        "Legal form chosen and incorporated; governance in place; outline business plan; "
        "first funding sought; pilot discussed with a commissioner.",
        [
            c("Legal form chosen and incorporated", "legal_form_incorporated"),
            c("Governance in place"),
            c("Outline business plan"),
            c("First funding sought"),
            c("Pilot discussed with a commissioner"),
        ],
    ),
    (
        "pilot",
        "Pilot / modest project",
        "Pilot outcome data; full business plan with 3-year cash flow; due diligence passed; "
        "first contract or framework place.",
        [
            c("Pilot outcome data"),
            c("Full business plan with a 3-year cash flow"),
            c("Due diligence passed"),
            c("First contract or framework place"),
        ],
    ),
    (
        "growth",
        "Growth",
        "Repeat or multi-year contracts; finance secured; registrations needed for regulated "
        "care (e.g. CQC) in place; first impact report.",
        [
            c("Repeat or multi-year contracts"),
            c("Finance secured"),
            c("Registrations for regulated care (e.g. CQC) in place"),
            c("First impact report"),
        ],
    ),
    (
        "scale",
        "Scalable & sustainable",
        "Replication / new areas; investment-ready; income covers costs.",
        [
            c("Replication or new areas"),
            c("Investment-ready"),
            c("Income covers costs"),
        ],
    ),
]


def seed(apps, schema_editor):
    LegalForm = apps.get_model("ventures", "LegalForm")
    DefaultStage = apps.get_model("ventures", "DefaultStage")
    for order, (code, name, incorporated) in enumerate(LEGAL_FORMS):
        LegalForm.objects.update_or_create(
            code=code, defaults={"name": name, "is_incorporated": incorporated, "order": order}
        )
    for order, (code, name, criteria, gate) in enumerate(STAGES, start=1):
        DefaultStage.objects.update_or_create(
            code=code,
            defaults={"name": name, "order": order, "exit_criteria": criteria, "gate": gate},
        )


class Migration(migrations.Migration):
    dependencies = [("ventures", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
