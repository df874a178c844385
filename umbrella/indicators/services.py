"""Writes to the bias indicator rules. Every write is audited; rule values never go into the audit
log (they may be slurs), only which fields were set or changed."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from umbrella.audit.services import audit_event_write
from umbrella.indicators import actions
from umbrella.indicators.matching import invalidate_active_matcher, parse_context
from umbrella.indicators.models import Rule, RuleKind, RuleSet, RuleSetStatus
from umbrella.indicators.policy import can_admin_indicators
from umbrella.indicators.starter import ONLINE, STARTER_NOTE, STARTER_RULES

if TYPE_CHECKING:
    from umbrella.accounts.models import User

RULE_FIELDS = ("strand", "sub_category", "kind", "value", "weight", "is_slur", "reason", "note")


def _require_admin(actor: User | None) -> None:
    if actor is not None and not can_admin_indicators(actor):
        raise PermissionDenied("Only system administrators change bias indicator rules.")


def _label(ruleset: RuleSet) -> str:
    return f"Bias indicator rules v{ruleset.number}"


def _next_number() -> int:
    return int(RuleSet.objects.aggregate(top=Max("number"))["top"] or 0) + 1


def validate_rule(*, strand: str, sub_category: str, kind: str, value: str, weight: float) -> None:
    """Raises ValidationError naming the field at fault."""
    errors: dict[str, str] = {}
    if kind not in RuleKind.values:
        errors["kind"] = "Select what kind of rule this is."
    if not re.fullmatch(r"[a-z0-9_]+", strand or ""):
        errors["strand"] = "Select a strand."
    if sub_category and not re.fullmatch(r"[a-z0-9_]+", sub_category):
        errors["sub_category"] = "Sub-category codes use lower-case letters, digits and underscores."
    if not value.strip():
        errors["value"] = "Enter the term, phrase, pattern or context."
    elif kind == RuleKind.PATTERN:
        try:
            compiled = re.compile(value)
        except re.error as exc:
            errors["value"] = f"The pattern is not a valid regular expression: {exc}."
        else:
            if compiled.match(""):
                errors["value"] = "The pattern matches empty text; make it require at least one character."
    elif kind == RuleKind.CONTEXT:
        try:
            parse_context(value.strip())
        except ValueError as exc:
            errors["value"] = str(exc) + "."
    elif kind in (RuleKind.TERM, RuleKind.PHRASE) and not re.search(r"\w", value):
        errors["value"] = "A term or phrase needs at least one letter or digit."
    if strand == ONLINE and kind != RuleKind.CONTEXT:
        errors["strand"] = "Only context rules can use the online pseudo-strand."
    if not 0 < weight <= 5:
        errors["weight"] = "Weight must be more than 0 and at most 5."
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def ruleset_draft_create(*, actor: User | None, note: str = "") -> RuleSet:
    """A new draft version holding a copy of the active version's rules."""
    _require_admin(actor)
    if RuleSet.objects.filter(status=RuleSetStatus.DRAFT).exists():
        raise ValidationError("There is already a draft version. Activate it or keep editing it.")
    active = RuleSet.objects.select_for_update().filter(status=RuleSetStatus.ACTIVE).first()
    draft = RuleSet.objects.create(
        number=_next_number(), status=RuleSetStatus.DRAFT, based_on=active, created_by=actor, note=note[:500]
    )
    if active is not None:
        Rule.objects.bulk_create([
            Rule(ruleset=draft, copied_from=rule, **{name: getattr(rule, name) for name in RULE_FIELDS})
            for rule in active.rules.filter(retired=False).order_by("pk")
        ])
    audit_event_write(
        actor=actor, action=actions.RULESET_DRAFT_CREATED, target=draft, target_label=_label(draft),
        changes={"based_on": active.number if active else None, "rules": draft.rules.count()},
    )
    return draft


def _require_draft(ruleset: RuleSet) -> None:
    if ruleset.status != RuleSetStatus.DRAFT:
        raise ValidationError("Only a draft version can be changed. Start a new draft first.")


@transaction.atomic
def rule_add(*, actor: User | None, ruleset: RuleSet, strand: str, kind: str, value: str, weight: float = 1.0,
             sub_category: str = "", is_slur: bool = False, reason: str = "", note: str = "") -> Rule:
    _require_admin(actor)
    _require_draft(ruleset)
    value = value.strip()
    validate_rule(strand=strand, sub_category=sub_category, kind=kind, value=value, weight=weight)
    rule = Rule.objects.create(
        ruleset=ruleset, strand=strand, sub_category=sub_category, kind=kind, value=value, weight=weight,
        is_slur=is_slur, reason=reason, note=note,
    )
    audit_event_write(
        actor=actor, action=actions.RULE_ADDED, target=rule, target_label=f"{_label(ruleset)}: {kind} rule",
        changes={"strand": strand, "sub_category": sub_category, "kind": kind, "value": "set",
                 "weight": weight, "is_slur": is_slur},
    )
    return rule


