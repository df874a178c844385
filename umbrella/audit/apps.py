from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "umbrella.audit"
    label = "audit"

    def ready(self) -> None:
        from umbrella.audit import checks  # noqa: F401 - registers the deployment checks
