from django.apps import AppConfig


class ImportsConfig(AppConfig):
    name = "umbrella.imports"
    label = "imports"
