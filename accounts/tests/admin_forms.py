"""What the admin's user form posts, for tests that change a user there."""


def user_change_data(user, **overrides) -> dict:
    """The user change form as ``user`` fills it in (active, a global administrator),
    with ``overrides``; an override of None leaves that field out (an unticked box)."""
    data = {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "is_active": "on",
        "is_global_admin": "on",
        "last_login_0": "",
        "last_login_1": "",
        "date_joined_0": "2026-01-01",
        "date_joined_1": "09:00:00",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}
