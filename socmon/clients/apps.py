from django.apps import AppConfig


class ClientsConfig(AppConfig):
    name = "socmon.clients"
    label = "clients"
