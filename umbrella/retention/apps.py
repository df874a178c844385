from django.apps import AppConfig


class RetentionConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "umbrella.retention"
    label = "retention"
    verbose_name = "Retention: the schedule, reviews, legal holds and the disposal register"

    def ready(self) -> None:
        from umbrella.retention import hooks

        hooks.register()
