from __future__ import annotations

from typing import Final

RETENTION_RULE_SET: Final = "retention.rule_set"
RETENTION_REVIEWS_RAISE: Final = "retention.reviews_raise"
RETENTION_RETAIN: Final = "retention.retain"
RETENTION_DISPOSE: Final = "retention.dispose"
RETENTION_ANONYMISE: Final = "retention.anonymise"
RETENTION_PARTS_DISPOSE: Final = "retention.parts_dispose"
LEGAL_HOLD_PLACE: Final = "retention.legal_hold_place"
LEGAL_HOLD_LIFT: Final = "retention.legal_hold_lift"
