from django.db import migrations
from django.db.models import Sum


def collapse(apps, schema_editor):
    """A sector's meeting tallies summed over the meetings' types (``scouting.tallies``
    writes them so from now on): a meeting has one type, so the sum over types of a
    sector's meetings is that sector's meetings."""
    MeetingTally = apps.get_model("scouting", "MeetingTally")
    sectors = MeetingTally.objects.exclude(sector="")
    summed = list(
        sectors.values("programme_id", "day", "logged_by_id", "sector")
        .annotate(n=Sum("meetings"))
        .order_by()
    )
    sectors.delete()
    MeetingTally.objects.bulk_create(
        [
            MeetingTally(
                programme_id=r["programme_id"],
                day=r["day"],
                logged_by_id=r["logged_by_id"],
                meeting_type="",
                sector=r["sector"],
                meetings=r["n"],
            )
            for r in summed
        ],
        batch_size=1000,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("scouting", "0009_idea_source_chain_and_venture_fill"),
    ]

    operations = [
        migrations.RunPython(collapse, migrations.RunPython.noop),
    ]
