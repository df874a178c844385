from django.apps import AppConfig


class ScreeningConfig(AppConfig):
    name = "umbrella.screening"
    verbose_name = "Screening"

    def ready(self) -> None:
        from umbrella.screening import hooks

        hooks.register()
