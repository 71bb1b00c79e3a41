from django.apps import AppConfig


class VisitsConfig(AppConfig):
    name = "socmon.visits"
    label = "visits"
