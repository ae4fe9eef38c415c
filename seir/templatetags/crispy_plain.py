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

import copy
import functools

from crispy_forms.helper import FormHelper
from crispy_forms.templatetags.crispy_forms_filters import as_crispy_form, optgroups
from crispy_forms.utils import render_crispy_form
from django import forms, template
from django.utils.safestring import SafeString, mark_safe

from seir.templatetags.plain_forms import _attrs, _html, _html_join, _input, _select, model_choices

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
_CHOICE_LISTS = (forms.CheckboxSelectMultiple, forms.RadioSelect)
_DRAWN = (*_INPUTS, forms.Textarea, forms.Select, *_CHOICE_LISTS)
# File inputs with no file yet (one already there is crispy's input group, left to it).
_FILES = (forms.FileInput, forms.ClearableFileInput)
_ASTERISK = mark_safe('<span class="asteriskField">*</span>')


@functools.cache
def _plain_helper() -> dict:
    """The attributes of the one helper this draws: no ``<form>`` tag, no CSRF token."""
    helper = FormHelper()
    helper.form_tag = False
    helper.disable_csrf = True
    return vars(helper)


def _drawable(form: forms.BaseForm, *, as_filter: bool = False) -> bool:
    """Whether this draws ``form`` as ``{% crispy form %}`` would (``as_filter``: as
    ``{{ form|crispy }}``, which leaves the helper aside)."""
    helper = getattr(form, "helper", None)
    return (as_filter or (type(helper) is FormHelper and vars(helper) == _plain_helper())) and all(
        type(field.widget) in _DRAWN
        or (type(field.widget) in _FILES and not _holds_a_file(form[name]))
        for name, field in form.fields.items()
    )


def _holds_a_file(bound: forms.BoundField) -> bool:
    is_initial = getattr(bound.field.widget, "is_initial", None)
    return bool(is_initial is not None and is_initial(bound.value()))


def _file(bound: forms.BoundField) -> SafeString:
    """crispy-bootstrap5's field_file.html for a file input with no file yet: the input
    (Bootstrap's class first, then the widget's attributes in their order), then the
    errors and the help text, in a ``div`` marked invalid when it is."""
    invalid = bool(bound.errors)
    drawn = []
    for widget in bound.subwidgets:
        attrs = widget.data["attrs"]
        css = "form-control" + (" " + attrs["class"] if attrs.get("class") else "")
        drawn.append(
            _html(
                '<div{}><input type="{}" name="{}" class="{}"{}{}>{}</div>',
                mark_safe(' class="is-invalid"') if invalid else "",  # noqa: S308
                widget.data["type"],
                widget.data["name"],
                css + (" is-invalid" if invalid else ""),
                mark_safe(" disabled") if bound.field.disabled else "",  # noqa: S308
                _html_join(
                    "{}",
                    (
                        (
                            _html(" {}", name)
                            if value is True
                            else _html(' {}="{}"', name, str(value)),
                        )
                        for name, value in attrs.items()
                        if value is not False and name != "class"
                    ),
                ),
                _help_and_errors(bound),
            )
        )
    return mark_safe("".join(drawn))  # noqa: S308 - each part escaped by _html


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


def _help_text(bound: forms.BoundField) -> SafeString:
    """crispy-bootstrap5's help_text.html (crispy marks it safe: the project's own text)."""
    if not bound.help_text:
        return mark_safe("")
    return _html(
        '<div {}class="form-text">{}</div>',
        _html('id="{}_helptext" ', bound.auto_id) if bound.auto_id else "",
        mark_safe(bound.help_text),  # noqa: S308 - crispy draws help text as safe
    )


def _errors(bound: forms.BoundField, tag: str) -> SafeString:
    """crispy-bootstrap5's field_errors.html (``span``) or field_errors_block.html (``p``)."""
    if not bound.errors:
        return mark_safe("")
    return _html(
        '<div id="{}_error" class="invalid-feedback">{}</div>',
        bound.errors.field_id,
        _html_join(
            f'<{tag} id="error_{{}}_{{}}"><strong>{{}}</strong></{tag}>',
            ((n, bound.auto_id, error) for n, error in enumerate(bound.errors, start=1)),
        ),
    )


