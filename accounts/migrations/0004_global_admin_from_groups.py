"""Roles come from memberships and the global administrator flag, never from groups.

Until now a user held the global administrator role through the "Administrator" auth
group, which an administrator membership in any one programme also added. Convert that
once: members of the group, holders of an administrator membership and superusers
become global administrators; admin access (is_staff) is then derived from the role;
the role groups, which no longer grant anything, are deleted.
"""

from django.db import migrations
from django.db.models import Q

ROLE_GROUPS = ["Administrator", "SEiR", "PCT manager", "Commissioner", "Entrepreneur"]


def forwards(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    Group = apps.get_model("auth", "Group")
    admins = User.objects.filter(
        Q(is_superuser=True)
        | Q(groups__name="Administrator")
        | Q(programme_memberships__role="administrator")
    ).values("pk")
    User.objects.filter(pk__in=admins).update(is_global_admin=True)
    # The historical model has no custom save(): derive is_staff here as User.save does.
    User.objects.update(is_staff=False)
    User.objects.filter(Q(is_superuser=True) | Q(is_global_admin=True), is_active=True).update(
        is_staff=True
    )
    Group.objects.filter(name__in=ROLE_GROUPS).delete()


def backwards(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    Group = apps.get_model("auth", "Group")
    for name in ROLE_GROUPS:
        Group.objects.get_or_create(name=name)
    group = Group.objects.get(name="Administrator")
    for user in User.objects.filter(is_global_admin=True):
        user.groups.add(group)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_user_is_global_admin"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]
    operations = [migrations.RunPython(forwards, backwards)]
