"""Helpers for the tests that hold a Jinja2 fragment to the Django template it replaced."""

from __future__ import annotations

import re
from collections.abc import Callable

from django.template import engines
from django.test import RequestFactory

from seir.jinja2 import render_fragment
from ventures import selectors


def words_and_tags(html: str) -> str:
    """The markup with whitespace beside a tag dropped and runs of it made one space,
    which a browser draws alike."""
    return re.sub(r"\s*(<[^>]*>)\s*", r"\1", re.sub(r"\s+", " ", html)).strip()


def tab_context(build: Callable[..., dict], user, venture, *, csrf_token: str, **kwargs) -> dict:
    """A venture tab's context as ``user`` gets it: ``build(request, venture, access,
    **kwargs)`` (the tab view's own context function), with ``csrf_token``."""
    request = RequestFactory().get("/")
    request.user = user
    venture, access = selectors.venture_get(user=user, pk=venture.pk)
    context = build(request, venture, access, **kwargs)
    context["csrf_token"] = csrf_token
    return context


def both(django: str, fragment: str, context: dict) -> tuple[str, str]:
    """(the Django template ``django`` drawn with ``context``, the Jinja2 ``fragment``
    drawn with it), each as ``words_and_tags`` writes it."""
    drawn = engines["django"].from_string(django).render(context)
    return words_and_tags(drawn), words_and_tags(render_fragment(fragment, context))
