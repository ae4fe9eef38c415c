"""The hot fragments drawn with Jinja2 (seir/jinja2.py): the board's cards and the venture
list's rows escape people's text exactly as Django's templates did, whatever it holds,
and the fragments' markup is what the Django templates drew before."""

import datetime
import re

import pytest
from django.template import Context, Template, engines
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe

from events.models import Event
from seir.jinja2 import render_fragment
from ventures.factories import VentureFactory

pytestmark = pytest.mark.django_db

HOSTILE = "<script>alert('x')</script> O'Brien & \"Sons\""
# Django's escape(): &#x27; for the apostrophe, &quot; for the double quote.
ESCAPED = "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; O&#x27;Brien &amp; &quot;Sons&quot;"


def test_a_fragment_escapes_exactly_as_a_django_template():
    # given
    source = "<p>{{ a }}|{{ b }}|{{ n }}|{{ missing }}</p>"
    context = {"a": HOSTILE, "b": mark_safe("<em>kept</em>"), "n": 7}

    # when
    jinja = engines["jinja2"].from_string(source).render(context)
    django = Template(source).render(Context(context))

    # then
    assert jinja == django == f"<p>{ESCAPED}|<em>kept</em>|7|</p>"


def test_autoescape_stays_on_whatever_the_options_say():
    from seir.jinja2 import environment

    env = environment(autoescape=False)

    assert env.from_string("{{ a }}").render(a="<b>") == "&lt;b&gt;"


def test_a_missing_value_draws_as_nothing_in_development_too():
    from jinja2 import DebugUndefined

    from seir.jinja2 import environment

    # what Django's backend passes when DEBUG is on
    env = environment(undefined=DebugUndefined)

    assert env.from_string("[{{ missing }}|{{ v.missing }}]").render(v=object()) == "[|]"


def test_pluralize_is_djangos():
    jinja = engines["jinja2"].from_string("{{ n }} day{{ n|pluralize }}").render
    django = Template("{{ n }} day{{ n|pluralize }}").render

    drawn = [jinja({"n": n}) for n in (0, 1, 2, None)]

    assert drawn == ["0 days", "1 day", "2 days", "None day"]
    assert drawn == [django(Context({"n": n})) for n in (0, 1, 2, None)]


def test_the_board_list_and_card_show_a_hostile_name_escaped(client, seir, programme):
    # given
    venture = VentureFactory(programme=programme, name=HOSTILE, area=HOSTILE)
    client.force_login(seir)

    # when
    pages = {
        "board": client.get(reverse("ventures:board")),
        "list": client.get(reverse("ventures:list")),
        "card": client.get(reverse("ventures:card", args=[venture.pk])),
    }

    # then
    for name, response in pages.items():
        html = response.content.decode()
        assert response.status_code == 200, name
        assert ESCAPED in html, name
        assert "<script>alert" not in html, name


def test_the_card_endpoint_answers_one_card_for_the_venture(client, seir, venture, stages):
    client.force_login(seir)

    html = client.get(reverse("ventures:card", args=[venture.pk])).content.decode()

    assert re.findall(r'data-venture-id="(\d+)" data-stage-id="(\d+)"', html) == [
        (str(venture.pk), str(stages["idea"].pk))
    ]
    assert html.count('<li class="card board-card') == 1
    assert f'href="{reverse("ventures:detail", args=[venture.pk])}"' in html


def test_render_fragment_is_safe_to_place_in_a_page():
    html = render_fragment("ventures/board_cards.jinja", {"cards": []})

    assert html == ""
    assert hasattr(html, "__html__")


def test_date_is_djangos_in_the_current_time_zone():
    # given: noon UTC in British Summer Time
    moment = datetime.datetime(2026, 7, 1, 12, 0, tzinfo=datetime.UTC)
    source = "{{ at|date('j M Y, H:i') }}"

    # when
    with timezone.override("Europe/London"):
        jinja = engines["jinja2"].from_string(source).render({"at": moment})
        django = Template('{{ at|date:"j M Y, H:i" }}').render(Context({"at": moment}))

    # then
    assert jinja == django == "1 Jul 2026, 13:00"


_UTC = datetime.UTC
_DATES = [
    datetime.datetime(2026, 7, 1, 12, 0, tzinfo=_UTC),  # summer time
    datetime.datetime(2026, 12, 31, 23, 59, 59, 999999, tzinfo=_UTC),  # New Year in Kolkata
    datetime.datetime(2026, 3, 29, 0, 59, 59, tzinfo=_UTC),  # the hour before the clocks go
    datetime.datetime(2026, 3, 29, 1, 0, tzinfo=_UTC),  # forward, and after
    datetime.datetime(2026, 10, 25, 0, 30, tzinfo=_UTC),  # the hour that happens twice
    datetime.datetime(2026, 10, 25, 1, 30, tzinfo=_UTC),
    datetime.datetime(5, 1, 9, 8, 7, tzinfo=_UTC),  # a year Django pads to four digits
    datetime.datetime(2026, 5, 4, 3, 2, 1),  # naive
    datetime.date(2026, 9, 1),
    datetime.date(9, 2, 3),
    None,
    "",
    "not a date",
]
_FORMATS = ["Y-m-d", "c", "j M Y", "j M Y, H:i", "D j F"]  # the last: no fast path


