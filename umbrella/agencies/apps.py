from django.apps import AppConfig


class AgenciesConfig(AppConfig):
    name = "umbrella.agencies"
    label = "agencies"
