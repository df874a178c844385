from typing import Any

from django.apps import AppConfig


def _on_record_changed(sender: Any, record: Any, actor: Any, change: str, **kwargs: Any) -> None:
    from umbrella.cases import signals
    from umbrella.risk.services import prompts_for_new_incident

    if change in (signals.CREATED, signals.PEOPLE):
        prompts_for_new_incident(record=record)


class RiskConfig(AppConfig):
    name = "umbrella.risk"
    verbose_name = "Risk assessment and plans"

    def ready(self) -> None:
        from umbrella.cases.signals import record_changed
        from umbrella.core.extensions import NavEntry, register_navigation, register_record_panel
        from umbrella.core.worklist import register_worklist_provider
        from umbrella.risk.panels import risk_panel
        from umbrella.risk.policy import can_edit_questionnaire, can_work_actions
        from umbrella.risk.worklist import risk_worklist_items

        record_changed.connect(_on_record_changed, dispatch_uid="risk.new_incident_prompts")
        register_worklist_provider("risk", risk_worklist_items)
        register_record_panel("risk", risk_panel)
        register_navigation(NavEntry("Risk actions", "/risk/actions/", allowed=can_work_actions, order=60))
        register_navigation(
            NavEntry("Risk questionnaire", "/risk/questionnaires/", allowed=can_edit_questionnaire, order=90)
        )
