"""seir.spreadsheet: the one CSV helper every export goes through."""

import pytest

from seir.spreadsheet import csv_response, csv_safe


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=SUM(A1)", "'=SUM(A1)"),
        ("+44 121", "'+44 121"),
        ("-3", "'-3"),
        ("@cmd", "'@cmd"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("Plain text", "Plain text"),
        ("a=b", "a=b"),
        ("'=already", "'=already"),
        ("", ""),
        (None, ""),
        (7, "7"),
    ],
)
def test_csv_safe(value, expected):
    assert csv_safe(value) == expected


def test_csv_response_streams_the_header_then_the_rows_as_given():
    # given: rows made lazily, so streaming is what reads them
    read = []

    def rows():
        for n in (1, 2):
            read.append(n)
            yield [n, 'say "hi", twice']

    # when
    response = csv_response("things-2026-01-01.csv", ["id", "note"], rows())

    # then: nothing read until the body is, and the body is ordinary CSV
    assert response.streaming
    assert read == []
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="things-2026-01-01.csv"'
    assert b"".join(response.streaming_content) == (
        b'id,note\r\n1,"say ""hi"", twice"\r\n2,"say ""hi"", twice"\r\n'
    )
    assert read == [1, 2]
