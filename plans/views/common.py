"""Helpers the plan views share."""

from __future__ import annotations

from django.http import Http404

from ventures.tabs import venture_page_context

from .. import selectors


def load(request, pk: int, *, need: str = "read_versions"):
    """(venture, venture access, plan access, plan) for a plan page, or 404 when the
    person may not do ``need`` (a PlanAccess flag) — every plan URL answers 404 alike."""
    venture, access, rights = selectors.plan_venture_get(user=request.user, pk=pk)
    if not getattr(rights, need):
        raise Http404("No such business plan.")
    return venture, access, rights, selectors.plan_of(venture=venture)


def page_context(request, venture, access, rights, plan, **extra) -> dict:
    return {
        **venture_page_context(request, venture, access, tab="plan"),
        "plan": plan,
        "rights": rights,
        **extra,
    }
