from django.apps import AppConfig


class DashboardsConfig(AppConfig):
    name = "socmon.dashboards"
    label = "dashboards"
