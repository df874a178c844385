"""Audit action codes for screening."""

from __future__ import annotations

from typing import Final

MODEL_REGISTER: Final = "screening.model_register"
MODEL_APPROVE: Final = "screening.model_approve"
MODEL_REJECT: Final = "screening.model_reject"
MODEL_ROLLBACK: Final = "screening.model_rollback"
MODEL_RETRAIN: Final = "screening.model_retrain"
RECORDS_SCREEN: Final = "screening.records_screen"
