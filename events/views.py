"""The programme activity feed (the staff audit) and its CSV export."""

from __future__ import annotations

import json

from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from accounts.models import Programme
from seir.paging import CappedPaginator
from seir.spreadsheet import csv_response, csv_safe

from .models import EventVisibility
from .selectors import event_list

FEED_PAGE_SIZE = 50


def _query_without_page(request) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


@require_GET
def programme_activity(request, programme_id: int):
    programme = get_object_or_404(Programme, pk=programme_id)
    events = event_list(user=request.user, programme=programme, filters=request.GET)
    # Counted no further than the cap: a programme's history only grows (seir.paging).
    page = CappedPaginator(events.qs, FEED_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "events/programme_activity.html",
        {
            "programme": programme,
            "filter": events,
            "page": page,
            "query": _query_without_page(request),
        },
    )


# When it happened (a day alone where only the day is known) and when it was recorded.
CSV_HEADER = [
    "happened_at",
    "recorded_at",
    "kind",
    "kind_label",
    "actor",
    "venture_id",
    "venture",
    "subject",
    "visibility",
    "data",
]


def happened_text(event) -> str:
    """``event.at`` for the CSV: the ISO day when only the day is known, else the moment."""
    if event.at_is_day:
        return timezone.localdate(event.at).isoformat()
    return timezone.localtime(event.at).isoformat(timespec="seconds")


@require_GET
def programme_activity_export(request, programme_id: int):
    """Exactly the rows the feed shows for the same filters, every page of them."""
    programme = get_object_or_404(Programme, pk=programme_id)
    events = event_list(user=request.user, programme=programme, filters=request.GET)

    def rows():
        for event in events.qs.iterator(chunk_size=500):
            kind = event.kind_info
            yield [
                happened_text(event),
                timezone.localtime(event.recorded_at).isoformat(timespec="seconds"),
                event.kind,
                csv_safe(kind.label if kind else event.kind),
                csv_safe(event.actor.display_name if event.actor else ""),
                event.venture_id or "",
                csv_safe(event.venture_label),
                csv_safe(event.subject_label),
                "staff only" if event.visibility == EventVisibility.STAFF else "team",
                csv_safe(json.dumps(event.data, ensure_ascii=False, sort_keys=True)),
            ]

    stamp = timezone.localdate().isoformat()
    return csv_response(f"activity-{programme.pk}-{stamp}.csv", CSV_HEADER, rows())
