"""``seir.escaping.escaped`` writes what Django's ``conditional_escape`` writes."""

import datetime
from decimal import Decimal

from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy
from markupsafe import Markup

from seir.escaping import escaped

VALUES = [
    "<script>alert('x')</script> O'Brien & \"Sons\"",
    "plain",
    "",
    "naïve café ✓ 😀",
    mark_safe("<em>kept</em>"),
    Markup("<b>kept</b>"),
    gettext_lazy("Any status"),
    mark_safe(gettext_lazy("Any status")),  # noqa: S308
    7,
    Decimal("12.50"),
    None,
    True,
    datetime.date(2026, 12, 4),
    ["<a>", "b"],
]


def test_escaped_writes_what_conditional_escape_writes():
    for value in VALUES:
        ours, django = escaped(value), conditional_escape(value)
        assert ours == django, value
        assert isinstance(ours, SafeString) or hasattr(ours, "__html__"), value


def test_a_jinja_fragment_does_not_escape_twice():
    from django.template import engines

    template = engines["jinja2"].from_string("{{ a }}|{{ b }}")

    assert template.render({"a": "&", "b": mark_safe("&amp;")}) == "&amp;|&amp;"
