"""``{% plain_form form %}``: a form's fields in Bootstrap 5 markup, built in Python.

The rule: crispy-forms for the forms people fill in; ``plain_form`` only where the
benchmark showed crispy's cost matters (docs/performance.md, "Template cost"): the list
filter bars, drawn on every list page, and the venture page's three small forms (note,
team, status), drawn on every visit to it.

crispy-forms renders every field through a nest of templates; on the venture page its
three small forms cost more than the rest of the page. This renders the same markup
(label, widget with Bootstrap's class, help text, errors tied to the field with
aria-describedby) with one widget template per field, its pieces joined by ``_html``
and ``_html_join``: ``format_html``'s escaping (``conditional_escape``) without Django's
per-call check for lazy strings, which was a third of drawing the list's filter. It
lives in ``seir`` so that every app's templates can ``{% load plain_forms %}`` without
reaching into ``ventures``.
"""

import functools

from django import forms, template
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django_filters.widgets import BaseCSVWidget

from seir.escaping import escaped

register = template.Library()


def _widget_class(widget: forms.Widget) -> str:
    if isinstance(widget, forms.CheckboxInput):
        return "form-check-input"
    if isinstance(widget, forms.Select) and not isinstance(widget, forms.RadioSelect):
        return "form-select"
    if isinstance(widget, forms.RadioSelect):
        return "form-check-input"
    return "form-control"


def _select(bound: forms.BoundField, attrs: dict, ordered: bool = False) -> str | None:
    """A single <select> built here: Django renders each <option> through a template
    include, which made the list's filter form most of the list page's cost. None for
    widgets this does not cover (grouped or multiple choices), rendered as usual.
    ``ordered``: its attributes in the order Django's select.html writes them (the name,
    then the rest as given); otherwise sorted, as ``flatatt`` writes them."""
    widget = bound.field.widget
    # django-filter's ordering select (a CSV widget over a Select): one value drawn as a
    # plain select, as its own render does; several fall back to that render.
    ordering = isinstance(widget, BaseCSVWidget) and isinstance(widget, forms.Select)
    if type(widget) is not forms.Select and (not ordering or widget.allow_multiple_selected):
        return None
    value = bound.value()
    if ordering and isinstance(value, (list, tuple)):
        if len(value) > 1:
            return None
        value = value[0] if value else None
    selected = "" if value is None else str(value)
    field = bound.field
    if isinstance(field, forms.ModelChoiceField):
        choices = model_choices(bound)
    else:
        choices = widget.choices
    # The label's type is part of the key: a label marked safe and the same text unmarked
    # are equal strings but are drawn differently.
    choices = tuple((value, label, type(label)) for value, label in choices)
    try:
        drawn = _options(choices, get_language())
    except TypeError:  # a choice that cannot be a key (unhashable): drawn afresh
        drawn = _options.__wrapped__(choices, get_language())
    if drawn is None:
        return None
    final = widget.build_attrs(widget.attrs, bound.build_widget_attrs(attrs, widget))
    if ordered:
        if bound.auto_id and "id" not in widget.attrs:
            final.setdefault("id", bound.auto_id)
        opening = _html('<select name="{}"{}>', bound.html_name, _attrs(final))
    else:
        final.update(name=bound.html_name, id=bound.auto_id)
        opening = f"<select{_flatatt(final)}>"
    return mark_safe(  # noqa: S308 - each part escaped by _options, _html and _flatatt
        opening
        + "".join(
            head + " selected" + tail if key == selected else head + tail
            for key, head, tail in drawn
        )
        + "</select>"
    )


def model_choices(bound: forms.BoundField) -> list[tuple]:
    """A model choice field's choices as its widget would list them (its empty label
    first), without the widget's own iteration, which opens a server-side cursor on
    PostgreSQL (DECLARE, FETCH, CLOSE: three round trips a list): the cached reference
    data the form offers instead (its ``offered_choices()``, by field name), else one
    plain query of the field's queryset."""
    field = bound.field
    listed = [("", field.empty_label)] if field.empty_label is not None else []
    offered = getattr(bound.form, "offered_choices", None)
    cached = offered().get(bound.name) if offered is not None else None
    if cached is not None:
        return listed + list(cached)
    return listed + [
        (field.prepare_value(obj), field.label_from_instance(obj)) for obj in field.queryset
    ]


@functools.lru_cache(maxsize=256)
def _options(choices: tuple, language: str | None) -> tuple | None:
    """Each choice as ``(value, '<option value="…"', '>label</option>')``, escaped once
    for as long as the choices stand (they are reference data, the same on every list
    page) rather than on every request; None for grouped choices. The language is part
    of the key, for labels translated when drawn."""
    drawn = []
    for option_value, label, _ in choices:
        if isinstance(label, (list, tuple)):
            return None
        key = "" if option_value is None else str(option_value)
        drawn.append((key, f'<option value="{escaped(key)}"', f">{escaped(label)}</option>"))
    return tuple(drawn)


def _html(template: str, *args) -> SafeString:
    """``format_html``: each argument escaped as ``conditional_escape`` escapes it, the
    result marked safe, without the per-call checks that made a form's drawing slow."""
    return mark_safe(template.format(*map(escaped, args)))  # noqa: S308


