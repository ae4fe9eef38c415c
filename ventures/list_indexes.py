"""The venture table's indexes that the venture list walks in a sort's order, one per sort
(``ventures.filters.VentureFilter.sort``), each ending on the id the list ends on, and
the board's columns'.

Each holds the columns the list's filters test and the name every sort ends on before
the id (``LIST_FILTERED``), so a page walks the index alone, whatever its filters drop,
rather than reading a table row for every venture before the page's end: a reader of
one programme is filtered by ``programme_id``, which a walk of 750 entries for page 30
otherwise read from 750 table rows (docs/performance.md §39). ``INCLUDE`` is
PostgreSQL's; SQLite makes the indexes without those columns.
"""

from __future__ import annotations

from django.db import models

# The columns the venture list's filters test besides the search (ventures.filters), and
# the name every sort ends on before the id.
LIST_FILTERED = [
    "programme",
    "stage",
    "status",
    "origin",
    "seir",
    "legal_form",
    "stage_entered_at",
    "name",
]


def list_covered(*keys: str) -> list[str]:
    """``LIST_FILTERED`` but for an index's own ``keys``: what it includes besides them."""
    return [column for column in LIST_FILTERED if column not in keys]


LIST_SORT_INDEXES = [
    models.Index(fields=["name", "id"], include=list_covered("name"), name="venture_name_id_idx"),
    models.Index(
        fields=["stage_entered_at", "id"],
        include=list_covered("stage_entered_at"),
        name="venture_entered_id_idx",
    ),
    models.Index(
        fields=["updated_at", "id"], include=list_covered(), name="venture_updated_id_idx"
    ),
    models.Index(
        fields=["last_activity_at", "id"], include=list_covered(), name="venture_last_activity"
    ),
    # Sorted by stage: each stage's ventures by name (selectors.page_ids); and a list
    # filtered to one stage, by name.
    models.Index(
        fields=["stage", "name", "id"],
        include=list_covered("stage", "name"),
        name="venture_stage_name_id_idx",
    ),
    # A board column: one stage, oldest in stage first (and a list of one stage by the
    # day entered). Covering too, or the board's prepared column query, planned once
    # for any stage, would walk the day-entered index above alone instead, which holds
    # the stage as well: a column of two ventures read every entry (2 ms a column).
    models.Index(
        fields=["stage", "stage_entered_at", "id"],
        include=list_covered("stage", "stage_entered_at"),
        name="venture_column_idx",
    ),
]
