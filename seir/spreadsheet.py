"""CSV exports shared by every app: formula-safe cells and a streaming response."""

from __future__ import annotations

import csv
from collections.abc import Iterable

from django.http import StreamingHttpResponse

_FORMULA_STARTS = "=+-@\t\r"


def csv_safe(value) -> str:
    """A cell a spreadsheet will not run as a formula (user text starting with = + - @)."""
    if value is None:
        return ""
    value = str(value)
    return "'" + value if value and value[0] in _FORMULA_STARTS else value


class _Echo:
    def write(self, value):
        return value


def csv_response(filename: str, header: list[str], rows: Iterable[list]) -> StreamingHttpResponse:
    """Stream ``header`` then ``rows`` (cells already made safe) as a CSV download."""
    writer = csv.writer(_Echo())

    def lines():
        yield writer.writerow(header)
        for row in rows:
            yield writer.writerow(row)

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
