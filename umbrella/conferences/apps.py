from django.apps import AppConfig


class ConferencesConfig(AppConfig):
    name = "umbrella.conferences"
    verbose_name = "Multi-agency risk conferences"

    def ready(self) -> None:
        from umbrella.conferences.extensions import NAVIGATION, record_panel, worklist_items
        from umbrella.core.extensions import register_navigation, register_record_panel
        from umbrella.core.worklist import register_worklist_provider

        register_navigation(NAVIGATION)
        register_record_panel("conferences", record_panel)
        register_worklist_provider("conferences", worklist_items)
