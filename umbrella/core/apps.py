from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "umbrella.core"
    label = "core"
