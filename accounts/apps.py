from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Accounts and programmes"

    def ready(self):
        # Signal receivers: every sign-in starts the idle clock and the second factor.
        from . import sessions  # noqa: F401
