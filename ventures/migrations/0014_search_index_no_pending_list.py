"""The search's trigram index written through, without GIN's pending list (PostgreSQL
only; a no-op on SQLite).

With the pending list (``fastupdate``, GIN's default) every venture row written since the
last vacuum waits in an unsorted list that each search reads whole. A stage move or an
event's last-activity touch rewrites the row, so the list grows with everyday use, not
only with edits of the searched text. At 10,000 ventures, 600 such writes left 209
pending pages: each trigram search then cost more than reading the table, so PostgreSQL
read the table instead (a rare word's capped count took 8.5 ms rather than 0.45).
Whoever's write overflowed the list's 4 MB would also have merged it all within their
request. Written through, a venture row's write costs about 1 ms more and every search
keeps the index (docs/performance.md §34).
"""

from django.db import migrations


def write_through(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("ALTER INDEX venture_search_trgm_idx SET (fastupdate = off)")
    # Turning the list off does not empty it: merge what is waiting now.
    schema_editor.execute("SELECT gin_clean_pending_list('venture_search_trgm_idx'::regclass)")


def pending_list(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER INDEX venture_search_trgm_idx RESET (fastupdate)")


class Migration(migrations.Migration):
    dependencies = [("ventures", "0013_filters_index")]

    operations = [migrations.RunPython(write_through, pending_list)]
