"""The venture page's Commissioning tab, drawn by a Jinja2 fragment
(templates/jinja2/commissioning/venture_tab.jinja), is what the Django template drew
before (whitespace aside), people's text escaped the same; the venture's focus is read
in two queries with its rows from the reference data, and the focus form's check boxes
are drawn from the reference data as the form's own querysets would offer them, a
retired value the focus holds kept and marked."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.template import engines
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from commissioning import selectors, services
from commissioning.factories import ContactFactory, PriorityFactory, WindowFactory
from commissioning.forms import FocusForm
from commissioning.models import ServiceArea
from commissioning.views.ventures import _tab_context
from seir.forms import KeepCurrentChoicesMixin
from tests.fragments import both, tab_context, words_and_tags

pytestmark = pytest.mark.django_db

HOSTILE = "<script>alert('x')</script> O'Brien & \"Sons\""

# The tab's body as templates/commissioning/venture_tab.html drew it with Django's
# templates (the focus's domains and areas read through its relations).
DJANGO = (
    "{% load crispy_plain %}"
    + """<div class="row g-4">
<div class="col-lg-7">
  <section aria-labelledby="intros-title" class="mb-4">
    <div class="d-flex justify-content-between align-items-center flex-wrap gap-2"><h2 class="h4" id="intros-title">Introductions</h2>
    {% if access.manage %}<a class="btn btn-sm btn-outline-primary" href="{% url 'commissioning:introduction_create' %}?venture={{ venture.pk }}">Make an introduction</a>{% endif %}</div>
    <ul class="list-group venture-introductions">
    {% for i in introductions %}
      <li class="list-group-item"><a href="{% url 'commissioning:introduction' i.pk %}">{{ i.contact.name }}, {{ i.commissioner.name }}</a> <span class="badge text-bg-secondary">{{ i.get_step_display }}</span>
        <div class="small">by {{ i.made_by.display_name }} on {{ i.made_on|date:"j M Y" }}{% if i.priority %} · {{ i.priority.title }}{% endif %}</div></li>
    {% empty %}<li class="list-group-item">No introductions yet.</li>{% endfor %}
    </ul>
  </section>
  <section aria-labelledby="contracts-title" class="mb-4">
    <div class="d-flex justify-content-between align-items-center flex-wrap gap-2"><h2 class="h4" id="contracts-title">Contracts</h2>
    {% if access.manage %}<a class="btn btn-sm btn-outline-primary" href="{% url 'commissioning:contract_create' venture.pk %}">Record a contract</a>{% endif %}</div>
    <ul class="list-group venture-contracts">
    {% for c in contracts %}
      <li class="list-group-item"><a href="{% url 'commissioning:contract' c.pk %}">{{ c.service }}</a> for {{ c.commissioner.name }} <span class="badge text-bg-secondary">{{ c.get_status_display }}</span>
        <div class="small">£{{ c.value|floatformat:"2g" }} · {{ c.start_date|date:"j M Y" }} to {{ c.end_date|date:"j M Y" }}</div></li>
    {% empty %}<li class="list-group-item">No contracts yet.</li>{% endfor %}
    </ul>
  </section>
  <section aria-labelledby="referrals-title" class="mb-4">
    <div class="d-flex justify-content-between align-items-center flex-wrap gap-2"><h2 class="h4" id="referrals-title">Support referrals</h2>
    {% if access.manage %}<a class="btn btn-sm btn-outline-primary" href="{% url 'commissioning:referral_create' venture.pk %}">Refer for support</a>{% endif %}</div>
    <ul class="list-group">
    {% for r in referrals %}
      <li class="list-group-item"><a href="{% url 'commissioning:referral' r.pk %}">{{ r.provider.name }}</a> ({{ r.provider.support_type.name }}) <span class="badge text-bg-secondary">{{ r.get_step_display }}</span>
        <div class="small">by {{ r.made_by.display_name }} on {{ r.made_on|date:"j M Y" }}</div></li>
    {% empty %}<li class="list-group-item">No support referrals yet.</li>{% endfor %}
    </ul>
  </section>
</div>
<div class="col-lg-5">
  <section aria-labelledby="matches-title" class="mb-4">
    <h2 class="h4" id="matches-title">Open priorities that fit</h2>
    <ul class="list-group matching-priorities">
    {% for p in matches %}
      <li class="list-group-item" data-priority-id="{{ p.pk }}"><span class="fw-semibold">{% if access.manage %}<a href="{% url 'commissioning:priority' p.pk %}">{{ p.title }}</a>{% else %}{{ p.title }}{% endif %}</span> — {{ p.commissioner.name }}
        <div class="small">{% if p.matches_domain %}Domain {{ p.domain }}{% endif %}{% if p.matches_domain and p.matches_area %} · {% endif %}{% if p.matches_area %}{{ p.service_area.name }}{% endif %} · window open until {{ p.window_closes|date:"j M Y" }}</div>
        {% if access.manage %}<a class="btn btn-sm btn-primary mt-1" href="{% url 'commissioning:introduction_create' %}?venture={{ venture.pk }}&amp;priority={{ p.pk }}">Introduce<span class="visually-hidden"> for {{ p.title }}</span></a>{% endif %}</li>
    {% empty %}<li class="list-group-item">{% if focus %}No open priority fits right now.{% else %}Set what the venture works on to see the priorities that fit.{% endif %}</li>{% endfor %}
    </ul>
  </section>
  <section aria-labelledby="focus-title" class="card card-body">
    <h2 class="h5" id="focus-title">What the venture works on</h2>
    {% if focus_form %}
      <form method="post" action="{% url 'commissioning:focus' venture.pk %}" novalidate>{% csrf_token %}
        {{ focus_form|crispy_plain }}
        <button type="submit" class="btn btn-primary">Save</button>
      </form>
    {% else %}
      <p class="mb-1">Domains: {% for d in focus.domains.all %}{{ d }}{% if not forloop.last %}; {% endif %}{% empty %}none{% endfor %}</p>
      <p class="mb-0">Service areas: {% for a in focus.service_areas.all %}{{ a.name }}{% if not forloop.last %}; {% endif %}{% empty %}none{% endfor %}</p>
    {% endif %}
  </section>
