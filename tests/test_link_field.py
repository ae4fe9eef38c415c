"""Web addresses typed into a form (seir.forms.LinkField): one too long is told its
length, and only that, however long it is; Django's URL check refuses anything over
2,048 characters as "Enter a valid URL." and spoke first."""

from __future__ import annotations

import pytest
from django import forms
from django.core.exceptions import ImproperlyConfigured

from seir.forms import LinkField


class _Form(forms.Form):
    link = LinkField(max_length=2000, required=False)


def link_of(length: int) -> str:
    start = "https://example.org/"
    return start + "a" * (length - len(start))


@pytest.mark.parametrize("length", [2001, 2048, 2049, 5000, 100_000])
def test_a_link_too_long_is_told_its_length_only(length):
    form = _Form(data={"link": link_of(length)})
    assert not form.is_valid()
    assert form.errors == {
        "link": [f"Ensure this value has at most 2000 characters (it has {length})."]
    }


def test_a_long_line_that_is_no_link_at_all_is_told_its_length_first():
    form = _Form(data={"link": "not a link " * 300})
    assert not form.is_valid()
    # 3,299 characters typed (the last space trimmed), and the "https://" it would be saved with
    assert form.errors == {"link": ["Ensure this value has at most 2000 characters (it has 3307)."]}


@pytest.mark.parametrize(
    ("typed", "read"),
    [
        (link_of(2000), link_of(2000)),
        ("example.org/minutes", "https://example.org/minutes"),
        ("", ""),
    ],
)
def test_a_link_within_the_limit_is_read_as_before(typed, read):
    form = _Form(data={"link": typed})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["link"] == read


def test_a_link_that_is_no_link_is_refused_as_before():
    form = _Form(data={"link": "javascript:alert(1)"})
    assert not form.is_valid()
    assert form.errors == {"link": ["Enter a valid URL."]}


def test_a_limit_past_what_the_url_check_reads_is_refused_when_the_form_is_written():
    # Between 2,049 characters and such a limit, the URL check would speak again.
    with pytest.raises(ImproperlyConfigured):
        LinkField(max_length=2049)
