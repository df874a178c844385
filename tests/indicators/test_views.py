"""The bias indicator pages as a system administrator and as a hub reviewer would use them."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from tests.conftest import World
from umbrella.audit.models import AuditEvent
from umbrella.core.extensions import navigation_entries
from umbrella.indicators import actions
from umbrella.indicators.matching import invalidate_active_matcher
from umbrella.indicators.models import Rule, RuleSet, RuleSetStatus
from umbrella.indicators.services import ruleset_draft_create, seed_starter_ruleset
from umbrella.reference.seed import seed_reference_data

pytestmark = pytest.mark.django_db

SLUR = "golliwog"  # a starter slur whose first letter and length identify its masked form


@pytest.fixture
def seeded(world: World) -> World:
    invalidate_active_matcher()
    seed_reference_data()
    seed_starter_ruleset()
    return world


@pytest.fixture
def admin(client: Client, seeded: World) -> Client:
    client.force_login(seeded.system_admin)
    return client


@pytest.fixture
def reviewer(client: Client, seeded: World) -> Client:
    client.force_login(seeded.hub_reviewer)
    return client


def test_the_navigation_offers_bias_indicators_to_readers_only(seeded: World) -> None:
    def texts(user: Any) -> set[str]:
        return {entry.text for entry in navigation_entries(user)}

    assert "Bias indicators" in texts(seeded.system_admin)
    assert "Bias indicators" in texts(seeded.hub_reviewer)
    assert "Bias indicators" not in texts(seeded.officer)


def test_versions_list(admin: Client, django_assert_max_num_queries: Any) -> None:
    with django_assert_max_num_queries(12):
        response = admin.get(reverse("indicators:versions"))
    body = response.content.decode()
    assert "Version 1" in body and "Active" in body and "Start a new draft version" in body


def test_rules_are_shown_by_strand_with_slurs_masked(reviewer: Client, django_assert_max_num_queries: Any) -> None:
    with django_assert_max_num_queries(12):
        response = reviewer.get(reverse("indicators:version", kwargs={"number": 1}))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Race or ethnicity" in body and "Disability" in body
    assert SLUR not in body and "g*******" in body
    # Hub reviewers cannot unmask, even by asking.
    body = reviewer.get(reverse("indicators:version", kwargs={"number": 1}) + "?show=slurs").content.decode()
    assert SLUR not in body and "Show slurs in full" not in body
    assert not AuditEvent.objects.filter(action=actions.SLURS_SHOWN).exists()


def test_showing_slurs_is_for_administrators_and_audited(admin: Client, seeded: World) -> None:
    page = reverse("indicators:version", kwargs={"number": 1})
    assert SLUR not in admin.get(page).content.decode()
    body = admin.get(page + "?show=slurs").content.decode()
    assert SLUR in body
    event = AuditEvent.objects.get(action=actions.SLURS_SHOWN)
    assert event.actor_id == seeded.system_admin.pk and SLUR not in str(event.changes)


def test_an_administrator_drafts_adds_a_rule_and_activates(admin: Client) -> None:
    response = admin.post(reverse("indicators:draft-create"), {"note": "Local terms"})
    draft = RuleSet.objects.get(status=RuleSetStatus.DRAFT)
    assert response.status_code == 302 and draft.number == 2
    add = reverse("indicators:rule-add", kwargs={"number": 2})
    response = admin.post(add, {"strand": "race", "sub_category": "xenophobic", "kind": "phrase",
                                "value": "leave our street", "weight": "0.7"})
    assert response.status_code == 302
    rule = draft.rules.get(value="leave our street")
    edit = reverse("indicators:rule-edit", kwargs={"number": 2, "pk": rule.pk})
    assert admin.post(edit, {"strand": "race", "sub_category": "xenophobic", "kind": "phrase",
                             "value": "leave our street now", "weight": "0.6"}).status_code == 302
    response = admin.post(reverse("indicators:version-activate", kwargs={"number": 2}))
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == RuleSetStatus.ACTIVE
    assert RuleSet.objects.get(number=1).status == RuleSetStatus.RETIRED
    # A retired version's rules can no longer be edited: the pages are gone for it.
    assert admin.get(edit).status_code == 404
    body = admin.post(reverse("indicators:try"), {"text": "He told me to leave our street now."}).content.decode()
    assert "hostile phrase ‘leave our street now’" in body and "rules v2" in body


def test_a_rule_form_with_errors_shows_the_error_summary(admin: Client) -> None:
    ruleset_draft_create(actor=None)
    response = admin.post(reverse("indicators:rule-add", kwargs={"number": 2}),
                          {"strand": "race", "kind": "pattern", "value": "(unclosed", "weight": "9"})
    body = response.content.decode()
    assert response.status_code == 400
    assert "There is a problem" in body and "not a valid regular expression" in body
    assert "Weight must be at most 5." in body
    assert not Rule.objects.filter(value="(unclosed").exists()


def test_removing_a_rule_from_a_draft(admin: Client) -> None:
    draft = ruleset_draft_create(actor=None)
    rule = draft.rules.filter(is_slur=True).first()
    assert rule is not None
    page = reverse("indicators:rule-retire", kwargs={"number": 2, "pk": rule.pk})
    body = admin.get(page).content.decode()
    assert rule.value not in body  # masked on the confirmation page too
    assert admin.post(page).status_code == 302
    rule.refresh_from_db()
    assert rule.retired


def test_try_it_highlights_matches_and_explains_suppressions_without_storing_the_text(reviewer: Client) -> None:
    before = (AuditEvent.objects.count(), Rule.objects.count(), RuleSet.objects.count())
    text = "He shouted go back to your own country at me. Nobody called her a tranny."
    response = reviewer.post(reverse("indicators:try"), {
        "text": text, "location_type": "place_of_worship", "online_platform": "",
        "occurred_on_day": "10", "occurred_on_month": "10", "occurred_on_year": "2023",
    })
    body = response.content.decode()
    assert response.status_code == 200
    assert "<mark" in body and "<strong>go back to your own country</strong>" in body
    assert "Not counted" in body and "Negated" in body
    assert "happened at a place of worship" in body and "October 2023" not in body  # a date raises nothing
    assert (AuditEvent.objects.count(), Rule.objects.count(), RuleSet.objects.count()) == before


def test_try_it_without_text_shows_the_error_summary(reviewer: Client) -> None:
    body = reviewer.post(reverse("indicators:try"), {"text": ""}).content.decode()
    assert "There is a problem" in body and "Enter some text to check." in body


def test_hub_reviewers_cannot_change_rules(reviewer: Client) -> None:
    assert reviewer.get(reverse("indicators:draft-create")).status_code == 403
    assert reviewer.post(reverse("indicators:draft-create")).status_code == 403
    assert RuleSet.objects.count() == 1


@pytest.mark.parametrize("persona", ["officer", "analyst", "supervisor", "org_admin", "caseworker"])
def test_other_roles_do_not_find_the_pages(client: Client, seeded: World, persona: str) -> None:
    client.force_login(getattr(seeded, persona))
    assert client.get(reverse("indicators:versions")).status_code == 404
    assert client.get(reverse("indicators:try")).status_code == 404
