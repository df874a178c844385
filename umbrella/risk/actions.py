"""Audit action codes of risk assessment and risk plans. Codes are stored; never rename one."""

from __future__ import annotations

from typing import Final

RISK_QUESTIONNAIRE_SEED: Final = "risk.questionnaire_seed"
RISK_QUESTIONNAIRE_DRAFT: Final = "risk.questionnaire_draft"
RISK_QUESTIONNAIRE_EDIT: Final = "risk.questionnaire_edit"
RISK_QUESTION_EDIT: Final = "risk.question_edit"
RISK_QUESTIONNAIRE_ACTIVATE: Final = "risk.questionnaire_activate"
RISK_ASSESS: Final = "risk.assess"
RISK_OVERRIDE: Final = "risk.override"
RISK_REASSESSMENT_REQUEST: Final = "risk.reassessment_request"
RISK_PLAN_CREATE: Final = "risk.plan_create"
RISK_ACTION_ADD: Final = "risk.action_add"
RISK_ACTION_COMPLETE: Final = "risk.action_complete"
RISK_ACTION_CANCEL: Final = "risk.action_cancel"
