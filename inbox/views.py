"""The "Mark as read" button."""

from __future__ import annotations

from collections import defaultdict

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from seir.params import DB_INT_MAX

from .registry import readable
from .services import mark_read

# One button marks a handful of things (the comments of one plan version); a form
# posting more than this is not ours.
MAX_THINGS = 500


def _next(request) -> str:
    candidate = request.POST.get("next", "")
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return reverse("home")


def _parse(key: str) -> tuple[str, int]:
    label, _, number = key.partition(":")
    if not number.isascii() or not number.isdigit() or not 0 < int(number) <= DB_INT_MAX:
        raise Http404("No such thing to mark as read.")
    return label, int(number)


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
