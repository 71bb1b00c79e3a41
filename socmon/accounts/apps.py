from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "socmon.accounts"
    label = "accounts"
