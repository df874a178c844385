"""Audit action codes of the hub review. Codes are stored; never rename one, add a new one instead."""

from __future__ import annotations

from typing import Final

REVIEW_ENQUEUE: Final = "review.enqueue"
REVIEW_SUGGESTION_ADD: Final = "review.suggestion_add"
REVIEW_CLAIM: Final = "review.claim"
REVIEW_RELEASE: Final = "review.release"
REVIEW_DECIDE: Final = "review.decide"
REVIEW_LABELS_READ: Final = "review.labels_read"
