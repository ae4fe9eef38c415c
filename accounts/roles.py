"""Roles: one set of stable codes used for groups (global) and programme memberships."""

from django.db import models


class Role(models.TextChoices):
    ADMINISTRATOR = "administrator", "Administrator"
    SEIR = "seir", "SEiR"
    MANAGER = "manager", "PCT manager"
    COMMISSIONER = "commissioner", "Commissioner"
    ENTREPRENEUR = "entrepreneur", "Entrepreneur"


# The auth Group that carries each role (created by a data migration).
GROUP_NAMES = {
    Role.ADMINISTRATOR: "Administrator",
    Role.SEIR: "SEiR",
    Role.MANAGER: "PCT manager",
    Role.COMMISSIONER: "Commissioner",
    Role.ENTREPRENEUR: "Entrepreneur",
}

# When a user holds several roles, the first one here decides their start page.
ROLE_PRECEDENCE = [
    Role.ADMINISTRATOR,
    Role.SEIR,
    Role.MANAGER,
    Role.COMMISSIONER,
    Role.ENTREPRENEUR,
]

# Roles that run a programme's pipeline (see and change every venture in it).
STAFF_ROLES = frozenset({Role.ADMINISTRATOR, Role.SEIR})
