"""The scouting start page: the attribution funnel for staff and managers, plus the
SEiR's shortcuts (log a meeting, open follow-ups, a draft waiting)."""

from __future__ import annotations

from django.shortcuts import render
from django.views.decorators.http import require_GET

from .. import selectors
from ..funnel import funnel_for
from ..permissions import can_manage_scouting, require_scouting


@require_GET
def home(request):
    require_scouting(request.user)
    return render(request, "scouting/home.html", _home_context(request))


def _home_context(request) -> dict:
    manages = can_manage_scouting(request.user)
    context = {"funnel": funnel_for(request.user), "manages": manages}
    if manages:
        context.update(
            draft=selectors.draft_for(user=request.user),
            open_followups=selectors.followups_of(user=request.user).filter(done=False).count(),
            recent_meetings=selectors.meeting_list(user=request.user).qs[:5],
        )
    return context
