from django.apps import AppConfig


class ScreeningConfig(AppConfig):
    name = "umbrella.screening"
    verbose_name = "Screening"
