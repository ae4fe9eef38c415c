"""The "Mark as read" button, and the notifications: the inbox page, opening one, marking
one or all read, and the email settings."""

from __future__ import annotations

from collections import defaultdict

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import pluralize
from django.urls import reverse
from django.views.decorators.http import require_POST

from seir.forms import apply_form_errors
from seir.params import bounded_pk
from seir.redirects import next_path

from .forms import PreferencesForm
from .models import Notification
from .notifications import seen_lines, still_seen
from .registry import readable
from .selectors import notification_list
from .services import mark_read, notification_read, notifications_read_all, preferences_set

# One button marks a handful of things (the comments of one plan version); a form
# posting more than this is not ours.
MAX_THINGS = 500


def _next(request, default: str | None = None) -> str:
    return next_path(request, request.POST.get("next", ""), default or reverse("home"))


def _parse(key: str) -> tuple[str, int]:
    label, _, number = key.partition(":")
    pk = bounded_pk(number)
    if pk is None:
        raise Http404("No such thing to mark as read.")
    return label, pk


@require_POST
def things_read(request):
    """Mark the posted things (``thing=app.model:pk``, repeated) as read by the user;
    404 if any is unknown or one they may not see, and then nothing is marked."""
    keys = request.POST.getlist("thing")
    if not keys or len(keys) > MAX_THINGS:
        messages.error(request, "Nothing was marked as read: the form named nothing to mark.")
        return redirect(_next(request))
    wanted: dict[str, set[int]] = defaultdict(set)
    for key in keys:
        label, pk = _parse(key)
        wanted[label].add(pk)
    objects = []
    for label, ids in wanted.items():
        visible = readable(label)
        found = visible(request.user, sorted(ids)) if visible else []
        if {obj.pk for obj in found} != ids:
            raise Http404("No such thing to mark as read.")
        objects.extend(found)
    mark_read(user=request.user, objects=objects)
    messages.success(request, "Marked as read.")
    return redirect(_next(request))


# --- notifications -----------------------------------------------------------------------

PAGE_SIZE = 25
NO_LONGER_SEEN = "You no longer have access to what that notification was about."


def _own(request, pk: int) -> Notification:
    """The person's own notification (404 for anyone else's or none)."""
    if bounded_pk(pk) is None:
        raise Http404("No such notification.")
    return get_object_or_404(Notification.objects.select_related("event"), pk=pk, user=request.user)


def notification_page(request):
    """The person's notifications, newest first, each linking to its thing."""
    page = Paginator(notification_list(user=request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    rows = seen_lines(request.user, page.object_list)
    return render(request, "inbox/notifications.html", {"page": page, "rows": rows})


def notification_open(request, pk: int):
    """Open a notification: it (and its thing) becomes read, and the person lands on the
    thing, whose own page checks again that they may see it."""
    notification = _own(request, pk)
    notification_read(user=request.user, notification=notification)
    if not still_seen(request.user, notification.event):
        messages.info(request, NO_LONGER_SEEN)
        return redirect(reverse("inbox:notifications"))
    return redirect(notification.link)


@require_POST
def notification_mark(request, pk: int):
    notification_read(user=request.user, notification=_own(request, pk))
    messages.success(request, "Marked as read.")
    return redirect(_next(request, default=reverse("inbox:notifications")))


@require_POST
def notifications_mark_all(request):
    count = notifications_read_all(user=request.user)
    messages.success(
        request,
        f"Marked {count} notification{pluralize(count)} as read." if count else "Nothing unread.",
    )
    return redirect(reverse("inbox:notifications"))


def preferences_page(request):
    """How the person hears of each kind by email: at once, in the daily digest, or not."""
    form = PreferencesForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            preferences_set(user=request.user, choices=form.changed())
        except ValidationError as error:
            apply_form_errors(form, error)
        else:
            messages.success(request, "Your notification settings are saved.")
            return redirect(reverse("inbox:preferences"))
    return render(
        request,
        "inbox/preferences.html",
        {"form": form},
        status=400 if form.is_bound else 200,
    )
