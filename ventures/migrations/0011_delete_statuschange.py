"""The StatusChange table goes: 0010 made sure its rows live on as events."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("ventures", "0010_status_change_events"),
    ]

    operations = [migrations.DeleteModel(name="StatusChange")]
