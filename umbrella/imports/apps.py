from django.apps import AppConfig


class ImportsConfig(AppConfig):
    name = "umbrella.imports"
    label = "imports"

    def ready(self) -> None:
        from umbrella.core.extensions import register_timeline_describer
        from umbrella.imports import actions

        register_timeline_describer(actions.RECORDS_EXPORT, lambda changes, who, label: f"Exported by {who}")
