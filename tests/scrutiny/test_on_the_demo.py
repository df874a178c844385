"""The demo's dip sample: the scrutiny member finds last month's cases, none of which shows the
name, contact details or reference of anyone on it; the supervisor finds the feedback to answer."""

from __future__ import annotations

import re

from django.test import Client

from tests.demo.conftest import demo, demo_once  # noqa: F401  (the module's demo, built once)
from tests.reads import decrypt
from umbrella.accounts.models import User
from umbrella.cases.models import RecordPerson, person_column
from umbrella.scrutiny.models import SampledCase


def test_no_sampled_case_shows_who_it_happened_to(demo: str, client: Client) -> None:  # noqa: F811
    assert "Dip sampling:" in demo and "with the panel's feedback" in demo
    cases = list(SampledCase.objects.select_related("record"))
    assert len(cases) >= 6
    client.force_login(User.objects.get(username="scrutiny"))
    home = client.get("/scrutiny/").content.decode()
    for case in cases:
        assert f"/scrutiny/cases/{case.pk}/" in home
        page = client.get(f"/scrutiny/cases/{case.pk}/").content.decode()
        assert page.count("govuk-summary-list__row") >= 7
        assert case.record.reference not in page
        for link in RecordPerson.objects.filter(record=case.record).select_related("person"):
            for column in ("given_name", "family_name", "email", "phone"):
                secret = decrypt(getattr(link.person, column), column=person_column(column))
                if len(secret) > 2:
                    assert not re.search(rf"(?<!\w){re.escape(secret)}(?!\w)", page), (case.pk, column)
    client.force_login(User.objects.get(username="supervisor"))
    answer = client.get("/scrutiny/").content.decode()
    assert "Feedback on your force" in answer and ("waiting for your answer" in answer or "answered" in answer)


def test_the_demo_registers_its_fictional_trigger_events(demo: str) -> None:  # noqa: F811
    """(Beside dip sampling: one demo build serves both.)"""
    from umbrella.tension.models import TriggerEvent

    assert "Trigger events: 3 fictional events in the register;" in demo
    assert "tension alerts from the demo's own counts" in demo  # few or none at this size: counts under five never alert
    assert TriggerEvent.objects.count() == 3 and all(event.strands for event in TriggerEvent.objects.all())
    # And two community tension reports: the police see the shared one only.
    from umbrella.accounts.models import User
    from umbrella.tension.selectors import tension_log_for

    assert "2 community tension reports." in demo
    police = [entry.summary for entry in tension_log_for(user=User.objects.get(username="hub.reviewer"))]
    assert len(police) == 1 and "followed home after Friday prayers" in police[0]
    assert len(tension_log_for(user=User.objects.get(username="caseworker.northbridge"))) == 2  # its own, and the shared one
