"""Helpers the scouting views share."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.http import StreamingHttpResponse
from django.utils import formats, timezone
from django.utils.text import Truncator

from seir import spreadsheet
from seir.paging import CappedPaginator
from seir.spreadsheet import csv_safe

PAGE_SIZE = 25


def list_context(request, filterset) -> dict:
    """What a scouting list page shows: its filter, one page of rows, the query."""
    page, query = paginate(request, filterset)
    return {"filter": filterset, "page": page, "query": query}


def paginate(request, filterset):
    # Counted and paged no further than the cap (seir.paging): the cost of a list of
    # 100,000 meetings follows the page, not the data.
    page = CappedPaginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return page, query.urlencode()


def csv_response(name: str, header: list[str], rows) -> StreamingHttpResponse:
    """``rows`` streamed as ``<name>-<date>.csv``, every cell made formula-safe."""
    stamp = timezone.localdate().isoformat()
    return spreadsheet.csv_response(
        f"{name}-{stamp}.csv", header, ([csv_safe(v) for v in row] for row in rows)
    )


def lost_people_message(lost: int, noun: str) -> str:
    """A form named people no longer in the directory (removed since it was shown):
    said, never dropped without a word."""
    picked = f"{lost} {noun} you picked is" if lost == 1 else f"{lost} {noun}s you picked are"
    return (
        f"{picked} no longer in the directory (removed since this page was opened). "
        f"Check the {noun}s below and save again."
    )


def _shown(current, name: str, saved) -> str:
    """A saved value as the page would show it: a choice's label, a local date and time."""
    if saved in (None, ""):
        return ""
    display = getattr(current, f"get_{name}_display", None)
    if display is not None:
        return str(display())
    if isinstance(saved, datetime.datetime):
        return formats.date_format(timezone.localtime(saved), "j M Y, H:i")
    return str(saved)


def saved_differences(form, current, *, also: Iterable[tuple[str, set, set]] = ()) -> list[str]:
    """``Field is now “value”`` for each field whose value saved on ``current`` differs
    from what the (validated) form sent. ``also``: links the view reads itself rather
    than through a form field, as (label, sent, saved)."""
    differ = []
    for name in form.fields:
        if name not in form.cleaned_data or not hasattr(current, name):
            continue
        sent, saved = form.cleaned_data[name], getattr(current, name)
        if hasattr(saved, "all"):  # many-to-many
            sent, saved = set(sent or ()), set(saved.all())
            shown = ", ".join(sorted(str(v) for v in saved))
        else:
            shown = _shown(current, name, saved)
        if (sent or None) != (saved or None):
            quoted = f"“{Truncator(shown).chars(80)}”" if shown else "blank"
            # The bound field's label: a field declared on the form without one has None.
            differ.append(f"{form[name].label} is now {quoted}")
    for label, sent, saved in also:
        if sent != saved:
            shown = ", ".join(sorted(str(v) for v in saved))
            quoted = f"“{Truncator(shown).chars(80)}”" if shown else "blank"
            differ.append(f"{label} is now {quoted}")
    return differ


def edited_meanwhile(form, current, *, also: Iterable[tuple[str, set, set]] = ()) -> None:
    """Someone else saved ``current`` after the edit form was shown: say so above the
    form, naming the saved values that differ from those sent, keep what was typed, and
    let the form saved again (once the person has looked) save over it. ``also``: as
    for ``saved_differences``."""
    differ = saved_differences(form, current, also=also)
    form.add_error(
        None,
        "This record was changed by someone else while you were editing. "
        + ("; ".join(differ) + ". " if differ else "")
        + "Nothing was saved; what you typed is below. Check it and save again.",
    )
    form.rebase(current)
