from django.apps import AppConfig


class IndicatorsConfig(AppConfig):
    name = "umbrella.indicators"
    verbose_name = "Bias indicators"

    def ready(self) -> None:
        from umbrella.indicators import hooks

        hooks.register()
