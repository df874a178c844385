from django.apps import AppConfig


class SharingConfig(AppConfig):
    name = "umbrella.sharing"
    label = "sharing"
