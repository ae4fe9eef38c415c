"""The StatusChange table goes: 0007 made sure its rows live on as events."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("checklists", "0007_status_change_events"),
    ]

    operations = [migrations.DeleteModel(name="StatusChange")]
