"""The public open data pages: nothing until a supervisor publishes, then counts only, as published."""

from __future__ import annotations

import json

from django.test import Client
from django.utils import timezone

from tests.demo.conftest import demo, demo_once  # noqa: F401  (the module's demo, built once)
from umbrella.accounts.models import User
from umbrella.cases.models import Person
from umbrella.statistics.forms import months_back
from umbrella.statistics.models import OpenDataRelease
from umbrella.statistics.releases import release_prepare, release_publish


def prepare() -> int:
    last = months_back(timezone.localdate().replace(day=1), 2)
    release = release_prepare(actor=User.objects.get(username="analyst"), first_month=months_back(last, 12), last_month=last)
    return release.number


def test_nothing_is_public_until_a_supervisor_publishes(demo: str, client: Client) -> None:  # noqa: F811
    # The demo publishes release 1; a second is only prepared.
    published = {d["release"] for d in json.loads(client.get("/open-data/datasets.json").content)["datasets"]}
    assert published == {1}
    number = prepare()
    assert number == 2
    assert "Release 1," in client.get("/open-data/").content.decode()
    assert client.get(f"/open-data/releases/{number}/records-total.csv").status_code == 404
    assert {d["release"] for d in json.loads(client.get("/open-data/datasets.json").content)["datasets"]} == {1}



def test_a_published_release_is_open_to_anyone_without_javascript_or_people(demo: str, client: Client) -> None:  # noqa: F811
    number = prepare()
    release_publish(actor=User.objects.get(username="supervisor"), release=OpenDataRelease.objects.get(number=number))
    page = client.get("/open-data/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "govuk-exit-this-page__button" in text and "Open Government Licence" in text
    assert "By borough" in text and "[c]" in text and "Download as CSV" in text
    for person in Person.objects.all()[:50]:
        assert person.given_name not in text  # ciphertext or names: neither is ever on the page
    datasets = json.loads(client.get("/open-data/datasets.json").content)["datasets"]
    assert {d["name"] for d in datasets} >= {"records-by-borough-month", "records-total", "strands-by-strand"}
    assert all(d["suppression_threshold"] == 10 and d["csv"].startswith("http") for d in datasets)
    detailed = client.get(f"/open-data/releases/{number}/records-by-borough-month.csv")
    assert detailed["Content-Type"].startswith("text/csv")
    assert detailed.content.decode().splitlines()[0] == "borough,month,count"
    as_json = json.loads(client.get(f"/open-data/releases/{number}/records-by-borough.json").content)
    assert as_json["dimensions"] == ["borough"] and any(row["count"] is None for row in as_json["rows"])
    assert "linear programmes" in client.get("/open-data/methodology/").content.decode()
