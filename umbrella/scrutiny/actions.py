"""Audit action codes written by the scrutiny app."""

from __future__ import annotations

from typing import Final

SAMPLE_DRAW: Final = "scrutiny.sample.draw"
SAMPLED_CASE_VIEW: Final = "scrutiny.case.view"
SAMPLED_CASE_FEEDBACK: Final = "scrutiny.case.feedback"
SAMPLED_CASE_RESPONSE: Final = "scrutiny.case.response"