def _html_join(template: str, args_list) -> SafeString:
    """``format_html_join("", template, args_list)``."""
    return mark_safe("".join(template.format(*map(escaped, args)) for args in args_list))  # noqa: S308


def _flatatt(attrs: dict) -> SafeString:
    """Django's ``flatatt``: key="value" pairs sorted, then the true booleans sorted."""
    pairs = sorted(
        (name, value)
        for name, value in attrs.items()
        if not isinstance(value, bool) and value is not None
    )
    flags = sorted((name,) for name, value in attrs.items() if value is True)
    return _html_join(' {}="{}"', pairs) + _html_join(" {}", flags)


# Widgets whose template is Django's plain input.html, built here the same way.
_PLAIN_INPUTS = (
    forms.TextInput,
    forms.NumberInput,
    forms.EmailInput,
    forms.URLInput,
    forms.SearchInput,
    forms.TelInput,
    forms.HiddenInput,
)


def _input(bound: forms.BoundField, attrs: dict, any_input: bool = False) -> str | None:
    """An <input> built here, as django/forms/widgets/input.html writes it: each widget
    rendered through the template engine cost as much as the rest of the field.
    ``any_input``: also the date input and the check box (their templates include
    input.html too), for a caller that gives them their own markup around it."""
    widget = bound.field.widget
    covered = _PLAIN_INPUTS + (forms.DateInput, forms.CheckboxInput) if any_input else _PLAIN_INPUTS
    if type(widget) not in covered and type(widget) is not forms.Textarea:
        return None
    attrs = bound.build_widget_attrs(attrs, widget)
    if bound.auto_id and "id" not in widget.attrs:
        attrs.setdefault("id", bound.auto_id)
    context = widget.get_context(bound.html_name, bound.value(), attrs)["widget"]
    value = context["value"]
    if type(widget) is forms.Textarea:  # as django/forms/widgets/textarea.html
        return _html(
            '<textarea name="{}"{}>\n{}</textarea>',
            context["name"],
            _attrs(context["attrs"]),
            value or "",
        )
    return _html(
        '<input type="{}" name="{}"{}{}>',
        context["type"],
        context["name"],
        _html(' value="{}"', str(value)) if value is not None else "",
        _attrs(context["attrs"]),
    )


def _attrs(attrs: dict) -> str:
    """Attributes in their given order, as django/forms/widgets/attrs.html writes them
    (``flatatt`` sorts them)."""
    return _html_join(
        "{}",
        (
            (_html(" {}", name) if value is True else _html(' {}="{}"', name, value),)
            for name, value in attrs.items()
            if value is not False
        ),
    )


def _field(bound: forms.BoundField, wrapper: str = "mb-3") -> str:
    widget = bound.field.widget
    css = " ".join(filter(None, [_widget_class(widget), widget.attrs.get("class", "")]))
    attrs = {"class": css + (" is-invalid" if bound.errors else "")}
    described = []
    if bound.help_text:
        described.append(f"{bound.auto_id}_helptext")
    if bound.errors:
        described.append(f"{bound.auto_id}_errors")
        attrs["aria-invalid"] = "true"
    if described:
        attrs["aria-describedby"] = " ".join(described)
    control = _select(bound, attrs) or _input(bound, attrs) or bound.as_widget(attrs=attrs)
    help_text = (
        _html('<div class="form-text" id="{}_helptext">{}</div>', bound.auto_id, bound.help_text)
        if bound.help_text
        else ""
    )
    errors = (
        _html(
            '<div class="invalid-feedback d-block" id="{}_errors">{}</div>',
            bound.auto_id,
            " ".join(str(e) for e in bound.errors),
        )
        if bound.errors
        else ""
    )
    if isinstance(widget, forms.CheckboxInput):
        return _html(
            '<div class="mb-3 form-check">{}<label class="form-check-label" for="{}">{}</label>{}{}</div>',
            control,
            bound.id_for_label,
            bound.label,
            help_text,
            errors,
        )
    label = (
        _html(
            '<label class="form-label" for="{}">{}{}</label>',
            bound.id_for_label,
            bound.label,
            mark_safe('<span class="asteriskField">*</span>') if bound.field.required else "",
        )
        if bound.label
        else ""
    )
    return _html('<div class="{}">{}{}{}{}</div>', wrapper, label, control, help_text, errors)


@register.simple_tag
def plain_form(form: forms.BaseForm, wrapper: str = "mb-3") -> str:
    """The form's errors, hidden fields and fields; ``wrapper``: each field's div class."""
    non_field = (
        _html(
            '<div class="alert alert-danger" role="alert">{}</div>',
            " ".join(str(e) for e in form.non_field_errors()),
        )
        if form.non_field_errors()
        else ""
    )
    hidden = _html_join("{}", ((_input(f, {}) or str(f),) for f in form.hidden_fields()))
    visible = _html_join("{}", ((_field(f, wrapper),) for f in form.visible_fields()))
    return _html("{}{}{}", non_field, hidden, visible)


@register.simple_tag
def plain_widget(bound: forms.BoundField) -> str:
    """``{{ bound.as_widget }}`` for one field drawn on its own (the dashboard's
    filters): a single select built here (``_select``, in the attribute order Django's
    template writes); any other widget rendered as usual."""
    return _select(bound, {}, ordered=True) or bound.as_widget()
