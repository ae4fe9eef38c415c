"""Who may read and generate a programme's target reports: the same people as the
dashboard (its PCT managers, SEiRs and administrators; every programme for a global
administrator). Entrepreneurs and commissioners get 404 on every /reports/ URL."""

from __future__ import annotations

from accounts.models import Programme, User

from .permissions import can_view_progress, progress_programmes


def report_programmes(user: User):
    """Programmes whose reports ``user`` may read."""
    return progress_programmes(user)


def can_view_reports(user: User, programme: Programme) -> bool:
    return can_view_progress(user, programme)


def can_generate_report(user: User, programme: Programme) -> bool:
    """A SEiR, a PCT manager or an administrator of the programme may ask for one."""
    return can_view_progress(user, programme)
