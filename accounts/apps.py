from django.apps import AppConfig
from django.db.models.signals import post_migrate


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Accounts and programmes"

    def ready(self):
        # Setup wiring, not business logic: permissions exist only after migrate, so the
        # Administrator group is given them then (and again whenever models are added).
        post_migrate.connect(sync_administrator_permissions, sender=self)


ADMIN_APPS = ("accounts", "events", "ventures", "scouting", "commissioning", "auth", "axes")


def sync_administrator_permissions(sender, using="default", **kwargs):
    from django.contrib.auth.models import Group, Permission

    from .roles import GROUP_NAMES, Role

    group, _ = Group.objects.using(using).get_or_create(name=GROUP_NAMES[Role.ADMINISTRATOR])
    group.permissions.set(
        Permission.objects.using(using).filter(content_type__app_label__in=ADMIN_APPS)
    )
