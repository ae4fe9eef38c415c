"""Meetings can be corrected: each keeps when it was last saved (its edit form refuses to
save over a change made after it was shown). Existing meetings take when they were
logged."""

from django.db import migrations, models
from django.db.models import F


def from_created(apps, schema_editor):
    Meeting = apps.get_model("scouting", "Meeting")
    Meeting.objects.update(updated_at=F("created_at"))


class Migration(migrations.Migration):
    dependencies = [("scouting", "0006_meeting_tallies")]

    operations = [
        migrations.AddField(
            model_name="meeting",
            name="updated_at",
            field=models.DateTimeField(auto_now=True),
        ),
        migrations.RunPython(from_created, migrations.RunPython.noop, elidable=True),
    ]
