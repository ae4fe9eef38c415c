"""``{% crispy_plain form %}``: what ``{% crispy form %}`` draws, built in Python.

crispy-forms draws each field through a nest of a dozen templates (the field, its label,
its widget's class, help text and errors, each an include with its own conditions); on
the venture's funding and outcomes tabs, which draw a form for every application and
indicator on every visit, that was half the page's time. This draws the same markup
(crispy-bootstrap5's, with this project's ``bootstrap5/errors.html``) for the forms those
pages use: a helper with no layout that leaves the ``<form>`` tag and the CSRF token to
the page, and fields whose widgets are plain inputs, text areas, selects and check
boxes. Any other form (a layout, a file input, radio buttons, a helper setting this does
not draw) is drawn by crispy-forms itself, so the tag is always safe to use.

``tests/test_crispy_plain.py`` holds the markup to crispy's, field by field, for every
form class that uses the tag, blank and refused.
"""

from __future__ import annotations

import functools

from crispy_forms.helper import FormHelper
from crispy_forms.utils import render_crispy_form
from django import forms, template
from django.utils.safestring import SafeString, mark_safe

from seir.templatetags.plain_forms import _html, _html_join, _input, _select

register = template.Library()

# Widgets drawn by Django's input.html (each of these templates only includes it), the
# text area and the select; crispy-bootstrap5 draws each as a plain control.
_INPUTS = (
    forms.TextInput,
    forms.NumberInput,
    forms.EmailInput,
    forms.URLInput,
    forms.DateInput,
    forms.HiddenInput,
    forms.CheckboxInput,
)
_DRAWN = (*_INPUTS, forms.Textarea, forms.Select)
_ASTERISK = mark_safe('<span class="asteriskField">*</span>')


@functools.cache
def _plain_helper() -> dict:
    """The attributes of the one helper this draws: no ``<form>`` tag, no CSRF token."""
    helper = FormHelper()
    helper.form_tag = False
    helper.disable_csrf = True
    return vars(helper)


def _drawable(form: forms.BaseForm) -> bool:
    helper = getattr(form, "helper", None)
    return (
        type(helper) is FormHelper
        and vars(helper) == _plain_helper()
        and all(type(field.widget) in _DRAWN for field in form.fields.values())
    )


def _css_class(widget: forms.Widget, wanted: str) -> str:
    """The class crispy gives the widget: its own, its class name lowercased (crispy's
    ``crispy_field``), then Bootstrap's class and ``is-invalid`` where not already in."""
    name = type(widget).__name__.lower()
    css = widget.attrs.get("class", "")
    css = (css + " " + name if name not in css else css) if css else name
    for word in wanted.split():
        if word not in css.split():
            css += " " + word
    return css


def _control(bound: forms.BoundField, wanted: str) -> SafeString:
    widget = bound.field.widget
    attrs = {"class": _css_class(widget, wanted)}
    if isinstance(widget, forms.Select):
        return _select(bound, attrs, ordered=True) or bound.as_widget(attrs=attrs)
    if isinstance(widget, _INPUTS) or type(widget) is forms.Textarea:
        return _input(bound, attrs, any_input=True)
    return bound.as_widget(attrs=attrs)


def _help_and_errors(bound: forms.BoundField) -> SafeString:
    """crispy-bootstrap5's help_text_and_errors.html: the errors, then the help text
    (which crispy marks safe: it is the project's own text)."""
    errors = (
        _html(
            '<div id="{}_error" class="invalid-feedback">{}</div>',
            bound.errors.field_id,
            _html_join(
                '<span id="error_{}_{}"><strong>{}</strong></span>',
                ((n, bound.auto_id, error) for n, error in enumerate(bound.errors, start=1)),
            ),
        )
        if bound.errors
        else ""
    )
    help_text = (
        _html(
            '<div {}class="form-text">{}</div>',
            _html('id="{}_helptext" ', bound.auto_id) if bound.auto_id else "",
            mark_safe(bound.help_text),  # noqa: S308 - crispy draws help text as safe
        )
        if bound.help_text
        else ""
    )
    return _html("{}{}", errors, help_text)


def _field(bound: forms.BoundField) -> SafeString:
    """crispy-bootstrap5's field.html for a field without a layout."""
    if bound.is_hidden:
        return _input(bound, {}, any_input=True)
    invalid = " is-invalid" if bound.errors else ""
    css = bound.css_classes()
    required = " requiredField" if bound.field.required else ""
    asterisk = _ASTERISK if bound.field.required else ""
    if isinstance(bound.field.widget, forms.CheckboxInput):
        return _html(
            '<div class="mb-3"><div id="div_{}" class="form-check{}">{}'
            '<label for="{}" class="form-check-label{}">{}{}</label>{}</div></div>',
            bound.auto_id,
            " " + css if css else "",
            _control(bound, "form-check-input" + invalid),
            bound.id_for_label,
            required,
            bound.label,
            asterisk,
            _help_and_errors(bound),
        )
    label = (
        _html(
            '<label {}class="form-label{}">{}{}</label>',
            _html('for="{}" ', bound.id_for_label) if bound.id_for_label else "",
            required,
            bound.label,
            asterisk,
        )
        if bound.label
        else ""
    )
    wanted = "form-select" if isinstance(bound.field.widget, forms.Select) else "form-control"
    return _html(
        '<div id="div_{}" class="mb-3{}">{}{}{}</div>',
        bound.auto_id,
        " " + css if css else "",
        label,
        _control(bound, wanted + invalid),
        _help_and_errors(bound),
    )


def _non_field_errors(form: forms.BaseForm) -> SafeString:
    """This project's ``templates/bootstrap5/errors.html``."""
    errors = form.non_field_errors()
    if not errors:
        return mark_safe("")
    return _html(
        '<div class="alert alert-block alert-danger" role="alert"><ul class="m-0">{}</ul></div>',
        _html_join("<li>{}</li>", ((error,) for error in errors)),
    )


@register.simple_tag
def crispy_plain(form: forms.BaseForm) -> SafeString:
    """The form's fields as ``{% crispy form %}`` draws them."""
    if not _drawable(form):
        return mark_safe(render_crispy_form(form))  # noqa: S308 - crispy's own rendering
    return _html(
        "{}{}{}",
        str(form.media),  # safe: Media renders its own tags
        _non_field_errors(form),
        _html_join("{}", ((_field(bound),) for bound in form)),
    )
