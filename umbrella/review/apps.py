from django.apps import AppConfig


class ReviewConfig(AppConfig):
    name = "umbrella.review"
    verbose_name = "Hub review"

    def ready(self) -> None:
        from umbrella.review import hooks

        hooks.register()
