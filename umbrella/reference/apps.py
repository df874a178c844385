from django.apps import AppConfig


class ReferenceConfig(AppConfig):
    name = "umbrella.reference"
    label = "reference"
