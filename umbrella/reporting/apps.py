from django.apps import AppConfig


class ReportingConfig(AppConfig):
    name = "umbrella.reporting"
    verbose_name = "Public reporting"
