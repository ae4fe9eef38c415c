"""Who may do what with the service's own pages: one function per rule."""

from __future__ import annotations

from accounts.permissions import user_is_global_admin


def can_read_site_page(user) -> bool:
    """Anyone, signed in or not: a public-sector service publishes these to everyone."""
    return True


def can_edit_site_page(user) -> bool:
    """Global administrators only: the text speaks for the whole service, not for one
    programme, so a programme's own administrators do not change it."""
    return user_is_global_admin(user)
