"""The default funds from DOMAIN.md (reference data an administrator can edit)."""

from decimal import Decimal

from django.db import migrations

FUNDS = [
    {
        "code": "seif",
        "name": "Social Enterprise Investment Fund (SEIF)",
        "funder": "Department of Health",
        "funding_type": "grant",
        "maximum": Decimal("20000.00"),
        "description": "Development grants up to £20k, then grants or loans. Steps: initial "
        "assessment, adviser visit, independent panel, approval.",
    },
    {
        "code": "rif",
        "name": "Regional Innovation Fund (RIF)",
        "funder": "Strategic health authority",
        "funding_type": "grant",
        "maximum": None,
        "description": "NHS-led or NHS-partnered bids, decided by an expert panel.",
    },
    {
        "code": "unltd",
        "name": "UnLtd award",
        "funder": "UnLtd",
        "funding_type": "grant",
        "maximum": None,
        "description": "Awards and support for social entrepreneurs.",
    },
    {
        "code": "big-society-capital",
        "name": "Big Society Capital (through an intermediary)",
        "funder": "Big Society Capital",
        "funding_type": "equity_like",
        "maximum": None,
        "description": "Social investment through intermediaries.",
    },
    {
        "code": "icrf",
        "name": "Investment and Contract Readiness Fund",
        "funder": "Cabinet Office",
        "funding_type": "grant",
        "maximum": None,
        "description": "Grants to get ready for investment or to bid for public contracts.",
    },
    {
        "code": "local-grant",
        "name": "Local grant",
        "funder": "Local trusts and councils",
        "funding_type": "grant",
        "maximum": None,
        "description": "Grants from local trusts, foundations and councils.",
    },
]


def add_funds(apps, schema_editor):
    Fund = apps.get_model("funding", "Fund")
    for order, fund in enumerate(FUNDS):
        Fund.objects.update_or_create(code=fund["code"], defaults={**fund, "order": order})


def remove_funds(apps, schema_editor):
    Fund = apps.get_model("funding", "Fund")
    Fund.objects.filter(code__in=[f["code"] for f in FUNDS], applications__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("funding", "0001_initial")]

    operations = [migrations.RunPython(add_funds, remove_funds)]
