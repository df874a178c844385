from django.apps import AppConfig


class OutcomesConfig(AppConfig):
    name = "umbrella.outcomes"
    verbose_name = "Outcomes"

    def ready(self) -> None:
        from umbrella.cases.closing import register_closing_check
        from umbrella.core.extensions import register_record_panel
        from umbrella.outcomes.panels import outcome_panel
        from umbrella.outcomes.selectors import outcome_missing

        register_record_panel("outcomes", outcome_panel)
        register_closing_check("outcomes", outcome_missing)
