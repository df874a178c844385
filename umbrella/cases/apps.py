from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "umbrella.cases"
    label = "cases"
