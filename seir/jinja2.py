"""The Jinja2 environment for the few hot fragments drawn many times a page.

Django's own template language stays the project's language: pages, forms, includes
and tags. Where a page draws the same fragment for many rows (the board's cards),
Django's per-variable cost was most of the page (docs/performance.md, "What bounds each
page"), so those fragments are Jinja2 templates under ``templates/jinja2/`` (``.jinja``),
drawn from a Django template with ``{% load jinja_fragments %}{% jinja "name" key=value %}``.

Autoescaping is on, and every ``{{ value }}`` goes through Django's
``conditional_escape`` (``finalize``: ``seir.escaping.escaped``, the same text), so a
fragment escapes exactly as a Django template would (``&#x27;``, not Jinja's ``&#39;``)
and honours Django's safe strings. Filters are Django's own where a fragment needs one
(``pluralize``, ``truncatechars``, ``join``, ``floatformat``, ``filesizeformat``,
``localize``, ``date`` in the current time zone as in a Django template: the formats the
fragments use are written out here, to the same text), ``markdown`` is the project's
sanitised Markdown (``seir.markdown``); ``url()`` is ``{% url %}`` (``seir.links``), and
``plain_form()`` and ``crispy_plain()`` draw a form as the Django tags of those names do
(``|crispy_plain`` as the Django filter). An app offers a function to the fragments with
``register_global`` in its ``AppConfig.ready()`` (events: ``render_event`` and
``event_when``; submissions: ``submission_token_input``), and a filter with
``register_filter`` (events: ``event_date``, which each event kind's template uses).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable

from django.template import defaultfilters, engines
from django.template.defaultfilters import pluralize, truncatechars
from django.templatetags.static import static
from django.utils.dates import MONTHS_3
from django.utils.formats import localize
from django.utils.safestring import SafeString, mark_safe
from django.utils.timezone import template_localtime
from django.utils.translation import get_language
from jinja2 import Environment, Undefined
from jinja2.compiler import CodeGenerator

from seir.escaping import escaped
from seir.links import link
from seir.markdown import render_markdown
from seir.templatetags.crispy_plain import crispy_plain, crispy_plain_filter
from seir.templatetags.plain_forms import plain_form

# Functions and filters apps offer to every fragment (register_global,
# register_filter), set before any is drawn.
_globals: dict[str, Callable] = {}
_filters: dict[str, Callable] = {}


def register_global(name: str, function: Callable) -> None:
    _globals[name] = function


def register_filter(name: str, function: Callable) -> None:
    _filters[name] = function


# The months' abbreviations by language: each of MONTHS_3 is a lazy translation, looked
# up through the active translation (two context-local reads) every time it is drawn.
_MONTHS: dict[str, tuple[str, ...]] = {}


def _month(value) -> str:
    """As Django's "M": translated into the active language, in title case."""
    language = get_language()
    names = _MONTHS.get(language)
    if names is None:
        names = _MONTHS[language] = ("",) + tuple(
            str(MONTHS_3[month]).title() for month in range(1, 13)
        )
    return names[value.month]


# The formats the fragments use, written out as Django's ``dateformat`` writes them
# ("Y" four digits, "j" unpadded, "M" the translated abbreviation, "c" ``isoformat``):
# Django parses the format and builds a formatter object for every value, ~20 µs a
# date, and the venture page draws ~50 of them. Any other format, or a value that is
# not a date or datetime, goes through Django's filter.
_DAY_FORMATS = {
    "Y-m-d": lambda v: f"{v.year:04d}-{v.month:02d}-{v.day:02d}",
    "c": lambda v: v.isoformat(),
    "j M Y": lambda v: f"{v.day} {_month(v)} {v.year:04d}",
}
_TIME_FORMATS = {
    "j M Y, H:i": lambda v: f"{v.day} {_month(v)} {v.year:04d}, {v.hour:02d}:{v.minute:02d}",
}


def date(value, arg: str | None = None) -> str:
    """``|date:arg``: in the current time zone, as a Django template shows it."""
    return formatted(template_localtime(value), arg)


def formatted(value, arg: str | None = None) -> str:
    """``value``, already in the time zone it is shown in, as ``|date:arg`` writes it."""
    kind = type(value)
    if kind is datetime.datetime:
        fast = _DAY_FORMATS.get(arg) or _TIME_FORMATS.get(arg)
    elif kind is datetime.date:
        fast = _DAY_FORMATS.get(arg)  # Django refuses a time format for a date
    else:
        fast = None
    return fast(value) if fast is not None else defaultfilters.date(value, arg)


def _pluralize(value, arg: str = "s") -> str:
    """``|pluralize``; a missing value is Django's missing value (an empty string,
    which draws no suffix), where Jinja2's would refuse to be counted."""
    return pluralize("" if isinstance(value, Undefined) else value, arg)


class _CodeGenerator(CodeGenerator):
    """Writes each ``{{ value }}`` as ``finalize(value)`` alone. ``finalize`` is
    ``escaped`` (Django's ``conditional_escape``), which already returns the value
    escaped and marked safe; Jinja2's ``escape`` around it only copied that safe string
    into a ``Markup`` (~1.5 µs a value; the board writes a thousand). Autoescaping stays
    on: macros, ``{% set %}`` blocks and constants are marked and escaped as before."""

    def _output_child_pre(self, node, frame, finalize) -> None:
        if finalize.src is not None and frame.eval_ctx.autoescape and not frame.eval_ctx.volatile:
            self.write("(" + finalize.src)
        else:
            super()._output_child_pre(node, frame, finalize)


class _Environment(Environment):
    code_generator_class = _CodeGenerator

    def make_globals(self, d):
        """A template's globals as a plain dict, not Jinja2's ``ChainMap`` over the
        environment's: every render copies them into its context and into a set of
        their names, which through a ``ChainMap`` is ~14 Python-level lookups (~20 µs a
        render; the venture page draws twenty event templates). The environment's
        globals are complete when it is built (``register_global`` runs in
        ``AppConfig.ready()``, before the first fragment), and a template's own globals
        never reach the environment's, as with the ``ChainMap``."""
        return {**self.globals, **(d or {})}


def environment(**options) -> Environment:
    options.pop("autoescape", None)  # always on, whatever the settings say
    # A missing value draws as nothing, as in a Django template, with DEBUG on or off
    # (Django's backend would pick DebugUndefined in development, drawing "{{ name }}").
    options["undefined"] = Undefined
    env = _Environment(autoescape=True, finalize=escaped, **options)
    env.globals.update(
        url=link, static=static, plain_form=plain_form, crispy_plain=crispy_plain, **_globals
    )
    env.filters.update(
        pluralize=_pluralize,
        date=date,
        truncatechars=truncatechars,
        join=defaultfilters.join,
        floatformat=defaultfilters.floatformat,
        filesizeformat=defaultfilters.filesizeformat,
        localize=localize,
        markdown=render_markdown,
        crispy_plain=crispy_plain_filter,
        **_filters,
    )
    return env


def render_fragment(name: str, context: dict) -> SafeString:
    """The fragment ``name`` (under ``templates/jinja2/``) rendered with ``context``. It
    escapes its own output, so the result is safe to place in a page."""
    return mark_safe(engines["jinja2"].get_template(name).render(context))  # noqa: S308