@transaction.atomic
def rule_update(*, actor: User, rule: Rule, strand: str, kind: str, value: str, weight: float,
                sub_category: str = "", is_slur: bool = False, reason: str = "", note: str = "") -> Rule:
    _require_admin(actor)
    _require_draft(rule.ruleset)
    value = value.strip()
    validate_rule(strand=strand, sub_category=sub_category, kind=kind, value=value, weight=weight)
    new = {"strand": strand, "sub_category": sub_category, "kind": kind, "value": value, "weight": weight,
           "is_slur": is_slur, "reason": reason, "note": note}
    changes: dict[str, Any] = {}
    for name, after in new.items():
        if getattr(rule, name) != after:
            # Values and free text may be slurs: say only that they changed.
            changes[name] = "changed" if name in ("value", "reason", "note") else [getattr(rule, name), after]
            setattr(rule, name, after)
    if changes:
        rule.save()
        audit_event_write(
            actor=actor, action=actions.RULE_CHANGED, target=rule,
            target_label=f"{_label(rule.ruleset)}: {rule.kind} rule", changes=changes,
        )
    return rule


@transaction.atomic
def rule_retire(*, actor: User, rule: Rule) -> Rule:
    _require_admin(actor)
    _require_draft(rule.ruleset)
    if not rule.retired:
        rule.retired = True
        rule.save(update_fields=["retired"])
        audit_event_write(
            actor=actor, action=actions.RULE_RETIRED, target=rule,
            target_label=f"{_label(rule.ruleset)}: {rule.kind} rule", changes={"retired": True},
        )
    return rule


@transaction.atomic
def ruleset_activate(*, actor: User | None, ruleset: RuleSet) -> RuleSet:
    """Makes a draft the active version; the version active until now is retired (kept, read-only)."""
    _require_admin(actor)
    ruleset = RuleSet.objects.select_for_update().get(pk=ruleset.pk)
    _require_draft(ruleset)
    if not ruleset.rules.filter(retired=False).exists():
        raise ValidationError("A version needs at least one rule before it can be activated.")
    previous = RuleSet.objects.select_for_update().filter(status=RuleSetStatus.ACTIVE).first()
    if previous is not None:
        previous.status = RuleSetStatus.RETIRED
        previous.save(update_fields=["status"])
    ruleset.status = RuleSetStatus.ACTIVE
    ruleset.activated_at = timezone.now()
    ruleset.activated_by = actor
    ruleset.save(update_fields=["status", "activated_at", "activated_by"])
    audit_event_write(
        actor=actor, action=actions.RULESET_ACTIVATED, target=ruleset, target_label=_label(ruleset),
        changes={"status": [RuleSetStatus.DRAFT, RuleSetStatus.ACTIVE],
                 "retired_version": previous.number if previous else None},
    )
    invalidate_active_matcher()
    transaction.on_commit(invalidate_active_matcher)
    return ruleset


def slurs_shown(*, actor: User, ruleset: RuleSet) -> None:
    """Records that ``actor`` chose to see the slurs of a version unmasked."""
    if not can_admin_indicators(actor):
        raise PermissionDenied("Only system administrators may see slurs unmasked.")
    audit_event_write(
        actor=actor, action=actions.SLURS_SHOWN, target=ruleset, target_label=_label(ruleset),
        changes={"shown": "slurs unmasked"},
    )


@transaction.atomic
def seed_starter_ruleset(*, actor: User | None = None) -> RuleSet:
    """Idempotent: when no rule set exists, stores the starter rules as version 1, active.
    Otherwise returns the active version (or the newest one) unchanged."""
    _require_admin(actor)
    existing = RuleSet.objects.select_for_update().order_by("-number")
    if existing.exists():
        return existing.filter(status=RuleSetStatus.ACTIVE).first() or existing.first()  # type: ignore[return-value]
    try:
        with transaction.atomic():
            ruleset = RuleSet.objects.create(
                number=1, status=RuleSetStatus.ACTIVE, created_by=actor, note=STARTER_NOTE,
                activated_at=timezone.now(), activated_by=actor,
            )
    except IntegrityError:
        # Another process seeded at the same moment: theirs stands.
        return RuleSet.objects.get(number=1)
    Rule.objects.bulk_create([
        Rule(ruleset=ruleset, strand=r.strand, sub_category=r.sub_category, kind=r.kind, value=r.value,
             weight=r.weight, is_slur=r.is_slur, reason=r.reason, note=r.note)
        for r in STARTER_RULES
    ])
    audit_event_write(
        actor=actor, action=actions.RULESET_SEEDED, target=ruleset, target_label=_label(ruleset),
        changes={"rules": len(STARTER_RULES), "status": RuleSetStatus.ACTIVE},
    )
    invalidate_active_matcher()
    transaction.on_commit(invalidate_active_matcher)
    return ruleset

