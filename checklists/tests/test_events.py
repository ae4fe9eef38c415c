"""Every event kind is registered with a template that renders one escaped line."""

from types import SimpleNamespace

import pytest
from django.template.loader import render_to_string

from checklists.events import EVENT_KINDS
from events.registry import get_kind

DATA = {
    "label": "<b>Governing</b> document",
    "section": "Legal form & governance",
    "template": "Default",
    "items": 3,
    "comment": "Needs a signature",
    "reason": "Duplicate",
    "name": "articles.pdf",
    "replaces": "draft.pdf",
    "expires_on": "2027-01-01",
    "fields": {"owner": [None, "Parveen"]},
}


@pytest.mark.parametrize("kind", EVENT_KINDS, ids=lambda k: k.code)
def test_each_kind_is_registered_and_renders_escaped(kind):
    assert get_kind(kind.code) == kind
    event = SimpleNamespace(data=DATA, actor=None, at=None, subject_label="x", venture_label="v")
    html = render_to_string(kind.template, {"event": event, "kind": kind})
    assert "<b>" not in html
    assert html.count("event-title") == 1
    assert "<script" not in html
