"""The meeting form's repeated rows as its formsets post them (``scouting.meeting_forms``)."""

from __future__ import annotations


def rows_post(*, ideas=(), talent=(), followups=()) -> dict[str, str]:
    """``ideas``, ``talent`` and ``followups``: one dict of a row's fields per row
    (``{"title": ...}``, ``{"person": ...}``, ``{"what": ..., "due": ..., "early": "on"}``),
    with each formset's management fields."""
    data: dict[str, str] = {}
    for prefix, rows in (("ideas", ideas), ("talent", talent), ("followups", followups)):
        data[f"{prefix}-TOTAL_FORMS"] = str(len(rows))
        data[f"{prefix}-INITIAL_FORMS"] = "0"
        for i, row in enumerate(rows):
            for name, value in row.items():
                data[f"{prefix}-{i}-{name}"] = value
    return data
