"""Store when each venture entered its current stage and a folded search text, back-fill
both, and index every sort of the list. On PostgreSQL only: pg_trgm and a trigram GIN
index on the search text (a no-op on SQLite)."""

import unicodedata

from django.db import migrations, models
from django.db.models import OuterRef, Subquery

SEARCHED_FIELDS = ("name", "summary", "need", "beneficiaries", "area")


def fold(text):
    # Frozen copy of ventures.search.fold as it was when this migration was written.
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def backfill(apps, schema_editor):
    Venture = apps.get_model("ventures", "Venture")
    StageChange = apps.get_model("ventures", "StageChange")
    latest = (
        StageChange.objects.filter(venture=OuterRef("pk"))
        .order_by("-changed_at", "-id")
        .values("changed_at")[:1]
    )
    Venture.objects.update(stage_entered_at=Subquery(latest))
    batch = []
    for venture in Venture.objects.only("pk", *SEARCHED_FIELDS).iterator(chunk_size=2000):
        venture.search_text = "\n".join(fold(getattr(venture, f) or "") for f in SEARCHED_FIELDS)
        batch.append(venture)
        if len(batch) == 2000:
            Venture.objects.bulk_update(batch, ["search_text"])
            batch = []
    Venture.objects.bulk_update(batch, ["search_text"])


def trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS venture_search_trgm_idx ON ventures_venture "
        "USING gin (search_text gin_trgm_ops)"
    )


def drop_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS venture_search_trgm_idx")


class Migration(migrations.Migration):
    dependencies = [("ventures", "0005_backfill_events")]

    operations = [
        migrations.AddField(
            model_name="venture",
            name="search_text",
            field=models.TextField(blank=True, default="", editable=False),
        ),
        migrations.AddField(
            model_name="venture",
            name="stage_entered_at",
            field=models.DateTimeField(blank=True, editable=False, null=True),
        ),
        migrations.AddIndex(
            model_name="venture",
            index=models.Index(fields=["name", "id"], name="venture_name_id_idx"),
        ),
        migrations.AddIndex(
            model_name="venture",
            index=models.Index(fields=["stage_entered_at", "id"], name="venture_entered_id_idx"),
        ),
        migrations.AddIndex(
            model_name="venture",
            index=models.Index(fields=["updated_at", "id"], name="venture_updated_id_idx"),
        ),
        migrations.AddIndex(
            model_name="venture",
            index=models.Index(
                fields=["stage", "stage_entered_at", "id"], name="venture_column_idx"
            ),
        ),
        # Before the back-fill: PostgreSQL refuses CREATE INDEX on a table with pending
        # deferred-constraint events in the same transaction.
        migrations.RunPython(trigram_index, drop_trigram_index),
        migrations.RunPython(backfill, migrations.RunPython.noop),
    ]
