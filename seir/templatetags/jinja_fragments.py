"""``{% jinja "ventures/board_cards.jinja" cards=col.cards %}``: a Jinja2 fragment
(``seir.jinja2``) drawn inside a Django template, the keyword arguments its context."""

from django import template

from seir.jinja2 import render_fragment

register = template.Library()


@register.simple_tag
def jinja(name: str, **context) -> str:
    return render_fragment(name, context)
