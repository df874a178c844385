"""Versioning of the rule sets: seed, draft, edit, activate, retire; audit; the cached matcher."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tests.conftest import World
from umbrella.audit.models import AuditEvent
from umbrella.indicators import actions
from umbrella.indicators.matching import active_matcher, compile_rules, invalidate_active_matcher
from umbrella.indicators.models import Rule, RuleSet, RuleSetStatus
from umbrella.indicators.services import (
    rule_add,
    rule_retire,
    rule_update,
    ruleset_activate,
    ruleset_draft_create,
    seed_starter_ruleset,
)
from umbrella.indicators.starter import STARTER_RULES

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_matcher() -> None:
    invalidate_active_matcher()


def test_seeding_is_idempotent_and_stores_every_starter_rule() -> None:
    first = seed_starter_ruleset()
    again = seed_starter_ruleset()
    assert first.pk == again.pk and first.number == 1 and first.status == RuleSetStatus.ACTIVE
    assert RuleSet.objects.count() == 1
    assert first.rules.count() == len(STARTER_RULES)
    assert AuditEvent.objects.filter(action=actions.RULESET_SEEDED).count() == 1


def test_before_any_rule_set_the_builtin_starter_rules_screen() -> None:
    matcher = active_matcher()
    assert matcher.version == "builtin"
    assert matcher.match("He called me a paki.")


def test_a_draft_copies_the_active_rules_and_activation_retires_the_old_version(world: World) -> None:
    v1 = seed_starter_ruleset()
    assert active_matcher().version == "v1"
    draft = ruleset_draft_create(actor=world.system_admin, note="add a local term")
    assert draft.number == 2 and draft.status == RuleSetStatus.DRAFT and draft.based_on == v1
    assert draft.rules.count() == v1.rules.count()
    added = rule_add(actor=world.system_admin, ruleset=draft, strand="race", sub_category="xenophobic",
                     kind="term", value="zorblak", weight=0.9, is_slur=True)
    # The draft does not screen yet.
    assert active_matcher().version == "v1"
    assert not active_matcher().match("He called me a zorblak.")

    ruleset_activate(actor=world.system_admin, ruleset=draft)
    v1.refresh_from_db()
    draft.refresh_from_db()
    assert (v1.status, draft.status) == (RuleSetStatus.RETIRED, RuleSetStatus.ACTIVE)
    matcher = active_matcher()
    assert matcher.version == "v2"
    (hit,) = matcher.match("He called me a zorblak.")
    assert hit.rule_id == added.pk and hit.strand == "race"
    # The old version is still there, unchanged, and still compiles.
    assert compile_rules(RuleSet.objects.get(number=1)).rule_count == len(STARTER_RULES)
    assert not compile_rules(RuleSet.objects.get(number=1)).match("He called me a zorblak.")


def test_editing_and_retiring_rules_only_on_a_draft(world: World) -> None:
    v1 = seed_starter_ruleset()
    rule = v1.rules.first()
    assert rule is not None
    with pytest.raises(ValidationError):
        rule_update(actor=world.system_admin, rule=rule, strand=rule.strand, kind=rule.kind, value="x", weight=1)
    draft = ruleset_draft_create(actor=world.system_admin)
    copy = draft.rules.get(copied_from=rule)
    rule_update(actor=world.system_admin, rule=copy, strand=copy.strand, sub_category=copy.sub_category,
                kind=copy.kind, value=copy.value, weight=0.25, is_slur=copy.is_slur)
    rule_retire(actor=world.system_admin, rule=copy)
    copy.refresh_from_db()
    rule.refresh_from_db()
    assert copy.weight == 0.25 and copy.retired
    assert rule.weight != 0.25 and not rule.retired
    event = AuditEvent.objects.filter(action=actions.RULE_CHANGED).get()
    assert event.changes == {"weight": [rule.weight, 0.25]}
    assert AuditEvent.objects.filter(action=actions.RULE_RETIRED).count() == 1


def test_audit_never_holds_a_rule_value(world: World) -> None:
    seed_starter_ruleset()
    draft = ruleset_draft_create(actor=world.system_admin)
    rule = rule_add(actor=world.system_admin, ruleset=draft, strand="age", kind="term", value="quxlywrinkle")
    rule_update(actor=world.system_admin, rule=rule, strand="age", kind="term", value="quxlywrinkles", weight=1.0)
    for event in AuditEvent.objects.all():
        assert "quxlywrinkle" not in str(event.changes) and "quxlywrinkle" not in event.target_label


def test_only_one_draft_at_a_time(world: World) -> None:
    seed_starter_ruleset()
    ruleset_draft_create(actor=world.system_admin)
    with pytest.raises(ValidationError):
        ruleset_draft_create(actor=world.system_admin)


@pytest.mark.parametrize(
    ("kind", "value", "field"),
    [
        ("pattern", "(unclosed", "value"),
        ("pattern", "a*", "value"),
        ("context", "location_type:", "value"),
        ("context", "date:2024-09-01..2024-08-01", "value"),
        ("term", "   ", "value"),
        ("term", "!!!", "value"),
    ],
)
def test_invalid_rules_are_refused_with_the_field_named(world: World, kind: str, value: str, field: str) -> None:
    seed_starter_ruleset()
    draft = ruleset_draft_create(actor=world.system_admin)
    with pytest.raises(ValidationError) as caught:
        rule_add(actor=world.system_admin, ruleset=draft, strand="race", kind=kind, value=value)
    assert field in caught.value.error_dict


def test_online_pseudo_strand_is_for_context_rules_only(world: World) -> None:
    seed_starter_ruleset()
    draft = ruleset_draft_create(actor=world.system_admin)
    with pytest.raises(ValidationError) as caught:
        rule_add(actor=world.system_admin, ruleset=draft, strand="online", kind="term", value="abc")
    assert "strand" in caught.value.error_dict


def test_an_empty_draft_cannot_be_activated(world: World) -> None:
    draft = ruleset_draft_create(actor=world.system_admin)
    assert draft.number == 1 and draft.rules.count() == 0
    with pytest.raises(ValidationError):
        ruleset_activate(actor=world.system_admin, ruleset=draft)


@pytest.mark.parametrize("persona", ["hub_reviewer", "officer", "org_admin", "supervisor"])
def test_only_system_administrators_change_rules(world: World, persona: str) -> None:
    seed_starter_ruleset()
    with pytest.raises(PermissionDenied):
        ruleset_draft_create(actor=getattr(world, persona))
    draft = ruleset_draft_create(actor=world.system_admin)
    with pytest.raises(PermissionDenied):
        rule_add(actor=getattr(world, persona), ruleset=draft, strand="race", kind="term", value="abc")
    with pytest.raises(PermissionDenied):
        ruleset_activate(actor=getattr(world, persona), ruleset=draft)
    assert Rule.objects.filter(ruleset=draft).count() == len(STARTER_RULES)


def test_activation_is_audited(world: World) -> None:
    seed_starter_ruleset()
    draft = ruleset_draft_create(actor=world.system_admin)
    ruleset_activate(actor=world.system_admin, ruleset=draft)
    event = AuditEvent.objects.get(action=actions.RULESET_ACTIVATED)
    assert event.changes["retired_version"] == 1 and event.actor_id == world.system_admin.pk


def test_demo_loader_seeds_once() -> None:
    from datetime import UTC, datetime

    from umbrella.indicators.demo import load_demo

    first = load_demo(seed=1, now=datetime(2026, 1, 1, tzinfo=UTC))
    assert load_demo(seed=1, now=datetime(2026, 1, 1, tzinfo=UTC)) == first
    assert first.startswith("Bias indicators: version 1 (active)")
    assert RuleSet.objects.count() == 1


def test_a_date_never_raises_a_strands_score(world: World) -> None:
    """A date window around a trigger event is refused, and one already in a rule set is never
    applied: the same words score the same whatever day they were said."""
    from datetime import date

    from umbrella.indicators.matching import DATE_NEVER_RAISES, Matcher, RuleSpec

    seed_starter_ruleset()
    draft = ruleset_draft_create(actor=world.system_admin)
    with pytest.raises(ValidationError) as caught:
        rule_add(actor=world.system_admin, ruleset=draft, strand="religion", kind="context", value="date:2023-10-07..2023-12-31")
    assert DATE_NEVER_RAISES in str(caught.value)
    old = RuleSpec(rule_id=1, strand="religion", sub_category="antisemitic", kind="context",
                   value="date:2023-10-07..2023-12-31", weight=2.0)
    matcher = Matcher([old], version="test")
    assert matcher.match("He shouted at her in the street", occurred_on=date(2023, 10, 9)) == \
        matcher.match("He shouted at her in the street", occurred_on=date(2022, 10, 9))
