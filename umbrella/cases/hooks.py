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
