from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "umbrella.web"
    label = "web"