</div>
</div>
"""
)

PLAIN_FILTER = engines["django"].from_string("{% load crispy_plain %}{{ form|crispy_plain }}")
CRISPY_FILTER = engines["django"].from_string("{% load crispy_forms_tags %}{{ form|crispy }}")


def _context(user, venture, **kwargs):
    return tab_context(_tab_context, user, venture, csrf_token="TOKEN-" + HOSTILE, **kwargs)


def _both(context) -> tuple[str, str]:
    return both(DJANGO, "commissioning/venture_tab.jinja", context)


@pytest.fixture
def records(seir, venture, ben_pct, domains, areas):
    ben_pct.name = f"Ben PCT {HOSTILE}"
    ben_pct.save()
    services.venture_focus_set(
        actor=seir,
        venture=venture,
        domains=[domains[2], domains[4]],
        service_areas=[sorted(areas.values(), key=lambda a: a.pk)[0]],
    )
    priority = PriorityFactory(commissioner=ben_pct, domain=domains[2], title=f"Falls {HOSTILE}")
    WindowFactory(priority=priority)
    services.introduction_make(
        actor=seir,
        venture=venture,
        contact=ContactFactory(commissioner=ben_pct, name=f"Dr {HOSTILE}"),
        purpose="p",
        priority=priority,
    )
    services.contract_record(
        actor=seir,
        venture=venture,
        commissioner=ben_pct,
        service=f"Walks {HOSTILE}",
        value=Decimal("1234567.5"),
        start_date=datetime.date(2026, 4, 1),
        end_date=datetime.date(2027, 3, 31),
    )


@pytest.mark.parametrize("who", ["seir", "manager", "entrepreneur"])
def test_the_tab_is_drawn_as_the_django_template_drew_it(request, who, venture, records):
    user = request.getfixturevalue(who)
    django, jinja = _both(_context(user, venture))
    assert jinja == django
    assert "Walks &lt;script&gt;alert(&#x27;x&#x27;)" in jinja
    assert "£1,234,567.50" in jinja


def test_an_empty_tab_is_drawn_as_the_django_template_drew_it(seir, venture):
    django, jinja = _both(_context(seir, venture))
    assert jinja == django
    assert "Set what the venture works on" in jinja


def test_a_refused_focus_form_is_drawn_as_the_django_template_drew_it(
    seir, venture, records, domains
):
    focus = selectors.venture_focus(venture=venture)
    refused = FocusForm({"domains": ["999999", str(domains[1].pk)]}, focus=focus)
    refused.is_valid()
    django, jinja = _both(_context(seir, venture, focus_form=refused))
    assert jinja == django
    assert "is-invalid" in jinja


def test_the_focus_is_read_in_two_queries_in_the_relations_order(
    seir, venture, other_venture, records
):
    selectors.venture_focus(venture=venture)  # the reference data, read once
    with CaptureQueriesContext(connection) as queries:
        focus = selectors.venture_focus(venture=venture)
    assert len(queries) == 2  # the focus, its domains' and areas' ids
    assert focus.domain_list == list(focus.domains.all())
    assert [d.number for d in focus.domain_list] == [2, 4]
    assert focus.area_list == list(focus.service_areas.all())
    assert len(focus.area_list) == 1
    assert selectors.venture_focus(venture=other_venture) is None


class _Queried(FocusForm):
    """The focus form as it was: its check boxes drawn from its fields' querysets, the
    retired values the focus holds kept by the mixin."""

    offered_choices = None

    def _keep_current_choices(self) -> None:
        KeepCurrentChoicesMixin._keep_current_choices(self)


def test_the_focus_forms_choices_are_what_its_querysets_offer(seir, venture, records, domains):
    domains[4].is_active = False  # retired since the focus chose it
    domains[4].save()
    focus = selectors.venture_focus(venture=venture)

    drawn = PLAIN_FILTER.render({"form": FocusForm(focus=focus)})

    assert words_and_tags(drawn) == words_and_tags(
        PLAIN_FILTER.render({"form": _Queried(focus=focus)})
    )
    assert words_and_tags(drawn) == words_and_tags(
        CRISPY_FILTER.render({"form": _Queried(focus=focus)})
    )
    assert f"{domains[4]} (retired)" in drawn
    assert drawn.count('type="checkbox"') == 5 + ServiceArea.objects.filter(is_active=True).count()


def test_a_blank_focus_form_is_drawn_without_a_query(venture):
    PLAIN_FILTER.render({"form": FocusForm(focus=None)})  # the reference data, read once
    with CaptureQueriesContext(connection) as queries:
        PLAIN_FILTER.render({"form": FocusForm(focus=None)})
    assert len(queries) == 0


def test_a_service_area_retired_is_no_longer_offered_on_the_next_visit(client, seir, venture):
    client.force_login(seir)
    url = reverse("commissioning:venture_tab", args=[venture.pk])
    area = ServiceArea.objects.filter(is_active=True).order_by("order", "name").first()
    assert f'value="{area.pk}"' in client.get(url).content.decode()

    area.is_active = False
    area.save()

    page = client.get(url).content.decode()
    assert f'name="service_areas" value="{area.pk}"' not in page
