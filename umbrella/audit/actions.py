"""Stable audit action codes. Codes are stored; never rename one, add a new one instead."""

from __future__ import annotations

from typing import Final

REFERENCE_CODE_CREATE: Final = "reference.create"
REFERENCE_CODE_UPDATE: Final = "reference.update"
REFERENCE_CODE_RETIRE: Final = "reference.retire"
USER_SIGN_IN: Final = "user.sign_in"
USER_SIGN_IN_FAILED: Final = "user.sign_in_failed"
USER_LOCKED_OUT: Final = "user.locked_out"
USER_SIGN_IN_THROTTLED: Final = "user.sign_in_throttled"
USER_SIGN_OUT: Final = "user.sign_out"
USER_TWO_FACTOR_ENROLLED: Final = "user.two_factor_enrolled"
USER_TWO_FACTOR_VERIFIED: Final = "user.two_factor_verified"
USER_TWO_FACTOR_FAILED: Final = "user.two_factor_failed"
ORGANISATION_TWO_FACTOR: Final = "organisation.two_factor_required"
USER_CREATE: Final = "user.create"
USER_UPDATE: Final = "user.update"
TEAM_CREATE: Final = "team.create"
ORGANISATION_CREATE: Final = "organisation.create"
KEY_CREATE: Final = "key.create"
KEY_ROTATE_BATCH: Final = "key.rotate_batch"
AUDIT_SEARCH: Final = "audit.search"
TEAM_UPDATE: Final = "team.update"
USER_UNLOCK: Final = "user.unlock"
USER_PASSWORD_SET: Final = "user.password_set"
REFERENCE_SEED: Final = "reference.seed"
API_TOKEN_ISSUE: Final = "api_token.issue"
API_TOKEN_REVOKE: Final = "api_token.revoke"
KEY_REWRAP: Final = "key.rewrap"
# Written by @decrypts (umbrella.audit.reads) when a read of personal data wrote no event of its own.
PERSONAL_DATA_READ: Final = "personal_data.read"
