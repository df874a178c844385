from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "umbrella.cases"
    label = "cases"

    def ready(self) -> None:
        from umbrella.cases import hooks

        hooks.register()
