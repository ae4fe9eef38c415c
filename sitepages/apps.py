from django.apps import AppConfig


class SitePagesConfig(AppConfig):
    name = "sitepages"
    verbose_name = "Accessibility statement and privacy notice"
