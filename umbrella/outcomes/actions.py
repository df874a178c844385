"""Audit action codes written by the outcomes app."""

from __future__ import annotations

from typing import Final

RECORD_OUTCOME: Final = "record.outcome"
RECORD_CHARGING_DECISION: Final = "record.charging_decision"
RECORD_COURT_RESULT: Final = "record.court_result"
RECORD_COURT_HEARING: Final = "record.court_hearing"
RECORD_REVIEW_REQUEST: Final = "record.right_to_review.request"
RECORD_REVIEW_DECISION: Final = "record.right_to_review.decision"
IMPORT_OUTCOMES: Final = "outcomes.import"
