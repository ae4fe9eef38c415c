"""The ContractStatusChange table goes: 0006 made sure its rows live on as events."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("commissioning", "0006_contract_status_change_events"),
    ]

    operations = [migrations.DeleteModel(name="ContractStatusChange")]
