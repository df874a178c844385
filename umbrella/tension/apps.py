from django.apps import AppConfig


class TensionConfig(AppConfig):
    name = "umbrella.tension"
    label = "tension"
    verbose_name = "Tension monitoring"

    def ready(self) -> None:
        from umbrella.tension import hooks

        hooks.register()
