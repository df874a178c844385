"""What the care app plugs into shared pages and the record's signals."""

from __future__ import annotations


def register() -> None:
    """Plugs this app into the shared pages and the record's signals (called from ``AppConfig.ready``)."""
    from umbrella.care import selectors, services
    from umbrella.care.policy import can_use_worklist
    from umbrella.cases.signals import record_changed, records_created
    from umbrella.core.extensions import (
        NavEntry,
        register_board_measures,
        register_navigation,
        register_record_panel,
    )
    from umbrella.core.worklist import register_worklist_provider

    record_changed.connect(services.on_record_changed, dispatch_uid="care.on_record_changed")
    records_created.connect(services.on_records_created, dispatch_uid="care.on_records_created")
    register_record_panel("care", selectors.record_panel)
    register_board_measures("care", selectors.board_measures)
    register_worklist_provider("care.timers", selectors.timer_work_items)
    register_worklist_provider("care.referrals", selectors.referral_work_items)
    register_navigation(NavEntry(text="Worklist", href="/care/worklist/", allowed=can_use_worklist, order=5))
    from umbrella.core.extensions import register_retention_blocker

    register_retention_blocker("care.referrals", selectors.open_referral_blockers)


    from umbrella.care.models import Referral, VictimContact
    from umbrella.core.extensions import DisposalTarget, register_disposal_target

    register_disposal_target("care.referrals", DisposalTarget(
        Referral, ("record_id",), ("reason", "override_reason", "decline_reason", "outcome")))
    register_disposal_target("care.contacts", DisposalTarget(VictimContact, ("record_id",), ("summary",)))
