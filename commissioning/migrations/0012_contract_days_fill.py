from django.db import migrations
from django.db.models import Count, Sum


def fill(apps, schema_editor):
    """The day rows of the contracts already stored (``commissioning.tallies`` keeps them
    from now on)."""
    Contract = apps.get_model("commissioning", "Contract")
    ContractDay = apps.get_model("commissioning", "ContractDay")
    ContractDay.objects.bulk_create(
        [
            ContractDay(
                programme_id=r["venture__programme_id"],
                day=r["start_date"],
                status=r["status"],
                contracts=r["n"],
                value=r["total"],
            )
            for r in Contract.objects.values("venture__programme_id", "start_date", "status")
            .annotate(n=Count("id"), total=Sum("value"))
            .order_by()
        ],
        batch_size=1000,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("commissioning", "0011_contract_days"),
    ]

    operations = [
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
