"""The frame of every venture page (breadcrumb, name, stage and status, the venture
page's actions and the tab bar), drawn by a Jinja2 fragment
(templates/jinja2/ventures/frame.jinja), is what the Django template drew before
(whitespace aside): for each role, on the overview (with its actions) and on a tab, for
a venture paused with a reason, a spin-out, and hostile text."""

import re

import pytest
from django.template import engines
from django.test import RequestFactory

from accounts.context_processors import navigation
from seir.jinja2 import render_fragment
from ventures import selectors, services
from ventures.views.pages import _detail_context

pytestmark = pytest.mark.django_db

HOSTILE = "<script>alert('x')</script> O'Brien & \"Sons\""

# templates/ventures/venture_base.html's content as it was, with the venture page's
# actions (templates/ventures/venture_detail.html) in their block and the tab's content
# standing in for its own.
DJANGO = """
<nav aria-label="Breadcrumb"><ol class="breadcrumb">
  {% if access.manage or nav_sees_pipeline %}<li class="breadcrumb-item"><a href="{% url 'ventures:list' %}">Ventures</a></li>{% else %}<li class="breadcrumb-item"><a href="{% url 'ventures:mine' %}">My ventures</a></li>{% endif %}
  <li class="breadcrumb-item active" aria-current="page">{{ venture.name }}</li></ol></nav>

<div id="venture-page">
<div class="d-flex flex-wrap justify-content-between align-items-start gap-2 mb-3">
  <div>
    <h1 class="mb-1">{{ venture.name }}</h1>
    <p class="mb-0">
      <span class="badge text-bg-primary">{{ venture.stage.name }}</span>
      {% if venture.is_inactive %}<span class="badge text-bg-warning">{{ venture.get_status_display }}</span>{% endif %}
      {% if venture.is_spinout %}<span class="badge text-bg-info">NHS staff spin-out</span>{% endif %}
      <span class="text-body-secondary small ms-1">{{ venture.programme.name }}</span>
    </p>
    {% if venture.status_reason %}<p class="small mb-0 mt-1">Reason: {{ venture.status_reason }}</p>{% endif %}
  </div>
  <div class="d-flex flex-wrap gap-2">
    {% if perms.can_edit_profile %}<a class="btn btn-outline-primary" href="{% url 'ventures:edit' venture.pk %}">Edit profile</a>{% endif %}
    {% if perms.can_move and transitions %}
      <a class="btn btn-primary" href="{% url 'ventures:move' venture.pk %}{% if next_stage %}?to={{ next_stage.pk }}{% endif %}"
         hx-get="{% url 'ventures:move' venture.pk %}{% if next_stage %}?to={{ next_stage.pk }}{% endif %}" hx-target="#app-modal-content"
         data-bs-toggle="modal" data-bs-target="#app-modal">Move stage</a>
    {% endif %}
</div>
</div>
{% if tabs|length > 1 %}
<nav aria-label="Venture sections" class="mb-3">
  <ul class="nav nav-tabs">
    {% for t in tabs %}
      <li class="nav-item"><a class="nav-link{% if t.code == current_tab %} active{% endif %}" href="{{ t.url }}"
        {% if t.code == current_tab %}aria-current="page"{% endif %}
        hx-get="{{ t.url }}" hx-target="#venture-page" hx-select="#venture-page" hx-swap="outerHTML show:top" hx-push-url="true">{{ t.label }}</a></li>
    {% endfor %}
  </ul>
</nav>
{% endif %}
<div id="venture-panel">
PANEL
</div>
</div>
"""


def _words_and_tags(html: str) -> str:
    return re.sub(r"\s*(<[^>]*>)\s*", r"\1", re.sub(r"\s+", " ", html)).strip()


def _context(user, venture, *, overview: bool) -> dict:
    request = RequestFactory().get("/")
    request.user = user
    venture, access = selectors.venture_get(user=user, pk=venture.pk)
    if overview:
        context = _detail_context(request, venture, access)
    else:
        from ventures.tabs import venture_page_context

        context = venture_page_context(request, venture, access, tab="funding")
    return {**navigation(request), **context}


def _both(context) -> tuple[str, str]:
    django = engines["django"].from_string(DJANGO).render(context)
    jinja = render_fragment("ventures/frame.jinja", context) + "PANEL</div></div>"
    return _words_and_tags(django), _words_and_tags(jinja)


@pytest.mark.parametrize("overview", [True, False], ids=["overview", "a tab"])
@pytest.mark.parametrize("who", ["seir", "manager", "entrepreneur", "administrator"])
def test_the_frame_is_drawn_as_the_django_template_drew_it(request, who, overview, venture):
    user = request.getfixturevalue(who)
    django, jinja = _both(_context(user, venture, overview=overview))
    assert jinja == django
    assert ("Move stage" in jinja) is (overview and who in ("seir", "administrator"))


def test_a_paused_spin_out_with_hostile_text(seir, venture):
    venture.name = f"Saheli {HOSTILE}"
    venture.is_spinout = True
    venture.save()
    services.venture_set_status(
        actor=seir, venture=venture, to_status="paused", reason=f"Funding gap {HOSTILE}"
    )

    for overview in (True, False):
        django, jinja = _both(_context(seir, venture, overview=overview))
        assert jinja == django
    assert "Saheli &lt;script&gt;alert(&#x27;x&#x27;)" in jinja
    assert "NHS staff spin-out" in jinja and "Reason: Funding gap &lt;script&gt;" in jinja