@pytest.mark.parametrize("zone", ["Europe/London", "Asia/Kolkata", "America/St_Johns"])
@pytest.mark.parametrize("language", ["en-gb", "fr", "cy"])
def test_the_fragments_date_filter_writes_what_djangos_writes(zone, language):
    """seir.jinja2.date writes its formats itself (Django's filter builds a formatter for
    each value); the text is Django's for every value, time zone and language."""
    from django.template.defaultfilters import date as django_date
    from django.utils import translation
    from django.utils.timezone import template_localtime

    from seir.jinja2 import date

    with timezone.override(zone), translation.override(language):
        for value in _DATES:
            for fmt in _FORMATS:
                if type(value) is datetime.date and fmt == "j M Y, H:i":
                    continue  # Django refuses a time format for a date; so does this
                expected = django_date(template_localtime(value), fmt)
                assert date(value, fmt) == expected, (value, fmt)


def test_the_fragments_date_filter_refuses_a_time_format_for_a_date_as_django_does():
    from seir.jinja2 import date

    with pytest.raises(TypeError):
        date(datetime.date(2026, 9, 1), "j M Y, H:i")


def test_an_event_recorded_apart_says_when_it_was_recorded():
    from events.rendering import event_when

    # given: a meeting known by its day, recorded three days later
    event = Event(
        kind="venture.note_added",
        at=datetime.datetime(2026, 11, 30, 0, 0, tzinfo=datetime.UTC),
        at_is_day=True,
        recorded_at=datetime.datetime(2026, 12, 3, 9, 30, tzinfo=datetime.UTC),
    )

    # when
    inline = event_when(event)
    stacked = event_when(event, stacked=True)

    # then
    day = '<time datetime="2026-11-30">30 Nov 2026</time>'
    recorded = 'recorded <time datetime="2026-12-03T09:30:00+00:00">3 Dec 2026, 09:30</time>'
    assert inline == f'{day}<span class="event-recorded"> · {recorded}</span>'
    assert stacked == (
        f'{day}<span class="event-recorded d-block small text-body-secondary">{recorded}</span>'
    )


def test_the_venture_overview_shows_peoples_text_escaped(client, seir, programme):
    from ventures import services
    from ventures.models import GateCondition

    venture = VentureFactory(
        programme=programme, stage_code="idea", name=HOSTILE, summary=HOSTILE, area=HOSTILE
    )
    services.venture_note_add(actor=seir, venture=venture, body=HOSTILE, visibility="staff")
    condition = GateCondition.objects.filter(stage=venture.stage, kind="confirmed").first()
    client.force_login(seir)

    page = client.get(reverse("ventures:detail", args=[venture.pk])).content.decode()
    refused = client.post(
        reverse("ventures:gate_confirm", args=[venture.pk, condition.pk]),
        {"evidence": "", "override_reason": HOSTILE},
    ).content.decode()

    assert page.count(ESCAPED) >= 4  # the name, summary, area and the note
    assert "<script>alert" not in page and "<script>alert" not in refused
    # The refused confirmation comes back beside its condition, its one-time token with it.
    assert 'class="mt-2 gate-confirm-form" novalidate>' in refused
    assert '<input type="hidden" name="submission_token" value="' in refused
    assert 'aria-invalid="true" aria-describedby="evidence-' in refused


def test_a_fragment_escapes_each_value_once_as_django_does_macros_and_blocks_included():
    """The fragments' code generator writes a value through ``finalize`` alone (Django's
    escaping); what a macro or a ``{% set %}`` block writes is marked safe, not escaped
    again, and a value already safe is left as it is."""
    from django.template import engines
    from django.utils.safestring import mark_safe

    template = engines["jinja2"].env.from_string(
        '<a title="{{ value }}">{{ value }}</a>{{ safe }}'
        "{% macro bold(x) %}<b>{{ x }}</b>{% endmacro %}{{ bold(value) }}"
        "{% set block %}<i>{{ value }}</i>{% endset %}{{ block }}"
    )

    html = template.render(value="O'Neil & <Co>", safe=mark_safe("<hr>"))

    escaped = "O&#x27;Neil &amp; &lt;Co&gt;"
    assert html == (f'<a title="{escaped}">{escaped}</a><hr><b>{escaped}</b><i>{escaped}</i>')


def test_a_templates_own_globals_stay_its_own_and_the_environments_reach_every_one():
    """A template's globals are a plain copy of the environment's (seir.jinja2's
    ``make_globals``: cheaper to copy into each render's context than a ``ChainMap``):
    what one template is given reaches neither the environment nor another template."""
    env = engines["jinja2"].env
    one = env.from_string(
        "{{ shared }}|{{ url is defined }}|{{ render_event is defined }}",
        globals={"shared": "mine"},
    )
    other = env.from_string("{{ shared }}|{{ url is defined }}")

    assert one.render() == "mine|True|True"
    assert other.render() == "|True"
    assert "shared" not in env.globals
