from django.db import migrations
from django.db.models import OuterRef, Q, Subquery


def fill(apps, schema_editor):
    """The new columns of the rows already stored (``scouting.tallies`` keeps them from
    now on): each row's predecessor in its chain in order of (day, id), and its idea's
    venture's programme, SEiR and first entry into the target stage."""
    IdeaSource = apps.get_model("scouting", "IdeaSource")
    Idea = apps.get_model("scouting", "Idea")
    Venture = apps.get_model("ventures", "Venture")
    before = IdeaSource.objects.filter(
        Q(day__lt=OuterRef("day")) | Q(day=OuterRef("day"), id__lt=OuterRef("id")),
        idea_id=OuterRef("idea_id"),
        sector=OuterRef("sector"),
    ).order_by("-day", "-id")
    IdeaSource.objects.update(
        prev_day=Subquery(before.values("day")[:1]),
        prev_day_by_seir=Subquery(
            before.filter(logged_by_id=OuterRef("logged_by_id")).values("day")[:1]
        ),
        venture_id=Subquery(Idea.objects.filter(pk=OuterRef("idea_id")).values("venture_id")),
    )
    venture = Venture.objects.filter(pk=OuterRef("venture_id"))
    IdeaSource.objects.filter(venture_id__isnull=False).update(
        venture_programme_id=Subquery(venture.values("programme_id")),
        venture_seir_id=Subquery(venture.values("seir_id")),
        venture_target_reached_at=Subquery(venture.values("target_reached_at")),
    )



class Migration(migrations.Migration):
    dependencies = [
        ("scouting", "0008_idea_source_chain_and_venture"),
        ("ventures", "0009_target_reached"),  # Venture.target_reached_at
    ]

    operations = [
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
