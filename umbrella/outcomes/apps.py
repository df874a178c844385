from django.apps import AppConfig


class OutcomesConfig(AppConfig):
    name = "umbrella.outcomes"
    verbose_name = "Outcomes"

    def ready(self) -> None:
        from umbrella.outcomes import hooks

        hooks.register()
