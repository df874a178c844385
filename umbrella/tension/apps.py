from django.apps import AppConfig


class TensionConfig(AppConfig):
    name = "umbrella.tension"
    label = "tension"
    verbose_name = "Tension monitoring"
