from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "umbrella.demo"
    label = "demo"
