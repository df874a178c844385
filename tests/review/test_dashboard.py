"""The compliance figures on a small dataset whose answers are known."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.conftest import World
from tests.factories import TeamFactory, code, make_record, strand
from tests.review.factories import decide, suggest
from umbrella.cases.inputs import PersonInput
from umbrella.review.models import Decision, ReviewItem
from umbrella.review.selectors import dashboard, review_labels


def test_dashboard_figures(world: World, django_assert_max_num_queries: Any) -> None:
    hub = TeamFactory(organisation=world.force, name="Hub")
    now = timezone.now()
    # Three decided items: two on time, one late; one changed online, one added a strand.
    on_time = make_record(actor=world.officer, team_id=hub.pk)
    decide(world.hub_reviewer, on_time, is_online=True)
    on_time_2 = make_record(actor=world.officer, team_id=hub.pk, borough="E09000001")
    decide(world.hub_reviewer, on_time_2, add_strands=(strand("religion"),))
    late = make_record(actor=world.officer)
    late_decision = decide(world.hub_reviewer, late)
    ReviewItem.objects.filter(pk=late_decision.item_id).update(due_at=now - timedelta(hours=2))
    # Open: one overdue, one due later (not today unless it is the end of the day).
    overdue = make_record(actor=world.officer)
    ReviewItem.objects.filter(record=overdue).update(due_at=now - timedelta(minutes=5))
    due_soon = make_record(actor=world.officer)
    ReviewItem.objects.filter(record=due_soon).update(due_at=now + timedelta(seconds=30))
    # Outside the period: decided 40 days ago.
    old = make_record(actor=world.officer)
    old_decision = decide(world.hub_reviewer, old, is_online=True)
    ReviewItem.objects.filter(pk=old_decision.item_id).update(decided_at=now - timedelta(days=40))
    Decision.objects.filter(pk=old_decision.pk).update(decided_at=now - timedelta(days=40))

    with django_assert_max_num_queries(8):
        figures = dashboard(user=world.supervisor, period_days=28)
    assert figures.open_items == 2
    assert figures.overdue == 1
    assert figures.due_today == (1 if timezone.localtime(now + timedelta(seconds=30)).date() == timezone.localtime(now).date() else 0)
    assert (figures.decided, figures.within, figures.percent_within) == (3, 2, 66.7)
    assert figures.totals.decisions == 3
    assert figures.totals.strands_added == 1 and figures.totals.online_changed == 1
    assert figures.totals.kind_changed == 0 and figures.totals.strands_not_supported == 0
    by_team = {row.label: row for row in figures.by_team}
    assert by_team["Hub"].decisions == 2 and by_team["Hub"].online_changed == 1 and by_team["Hub"].strands_added == 1
    assert by_team["No team"].decisions == 1
    by_borough = {row.label: row.decisions for row in figures.by_borough}
    assert by_borough == {"Westminster": 3}  # the test factory labels every borough code so
    assert len(figures.weekly) == 12
    this_week = figures.weekly[-1]
    assert this_week.entered == 6 and this_week.decided == 3 and this_week.within == 2

    client = Client()
    client.force_login(world.analyst)
    body = client.get(reverse("review:dashboard"), {"period": "28"}).content.decode()
    assert 'data-figure="within">66.7%' in body
    assert 'data-figure="overdue">1<' in body
    long = dashboard(user=world.supervisor, period_days=91)
    assert long.decided == 4 and long.totals.online_changed == 2


def test_review_labels_for_training(world: World) -> None:
    black = code("ethnicity", "black_african", "Black: African", group="black")
    flagged = make_record(
        actor=world.officer, narrative="They shouted racist abuse at her.",
        people=[PersonInput(role="victim", given_name="Ada", family_name="Obi", ethnicity=black)],
    )
    decide(world.hub_reviewer, flagged, is_online=True)
    # An unflagged record screening suggested, confirmed as not hate: the negative label.
    rejected = make_record(actor=world.officer, narrative="A dispute over parking.", people=[], strands=[],
                           kind="other_crime")
    suggest(rejected)
    decide(world.supervisor, rejected)
    make_record(actor=world.officer)  # not reviewed: no label
    labels = {row.record_id: row for row in review_labels()}
    assert set(labels) == {flagged.pk, rejected.pk}
    assert labels[flagged.pk].is_hate and labels[flagged.pk].strands == frozenset({"race"})
    assert labels[flagged.pk].is_online and labels[flagged.pk].ethnicity_group == "black"
    assert labels[flagged.pk].text == "They shouted racist abuse at her."
    assert not labels[rejected.pk].is_hate and labels[rejected.pk].ethnicity_group == ""
    assert list(review_labels(organisation_ids=[world.other_force.pk])) == []
