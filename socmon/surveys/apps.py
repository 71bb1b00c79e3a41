from django.apps import AppConfig


class SurveysConfig(AppConfig):
    name = "socmon.surveys"
    label = "surveys"
