from django.apps import AppConfig


class ImportsConfig(AppConfig):
    name = "umbrella.imports"
    label = "imports"

    def ready(self) -> None:
        from umbrella.imports import hooks

        hooks.register()
