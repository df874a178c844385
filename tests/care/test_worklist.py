"""The worklist page: overdue, due today and coming up, for me, my team or my organisation."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.conftest import World
from tests.factories import TeamFactory, UserFactory, make_record
from umbrella.accounts.models import Role
from umbrella.care.models import Timer, TimerKind, TimerStatus
from umbrella.care.selectors import timer_work_items
from umbrella.core.worklist import WorkItem, group_work_items, worklist_for

pytestmark = pytest.mark.django_db


def fixed_noon() -> datetime:
    return timezone.localtime().replace(hour=12, minute=0, second=0, microsecond=0)


def item(due_at: datetime | None, **kwargs: Any) -> WorkItem:
    return WorkItem(kind="Victim update", title="Update", url="/x/", due_at=due_at, **kwargs)


def test_items_are_grouped_against_a_fixed_clock() -> None:
    now = fixed_noon()
    items = [
        item(now - timedelta(days=3)), item(now - timedelta(minutes=1)),
        item(now + timedelta(hours=3)),
        item(now + timedelta(days=1)), item(now + timedelta(days=7)),
        item(now + timedelta(days=9)),
        item(None),
    ]
    groups = group_work_items(items, now=now)
    assert len(groups.overdue) == 2
    assert len(groups.today) == 1
    assert len(groups.upcoming) == 2
    assert len(groups.undated) == 1


def _timer_due(record_owner: Any, due_at: datetime, team: Any = None) -> Timer:
    record = make_record(actor=record_owner)
    Timer.objects.filter(record=record).update(status=TimerStatus.CANCELLED)
    return Timer.objects.create(record=record, organisation_id=record.organisation_id, team=team,
                                assignee_id=record.created_by_id, kind=TimerKind.PROGRESS_UPDATE, due_at=due_at)


def test_mine_team_and_organisation(world: World) -> None:
    now = fixed_noon()
    team = TeamFactory(organisation=world.force, name="Hate Crime Unit")
    world.officer.team = team
    world.officer.save()
    colleague = UserFactory(username="colleague", organisation=world.force, role=Role.OFFICER, team=team)
    other = UserFactory(username="other.officer", organisation=world.force, role=Role.OFFICER)
    _timer_due(world.officer, now - timedelta(days=1), team=team)
    _timer_due(colleague, now + timedelta(hours=2), team=team)
    _timer_due(other, now + timedelta(days=2))
    _timer_due(world.outsider, now - timedelta(days=1))

    mine = worklist_for(user=world.officer, scope="mine", now=now)
    assert (len(mine.overdue), len(mine.today), len(mine.upcoming)) == (1, 0, 0)
    team_view = worklist_for(user=world.officer, scope="team", now=now)
    assert (len(team_view.overdue), len(team_view.today), len(team_view.upcoming)) == (1, 1, 0)
    organisation = worklist_for(user=world.officer, scope="organisation", now=now)
    assert (len(organisation.overdue), len(organisation.today), len(organisation.upcoming)) == (1, 1, 1)
    assert timer_work_items(world.caseworker) == []


def test_page_shows_the_groups_in_few_queries(world: World, django_assert_max_num_queries: Any) -> None:
    now = timezone.now()
    for days in range(-3, 6):
        _timer_due(world.officer, now + timedelta(days=days, minutes=30))
    client = Client()
    client.force_login(world.officer)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("care:worklist"), {"scope": "organisation"})
    body = response.content.decode()
    assert response.status_code == 200
    for heading in ("Overdue", "Due today", "Coming up in the next 7 days"):
        assert heading in body
    assert body.count("Give the victim a progress update") >= 8


def test_worklist_is_refused_to_roles_without_records(world: World) -> None:
    client = Client()
    client.force_login(world.scrutiny_member)
    assert client.get(reverse("care:worklist")).status_code == 403


def test_navigation_offers_the_worklist(world: World) -> None:
    client = Client()
    client.force_login(world.caseworker)
    assert 'href="/care/worklist/"' in client.get("/").content.decode()
