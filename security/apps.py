from django.apps import AppConfig


class SecurityConfig(AppConfig):
    """Two-factor sign-in (django-otp's TOTP and backup-code devices) and the account
    page's session controls. It sits above accounts and events: its services record
    events, and the programme's "require for everyone" setting lives on accounts'
    Programme."""

    name = "security"
    verbose_name = "Two-factor sign-in and sessions"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import events

        events.register()
