"""Audit action codes of the care app. Codes are stored; never rename one, add a new one instead."""

from __future__ import annotations

from typing import Final

REFERRAL_CREATE: Final = "referral.create"
REFERRAL_OVERRIDE: Final = "referral.consent_override"
REFERRAL_ACCEPT: Final = "referral.accept"
REFERRAL_DECLINE: Final = "referral.decline"
REFERRAL_CLOSE: Final = "referral.close"
REFERRAL_SHARE_REVOKE: Final = "referral.share_revoke"
CARE_ELIGIBILITY: Final = "care.eligibility"
CARE_KEY_EVENT: Final = "care.key_event"
CARE_CONTACT: Final = "care.contact"
CARE_TIMERS_RUN: Final = "care.timers_run"
ALERT_READ: Final = "care.alert_read"
