"""Linking the people on Umbrella's records: the same person recorded twice with a typo is found,
only who-is-with-whom is kept, and a link shows only where its reader may open the other record."""

from __future__ import annotations

import random
from datetime import date

from django.test import Client
from django.urls import reverse

from tests.conftest import World
from tests.factories import make_record
from umbrella.audit.models import AuditEvent
from umbrella.cases.inputs import PersonInput
from umbrella.intelligence import actions
from umbrella.intelligence.models import PersonLink
from umbrella.intelligence.people import linked_records, people_link

FIRST = ["amir", "beatrice", "chidi", "dmitri", "eleanor", "farah", "gareth", "hana", "ivan", "jasmine", "kofi",
         "leila", "marek", "nadia", "oscar", "priya", "quentin", "rosa", "samir", "tamsin"]
LAST = ["adebayo", "brennan", "castillo", "dubois", "eriksen", "fitzgerald", "gallagher", "hussain", "ivanova",
        "jankowski", "kowalczyk", "lindqvist", "mahmood", "nakamura", "okonkwo", "petrovic", "quinn", "rahman"]


def _crowd(world: World) -> None:
    """About 120 other people, so the model has something to learn from."""
    rng = random.Random(4)
    pairs = rng.sample([(f, s) for f in FIRST for s in LAST], 120)
    for start in range(0, 120, 12):
        people = [PersonInput(role="victim" if i == 0 else "witness", given_name=f.title(), family_name=s.title(),
                              date_of_birth=date(rng.randint(1950, 2005), rng.randint(1, 12), rng.randint(1, 28)),
                              postcode=f"E{rng.randint(1, 18)} {rng.randint(1, 9)}{rng.choice('ABDEFG')}{rng.choice('HJLNPQ')}")
                  for i, (f, s) in enumerate(pairs[start:start + 12])]
        make_record(actor=world.officer, people=people)


def test_the_same_person_is_linked_across_records_and_shown_only_where_the_reader_may_look(
    world: World, client: Client
) -> None:
    _crowd(world)
    first = make_record(actor=world.officer, people=[PersonInput(
        role="victim", given_name="Jonathan", family_name="Smyth", date_of_birth=date(1980, 5, 17), postcode="E1 6AN")])
    again = make_record(actor=world.officer, days_ago=40, people=[PersonInput(
        role="victim", given_name="Jonathon", family_name="Smith", date_of_birth=date(1980, 5, 17), postcode="E16AN")])
    # Reported to a centre, no consent given: the police may never learn of it.
    centre = make_record(actor=world.caseworker, people=[PersonInput(
        role="victim", given_name="Fatima", family_name="Begum", date_of_birth=date(1975, 2, 3), postcode="E2 7QB")])
    police = make_record(actor=world.officer, people=[PersonInput(
        role="victim", given_name="Fatima", family_name="Begum", date_of_birth=date(1975, 2, 3), postcode="E2 7QB")])
    run = people_link()
    assert run.people >= 124 and {"first_name", "surname", "dob", "postcode"} <= set(run.columns)
    linked = {link.person_id: link.cluster for link in PersonLink.objects.all()}
    smyth, smith = (r.people.get().person_id for r in (first, again))
    assert linked.get(smyth) is not None and linked.get(smyth) == linked.get(smith)
    assert AuditEvent.objects.filter(action=actions.LINKAGE_RUN).count() == 1
    # The officer may open both of Mr Smyth's records: each shows the other.
    assert [r.record_id for r in linked_records(user=world.officer, record=first)] == [again.pk]
    client.force_login(world.officer)
    page = client.get(reverse("cases:record-detail", args=[first.pk])).content.decode()
    assert "Possibly the same person in other records" in page and again.reference in page
    # Ms Begum's centre record is linked too, but the officer sees nothing of it, nor the centre of the force's.
    begum_centre, begum_police = (r.people.get().person_id for r in (centre, police))
    assert linked.get(begum_centre) is not None and linked.get(begum_centre) == linked.get(begum_police)
    assert linked_records(user=world.officer, record=police) == []
    assert linked_records(user=world.caseworker, record=centre) == []
    hidden = client.get(reverse("cases:record-detail", args=[police.pk])).content.decode()
    assert "Possibly the same person" not in hidden and centre.reference not in hidden


def test_too_few_people_links_nobody_and_says_so(world: World) -> None:
    from io import StringIO

    from django.core.management import call_command

    make_record(actor=world.officer, people=[PersonInput(role="victim", given_name="Ada", family_name="Lovelace")])
    out = StringIO()
    call_command("linkage_run", stdout=out)
    assert "too few to learn from" in out.getvalue() and not PersonLink.objects.exists()


def test_the_repeat_suspect_list_groups_a_suspect_named_on_two_records_the_reader_may_open(
    world: World, client: Client
) -> None:
    def suspect() -> list[PersonInput]:
        return [PersonInput(role="subject", given_name="Darren", family_name="Cole", date_of_birth=date(1988, 9, 9))]

    first = make_record(actor=world.officer, people=suspect(), days_ago=20)
    second = make_record(actor=world.officer, people=suspect(), days_ago=5)
    unseen = make_record(actor=world.caseworker, people=suspect(), days_ago=3)  # a centre's, not shared
    make_record(actor=world.officer, people=[PersonInput(role="subject", given_name="Once", family_name="Only")])
    client.force_login(world.analyst)
    page = client.get("/intelligence/suspects/").content.decode()
    assert "2 records, the latest on" in page and "Matched by exact name and date of birth" in page
    assert first.reference in page and second.reference in page and unseen.reference not in page
    assert "Cole" not in page  # who they are is on the records, for those who may open them
    client.force_login(world.officer)
    assert client.get("/intelligence/suspects/").status_code == 403
