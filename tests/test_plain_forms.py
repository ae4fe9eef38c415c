"""``{% plain_form %}``: loaded from ``seir`` by every app's templates, same markup."""

from django import forms
from django.template import Context, Template
from django.template.backends.django import get_installed_libraries


class _Form(forms.Form):
    name = forms.CharField(help_text="As people say it.")
    stage = forms.ChoiceField(choices=[("idea", "Idea"), ("launch", "Launch")], required=False)
    active = forms.BooleanField(required=False)
    token = forms.CharField(widget=forms.HiddenInput, required=False)


def test_the_library_is_seirs_and_only_seirs():
    # a lower app's templates load it without reaching into ventures
    assert get_installed_libraries()["plain_forms"] == "seir.templatetags.plain_forms"


def test_plain_form_writes_bootstrap_markup_with_errors_tied_to_their_field():
    # given: a bound form with one missing required field
    form = _Form({"stage": "launch", "token": "t"})
    assert not form.is_valid()

    # when
    html = Template('{% load plain_forms %}{% plain_form form wrapper="col" %}').render(
        Context({"form": form})
    )

    # then: hidden fields first, then each field in its wrapper, errors and help text
    # named by aria-describedby, the chosen option selected, the checkbox Bootstrap's way
    assert html == (
        '<input type="hidden" name="token" value="t" id="id_token">'
        '<div class="col"><label class="form-label" for="id_name">Name'
        '<span class="asteriskField">*</span></label>'
        '<input type="text" name="name" class="form-control is-invalid" aria-invalid="true"'
        ' aria-describedby="id_name_helptext id_name_errors" required id="id_name">'
        '<div class="form-text" id="id_name_helptext">As people say it.</div>'
        '<div class="invalid-feedback d-block" id="id_name_errors">This field is required.</div>'
        "</div>"
        '<div class="col"><label class="form-label" for="id_stage">Stage</label>'
        '<select class="form-select" id="id_stage" name="stage"><option value="idea">Idea</option>'
        '<option value="launch" selected>Launch</option></select></div>'
        '<div class="mb-3 form-check"><input type="checkbox" name="active"'
        ' class="form-check-input" id="id_active">'
        '<label class="form-check-label" for="id_active">Active</label></div>'
    )


def _ordering_form(data):
    import django_filters

    from ventures.models import Venture

    class Sorted(django_filters.FilterSet):
        sort = django_filters.OrderingFilter(
            fields=(("name", "name"), ("updated_at", "updated")),
            field_labels={"name": "Name", "updated_at": "Last updated"},
            empty_label=None,
        )

        class Meta:
            model = Venture
            fields = []

    return Sorted(data, queryset=Venture.objects.none()).form


def _drawn(form):
    return Template('{% load plain_forms %}{% plain_form form wrapper="col" %}').render(
        Context({"form": form})
    )


def test_an_ordering_select_is_drawn_as_a_plain_select_with_its_choice_selected():
    html = _drawn(_ordering_form({"sort": "-updated"}))

    assert html == (
        '<div class="col"><label class="form-label" for="id_sort">Ordering</label>'
        '<select class="form-select" id="id_sort" name="sort">'
        '<option value="name">Name</option><option value="-name">Name (descending)</option>'
        '<option value="updated">Last updated</option>'
        '<option value="-updated" selected>Last updated (descending)</option></select></div>'
    )


def test_an_ordering_of_several_fields_falls_back_to_django_filters_own_drawing():
    html = _drawn(_ordering_form({"sort": "name,-updated"}))

    # django-filter draws several values as a text input holding them
    assert '<input type="text" name="sort" value="name,-updated"' in html
    assert "<select" not in html


def test_a_select_escapes_its_options_as_format_html_does():
    """The options are written out directly; each value and label is escaped exactly as
    Django's format_html escapes it (a safe string kept, a lazy one translated)."""
    from django.utils.html import format_html_join
    from django.utils.safestring import mark_safe
    from django.utils.translation import gettext_lazy

    hostile = "<script>alert('x')</script> O'Brien & \"Sons\""
    choices = [
        (hostile, hostile),
        ("safe", mark_safe("<em>kept</em>")),
        ("lazy", gettext_lazy("Any status")),
        (7, "Seven & more"),
    ]

    class Hostile(forms.Form):
        pick = forms.ChoiceField(choices=choices)

    html = _drawn(Hostile({"pick": hostile}))

    expected = format_html_join(
        "",
        '<option value="{}"{}>{}</option>',
        [(str(v), " selected" if v == hostile else "", label) for v, label in choices],
    )
    assert f'name="pick">{expected}</select>' in html
    assert "<script>" not in html and "<em>kept</em>" in html
    assert (
        "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; O&#x27;Brien &amp; &quot;Sons&quot;"
        in html
    )


def test_attributes_are_written_as_djangos_flatatt_writes_them():
    from django.forms.utils import flatatt
    from django.utils.safestring import mark_safe

    from seir.templatetags.plain_forms import _flatatt

    for attrs in [
        {},
        {"id": "id_x", "class": "form-select", "name": "x"},
        {"title": '<b>"O\'Brien" & co</b>', "data-safe": mark_safe("<i>kept</i>")},
        {"required": True, "disabled": False, "hidden": None, "multiple": True, "max": 5},
    ]:
        assert _flatatt(attrs) == flatatt(attrs)


def test_options_drawn_once_still_follow_their_choices_and_their_safety():
    # given a select drawn once, its options kept
    from django.utils.safestring import mark_safe

    class Pick(forms.Form):
        pick = forms.ChoiceField(choices=[("a", mark_safe("<b>A</b>"))])

    assert '<option value="a" selected><b>A</b></option>' in _drawn(Pick({"pick": "a"}))
    # when the same text comes unmarked, then renamed
    Pick.base_fields["pick"].choices = [("a", "<b>A</b>")]
    unmarked = _drawn(Pick({"pick": "a"}))
    Pick.base_fields["pick"].choices = [("a", "Renamed")]
    renamed = _drawn(Pick({}))
    # then the unmarked text is escaped (not the kept safe drawing), the new name shown,
    # and the selection follows the data, not the drawing kept
    assert '<option value="a" selected>&lt;b&gt;A&lt;/b&gt;</option>' in unmarked
    assert '<option value="a">Renamed</option>' in renamed
