"""What the cases app plugs into shared pages and the record's signals."""

from __future__ import annotations


def register() -> None:
    """Plugs this app into the shared pages and the record's signals (called from ``AppConfig.ready``)."""
    from umbrella.cases.policy import can_read_records, can_write_records
    from umbrella.cases.selectors import record_ids
    from umbrella.core.extensions import NavEntry, register_navigation, register_record_ids

    # The prefixes are fixed in umbrella/urls.py (the record pages are at the root).
    register_navigation(NavEntry("Records", "/records/", allowed=can_read_records, order=10))
    register_navigation(NavEntry("New record", "/records/new/", allowed=can_write_records, order=11))
    register_record_ids(record_ids)

    from umbrella.cases.scoping import forget_shares
    from umbrella.cases.signals import record_changed, records_created

    # A change (a status, a share, a strand a flagged reader's view depends on) can change who sees the
    # record: this request's later scoping asks the database again.
    record_changed.connect(lambda **_: forget_shares(), dispatch_uid="cases.forget_visibility", weak=False)
    records_created.connect(lambda **_: forget_shares(), dispatch_uid="cases.forget_visibility_many", weak=False)

    from umbrella.cases.models import (
        ChangeReason,
        RecordLink,
        RecordShare,
        RecordStrand,
        StrandAssessment,
    )
    from umbrella.core.extensions import DisposalTarget, register_disposal_target

    # The record's own narrative, place and people are emptied by record_dispose itself.
    register_disposal_target("cases.strand_notes", DisposalTarget(RecordStrand, ("record_id",), ("note",)))
    register_disposal_target("cases.assessment_reasons", DisposalTarget(StrandAssessment, ("record_id",), ("reason",)))
    register_disposal_target("cases.change_reasons", DisposalTarget(ChangeReason, ("record_id",), ("reason",)))
    register_disposal_target("cases.link_reasons", DisposalTarget(RecordLink, ("from_record_id", "to_record_id"), ("reason",)))
    register_disposal_target("cases.share_reasons", DisposalTarget(RecordShare, ("record_id",), ("reason", "revocation_reason")))
