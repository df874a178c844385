"""The planned London follows DOMAIN.md: strand mix, seasons, trigger-event spikes, repeats."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest

from umbrella.demo.generator import Planner, RecordPlan, anchor_for, plan_records
from umbrella.demo.london import BOROUGHS, trigger_events

RECORDS = 15000
# A fixed load day, so these figures never depend on today's date.
ANCHOR = datetime(2026, 11, 1, tzinfo=UTC)


@pytest.fixture(scope="module")
def plans() -> list[RecordPlan]:
    return plan_records(seed=1, records=RECORDS, anchor=ANCHOR)


def _first_strands(plans: list[RecordPlan]) -> Counter[str]:
    return Counter(plan.strands[0][0] for plan in plans if plan.strands)


def test_three_years_ending_at_the_anchor(plans: list[RecordPlan]) -> None:
    first, last = plans[0].reported_at, plans[-1].reported_at
    assert last < ANCHOR
    assert timedelta(days=3 * 365 - 10) < last - first <= timedelta(days=3 * 365)
    assert [p.reported_at for p in plans] == sorted(p.reported_at for p in plans)
    assert len({p.source_reference for p in plans}) == RECORDS


def test_strand_mix_follows_the_national_shape(plans: list[RecordPlan]) -> None:
    shares = {strand: n / sum(_first_strands(plans).values()) for strand, n in _first_strands(plans).items()}
    # Home Office and MPS figures (DOMAIN.md §8.1, §8.5): race about 65-78%, sexual orientation
    # 11-16%, religion 7-11%, disability 2-9%, transgender 1-3%.
    assert 0.6 < shares["race"] < 0.8
    assert 0.09 < shares["sexual_orientation"] < 0.17
    assert 0.06 < shares["religion"] < 0.13
    assert 0.02 < shares["disability"] < 0.09
    assert 0.01 < shares["transgender"] < 0.05
    local = sum(v for k, v in shares.items() if k not in {"race", "religion", "sexual_orientation", "disability", "transgender"})
    assert 0 < local < 0.1


def test_every_borough_and_summer_peak(plans: list[RecordPlan]) -> None:
    assert {p.location.borough for p in plans} == {b.gss for b in BOROUGHS}
    by_month = Counter(p.reported_at.month for p in plans)
    summer = by_month[5] + by_month[6] + by_month[7]
    winter = by_month[12] + by_month[1] + by_month[2]
    assert summer > 1.2 * winter


def test_trigger_event_spikes(plans: list[RecordPlan]) -> None:
    planner = Planner(seed=1, records=RECORDS, anchor=ANCHOR)
    conflict = next(e for e in trigger_events(planner.first_day) if "antisemitic" in e.surge)

    def antisemitic_between(start_offset: int, end_offset: int) -> int:
        start = conflict.starts_on + timedelta(days=start_offset)
        end = conflict.starts_on + timedelta(days=end_offset)
        return sum(
            1 for p in plans
            if start <= p.reported_at.date() < end and any(s[1] == "antisemitic" for s in p.strands)
        )

    before, after = antisemitic_between(-30, 0), antisemitic_between(0, 30)
    assert after > 5 * max(before, 1)


def test_repeat_victims_and_places(plans: list[RecordPlan]) -> None:
    recurring = Counter(person.key for p in plans for person in p.people if person.key.startswith("repeat-victim"))
    assert sum(1 for n in recurring.values() if n > 1) > 100
    places = Counter((p.location.description, p.location.postcode) for p in plans if not p.is_online)
    assert sum(1 for n in places.values() if n > 2) > 50


def test_narratives_are_varied_and_name_nobody(plans: list[RecordPlan]) -> None:
    narratives = [p.narrative for p in plans]
    assert len(set(narratives)) > 0.9 * len(narratives)
    for plan in plans[:2000]:
        for person in plan.people:
            assert f"{person.given_name} {person.family_name}" not in plan.narrative


def test_the_records_end_the_day_before_the_load_day() -> None:
    # Loaded at any hour of 6 December, the data runs to 5 December.
    assert anchor_for(datetime(2026, 12, 6, 23, 59, tzinfo=UTC)) == datetime(2026, 12, 6, tzinfo=UTC)
    last = plan_records(seed=3, records=200, anchor=anchor_for(datetime(2026, 12, 6, 9, 30, tzinfo=UTC)))[-1]
    assert last.reported_at.date() <= datetime(2026, 12, 5, tzinfo=UTC).date()
    assert last.reported_at.date() >= datetime(2026, 11, 20, tzinfo=UTC).date()


def test_some_other_crime_hides_hostility_nobody_flagged(plans: list[RecordPlan]) -> None:
    """About one other crime in eight reads like a hate crime but carries no strand: screening's to find."""
    from umbrella.demo import narratives

    other = [p for p in plans if p.kind == "other_crime"]
    plain_openings = tuple(template.split("{")[0] for template in narratives.SCENARIOS["other_crime"])
    hidden = [p for p in other if not p.narrative.startswith(plain_openings)]
    assert all(not p.strands for p in other)
    assert 0.06 < len(hidden) / len(other) < 0.2
    phrases = {phrase for options in narratives.MOTIVE_PHRASES.values() for phrase in options}
    assert all(any(phrase in p.narrative for phrase in phrases) for p in hidden)
