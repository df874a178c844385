from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "umbrella.accounts"
    label = "accounts"
