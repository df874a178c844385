from django.apps import AppConfig


class IndicatorsConfig(AppConfig):
    name = "umbrella.indicators"
    verbose_name = "Bias indicators"
