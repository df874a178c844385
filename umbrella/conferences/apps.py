from django.apps import AppConfig


class ConferencesConfig(AppConfig):
    name = "umbrella.conferences"
    verbose_name = "Multi-agency risk conferences"

    def ready(self) -> None:
        from umbrella.conferences import hooks

        hooks.register()
