from django.apps import AppConfig


class OutcomesConfig(AppConfig):
    name = "umbrella.outcomes"
    verbose_name = "Outcomes"

    def ready(self) -> None:
        from umbrella.cases.closing import register_closing_check
        from umbrella.core.extensions import (
            NavEntry,
            register_navigation,
            register_record_panel,
            register_timeline_describer,
        )
        from umbrella.outcomes import actions
        from umbrella.outcomes.panels import (
            describe_charging_event,
            describe_court_event,
            describe_outcome_event,
            outcome_panel,
        )
        from umbrella.outcomes.policy import can_see_funnel
        from umbrella.outcomes.selectors import outcome_missing

        register_record_panel("outcomes", outcome_panel)
        register_navigation(NavEntry("Outcomes funnel", "/outcomes/funnel/", allowed=can_see_funnel, order=70))
        register_closing_check("outcomes", outcome_missing)
        register_timeline_describer(actions.RECORD_OUTCOME, describe_outcome_event)
        register_timeline_describer(actions.RECORD_CHARGING_DECISION, describe_charging_event)
        register_timeline_describer(actions.RECORD_COURT_RESULT, describe_court_event)
