from django.apps import AppConfig


class LibConfig(AppConfig):
    name = "socmon.lib"
    label = "lib"
