from django import template

from ..rendering import render_markdown

register = template.Library()


@register.filter(name="plan_markdown")
def plan_markdown(text: str):
    """Plan text (Markdown) as sanitised HTML."""
    return render_markdown(text)
