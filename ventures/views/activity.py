"""A venture's full activity log: every event about it, for the programme's staff."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from events.selectors import event_list

from .. import selectors
from ..permissions import can_see_activity_log
from ..tabs import venture_page_context

LOG_PAGE_SIZE = 50


@require_GET
def venture_activity_log(request, pk: int):
    venture, access = selectors.venture_get(user=request.user, pk=pk)
    if not can_see_activity_log(request.user, venture, access):
        raise Http404("No such page.")
    events = event_list(
        user=request.user, programme=venture.programme, filters=request.GET, venture_id=venture.pk
    )
    page = Paginator(events.qs, LOG_PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    csv_query = query.copy()
    csv_query["venture"] = venture.pk
    return render(
        request,
        "ventures/venture_activity.html",
        {
            **venture_page_context(request, venture, access, tab="activity"),
            "filter": events,
            "page": page,
            "query": query.urlencode(),
            "clear_url": reverse("ventures:activity", args=[venture.pk]),
            "csv_url": reverse("events:programme_activity_export", args=[venture.programme_id])
            + "?"
            + csv_query.urlencode(),
        },
    )
