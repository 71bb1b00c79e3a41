from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "socmon.demo"
    label = "demo"
