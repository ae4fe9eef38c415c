"""Who may read a programme's progress figures: whoever reads the programme
(``accounts.permissions.reads_programme``: its PCT managers, SEiRs and administrators,
every programme for a global administrator). Everyone else gets 404.

Scouting figures are aggregates only: no dashboard figure opens a list of meetings or
people, so a manager never reaches a contact's details from here."""

from __future__ import annotations

from django.db.models import QuerySet

from accounts.models import Programme, User
from accounts.permissions import programmes_read_by, reads_programme


def progress_programmes(user: User) -> QuerySet[Programme]:
    """Programmes whose figures ``user`` may read."""
    return programmes_read_by(user)


def can_view_progress(user: User, programme: Programme | None = None) -> bool:
    """Whether ``user`` may open the dashboard (for ``programme``, when given)."""
    return reads_programme(user, None if programme is None else programme.pk)
