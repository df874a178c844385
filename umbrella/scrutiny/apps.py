from django.apps import AppConfig


class ScrutinyConfig(AppConfig):
    name = "umbrella.scrutiny"
    label = "scrutiny"
    verbose_name = "Scrutiny"

    def ready(self) -> None:
        from umbrella.scrutiny import hooks

        hooks.register()
