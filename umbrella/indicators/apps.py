from django.apps import AppConfig


class IndicatorsConfig(AppConfig):
    name = "umbrella.indicators"
    verbose_name = "Bias indicators"

    def ready(self) -> None:
        from umbrella.core.extensions import NavEntry, register_navigation
        from umbrella.indicators.policy import can_read_indicators

        register_navigation(NavEntry(text="Bias indicators", href="/indicators/", allowed=can_read_indicators, order=80))
