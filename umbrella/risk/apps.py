from django.apps import AppConfig


class RiskConfig(AppConfig):
    name = "umbrella.risk"
    verbose_name = "Risk assessment and plans"

    def ready(self) -> None:
        from umbrella.risk import hooks

        hooks.register()
