"""Roles: one set of stable codes.

Where a role comes from (the one source of truth, read by accounts.permissions):
- a programme role is a ProgrammeMembership row, and counts only in that programme
  (a membership as "administrator" runs that programme's pipeline, like its SEiR);
- the global administrator role is ``User.is_global_admin`` (superusers count too):
  it sees and runs every programme and is the only way into the Django admin.
Auth groups grant no role.
"""

from django.db import models


class Role(models.TextChoices):
    ADMINISTRATOR = "administrator", "Administrator"
    SEIR = "seir", "SEiR"
    MANAGER = "manager", "PCT manager"
    COMMISSIONER = "commissioner", "Commissioner"
    ENTREPRENEUR = "entrepreneur", "Entrepreneur"


# When a user holds several roles, the first one here decides their start page.
ROLE_PRECEDENCE = [
    Role.ADMINISTRATOR,
    Role.SEIR,
    Role.MANAGER,
    Role.COMMISSIONER,
    Role.ENTREPRENEUR,
]

# Roles that run a programme's pipeline (see and change every venture in it): "SEiR or
# administrator". The rule that reads them is accounts.permissions.runs_programme.
STAFF_ROLES = frozenset({Role.ADMINISTRATOR, Role.SEIR})
# Roles that read a programme (its ventures, figures and feed): its staff, and "a PCT
# manager may read". The rule that reads them is accounts.permissions.reads_programme.
READ_ROLES = STAFF_ROLES | {Role.MANAGER}

# Apps whose models a global administrator manages in the Django admin (every permission
# of these apps is granted by accounts.backends.GlobalAdminBackend).
ADMIN_APPS = (
    "accounts",
    "events",
    "ventures",
    "checklists",
    "plans",
    "funding",
    "outcomes",
    "scouting",
    "commissioning",
    "sitepages",
    "auth",
    "axes",
    # Two-factor devices: deleting a person's lets them set up a lost phone again.
    "otp_totp",
    "otp_static",
)
