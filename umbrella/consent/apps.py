from django.apps import AppConfig


class ConsentConfig(AppConfig):
    name = "umbrella.consent"
    verbose_name = "Victims' consent"
