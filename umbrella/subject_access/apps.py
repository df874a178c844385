from django.apps import AppConfig


class SubjectAccessConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "umbrella.subject_access"
    label = "subject_access"
    verbose_name = "Subject access: people's requests for their data, its correction and its erasure"

    def ready(self) -> None:
        from umbrella.subject_access import hooks

        hooks.register()
