"""Audit action codes written by the intake app."""

from __future__ import annotations

from typing import Final

REPORT_SUBMIT: Final = "intake.report.submit"
REPORT_CLAIM: Final = "intake.report.claim"
REPORT_RELEASE: Final = "intake.report.release"
REPORT_ACCEPT: Final = "intake.report.accept"
REPORT_LINK: Final = "intake.report.link"
REPORT_MERGE: Final = "intake.report.merge"
REPORT_CLOSE: Final = "intake.report.close"
REPORTS_CLOSED_DISPOSE: Final = "intake.reports.closed_dispose"
REPORT_VIEW: Final = "intake.report.view"
EVIDENCE_STORE: Final = "intake.evidence.store"
EVIDENCE_VIEW: Final = "intake.evidence.view"
NOTE_ADD: Final = "intake.note.add"
SHARE_POLICE: Final = "intake.share.police"
SHARE_KEPT: Final = "intake.share.kept"
