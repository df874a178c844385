"""What the review app plugs into shared pages and the record's signals."""

from __future__ import annotations


def register() -> None:
    """Plugs this app into the shared pages and the record's signals (called from ``AppConfig.ready``)."""
    from umbrella.cases.signals import record_changed, records_created
    from umbrella.core.extensions import (
        NavEntry,
        register_board_measures,
        register_flagged_reader_visibility,
        register_navigation,
    )
    from umbrella.core.worklist import register_worklist_provider
    from umbrella.review.policy import can_read_dashboard, can_review
    from umbrella.review.selectors import board_measures, open_review_item_exists, review_worklist
    from umbrella.review.services import on_record_changed, on_records_created

    record_changed.connect(on_record_changed, dispatch_uid="review.on_record_changed")
    records_created.connect(on_records_created, dispatch_uid="review.on_records_created")
    register_worklist_provider("review", review_worklist)
    register_navigation(NavEntry("Review queue", "/review/", allowed=can_review, order=40))
    register_navigation(NavEntry("Hub dashboard", "/review/dashboard/", allowed=can_read_dashboard, order=41))
    register_flagged_reader_visibility("review.open_item", open_review_item_exists)
    register_board_measures("review", board_measures)

    from umbrella.core.extensions import DisposalTarget, register_disposal_target
    from umbrella.review.models import Decision, Suggestion

    # Immutable rows: a disposal at the end of retention is the one change they take (no save()).
    register_disposal_target("review.suggestions", DisposalTarget(Suggestion, ("record_id",), ("explanation",)))
    register_disposal_target("review.decisions", DisposalTarget(Decision, ("record_id",), ("note",)))
