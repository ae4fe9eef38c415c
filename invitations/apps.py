from django.apps import AppConfig


class InvitationsConfig(AppConfig):
    """Inviting people into a programme role, and managing a programme's members and
    settings from its page. It sits above ventures, commissioning and scouting: accepting
    an invitation calls their services (a venture's team, a commissioner's contacts)."""

    name = "invitations"
    verbose_name = "Invitations and programme members"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from accounts import hooks

        from . import events, page

        events.register()
        hooks.on_programme_page(page.programme_page_context)
