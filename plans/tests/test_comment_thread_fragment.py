"""One piece of feedback with its replies and reply form, drawn by a Jinja2 fragment
(templates/jinja2/plans/comment_thread.jinja) on the plan page and the version page, is
what the Django template drew before: people's text escaped and their Markdown
sanitised, the refused reply with its errors and what was typed (whitespace aside, each
rendering's fresh submission token left out)."""

import datetime
import re
from types import SimpleNamespace

import pytest
from django.template import Context, Template, engines
from django.template.engine import Engine
from django.utils import timezone

from accounts.models import User
from plans.forms import ReplyForm
from seir.jinja2 import render_fragment
from seir.markdown import render_markdown

HOSTILE = "<script>alert('x')</script> O'Brien & \"Sons\""

# templates/plans/partials/comment_thread.html as it was (the comment's replies, read with
# it, are now its ``reply_list``).
DJANGO = """{% load plans_tags submissions %}<div class="plan-comment card card-body py-2 mb-2" id="comment-{{ c.pk }}">
  <div class="plan-text small">{{ c.body|plan_markdown }}</div>
  <div class="small text-body-secondary">{{ c.author|default:"—" }}, {{ c.created_at|date:"j M Y, H:i" }}</div>
  {% if c.reply_list %}
    <ul class="list-unstyled plan-replies mt-2 mb-0" aria-label="Replies to this feedback">
      {% for r in c.reply_list %}
        <li class="plan-reply" id="reply-{{ r.pk }}">
          <div class="plan-text small">{{ r.body|plan_markdown }}</div>
          <div class="small text-body-secondary">Reply from {{ r.author|default:"—" }}, {{ r.created_at|date:"j M Y, H:i" }}</div>
        </li>
      {% endfor %}
    </ul>
  {% endif %}
  {% if can_reply %}
    {% if reply_form and reply_form.comment_pk == c.pk %}{% firstof "1" as refused %}{% endif %}
    <details class="plan-reply-form mt-1"{% if refused %} open{% endif %}>
      <summary class="small">Reply<span class="visually-hidden"> to this feedback on {{ title }}</span></summary>
      <form method="post" action="{% url 'plans:reply' venture.pk c.pk %}" class="mt-1">{% csrf_token %}{% submission_token_input %}
        <input type="hidden" name="back" value="{{ back }}">
        {% if refused %}{% for e in reply_form.non_field_errors %}<div class="alert alert-danger small py-1" role="alert">{{ e }}</div>{% endfor %}{% for e in reply_form.body.errors %}<div class="text-danger small" tabindex="-1" data-plan-refusal id="reply-body-{{ c.pk }}-error">{{ e }}</div>{% endfor %}{% endif %}
        <label class="form-label small" for="reply-body-{{ c.pk }}">Your reply<span class="visually-hidden"> to feedback on {{ title }}</span></label>
        <textarea class="form-control form-control-sm{% if refused and reply_form.body.errors %} is-invalid{% endif %}" name="body" id="reply-body-{{ c.pk }}" rows="3" required maxlength="10000"{% if refused and reply_form.body.errors %} aria-describedby="reply-body-{{ c.pk }}-error"{% endif %}>{% if refused %}{{ reply_form.body.value|default_if_none:"" }}{% endif %}</textarea>
        <button type="submit" class="btn btn-sm btn-outline-primary mt-1">Send reply<span class="visually-hidden"> to feedback on {{ title }}</span></button>
      </form>
    </details>
  {% endif %}
</div>
"""


def _words_and_tags(html: str) -> str:
    html = re.sub(r'name="submission_token" value="[^"]*"', 'name="submission_token"', html)
    return re.sub(r"\s*(<[^>]*>)\s*", r"\1", re.sub(r"\s+", " ", html)).strip()


def _both(**context) -> tuple[str, str]:
    django = engines["django"].from_string(DJANGO).render(context)
    jinja = render_fragment("plans/comment_thread.jinja", context)
    return _words_and_tags(django), _words_and_tags(jinja)


def _written(body: str, **fields) -> SimpleNamespace:
    """A comment or reply as saved: its Markdown rendered with it (``body_html``, which
    the fragment shows as ``html``)."""
    return SimpleNamespace(body=body, html=render_markdown(body), **fields)


def _comment(pk, replies=()):
    at = timezone.make_aware(datetime.datetime(2026, 3, 4, 23, 30))
    return _written(
        f"**Strong** start. [link](javascript:alert(1)) {HOSTILE}",
        pk=pk,
        author=User(username="sam", first_name="Sam", last_name=HOSTILE),
        created_at=at,
        reply_list=[
            _written(f"Reply {n} {HOSTILE}", pk=10 + n, author=author, created_at=at)
            for n, author in enumerate(replies)
        ],
    )


def _refused(comment_pk, **data):
    form = ReplyForm(data)
    form.is_valid()
    form.add_error(None, f"Changed meanwhile {HOSTILE}")
    form.comment_pk = comment_pk
    return form


@pytest.mark.parametrize("back", ["plan", "version"])
def test_a_thread_is_drawn_as_the_django_template_drew_it(back):
    venture = SimpleNamespace(pk=7)
    ann = User(username="ann", first_name="Ann")
    cases = [
        {"c": _comment(1), "can_reply": False, "reply_form": None},
        {"c": _comment(2, replies=[ann, None]), "can_reply": True, "reply_form": None},
        {"c": _comment(3, replies=[ann]), "can_reply": True, "reply_form": _refused(3, body="")},
        {"c": _comment(4), "can_reply": True, "reply_form": _refused(4, body=f"typed {HOSTILE}")},
        {"c": _comment(5), "can_reply": True, "reply_form": _refused(99, body="")},
    ]
    for case in cases:
        django, jinja = _both(
            venture=venture, title=f"Finance {HOSTILE}", back=back, csrf_token="T", **case
        )
        assert jinja == django, case
    assert 'name="submission_token"' in jinja
    assert "<strong>Strong</strong>" in jinja and "javascript:" not in jinja


# The plan page's loop over the latest feedback, as templates/plans/plan_page.html had it.
DJANGO_FEEDBACK = """{% for t in feedback.threads %}
      {% ifchanged t.title %}<h3 class="h6 mt-3">{{ t.title }}</h3>{% endifchanged %}
      {% include "plans/test_thread.html" with c=t.comment title=t.title back="plan" %}
    {% endfor %}"""


def test_the_feedback_names_each_section_once_for_a_run_of_threads_on_it():
    threads = [
        SimpleNamespace(title=f"Finance {HOSTILE}", comment=_comment(1)),
        SimpleNamespace(title=f"Finance {HOSTILE}", comment=_comment(2)),
        SimpleNamespace(title="Team", comment=_comment(3)),
        SimpleNamespace(title=f"Finance {HOSTILE}", comment=_comment(4)),
    ]
    context = {
        "feedback": SimpleNamespace(threads=threads),
        "venture": SimpleNamespace(pk=7),
        "can_reply": True,
        "reply_form": None,
        "csrf_token": "T",
    }
    engine = Engine(
        loaders=[("django.template.loaders.locmem.Loader", {"plans/test_thread.html": DJANGO})],
        builtins=["seir.templatetags.jinja_fragments"],
        libraries={
            "plans_tags": "plans.templatetags.plans_tags",
            "submissions": "submissions.templatetags.submissions",
        },
    )
    django = _words_and_tags(Template(DJANGO_FEEDBACK, engine=engine).render(Context(context)))
    jinja = _words_and_tags(render_fragment("plans/feedback.jinja", context))

    assert jinja == django
    assert jinja.count("<h3") == 3