def _help_and_errors(bound: forms.BoundField) -> SafeString:
    """crispy-bootstrap5's help_text_and_errors.html: the errors, then the help text."""
    return _html("{}{}", _errors(bound, "span"), _help_text(bound))


def _optgroups(bound: forms.BoundField):
    """crispy's own list of the options (its ``optgroups``), a model field's choices
    listed as ``plain_forms.model_choices`` lists them (offered by the form, or one plain
    query rather than a server-side cursor). The same options, in order."""
    widget = bound.field.widget
    if not isinstance(bound.field, forms.ModelChoiceField):
        return optgroups(bound)
    widget = copy.copy(widget)
    widget.choices = model_choices(bound)
    found = widget.attrs.get("id") or bound.auto_id
    attrs = bound.build_widget_attrs({"id": found} if found else {})
    return widget.optgroups(bound.html_name, widget.format_value(bound.value()), attrs)


def _choice_list(bound: forms.BoundField) -> SafeString:
    """crispy-bootstrap5's radio_checkbox_select.html: a check box or radio button for
    each choice, the field's errors after the last, then its help text."""
    invalid = " is-invalid" if bound.errors else ""
    groups = list(_optgroups(bound))
    drawn = []
    for group_number, (group, options, _) in enumerate(groups, start=1):
        if group:
            drawn.append(_html("<strong>{}</strong>", group))
        for number, option in enumerate(options, start=1):
            last = number == len(options) and group_number == len(groups)
            drawn.append(
                _html(
                    '<div class="form-check"><input type="{}" class="form-check-input{}" '
                    'name="{}" value="{}"{}><label for="{}" class="form-check-label">{}</label>'
                    "{}</div>",
                    option["type"],
                    invalid,
                    bound.html_name,
                    str(option["value"]),
                    _attrs(option["attrs"]),
                    option["attrs"].get("id", ""),
                    str(option["label"]),
                    _errors(bound, "p") if last else "",
                )
            )
    return _html("<div >{}</div>{}", mark_safe("".join(drawn)), _help_text(bound))  # noqa: S308


def _field(bound: forms.BoundField) -> SafeString:
    """crispy-bootstrap5's field.html for a field without a layout."""
    if bound.is_hidden:
        return _input(bound, {}, any_input=True)
    css = bound.css_classes()
    required = " requiredField" if bound.field.required else ""
    asterisk = _ASTERISK if bound.field.required else ""
    if isinstance(bound.field.widget, _CHOICE_LISTS):
        described = bound.aria_describedby
        legend = (
            _html(
                '<fieldset{}><legend class="form-label{} fs-6">{}{}</legend>',
                _html(' aria-describedby="{}"', described) if described else "",
                required,
                bound.label,
                asterisk,
            )
            if bound.label
            else ""
        )
        return _html(
            '<div id="div_{}" class="mb-3{}">{}{}{}</div>',
            bound.auto_id,
            " " + css if css else "",
            legend,
            _choice_list(bound),
            mark_safe("</fieldset>") if bound.label else "",  # noqa: S308
        )
    invalid = " is-invalid" if bound.errors else ""
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
    if isinstance(bound.field.widget, _FILES):
        control = _file(bound)  # its help text and errors inside it
    else:
        wanted = "form-select" if isinstance(bound.field.widget, forms.Select) else "form-control"
        control = _html("{}{}", _control(bound, wanted + invalid), _help_and_errors(bound))
    return _html(
        '<div id="div_{}" class="mb-3{}">{}{}</div>',
        bound.auto_id,
        " " + css if css else "",
        label,
        control,
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
    return _fields(form)


@register.filter(name="crispy_plain")
def crispy_plain_filter(form: forms.BaseForm) -> SafeString:
    """The form's fields as ``{{ form|crispy }}`` draws them."""
    if not _drawable(form, as_filter=True):
        return as_crispy_form(form)
    return _fields(form)


def _fields(form: forms.BaseForm) -> SafeString:
    return _html(
        "{}{}{}",
        str(form.media),  # safe: Media renders its own tags
        _non_field_errors(form),
        _html_join("{}", ((_field(bound),) for bound in form)),
    )
