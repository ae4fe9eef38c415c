"""CSV import: upload, preview with row-by-row errors and a choice for each possible
duplicate (skip, update the existing record, or add as new), then import as chosen."""

from __future__ import annotations

import re

from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from .. import selectors, services
from ..forms import ImportForm
from ..permissions import require_manage_scouting

_ACTION = re.compile(r"^action-(\d{1,7})$")
_UPDATE = re.compile(r"^update-(\d{1,18})$")


def _decisions(post) -> dict[int, services.Decision]:
    """Row number -> what to do, read from the preview's choices (anything unreadable
    is a skip, the safe default)."""
    decisions = {}
    for key, value in post.items():
        found = _ACTION.match(key)
        if not found:
            continue
        number = int(found.group(1))
        target = _UPDATE.match(value or "")
        if target:
            fields = frozenset(post.getlist(f"fields-{number}"))
            decisions[number] = services.Decision(
                services.UPDATE, target=int(target.group(1)), fields=fields
            )
        elif value == services.ADD:
            decisions[number] = services.Decision(services.ADD)
    return decisions


def _summary(result: services.ImportResult, kind: str) -> str:
    parts = [f"added {result.added}"]
    if result.updated:
        parts.append(f"updated {result.updated}")
    if result.skipped:
        parts.append(
            f"skipped {result.skipped} possible duplicate{'s' if result.skipped > 1 else ''}"
        )
    return f"Import of {kind} done: " + ", ".join(parts) + "."


@require_http_methods(["GET", "POST"])
def directory_import_page(request):
    require_manage_scouting(request.user)
    programmes = list(selectors.programmes_for(user=request.user))
    form = ImportForm(request.POST or None, request.FILES or None, programmes=programmes)
    rows, refusal, text = None, "", ""
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        text = data["text"]
        try:
            if "confirm" in request.POST:
                result = services.directory_import(
                    actor=request.user,
                    programme=data["programme"],
                    kind=data["kind"],
                    text=text,
                    decisions=_decisions(request.POST),
                )
                messages.success(request, _summary(result, data["kind"]))
                target = (
                    "scouting:person_list"
                    if data["kind"] == "people"
                    else "scouting:organisation_list"
                )
                return redirect(target)
            rows = services.import_preview(
                programme=data["programme"], kind=data["kind"], text=text
            )
        except services.ImportRefused as error:
            refusal, rows = error.message, error.rows or None
    flagged = [r for r in rows or [] if r.ok and r.flagged]
    return render(
        request,
        "scouting/import.html",
        {
            "form": form,
            "rows": rows,
            "refusal": refusal,
            "text": text,
            "all_ok": rows is not None and all(r.ok for r in rows),
            "bad_rows": [r for r in rows or [] if not r.ok],
            "flagged": flagged,
            "new_rows": len([r for r in rows or [] if r.ok and not r.flagged]),
            "columns": services.COLUMNS,
        },
        status=400 if refusal else 200,
    )
