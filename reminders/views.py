"""The calendar link page (make, renew or turn off one's link) and the feed itself,
which opens with the secret in its address and no session."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from .calendar import calendar_for
from .selectors import calendar_feed_live
from .services import calendar_feed_create, calendar_feed_owner, calendar_feed_revoke

# The new link is shown once, on the page the POST redirects to, then forgotten.
_FRESH = "reminders.calendar_url"


@require_GET
@never_cache
def calendar_settings(request):
    return render(
        request,
        "reminders/calendar_settings.html",
        {
            "feed": calendar_feed_live(user=request.user),
            "fresh_url": request.session.pop(_FRESH, None),
        },
    )


@require_POST
def calendar_link_create(request):
    made = calendar_feed_create(actor=request.user)
    request.session[_FRESH] = request.build_absolute_uri(
        reverse("reminders:calendar_feed", args=[made.token])
    )
    messages.success(
        request, "Your new calendar link is ready. Any link you had before no longer works."
    )
    return redirect("reminders:calendar")


@require_POST
def calendar_link_revoke(request):
    if calendar_feed_revoke(actor=request.user):
        messages.success(request, "Your calendar link is turned off: it no longer works.")
    else:
        messages.info(request, "You had no calendar link to turn off.")
    return redirect("reminders:calendar")


@login_not_required
@require_GET
def calendar_feed(request, token: str):
    """The ICS feed: 404 for an unknown or revoked link or a deactivated account."""
    user = calendar_feed_owner(token=token)
    if user is None:
        raise Http404("No such calendar.")
    response = HttpResponse(calendar_for(user=user), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="seir-pipeline.ics"'
    response["Cache-Control"] = "private, no-store"
    return response
