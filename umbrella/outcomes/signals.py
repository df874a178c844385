"""Signals other apps listen to, so outcomes never imports them.

``outcomes_recorded`` is sent inside the service's transaction, after its audit events, when
crimes get a new investigation outcome (one from the pages or the API, many from an import).
"""

from __future__ import annotations

from django.dispatch import Signal

outcomes_recorded = Signal()  # kwargs: record_ids (list[int]), actor
