from typing import Any

from django.apps import AppConfig


def _on_record_changed(sender: Any, record: Any, actor: Any, change: str, **kwargs: Any) -> None:
    from umbrella.cases import signals
    from umbrella.risk.services import prompts_for_new_incident

    if change in (signals.CREATED, signals.PEOPLE):
        prompts_for_new_incident(record=record)


def _on_records_created(sender: Any, record_ids: list[int], **kwargs: Any) -> None:
    """Many new records (an import): the same prompts as one new record, asked only of those with a
    victim (one query when none has, as with today's import mappings, which carry no people)."""
    from umbrella.cases.models import PersonRole, Record, RecordPerson
    from umbrella.risk.services import prompts_for_new_incident

    with_victim = RecordPerson.objects.filter(record_id__in=record_ids, role=PersonRole.VICTIM).values("record_id")
    for record in Record.objects.filter(pk__in=with_victim).order_by("pk"):
        prompts_for_new_incident(record=record)


class RiskConfig(AppConfig):
    name = "umbrella.risk"
    verbose_name = "Risk assessment and plans"

    def ready(self) -> None:
        from umbrella.cases.signals import record_changed, records_created
        from umbrella.core.extensions import NavEntry, register_navigation, register_record_panel
        from umbrella.core.worklist import register_worklist_provider
        from umbrella.risk.panels import risk_panel
        from umbrella.risk.policy import can_edit_questionnaire, can_work_actions
        from umbrella.risk.worklist import risk_worklist_items

        record_changed.connect(_on_record_changed, dispatch_uid="risk.new_incident_prompts")
        records_created.connect(_on_records_created, dispatch_uid="risk.new_incident_prompts_many")
        register_worklist_provider("risk", risk_worklist_items)
        register_record_panel("risk", risk_panel)
        register_navigation(NavEntry("Risk actions", "/risk/actions/", allowed=can_work_actions, order=60))
        register_navigation(
            NavEntry("Risk questionnaire", "/risk/questionnaires/", allowed=can_edit_questionnaire, order=90)
        )
