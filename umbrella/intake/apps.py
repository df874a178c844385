from django.apps import AppConfig


class IntakeConfig(AppConfig):
    name = "umbrella.intake"
    verbose_name = "Intake, consent and triage"

    def ready(self) -> None:
        from umbrella.intake import hooks

        hooks.register()
