"""Audit action codes of the conferences app. Codes are stored; never rename one, add a new one."""

from __future__ import annotations

from typing import Final

CONFERENCE_CREATE: Final = "conference.create"
CONFERENCE_STATUS: Final = "conference.status_change"
CONFERENCE_VIEW: Final = "conference.view"
ATTENDEE_ADD: Final = "conference.attendee_add"
REFERRAL_CREATE: Final = "conference.referral_create"
REFERRAL_STATUS: Final = "conference.referral_status"
INFORMATION_ADD: Final = "conference.information_add"
ACTION_AGREE: Final = "conference.action_agree"
ACTION_COMPLETE: Final = "conference.action_complete"
MINUTES_SAVE: Final = "conference.minutes_save"
MINUTES_APPROVE: Final = "conference.minutes_approve"
AGENDA_VIEW: Final = "conference.agenda_view"
AGENDA_PDF: Final = "conference.agenda_pdf"
MINUTES_PDF: Final = "conference.minutes_pdf"
