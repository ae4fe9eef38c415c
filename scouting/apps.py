from django.apps import AppConfig


class ScoutingConfig(AppConfig):
    name = "scouting"
