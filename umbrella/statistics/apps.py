from django.apps import AppConfig


class StatisticsConfig(AppConfig):
    name = "umbrella.statistics"
    label = "statistics"
    verbose_name = "Statistics"

    def ready(self) -> None:
        from umbrella.statistics import hooks

        hooks.register()
