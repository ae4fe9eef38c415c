"""Sections of a venture's shared profile: the seam through which other apps add to what a
commissioner reads about a venture they are introduced to.

commissioning shows a venture's profile (name, summary, need) on an open introduction to
the addressed commissioner. Other apps (outcomes...) register a *section* from
AppConfig.ready() with a template and a function that returns its context for a venture,
using a FIXED number of queries; commissioning renders the sections without importing
those apps (satellites never import each other). A section decides what the team chose to
share: it returns ``None`` when there is nothing to show.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.template.loader import render_to_string

from .models import Venture


@dataclass(frozen=True)
class ProfileSection:
    code: str
    title: str
    template: str
    # context(venture) -> dict | None: what the template needs, None when nothing is shared.
    context: Callable[[Venture], dict | None]
    order: int = 100


_sections: dict[str, ProfileSection] = {}


def register_profile_section(section: ProfileSection) -> ProfileSection:
    _sections[section.code] = section
    return section


def profile_sections_for(venture: Venture) -> list[dict]:
    """The sections with something to show for ``venture``, in order: each a dict with the
    section's ``code``, ``title`` and rendered ``html``. The caller has checked that the
    person may read the venture's profile."""
    shown = []
    for section in sorted(_sections.values(), key=lambda s: (s.order, s.title)):
        context = section.context(venture)
        if context is not None:
            shown.append(
                {
                    "code": section.code,
                    "title": section.title,
                    "html": render_to_string(section.template, {"venture": venture, **context}),
                }
            )
    return shown
