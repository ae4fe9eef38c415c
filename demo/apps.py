from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Demo data (seed_demo). Sits above every domain app; nothing imports it."""

    name = "demo"
