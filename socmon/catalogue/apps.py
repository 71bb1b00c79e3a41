from django.apps import AppConfig


class CatalogueConfig(AppConfig):
    name = "socmon.catalogue"
    label = "catalogue"
