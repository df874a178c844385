"""What the imports app plugs into shared pages and the record's signals."""

from __future__ import annotations


def register() -> None:
    """Plugs this app into the shared pages and the record's signals (called from ``AppConfig.ready``)."""
    from umbrella.core.extensions import register_timeline_describer
    from umbrella.imports import actions

    register_timeline_describer(actions.RECORDS_EXPORT, lambda changes, who, label: f"Exported by {who}")
