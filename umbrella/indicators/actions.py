"""Audit action codes of the bias indicator rules."""

RULESET_DRAFT_CREATED = "indicators.ruleset_draft_created"
RULESET_SEEDED = "indicators.ruleset_seeded"
RULESET_ACTIVATED = "indicators.ruleset_activated"
RULE_ADDED = "indicators.rule_added"
RULE_CHANGED = "indicators.rule_changed"
RULE_RETIRED = "indicators.rule_retired"
SLURS_SHOWN = "indicators.slurs_shown"
