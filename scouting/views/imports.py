"""CSV import: upload, preview with row-by-row errors, then import everything or nothing."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from .. import selectors, services
from ..forms import ImportForm
from ..permissions import require_manage_scouting


@require_http_methods(["GET", "POST"])
def directory_import(request):
    require_manage_scouting(request.user)
    programmes = list(selectors.programmes_for(request.user))
    form = ImportForm(request.POST or None, request.FILES or None, programmes=programmes)
    rows, refusal, text = None, "", ""
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        text = data["text"]
        try:
            if "confirm" in request.POST:
                count = services.directory_import(
                    actor=request.user, programme=data["programme"], kind=data["kind"], text=text
                )
                messages.success(request, f"Imported {count} {data['kind']}.")
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
            "columns": services.COLUMNS,
        },
        status=400 if refusal else 200,
    )
