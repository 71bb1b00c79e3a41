from django.apps import AppConfig


class OrgsConfig(AppConfig):
    name = "socmon.orgs"
    label = "orgs"
