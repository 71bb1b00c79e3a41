from django.apps import AppConfig


class FeedbackConfig(AppConfig):
    name = "socmon.feedback"
    label = "feedback"
